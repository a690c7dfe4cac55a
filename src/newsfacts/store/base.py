"""What both backends share: migrations, the idempotent batched write, and bound-parameter SQL.

SQL text here and in ``queries.py`` uses ``:name`` placeholders; each backend turns them into its own
(``$name`` for DuckDB, ``%(name)s`` for psycopg). Values are always bound; the only identifiers put
into SQL text come from ``schema.TABLES``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..dates import parse_published
from ..errors import BadDate, StoreError
from ..model import ArticleFacts, Failure, text_sha256
from . import schema, stories, words

WRITE_BATCH = 500
"""Articles per write transaction: large enough for bulk inserts to pay off (about 50k rows), small
enough that a killed run loses at most one batch of work, which the next run redoes."""

CLUSTERED = {
    "event_participants": "entity_id, date, aid, start_char",
    "quotes": "speaker_entity, story_day, aid, start_char",
    "claims": "source_entity, story_day, aid, start_char",
}
"""Tables ``optimize`` rewrites in the order their questions read them: an entity's rows (timeline,
a speaker's quotes, a source's claims) then lie together, so a scan for one entity skips the other
row groups by their min/max statistics instead of reading all of them."""

CLUSTER_MIN_ROWS = 50_000
CLUSTER_SHARE = 0.25
"""``optimize`` rewrites a table once rows written since its last rewrite are at least this many and
this share of the table (so each row is rewritten a bounded number of times as the corpus grows)."""

MAX_SQL_ROWS = 10_000
"""Rows returned by ``sql()``: a power user's query must not pull a whole table into memory."""

