"""The store's tables as Python knows them: column lists, types, and facts <-> rows.

The DDL lives in ``migrations/*.sql`` (one file per schema version, the same SQL for DuckDB and
PostgreSQL); ``TABLES`` below names every table and column in the same order, and is the only source
of identifiers the store ever puts into SQL text (values are always bound). ``tests/store`` checks
that a migrated database has exactly these columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from itertools import repeat
from typing import Any

from ..model import ArticleFacts, Claim, Entity, Event, Mention, Quantity, Quote, Span, Timex

I64, I32, F64, STR, BOOL, TS, I64S = "i64", "i32", "f64", "str", "bool", "ts", "i64s"
"""Column types: BIGINT, INTEGER, DOUBLE PRECISION, TEXT, BOOLEAN, TIMESTAMP, BIGINT[]."""

_FACT = (("aid", I64), ("ord", I32), ("start_char", I32), ("end_char", I32), ("text", STR))
_SENT = (("sent_start", I32), ("sent_end", I32), ("day", STR), ("story", I64))
"""Evidence sentence, then the article's day and story (repeated so questions need no join)."""

_STORY_ROW = (("first_in_story", BOOL), ("copies", I32), ("story_day", STR))
"""Quotes and claims: is this the story's row (the first stored copy of its text in its story), and
on that row the number of copies and their earliest day (schema version 3, kept by the writer)."""

_ROW_KEY = (("row_key", I64),)
"""A row's key, ``aid * 2**20 + n`` (``words.fact_key``; n is ``ord`` for facts, the row's position
among its article's rows for event participants): questions choose a page of keys on narrow columns,
then read just those rows through an index on it (schema version 4)."""


def _span(prefix: str, *, entity: bool = False) -> tuple[tuple[str, str], ...]:
    cols = ((f"{prefix}_start", I32), (f"{prefix}_end", I32), (f"{prefix}_text", STR))
    return cols + (((f"{prefix}_entity", STR),) if entity else ())


TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (
        ("aid", I64), ("sha256", STR), ("doc_id", STR), ("url", STR), ("version", I32), ("story", I64),
        ("title", STR), ("published", STR), ("day", STR), ("source", STR), ("language", STR), ("text", STR),
        ("errors", STR), ("ingested_at", TS),
    ),
    "article_bands": (("band", I32), ("hash", I64), ("aid", I64), ("story", I64)),
    "entities": (
        ("id", STR), ("name", STR), ("type", STR), ("n_articles", I64), ("n_mentions", I64), ("n_quotes", I64),
        ("n_claims", I64),
    ),
    "entity_aliases": (("entity_id", STR), ("alias", STR)),
    "entity_titles": (("entity_id", STR), ("title", STR)),
    "article_entities": (
        ("aid", I64), ("ord", I32), ("entity_id", STR), ("name", STR), ("type", STR), ("aliases", STR),
        ("titles", STR), ("roles", STR), ("n_mentions", I32),
    ),
    "mentions": (("aid", I64), ("entity_id", STR), ("ord", I32), ("start_char", I32), ("end_char", I32)),
    "quotes": _FACT + (("kind", STR), ("parts", STR)) + _span("speaker", entity=True) + _span("cue")
    + _span("addressee") + _span("channel") + (("when_value", STR),) + _SENT + _STORY_ROW + _ROW_KEY,
    "claims": _FACT + (("kind", STR),) + _span("source", entity=True) + _span("cue") + (("when_value", STR),) + _SENT
    + _STORY_ROW + _ROW_KEY,
    "quantities": _FACT + (
        ("value", F64), ("value_low", F64), ("value_high", F64), ("is_range", BOOL), ("unit", STR),
        ("normalized_unit", STR), ("change", STR),
    ) + _span("counts") + (("source_entity", STR), ("when_value", STR)) + _SENT + _ROW_KEY,
    "timexes": _FACT + (("type", STR), ("value", STR), ("mod", STR), ("anchor", STR)) + _SENT,
    "events": _FACT + (("trigger", STR), ("participants", STR), ("when_value", STR)) + _SENT,
    "event_participants": (
        ("aid", I64), ("event_ord", I32), ("entity_id", STR), ("date", STR), ("text", STR), ("trigger", STR),
        ("day", STR), ("story", I64), ("start_char", I32), ("end_char", I32), ("sent_start", I32), ("sent_end", I32),
        ("row_key", I64),
    ),
    "failures": (("item", STR), ("code", STR), ("message", STR), ("failed_at", TS)),
    "word_index": (("term", STR), ("ids", I64S)),
    "clustered": (("table_name", STR), ("row_count", I64), ("clustered_at", TS)),
}
"""Every table of the current schema and its columns in DDL order (``schema_version`` aside)."""

