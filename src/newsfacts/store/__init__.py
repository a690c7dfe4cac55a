"""The corpus store: ``ArticleFacts`` written once, asked questions of (``newsfacts.store.queries``).

DuckDB by default (a ``newsfacts.duckdb`` file, no server), PostgreSQL for a shared server, one schema
for both (``migrations/``), Parquet export. Writes are idempotent by article sha256.

Example:
    >>> from newsfacts.store import open_store, queries
    >>> with open_store("newsfacts.duckdb") as store:
    ...     store.write(facts)
    ...     queries.quotes(store, speaker="Jane Doe")
"""

from __future__ import annotations

from .base import Store, WriteResult

DEFAULT_URL = "newsfacts.duckdb"

__all__ = ["DEFAULT_URL", "Store", "WriteResult", "open_store"]


def open_store(url: str = DEFAULT_URL, *, read_only: bool = False) -> Store:
    """Open (and create or migrate) the store at ``url``.

    Args:
        url: a file path or ``duckdb:///path`` (DuckDB; ``:memory:`` for a throwaway store), or
            ``postgresql://user@host:port/db`` (PostgreSQL).
        read_only: open for queries only (no migration, writes refused).

    Returns:
        The open ``Store``; close it, or use it as a context manager.

    Raises:
        StoreError: E401 when it cannot be opened, E402 when another process holds the DuckDB file.
    """
    url = str(url)
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres_backend import PostgresStore

        return PostgresStore(url, read_only=read_only)
    if url.startswith("duckdb://"):
        url = url[len("duckdb://") :]
        url = url[1:] if url.startswith("/") else url
    from .duckdb_backend import DuckDBStore

    return DuckDBStore(url or ":memory:", read_only=read_only)