_PLACEHOLDER = re.compile(r"(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What a write did: ``ingested`` new articles, ``present`` already stored (same sha256)."""

    ingested: int = 0
    present: int = 0

    def __add__(self, other: WriteResult) -> WriteResult:
        return WriteResult(self.ingested + other.ingested, self.present + other.present)


def placeholders(sql: str) -> list[str]:
    """The ``:name`` placeholders of ``sql`` in order of appearance (``::type`` casts are not)."""
    return _PLACEHOLDER.findall(sql)


def translate(sql: str, style: str) -> str:
    """``sql`` with ``:name`` placeholders rewritten: ``style`` ``"$"`` -> ``$name``, ``"%"`` -> ``%(name)s``."""
    if style == "%":
        return _PLACEHOLDER.sub(r"%(\1)s", sql.replace("%", "%%"))
    return _PLACEHOLDER.sub(r"$\1", sql)


class Store(ABC):
    """A newsfacts corpus store; open one with ``newsfacts.store.open_store``.

    Subclasses provide the connection primitives (``_execute``, ``_rows``, ``_relation``,
    ``_transaction``); everything with meaning lives here and in ``queries.py``.
    """

    dialect = ""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        self._lock = threading.RLock()

    # -- backend primitives ------------------------------------------------------------------------
    @abstractmethod
    def _execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        """Run one statement with bound parameters."""

    @abstractmethod
    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a query with bound parameters; rows as dicts."""

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[None]:
        """A context manager around one transaction (commit on success, rollback on error)."""

    @abstractmethod
    def _relation(
        self, alias: str, columns: dict[str, list[Any]], types: dict[str, str]
    ) -> AbstractContextManager[tuple[str, dict[str, Any]]]:
        """Column lists as a relation usable in FROM: a context manager giving ``(sql fragment, params)``."""

    def _lock_writers(self) -> None:
        """Serialize writers for the current transaction (Postgres; DuckDB's file lock already does)."""

    @abstractmethod
    def _readonly_rows(self, sql: str, limit: int) -> list[dict[str, Any]]:
        """Run user SQL that may only read; at most ``limit`` rows."""

    @abstractmethod
    def _table_batches(self, table: str) -> Iterator[Any]:
        """``pyarrow.RecordBatch`` es of a whole table, for export."""

    def _existing_tables(self) -> set[str]:
        rows = self._rows(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return {r["name"] for r in rows}

    def close(self) -> None:
        """Close the connection (idempotent)."""

    # -- public ------------------------------------------------------------------------------------
    def fetch(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a read query with ``:name`` placeholders bound from ``params``, as dicts."""
        with self._lock:
            return self._rows(sql, params)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r}{', read_only=True' if self.read_only else ''})"

    # -- schema ------------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        """The schema version of the open store (0 for an empty database)."""
        if "schema_version" not in self._existing_tables():
            return 0
        rows = self._rows("SELECT max(version) AS v FROM schema_version")
        return int(rows[0]["v"] or 0)

    def _migrate(self) -> None:
        """Apply the migrations this store lacks, each in its own transaction, recording each version."""
        known = schema.migrations()
        latest = max(v for v, _, _ in known)
        current = self.schema_version
        if current > latest:
            raise StoreError("E401", url=self.url, reason=f"schema version {current} is newer than this newsfacts ({latest})")
        if self.read_only:
            if current < latest:
                raise StoreError("E401", url=self.url, reason="not a newsfacts store (or an older schema); open it for writing once")
            return
        if current == latest:
            return
        with self._transaction():
            self._lock_writers()
            self._execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
            )
        # one transaction per version (DuckDB creates no index in a transaction that updated rows);
        # a run killed between two versions leaves the store at the earlier one, and the next opening goes on
        for version, group in itertools.groupby(known, key=lambda m: m[0]):
            with self._transaction():
                self._lock_writers()
                if self._rows("SELECT version FROM schema_version WHERE version = :v", {"v": version}):
                    continue
                for _, dialect, sql in group:
                    if dialect in ("", self.dialect):
                        for statement in schema.statements(sql):
                            self._execute(statement)
                if version == schema.WORD_INDEX_VERSION:
                    self._index_stored_words()
                self._execute("INSERT INTO schema_version (version, applied_at) VALUES (:v, :at)", {"v": version, "at": _now()})

    # -- writing -----------------------------------------------------------------------------------
    def write(self, facts: Iterable[ArticleFacts], *, batch_size: int = WRITE_BATCH) -> WriteResult:
        """Store articles and their facts, ``batch_size`` articles per transaction.

        Idempotent by sha256 of the text: an article already stored is counted as ``present`` and
        left alone; a changed text at a known url is stored as that url's next ``version``.
        Near-duplicates (syndicated copies) get the ``story`` of the first copy.

        Example:
            >>> with open_store("corpus.duckdb") as store:
            ...     store.write([facts])
            WriteResult(ingested=1, present=0)
        """
        self._check_writable()
        total = WriteResult()
        batch: list[ArticleFacts] = []
        for item in facts:
            batch.append(item)
            if len(batch) >= batch_size:
                total += self._write_batch(batch)
                batch = []
        if batch:
            total += self._write_batch(batch)
        return total

    def write_failure(self, failure: Failure) -> None:
        """Record an input that failed (its id, ``Exxx`` code and message); a repeat is kept once."""
        self._check_writable()
        self.write_failures([failure])

    def write_failures(self, failures: Iterable[Failure]) -> None:
        """Record several failures in one transaction."""
        self._check_writable()
        unique = {(f.id, f.message): f for f in failures}
        if not unique:
            return
        now = _now()
        columns = {
            "item": [f.id for f in unique.values()], "code": [f.code for f in unique.values()],
            "message": [f.message for f in unique.values()], "failed_at": [now] * len(unique),
        }
        with self._lock, self._transaction():
            self._insert("failures", columns, ignore_conflicts=True)

    def present(self, sha256s: Iterable[str]) -> set[str]:
        """Which of ``sha256s`` are stored already (to skip parsing them on a resumed ingest)."""
        wanted = list(dict.fromkeys(sha256s))
        if not wanted:
            return set()
        with self._lock, self._relation("w", {"sha256": wanted}, {"sha256": schema.STR}) as (frag, params):
            rows = self._rows(f"SELECT a.sha256 FROM articles a JOIN {frag} ON a.sha256 = w.sha256", params)
        return {r["sha256"] for r in rows}

    def optimize(self, *, force: bool = False) -> list[str]:
        """Rewrite the ``CLUSTERED`` tables in entity order when enough rows came since the last time.

        ``newsfacts ingest`` calls this at the end of a run. DuckDB answers an entity's questions by
        scanning, skipping row groups by their statistics: that works only if the entity's rows lie
        together, which appending article by article does not give. PostgreSQL reads them through its
        indexes: there this only refreshes the planner's statistics (``ANALYZE``).

        Args:
            force: rewrite every clustered table now.

        Returns:
            The tables rewritten (``[]`` when none needed it).

        Example:
            >>> with open_store("corpus.duckdb") as store:
            ...     store.optimize()
            ['event_participants', 'quotes', 'claims']
        """
        self._check_writable()
        done = []
        with self._lock:
            for table, order in CLUSTERED.items():
                rows = int(self._rows(f"SELECT count(*) AS n FROM {table}")[0]["n"])
                last = self._rows("SELECT row_count FROM clustered WHERE table_name = :t", {"t": table})
                since = rows - (int(last[0]["row_count"]) if last else 0)
                if force or since >= max(CLUSTER_MIN_ROWS, CLUSTER_SHARE * rows):
                    if self._cluster(table, order):
                        done.append(table)
                    with self._transaction():
                        self._execute("DELETE FROM clustered WHERE table_name = :t", {"t": table})
                        self._execute("INSERT INTO clustered (table_name, row_count, clustered_at) VALUES (:t, :n, :at)",
                                      {"t": table, "n": rows, "at": _now()})
        return done

    def _cluster(self, table: str, order: str) -> bool:
        """Rewrite ``table`` sorted by ``order`` (fixed strings of ``CLUSTERED``); False if the backend
        keeps its rows where they are."""
        return False

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("E401", url=self.url, reason="opened read-only")

    def _insert(self, table: str, columns: dict[str, list[Any]], *, ignore_conflicts: bool = False) -> None:
        names = schema.column_names(table)
        if not columns[names[0]]:
            return
        types = dict(schema.TABLES[table])
        with self._relation("r", {n: columns[n] for n in names}, types) as (frag, params):
            cols = ", ".join(names)
            conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
            self._execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {frag}{conflict}", params)

    def _write_batch(self, batch: list[ArticleFacts]) -> WriteResult:
        unique: dict[str, ArticleFacts] = {}
        for item in batch:
            unique.setdefault(item.sha256 or text_sha256(item.text), item)
        keys = {sha: stories.band_keys(item.text) for sha, item in unique.items()}
        with self._lock, self._transaction():
            self._lock_writers()
            stored = self.present(unique)
            new = [(sha, item) for sha, item in unique.items() if sha not in stored]
            result = WriteResult(ingested=len(new), present=len(batch) - len(new))
            if new:
                self._write_new(new, keys)
        return result

    def _write_new(self, new: list[tuple[str, ArticleFacts]], keys: dict[str, list[int]]) -> None:
        ids = [int(r["id"]) for r in self._rows("SELECT nextval('article_ids') AS id FROM generate_series(1, :n)", {"n": len(new)})]
        versions = self._url_versions([item.url for _, item in new if item.url])
        stories_by_key = self._band_stories([k for sha, _ in new for k in keys[sha]])
        rows = schema.Rows()
        now = _now()
        entity_first: dict[str, tuple[str, str]] = {}
        entity_names: set[tuple[str, str]] = set()
        entity_titles: set[tuple[str, str]] = set()
        delta: dict[str, list[int]] = {}
        for aid, (sha, item) in zip(ids, new):
            version = 1
            if item.url:
                version = versions.get(item.url, 0) + 1
                versions[item.url] = version
            band_keys = keys[sha]
            matched = [stories_by_key[(b, k)] for b, k in enumerate(band_keys) if (b, k) in stories_by_key]
            story = min(matched) if matched else aid
            for band, key in enumerate(band_keys):
                stories_by_key.setdefault((band, key), story)
                rows.add("article_bands", band=band, hash=key, aid=aid, story=story)
            day = _day(item.published)
            rows.add(
                "articles", aid=aid, sha256=sha, doc_id=item.id, url=item.url, version=version, story=story,
                title=item.title, published=item.published, day=day, source=item.source,
                language=item.language, text=item.text, errors=json.dumps(list(item.errors), ensure_ascii=False),
                ingested_at=now,
            )
            schema.add_fact_rows(rows, aid, item, day=day, story=story)
            for entity in item.entities:
                entity_first.setdefault(entity.id, (entity.name, entity.type))
                entity_names.add((entity.id, entity.name))
                entity_names.update((entity.id, alias) for alias in entity.aliases)
                entity_titles.update((entity.id, title) for title in entity.titles)
                counts = delta.setdefault(entity.id, [0, 0, 0, 0])
                counts[0] += 1
                counts[1] += len(entity.mentions)
        first_new = ids[0]
        for table in ("quotes", "claims"):
            self._story_rows(table, rows.columns[table], first_new)
        self._add_words(rows, [(aid, item) for aid, (_, item) in zip(ids, new)])
        for table, cols in rows.columns.items():
            if table not in ("entities", "entity_aliases", "entity_titles", "failures", "word_index"):
                self._insert(table, cols)
        if entity_first:
            for table, column, slot in (("quotes", "speaker_entity", 2), ("claims", "source_entity", 3)):
                for entity_id in rows.columns[table][column]:
                    if entity_id in delta:
                        delta[entity_id][slot] += 1
            ids_ = list(entity_first)
            zeros = [0] * len(ids_)
            self._insert("entities", {
                "id": ids_, "name": [entity_first[i][0] for i in ids_], "type": [entity_first[i][1] for i in ids_],
                "n_articles": zeros, "n_mentions": zeros, "n_quotes": zeros, "n_claims": zeros,
            }, ignore_conflicts=True)
            names = sorted(entity_names)
            self._insert("entity_aliases", {"entity_id": [e for e, _ in names], "alias": [a for _, a in names]},
                         ignore_conflicts=True)
            titles = sorted(entity_titles)
            self._insert("entity_titles", {"entity_id": [e for e, _ in titles], "title": [t for _, t in titles]},
                         ignore_conflicts=True)
            counted = ("n_articles", "n_mentions", "n_quotes", "n_claims")
            counts: dict[str, list[Any]] = {"id": ids_}
            counts.update({name: [delta[i][k] for i in ids_] for k, name in enumerate(counted)})
            types = {"id": schema.STR, **{name: schema.I64 for name in counted}}
            with self._relation("d", counts, types) as (frag, params):
                self._execute(
                    "UPDATE entities SET " + ", ".join(f"{n} = entities.{n} + d.{n}" for n in counted)
                    + f" FROM {frag} WHERE entities.id = d.id",
                    params,
                )

    def _story_rows(self, table: str, cols: dict[str, list[Any]], first_new: int) -> None:
        """Fill the story-row columns of a batch's ``quotes``/``claims`` rows, and update the counts
        of stored story rows that the batch adds copies to.

        A row is its story's row when no stored or earlier row of the batch has its (story, text);
        rows come in article then ``ord`` order, so that is the first stored copy. Only stories older
        than the batch (``story < first_new``) can have stored rows: one lookup for those.
        """
        n = len(cols["aid"])
        if not n:
            return
        canon: dict[tuple[int, str], dict[str, Any]] = {}
        older = sorted({s for s in cols["story"] if s < first_new})
        if older:
            with self._relation("s", {"story": older}, {"story": schema.I64}) as (frag, params):
                stored = self._rows(
                    f"SELECT t.aid AS aid, t.ord AS ord, t.story AS story, t.text AS text, t.copies AS copies, "
                    f"t.story_day AS story_day FROM {table} t JOIN {frag} ON t.story = s.story WHERE t.first_in_story",
                    params,
                )
            for r in stored:
                canon[(int(r["story"]), r["text"])] = {"aid": r["aid"], "ord": r["ord"], "copies": int(r["copies"] or 1),
                                                        "day": r["story_day"], "changed": False}
        first, copies, story_day = [False] * n, [None] * n, [None] * n
        for i, key in enumerate(zip(cols["story"], cols["text"])):
            day = cols["day"][i]
            entry = canon.get(key)
            if entry is None:
                canon[key] = {"row": i, "copies": 1, "day": day}
                first[i] = True
                continue
            entry["copies"] += 1
            entry["changed"] = True
            if day is not None and (entry["day"] is None or day < entry["day"]):
                entry["day"] = day
        changed = []
        for entry in canon.values():
            if "row" in entry:
                copies[entry["row"]], story_day[entry["row"]] = entry["copies"], entry["day"]
            elif entry["changed"]:
                changed.append(entry)
        cols["first_in_story"], cols["copies"], cols["story_day"] = first, copies, story_day
        if changed:
            update = {"aid": [e["aid"] for e in changed], "ord": [e["ord"] for e in changed],
                      "copies": [e["copies"] for e in changed], "story_day": [e["day"] for e in changed]}
            types = {"aid": schema.I64, "ord": schema.I32, "copies": schema.I32, "story_day": schema.STR}
            with self._relation("d", update, types) as (frag, params):
                self._execute(
                    f"UPDATE {table} SET copies = d.copies, story_day = d.story_day FROM {frag} "
                    f"WHERE {table}.aid = d.aid AND {table}.ord = d.ord",
                    params,
                )

    def _add_words(self, rows: schema.Rows, articles: list[tuple[int, ArticleFacts]]) -> None:
        """Index the words of the batch (``word_index``; terms and ids as ``words.fact_key`` describes)."""
        index = _WordIndex()
        for table, prefix, keys, found in self._batch_words(rows, articles):
            for key, row_words in zip(keys, found):
                if row_words is not None:
                    index.add(prefix, key, row_words)
        self._insert_terms(index)

    @staticmethod
    def _batch_words(
        rows: schema.Rows, articles: list[tuple[int, ArticleFacts]]
    ) -> Iterator[tuple[str, str, list[int], list[set[str] | None]]]:
        """``(table, term prefix, row ids, words)`` of each indexed table of the batch: articles'
        titles and texts (ids: aid), quote and claim story rows (``None`` for copies), and what
        quantities count (ids: ``words.fact_key``, the ``row_key``)."""
        yield "articles", "a:", [aid for aid, _ in articles], [
            words.words(item.text) | words.words(item.title) for _, item in articles
        ]
        for table, prefix in (("quotes", "q:"), ("claims", "c:")):
            cols = rows.columns[table]
            yield table, prefix, list(map(words.fact_key, cols["aid"], cols["ord"])), [
                words.words(text) if first else None for text, first in zip(cols["text"], cols["first_in_story"])
            ]
        cols = rows.columns["quantities"]
        yield "quantities", "n:", list(map(words.fact_key, cols["aid"], cols["ord"])), [
            words.words(counts) | words.words(unit) for counts, unit in zip(cols["counts_text"], cols["unit"])
        ]

    def _insert_terms(self, index: _WordIndex) -> None:
        """One ``word_index`` row per distinct term of the batch, listing its ids (ascending)."""
        terms, ids = index.rows()
        if terms:
            self._insert("word_index", {"term": terms, "ids": ids})

    def _index_stored_words(self) -> None:
        """Fill ``word_index`` from the rows already stored (once, when schema version 3 is applied)."""
        chunk = 2000
        last = 0
        while True:
            batch = self._rows(
                "SELECT aid, title, text FROM articles WHERE aid > :last ORDER BY aid LIMIT :n", {"last": last, "n": chunk}
            )
            if not batch:
                break
            last = int(batch[-1]["aid"])
            lo, hi = int(batch[0]["aid"]), last
            index = _WordIndex()
            for r in batch:
                index.add("a:", int(r["aid"]), words.words(r["text"]) | words.words(r["title"]))
            span = {"lo": lo, "hi": hi}
            for table, prefix in (("quotes", "q:"), ("claims", "c:")):
                for r in self._rows(f"SELECT aid, ord, text FROM {table} WHERE aid BETWEEN :lo AND :hi AND first_in_story", span):
                    index.add(prefix, words.fact_key(int(r["aid"]), int(r["ord"])), words.words(r["text"]))
            for r in self._rows("SELECT aid, ord, counts_text, unit FROM quantities WHERE aid BETWEEN :lo AND :hi", span):
                index.add("n:", words.fact_key(int(r["aid"]), int(r["ord"])), words.words(r["counts_text"]) | words.words(r["unit"]))
            self._insert_terms(index)

    def _url_versions(self, urls: list[str]) -> dict[str, int]:
        """The highest stored version of each url."""
        if not urls:
            return {}
        with self._relation("u", {"url": list(dict.fromkeys(urls))}, {"url": schema.STR}) as (frag, params):
            rows = self._rows(
                f"SELECT a.url AS url, max(a.version) AS v FROM articles a JOIN {frag} ON a.url = u.url GROUP BY a.url",
                params,
            )
        return {r["url"]: int(r["v"]) for r in rows}

    def _band_stories(self, keys_in_order: list[int]) -> dict[tuple[int, int], int]:
        """``(band, key) -> story`` for band keys already stored (the earliest story wins)."""
        bands = [i % stories.BANDS for i in range(len(keys_in_order))]
        with self._relation("k", {"band": bands, "hash": keys_in_order}, {"band": schema.I32, "hash": schema.I64}) as (frag, params):
            rows = self._rows(
                f"SELECT b.band AS band, b.hash AS hash, min(b.story) AS story FROM article_bands b JOIN {frag} "
                "ON b.band = k.band AND b.hash = k.hash GROUP BY b.band, b.hash",
                params,
            )
        return {(int(r["band"]), int(r["hash"])): int(r["story"]) for r in rows}

    # -- read-only SQL and export ------------------------------------------------------------------
    def sql(self, query: str, *, limit: int = MAX_SQL_ROWS) -> list[dict[str, Any]]:
        """Rows of one read-only SQL statement (at most ``limit``).

        Raises:
            StoreError: E404 when the statement is not a single read-only query, or fails.
        """
        with self._lock:
            return self._readonly_rows(query, limit)

    def export_parquet(self, directory: str) -> list[str]:
        """Write one Parquet file per table into ``directory``; returns the file paths."""
        import pyarrow as pa
        import pyarrow.parquet as pq
        from pathlib import Path

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        with self._lock:
            for table in schema.EXPORTED:
                path = out / f"{table}.parquet"
                arrow_schema = pa.schema([(n, arrow_type(t)) for n, t in schema.TABLES[table]])
                with pq.ParquetWriter(path, arrow_schema) as writer:
                    for batch in self._table_batches(table):
                        writer.write_batch(batch.cast(arrow_schema) if batch.schema != arrow_schema else batch)
                written.append(str(path))
        return written


class _WordIndex:
    """A batch's ``word_index`` rows, grouped here: ``prefix -> word -> ids`` in the order added
    (ascending, as rows are added in article then ``ord`` order)."""

    def __init__(self) -> None:
        self._by_prefix: dict[str, defaultdict[str, list[int]]] = {}

    def add(self, prefix: str, key: int, found: Iterable[str]) -> None:
        """Record that the row ``key`` holds each word of ``found``."""
        ids = self._by_prefix.get(prefix)
        if ids is None:
            ids = self._by_prefix[prefix] = defaultdict(list)
        for word in found:
            ids[word].append(key)

    def rows(self) -> tuple[list[str], list[list[int]]]:
        """The ``term`` and ``ids`` columns: one row per prefixed word."""
        terms: list[str] = []
        ids: list[list[int]] = []
        for prefix, by_word in self._by_prefix.items():
            terms.extend(prefix + word for word in by_word)
            ids.extend(by_word.values())
        return terms, ids


@cache
def arrow_type(name: str) -> Any:
    """The pyarrow type of a schema column type (``schema.I64`` ...)."""
    import pyarrow as pa

    types = {"i64": pa.int64(), "i32": pa.int32(), "f64": pa.float64(), "str": pa.string(), "bool": pa.bool_(),
             "ts": pa.timestamp("us"), "i64s": pa.list_(pa.int64())}
    return types[name]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def _day(published: str | None) -> str | None:
    try:
        date = parse_published(published)
    except BadDate:
        return None
    return date.isoformat() if date else None