WORD_COLUMNS = ("articles", "quotes", "claims", "quantities")
"""Tables that have, on PostgreSQL only, a ``words`` column (``TEXT[]``, schema version 7): the row's
distinct words as ``word_index`` would index them (``NULL`` where it indexes nothing: copies of a
story row), behind a GIN index, so that word filters run in the server. It is an index's material,
like ``word_index`` is on DuckDB (empty on PostgreSQL), so it is not among ``TABLES``' columns and
not exported; ``column_names(table, "postgres")`` adds it."""

WORD_INDEX_VERSION = 3
"""The schema version that added ``word_index``: applying it indexes the rows already stored."""

EXPORTED = tuple(TABLES)
"""Tables written by ``export_parquet``, one file each."""

FACT_TABLES = ("quotes", "claims", "quantities", "timexes", "events")

KEYED_TABLES = ("quotes", "claims", "quantities", "event_participants")
"""Tables with a ``row_key`` (schema version 4)."""

ROW_KEY_BITS = 20
"""``row_key`` is ``aid << ROW_KEY_BITS`` plus the row's number in its article (``words.FACT_ROWS``)."""


def row_keys(aid: int, n: int) -> list[int]:
    """The ``row_key`` of an article's first ``n`` rows of one table."""
    base = aid << ROW_KEY_BITS
    return list(range(base, base + n))


def column_names(table: str, dialect: str = "") -> tuple[str, ...]:
    """The column names of ``table`` (a key of ``TABLES``); with ``dialect="postgres"``, its
    ``words`` column last where it has one (``WORD_COLUMNS``)."""
    names = tuple(name for name, _ in TABLES[table])
    return names + ("words",) if dialect == "postgres" and table in WORD_COLUMNS else names


def migrations() -> list[tuple[int, str, str]]:
    """``(version, dialect or "", sql)`` of every migration file, in version order.

    ``NNN_name.sql`` applies to both backends; ``NNN_name.postgres.sql`` / ``.duckdb.sql`` to one.
    """
    found = []
    for entry in files(__package__).joinpath("migrations").iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        parts = name[: -len(".sql")].split(".")
        dialect = parts[1] if len(parts) > 1 else ""
        found.append((int(name.split("_", 1)[0]), dialect, entry.read_text(encoding="utf-8")))
    return sorted(found)


def statements(sql: str) -> list[str]:
    """The statements of a migration file (``;`` at a line end separates; ``--`` comments dropped)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().rstrip(";").strip()]


@dataclass
class Rows:
    """Column-wise rows for every table, filled article by article and inserted in bulk."""

    columns: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: {t: {c: [] for c in column_names(t)} for t in TABLES}
    )

    def add(self, table: str, **values: Any) -> None:
        """Append one row (every column of ``table`` must be given)."""
        for name, column in self.columns[table].items():
            column.append(values[name])

    def count(self, table: str) -> int:
        """Rows collected for ``table``."""
        return len(next(iter(self.columns[table].values())))


@lru_cache(maxsize=65_536)
def _json_strings(values: tuple[str, ...]) -> str:
    """``_json`` of a tuple of strings, cached: entities repeat their aliases and events their
    participants across many rows."""
    return json.dumps(values, ensure_ascii=False) if values else "[]"


def _extend(columns: dict[str, list[Any]], values: dict[str, list[Any]]) -> None:
    """Append whole columns (all of the same length) to a table's column lists."""
    for name, column in columns.items():
        column.extend(values[name])


def _span_columns(prefix: str, spans: list[Span | Mention | None], *, entity: bool = False) -> dict[str, list[Any]]:
    values = {
        f"{prefix}_start": [s.span[0] if s else None for s in spans],
        f"{prefix}_end": [s.span[1] if s else None for s in spans],
        f"{prefix}_text": [s.text if s else None for s in spans],
    }
    if entity:
        values[f"{prefix}_entity"] = [s.entity if isinstance(s, Mention) else None for s in spans]
    return values


def _fact_columns(aid: int, facts: tuple[Any, ...], day: str | None, story: int) -> dict[str, list[Any]]:
    n = len(facts)
    sentences = [f.sentence for f in facts]
    return {
        "aid": [aid] * n, "ord": list(range(n)), "start_char": [f.span[0] for f in facts],
        "end_char": [f.span[1] for f in facts], "text": [f.text for f in facts],
        "sent_start": [s[0] if s else None for s in sentences], "sent_end": [s[1] if s else None for s in sentences],
        "day": [day] * n, "story": [story] * n,
    }


