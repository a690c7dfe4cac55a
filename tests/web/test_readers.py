"""Read connections: a page's questions run at once on their own connections, in order, and see the
writer's commits; stores that cannot be shared are used one question at a time."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from newsfacts.model import ArticleFacts, text_sha256
from newsfacts.store import open_store, queries
from newsfacts.web import pages
from newsfacts.web.readers import Readers, Serial, reads

from .webdata import KIRBY, seed_record, troop_reports

POSTGRES_ENV = "NEWSFACTS_TEST_POSTGRES"
SEED_GOLD = Path(__file__).resolve().parents[3] / "shared" / "seed" / "iraq-combat-mission-2021-12-09.gold.json"


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Any]:
    with open_store(str(tmp_path / "r.duckdb")) as opened:
        yield opened


def _article(text: str) -> ArticleFacts:
    return ArticleFacts(id=f"a/{text[:8]}", text=text, sha256=text_sha256(text), published="2021-03-04")


def test_readers_all_runs_the_calls_at_once_on_their_own_connections(store: Any) -> None:
    readers = Readers(store, size=3)
    barrier = threading.Barrier(3, timeout=10)  # breaks (an error) unless all three run at the same time

    def call(n: int, conn: Any) -> tuple[int, Any]:
        barrier.wait()
        return n, conn

    try:
        results = readers.all([partial(call, n) for n in range(3)])
    finally:
        readers.close()
    assert [n for n, _ in results] == [0, 1, 2]
    conns = [c for _, c in results]
    assert len({id(c) for c in conns}) == 3 and all(c is not store for c in conns)


def test_readers_queue_beyond_their_size_without_deadlock(store: Any) -> None:
    readers = Readers(store, size=1)
    try:
        assert readers.all([partial(queries.overview)] * 4) == [queries.overview(store)] * 4
    finally:
        readers.close()


def test_readers_see_what_the_writer_commits(store: Any) -> None:
    readers = Readers(store)
    try:
        assert readers.one(queries.overview)["articles"] == 0
        store.write([_article("Troops stay in the region for now.")])
        assert readers.one(queries.overview)["articles"] == 1
    finally:
        readers.close()


def test_readers_raise_a_calls_error_after_all_finished(store: Any) -> None:
    readers = Readers(store, size=3)
    finished: list[int] = []

    def ok(n: int, conn: Any) -> int:
        finished.append(n)
        return n

    def broken(conn: Any) -> int:
        raise ValueError("no such table")

    try:
        with pytest.raises(ValueError, match="no such table"):
            readers.all([broken, partial(ok, 1), partial(ok, 2)])
    finally:
        readers.close()
    assert sorted(finished) == [1, 2]


class _NotAStore:
    url = "facts.duckdb"


@pytest.mark.parametrize(("make", "shareable"), [(lambda: open_store(":memory:"), False), (_NotAStore, False)])
def test_readers_use_an_unshareable_store_itself_table(make: Any, shareable: bool) -> None:
    primary = make()
    readers = Readers(primary)
    assert readers.shareable is shareable
    assert readers.all([lambda conn: conn, lambda conn: conn]) == [primary, primary]


def test_readers_reads_wraps_a_plain_store(store: Any) -> None:
    wrapped = reads(store)
    assert isinstance(wrapped, Serial) and wrapped.one(lambda conn, x: (conn, x), 5) == (store, 5)
    readers = Readers(store)
    assert reads(readers) is readers


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh store URL on each backend (PostgreSQL: its own schema on the server named by
    NEWSFACTS_TEST_POSTGRES; skipped without one, failed in CI, as the store tests do)."""
    if request.param == "duckdb":
        yield str(tmp_path / "b.duckdb")
        return
    url = os.environ.get(POSTGRES_ENV)
    if not url and os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_ENV} is unset in CI: run .ci/start-postgres.sh first")
    if not url:
        pytest.skip(f"PostgreSQL tests need a server: set {POSTGRES_ENV} (see .ci/start-postgres.sh)")
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {name}")
    yield f"{url}{'&' if '?' in url else '?'}options={quote(f'-csearch_path={name}')}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {name} CASCADE")


def test_readers_pages_equal_the_store_asked_directly_on_each_backend(backend_url: str, seed_text: str) -> None:
    with open_store(backend_url) as primary:
        primary.write([seed_record(seed_text, SEED_GOLD), *troop_reports()])
        readers = Readers(primary)
        try:
            search = pages.SearchParams(q="troops", kinds=("quotes", "claims", "articles"))
            for ask in (partial(pages.search_page, params=search), partial(pages.entity_page, entity_id=KIRBY),
                        partial(pages.number_page, params=pages.NumberParams(about="troops")), pages.overview_page):
                assert ask(readers) == ask(primary)
            assert readers.shareable and pages.entity_page(readers, KIRBY)["quotes"]
        finally:
            readers.close()


def test_readers_after_close_use_the_app_store(store: Any) -> None:
    readers = Readers(store)
    assert readers.all([lambda conn: conn, lambda conn: conn])[1] is not store  # the pool's threads started
    readers.close()
    assert readers.one(lambda conn: conn) is store
    assert readers.all([lambda conn: conn, lambda conn: conn]) == [store, store]
