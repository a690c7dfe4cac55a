"""Store fixtures: a fresh store on each backend (a DuckDB file, a PostgreSQL schema).

PostgreSQL tests read the server URL from ``NEWSFACTS_TEST_POSTGRES`` (``.ci/start-postgres.sh`` starts
one and prints it); locally they skip with a message when it is unset, in CI (env ``CI`` set) they
fail instead. Each test gets its own schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest


POSTGRES_ENV = "NEWSFACTS_TEST_POSTGRES"


def postgres_url() -> str | None:
    """The test server's URL, or None when no server is configured."""
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh, empty store URL on each backend."""
    if request.param == "duckdb":
        yield str(tmp_path / "test.duckdb")
        return
    url = postgres_url()
    if url is None and os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_ENV} is unset in CI: run .ci/start-postgres.sh first (Postgres tests never skip in CI)")
    if url is None:
        pytest.skip(f"PostgreSQL tests need a server: set {POSTGRES_ENV} (see .ci/start-postgres.sh)")
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in url else "?"
    yield f"{url}{sep}options={quote(f'-csearch_path={name}')}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture
def store(store_url: str):
    """An open, empty store on each backend."""
    from newsfacts.store import open_store

    with open_store(store_url) as opened:
        yield opened
