"""PostgreSQL backend: the same schema on a server, for several writers and readers at once.

Bulk writes bind each column as one array and ``unnest`` them (``INSERT ... SELECT FROM unnest(...)``),
so a batch is one statement with bound values. Writers serialize on an advisory lock per
transaction; readers never wait.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import StoreError
from . import schema
from ..model import ArticleFacts
from .base import Store, arrow_type, translate

_PG_TYPES = {
    schema.I64: "bigint", schema.I32: "integer", schema.F64: "double precision", schema.STR: "text",
    schema.BOOL: "boolean", schema.TS: "timestamp", schema.I64S: "bigint[]",
}
_WRITER_LOCK = 0x6E657773  # "news": the advisory lock key that serializes newsfacts writers
_ROWS_PER_EXPORT_BATCH = 50_000
_STATEMENT_TIMEOUT_MS = 30_000
"""A read-only ``sql()`` query is cancelled after 30 s: a shared server must stay responsive."""


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class PostgresStore(Store):
    """A store in a PostgreSQL database (``postgresql://user@host:port/db``)."""

    dialect = "postgres"

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        super().__init__(redacted(url), read_only=read_only)
        import psycopg

        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
            # psycopg prepares a statement run five times, and PostgreSQL then may keep one generic plan
            # for it: a word question's plan depends on the word (rare: look its rows up; frequent: walk)
            self._conn.execute("SET plan_cache_mode = force_custom_plan")
            # questions read at most a page of rows: compiling their plans (JIT, for plans the planner
            # costs high, such as a frequent word's lookup) takes longer than running them
            self._conn.execute("SET jit = off")
            if read_only:
                self._conn.execute("SET default_transaction_read_only = on")
            self._migrate()
        except psycopg.Error as exc:
            raise StoreError("E401", url=self.url, reason=_first_line(exc)) from None

    def close(self) -> None:
        """Close the connection."""
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()
            self._conn = None

    def _sql(self, sql: str, params: dict[str, Any] | None) -> str:
        return translate(sql, "%") if params else sql

    def _execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._conn.execute(self._sql(sql, params), params or None)

    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        from psycopg.rows import dict_row

        with self._conn.cursor(row_factory=dict_row) as cursor:
            cursor.execute(self._sql(sql, params), params or None)
            return cursor.fetchall()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._conn.transaction():
            yield

    def _add_words(self, rows: schema.Rows, articles: list[tuple[int, ArticleFacts]]) -> None:
        """Each indexed row's words (sorted) in its ``words`` column (schema version 7), which a GIN
        index serves; ``word_index`` stays empty here."""
        for table, _, _, found in self._batch_words(rows, articles):
            rows.columns[table]["words"] = [None if w is None else _text_array(w) for w in found]

    def _insert(self, table: str, columns: dict[str, list[Any]], *, ignore_conflicts: bool = False) -> None:
        """Bulk rows through ``COPY ... FROM STDIN`` (PostgreSQL's fastest load path, in the current
        transaction); rows that may conflict go through ``INSERT ... ON CONFLICT DO NOTHING``.
        ``columns`` may hold a table's ``words`` (``_add_words``)."""
        names = schema.column_names(table, self.dialect if "words" in columns else "")
        if ignore_conflicts or not columns[names[0]]:
            super()._insert(table, columns, ignore_conflicts=ignore_conflicts)
            return
        with self._conn.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            for row in zip(*(columns[n] for n in names)):
                copy.write_row(row)

    def _cluster(self, table: str, order: str) -> bool:
        """Refresh the planner's statistics of ``table``; its B-tree indexes already serve the
        questions in ``order`` (autovacuum would analyze it too, later)."""
        self._execute(f"ANALYZE {table}")
        return False

    def _lock_writers(self) -> None:
        self._execute("SELECT pg_advisory_xact_lock(:key)", {"key": _WRITER_LOCK})

    @contextmanager
    def _relation(self, alias: str, columns: dict[str, list[Any]], types: dict[str, str]) -> Iterator[tuple[str, dict[str, Any]]]:
        names = list(columns)
        lists = {name for name in names if types[name] == schema.I64S}
        params = {
            f"{alias}_{i}": [_array_literal(v) for v in values] if name in lists else values
            for i, (name, values) in enumerate(columns.items())
        }
        # unnest flattens arrays of arrays, so list columns travel as text literals and are cast back
        arrays = ", ".join(f":{alias}_{i}::{'text' if name in lists else _PG_TYPES[types[name]]}[]" for i, name in enumerate(names))
        if not lists:
            yield f"unnest({arrays}) AS {alias}({', '.join(names)})", params
            return
        select = ", ".join(f"u.{name}::bigint[] AS {name}" if name in lists else f"u.{name}" for name in names)
        yield f"(SELECT {select} FROM unnest({arrays}) AS u({', '.join(names)})) AS {alias}", params

    def _readonly_rows(self, sql: str, limit: int) -> list[dict[str, Any]]:
        import psycopg
        from psycopg.rows import dict_row

        try:
            with self._conn.transaction(force_rollback=True):
                self._conn.execute("SET TRANSACTION READ ONLY")
                self._conn.execute(f"SET LOCAL statement_timeout = {_STATEMENT_TIMEOUT_MS:d}")
                cursor = psycopg.RawCursor(self._conn, row_factory=dict_row)
                cursor.execute(sql, None, prepare=True)  # prepared: one statement only, never a script
                return cursor.fetchmany(limit) if cursor.description else []
        except psycopg.Error as exc:
            raise StoreError("E404", reason=_first_line(exc)) from None

    def _table_batches(self, table: str) -> Iterator[Any]:
        import pyarrow as pa

        names = schema.column_names(table)
        types = dict(schema.TABLES[table])
        arrow_schema = pa.schema([(n, arrow_type(types[n])) for n in names])
        with self._conn.transaction(), self._conn.cursor(name=f"export_{table}") as cursor:
            cursor.execute(f"SELECT {', '.join(names)} FROM {table}")
            while rows := cursor.fetchmany(_ROWS_PER_EXPORT_BATCH):
                columns = list(zip(*rows))
                yield pa.record_batch([pa.array(c, type=f.type) for c, f in zip(columns, arrow_schema)], schema=arrow_schema)


def _text_array(words: set[str]) -> str:
    """A PostgreSQL ``text[]`` literal of ``words``, sorted (``{"a","b"}``): every element quoted, so
    that a word such as ``null`` stays a word. Words are runs of letters and digits (``words.words``):
    nothing in them needs escaping. Formatted here because psycopg's own list dumper took half of the
    writer's time (2.4 ms an article).

    Example:
        >>> _text_array({"null", "2"})
        '{"2","null"}'
    """
    return "{" + ",".join(f'"{w}"' for w in sorted(words)) + "}"


def _array_literal(values: list[int] | None) -> str | None:
    """A PostgreSQL array literal of integers (``{1,2,3}``)."""
    return None if values is None else "{" + ",".join(str(int(v)) for v in values) + "}"


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