def add_fact_rows(rows: Rows, aid: int, facts: ArticleFacts, *, day: str | None, story: int) -> None:
    """Append the entity and fact rows of one article (everything but ``articles`` and bands).

    Rows are appended column by column (one list comprehension per column, not a dict per row):
    this is most of the writer's Python work. The story-row columns of quotes and claims are left
    ``None`` for the writer to fill once the whole batch is known.
    """
    ents = facts.entities
    if ents:
        columns = rows.columns["article_entities"]
        columns["aid"].extend(repeat(aid, len(ents)))
        columns["ord"].extend(range(len(ents)))
        columns["entity_id"].extend([e.id for e in ents])
        columns["name"].extend([e.name for e in ents])
        columns["type"].extend([e.type for e in ents])
        columns["aliases"].extend([_json_strings(tuple(e.aliases)) for e in ents])
        columns["titles"].extend([_json_strings(tuple(e.titles)) for e in ents])
        columns["roles"].extend([_json_strings(tuple(e.roles)) for e in ents])
        columns["n_mentions"].extend([len(e.mentions) for e in ents])
        flat = [(e.id, i, s, t) for e in ents for i, (s, t) in enumerate(e.mentions)]
        if flat:
            columns = rows.columns["mentions"]
            ids, ords, starts, ends = zip(*flat)
            columns["aid"].extend(repeat(aid, len(flat)))
            columns["entity_id"].extend(ids)
            columns["ord"].extend(ords)
            columns["start_char"].extend(starts)
            columns["end_char"].extend(ends)
    if qs := facts.quotes:
        none = [None] * len(qs)
        _extend(rows.columns["quotes"], {
            **_fact_columns(aid, qs, day, story), "kind": [q.kind for q in qs],
            "parts": [json.dumps([list(p) for p in q.parts]) for q in qs],
            **_span_columns("speaker", [q.speaker for q in qs], entity=True), **_span_columns("cue", [q.cue for q in qs]),
            **_span_columns("addressee", [q.addressee for q in qs]), **_span_columns("channel", [q.channel for q in qs]),
            "when_value": [q.when for q in qs], "first_in_story": none, "copies": none, "story_day": none,
            "row_key": row_keys(aid, len(qs)),
        })
    if cs := facts.claims:
        none = [None] * len(cs)
        _extend(rows.columns["claims"], {
            **_fact_columns(aid, cs, day, story), "kind": [c.kind for c in cs],
            **_span_columns("source", [c.source for c in cs], entity=True), **_span_columns("cue", [c.cue for c in cs]),
            "when_value": [c.when for c in cs], "first_in_story": none, "copies": none, "story_day": none,
            "row_key": row_keys(aid, len(cs)),
        })
    if ns := facts.quantities:
        bounds = [
            (float(n.value[0]), float(n.value[1]), True) if isinstance(n.value, (tuple, list))
            else (float(n.value), float(n.value), False)
            for n in ns
        ]
        _extend(rows.columns["quantities"], {
            **_fact_columns(aid, ns, day, story),
            "value": [(low + high) / 2 if is_range else low for low, high, is_range in bounds],
            "value_low": [b[0] for b in bounds], "value_high": [b[1] for b in bounds], "is_range": [b[2] for b in bounds],
            "unit": [n.unit for n in ns], "normalized_unit": [n.normalized_unit for n in ns], "change": [n.change for n in ns],
            **_span_columns("counts", [n.counts for n in ns]), "source_entity": [n.source for n in ns],
            "when_value": [n.when for n in ns], "row_key": row_keys(aid, len(ns)),
        })
    if ts := facts.timexes:
        _extend(rows.columns["timexes"], {
            **_fact_columns(aid, ts, day, story), "type": [t.type for t in ts], "value": [t.value for t in ts],
            "mod": [t.mod for t in ts], "anchor": [t.anchor for t in ts],
        })
    if es := facts.events:
        _extend(rows.columns["events"], {
            **_fact_columns(aid, es, day, story), "trigger": [e.trigger for e in es],
            "participants": [_json_strings(tuple(e.participants)) for e in es], "when_value": [e.when for e in es],
        })
        flat_p = [(ord, entity_id) for ord, e in enumerate(es) for entity_id in dict.fromkeys(e.participants)]
        if flat_p:
            events = [es[ord] for ord, _ in flat_p]
            sentences = [e.sentence for e in events]
            _extend(rows.columns["event_participants"], {
                "aid": [aid] * len(flat_p), "event_ord": [p[0] for p in flat_p], "entity_id": [p[1] for p in flat_p],
                "date": [e.when or day for e in events], "text": [e.text for e in events],
                "trigger": [e.trigger for e in events], "day": [day] * len(flat_p), "story": [story] * len(flat_p),
                "start_char": [e.span[0] for e in events], "end_char": [e.span[1] for e in events],
                "sent_start": [s[0] if s else None for s in sentences], "sent_end": [s[1] if s else None for s in sentences],
                "row_key": row_keys(aid, len(flat_p)),
            })


