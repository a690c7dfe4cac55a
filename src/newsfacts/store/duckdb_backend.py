"""DuckDB backend: the default store, one file, no server (``newsfacts.duckdb``).

Bulk writes go through Arrow tables registered on the connection (``INSERT ... SELECT FROM``), so a
batch of tens of thousands of rows is one statement. DuckDB allows one writing process per file: a
second one gets E402, never a corrupted file.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import StoreError
from .base import Store, arrow_type, placeholders, translate

_ROWS_PER_EXPORT_BATCH = 100_000

INDEXES = {
    "quotes": (("quotes_speaker_entity", "speaker_entity"), ("quotes_row_key", "row_key")),
    "claims": (("claims_row_key", "row_key"),),
    "event_participants": (("event_participants_entity_id", "entity_id"), ("event_participants_row_key", "row_key")),
}
"""The ART indexes (name, column) of the tables ``Store.optimize`` rewrites, as migrations 003 and 006
create them (``_cluster`` drops and builds them again)."""

INDEXES_VERSION = 6
"""The schema version that has every index of ``INDEXES``."""

CHECKPOINT_EVERY = "1GB"
"""WAL size at which a writer checkpoints (DuckDB's default is 16MB, less than one write batch);
closing the store checkpoints the rest, and reopening after a kill replays the WAL."""


class DuckDBStore(Store):
    """A store in a DuckDB file (or ``:memory:``)."""

    dialect = "duckdb"

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        super().__init__(path, read_only=read_only)
        import duckdb

        try:
            self._conn = duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreError("E402", url=path) from None
            raise StoreError("E401", url=path, reason=text.splitlines()[0]) from None
        try:
            if not read_only:
                # RLE-compressed columns are read row by row from their segment's start, which made
                # reading a page of rows by row_key cost tens of milliseconds; bit-packing does not
                self._conn.execute("SET disabled_compression_methods = 'rle'")
                # a checkpoint (compress, write blocks, serialize every ART index) after each write batch
                # cost about a quarter of the write time; every commit is in the WAL all the same
                self._conn.execute(f"SET checkpoint_threshold = '{CHECKPOINT_EVERY}'")
            self._migrate()
            if not read_only and self.schema_version >= INDEXES_VERSION:
                self._ensure_indexes()
            # sql() runs user queries: they may read the store, never the file system
            # (read_csv('/etc/...'), COPY ... TO); bulk writes use registered Arrow tables, not files.
            self._conn.execute("SET enable_external_access = false")
        except duckdb.Error as exc:
            self._conn.close()
            raise StoreError("E401", url=path, reason=str(exc).splitlines()[0]) from None

    def _cluster(self, table: str, order: str) -> bool:
        """Rewrite ``table`` in ``order``: a sorted copy with the same DDL replaces it, then its ART
        indexes are built again (in a second transaction: DuckDB builds no index in a transaction
        that wrote rows, nor renames a table that has one). A run killed in between leaves the
        indexes missing; the next writable opening builds them (``_ensure_indexes``)."""
        ddl = self._rows("SELECT sql FROM duckdb_tables() WHERE table_name = :t AND schema_name = current_schema() "
                         "AND database_name = current_database()",
                         {"t": table})[0]["sql"]
        head = f"CREATE TABLE {table}("
        if not ddl.startswith(head):
            raise StoreError("E401", url=self.url, reason=f"unexpected definition of {table}: {ddl[:80]}")
        with self._transaction():
            for name, _ in INDEXES.get(table, ()):
                self._execute(f"DROP INDEX IF EXISTS {name}")
            self._execute(f"CREATE TABLE {table}__sorted(" + ddl[len(head):])
            self._execute(f"INSERT INTO {table}__sorted SELECT * FROM {table} ORDER BY {order}")
            self._execute(f"DROP TABLE {table}")
            self._execute(f"ALTER TABLE {table}__sorted RENAME TO {table}")
        self._ensure_indexes()
        return True

    def _ensure_indexes(self) -> None:
        """Build the ART indexes of ``INDEXES`` that are missing (after a rewrite killed midway)."""
        have = {r["name"] for r in self._rows("SELECT index_name AS name FROM duckdb_indexes() "
                                                    "WHERE schema_name = current_schema() AND database_name = current_database()")}
        missing = [(table, name, column) for table, indexes in INDEXES.items() for name, column in indexes if name not in have]
        if missing:
            with self._transaction():
                for table, name, column in missing:
                    self._execute(f"CREATE INDEX {name} ON {table} ({column})")

    def close(self) -> None:
        """Close the connection; DuckDB checkpoints the WAL into the file."""
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()
            self._conn = None

    def _execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._conn.execute(translate(sql, "$"), _used(sql, params))

    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        cursor = self._conn.execute(translate(sql, "$"), _used(sql, params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.begin()
        try:
            yield
        except BaseException:
            self._conn.rollback()
            raise
        self._conn.commit()

    @contextmanager
    def _relation(self, alias: str, columns: dict[str, list[Any]], types: dict[str, str]) -> Iterator[tuple[str, dict[str, Any]]]:
        import pyarrow as pa

        table = pa.table({name: pa.array(values, type=arrow_type(types[name])) for name, values in columns.items()})
        name = f"nf_{alias}_{uuid.uuid4().hex}"
        self._conn.register(name, table)
        try:
            yield f"{name} AS {alias}", {}
        finally:
            self._conn.unregister(name)

    def _readonly_rows(self, sql: str, limit: int) -> list[dict[str, Any]]:
        import duckdb

        try:
            parsed = self._conn.extract_statements(sql)
        except duckdb.Error as exc:
            raise StoreError("E404", reason=str(exc).splitlines()[0]) from None
        if len(parsed) != 1:
            raise StoreError("E404", reason=f"expected one statement, got {len(parsed)}")
        if parsed[0].type != duckdb.StatementType.SELECT:
            raise StoreError("E404", reason=f"{parsed[0].type.name} is not a query")
        self._conn.begin()
        try:
            cursor = self._conn.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchmany(limit)]
        except duckdb.Error as exc:
            raise StoreError("E404", reason=str(exc).splitlines()[0]) from None
        finally:
            self._conn.rollback()

    def _table_batches(self, table: str) -> Iterator[Any]:
        reader = self._conn.sql(f"SELECT * FROM {table}").to_arrow_reader(_ROWS_PER_EXPORT_BATCH)
        yield from reader


def _used(sql: str, params: dict[str, Any] | None) -> dict[str, Any] | None:
    """Only the parameters ``sql`` names (DuckDB refuses unused named parameters)."""
    if not params:
        return None
    names = set(placeholders(sql))
    return {k: v for k, v in params.items() if k in names} or None