def _offsets(start: int | None, end: int | None) -> tuple[int, int] | None:
    return None if start is None or end is None else (int(start), int(end))


def _span_of(row: dict[str, Any], prefix: str) -> Span | None:
    offsets = _offsets(row[f"{prefix}_start"], row[f"{prefix}_end"])
    return None if offsets is None else Span(span=offsets, text=row[f"{prefix}_text"])


def _mention_of(row: dict[str, Any], prefix: str) -> Mention | None:
    offsets = _offsets(row[f"{prefix}_start"], row[f"{prefix}_end"])
    if offsets is None:
        return None
    return Mention(span=offsets, text=row[f"{prefix}_text"], entity=row[f"{prefix}_entity"])


def rebuild(article: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> ArticleFacts:
    """The ``ArticleFacts`` of one stored article from its rows (each table's rows in ``ord`` order).

    ``tables`` maps ``article_entities``, ``mentions`` and the fact tables to that article's rows.
    """
    mentions: dict[str, list[tuple[int, int]]] = {}
    for m in tables["mentions"]:
        mentions.setdefault(m["entity_id"], []).append((m["start_char"], m["end_char"]))
    entities = tuple(
        Entity(
            id=e["entity_id"], name=e["name"], type=e["type"], aliases=tuple(json.loads(e["aliases"])),
            titles=tuple(json.loads(e["titles"])), mentions=tuple(mentions.get(e["entity_id"], ())),
            roles=tuple(json.loads(e["roles"])),
        )
        for e in tables["article_entities"]
    )
    quotes = tuple(
        Quote(
            span=(q["start_char"], q["end_char"]), text=q["text"],
            parts=tuple((int(s), int(e)) for s, e in json.loads(q["parts"])), kind=q["kind"],
            speaker=_mention_of(q, "speaker"), cue=_span_of(q, "cue"), addressee=_span_of(q, "addressee"),
            channel=_span_of(q, "channel"), when=q["when_value"], sentence=_offsets(q["sent_start"], q["sent_end"]),
        )
        for q in tables["quotes"]
    )
    claims = tuple(
        Claim(
            span=(c["start_char"], c["end_char"]), text=c["text"], kind=c["kind"], source=_mention_of(c, "source"),
            cue=_span_of(c, "cue"), when=c["when_value"], sentence=_offsets(c["sent_start"], c["sent_end"]),
        )
        for c in tables["claims"]
    )
    quantities = tuple(
        Quantity(
            span=(n["start_char"], n["end_char"]), text=n["text"],
            value=(n["value_low"], n["value_high"]) if n["is_range"] else n["value"], unit=n["unit"],
            normalized_unit=n["normalized_unit"], change=n["change"], counts=_span_of(n, "counts"),
            source=n["source_entity"], when=n["when_value"], sentence=_offsets(n["sent_start"], n["sent_end"]),
        )
        for n in tables["quantities"]
    )
    timexes = tuple(
        Timex(
            span=(t["start_char"], t["end_char"]), text=t["text"], type=t["type"], value=t["value"], mod=t["mod"],
            anchor=t["anchor"], sentence=_offsets(t["sent_start"], t["sent_end"]),
        )
        for t in tables["timexes"]
    )
    events = tuple(
        Event(
            span=(e["start_char"], e["end_char"]), text=e["text"], trigger=e["trigger"],
            participants=tuple(json.loads(e["participants"])), when=e["when_value"],
            sentence=_offsets(e["sent_start"], e["sent_end"]),
        )
        for e in tables["events"]
    )
    return ArticleFacts(
        id=article["doc_id"], text=article["text"], sha256=article["sha256"], url=article["url"],
        title=article["title"], published=article["published"], source=article["source"],
        language=article["language"], entities=entities, quotes=quotes, claims=claims, quantities=quantities,
        timexes=timexes, events=events, errors=tuple(json.loads(article["errors"])),
    )
