"""The questions a corpus answers: one named function each, returning JSON-ready values.

Every function takes the open ``Store`` first and keyword-only filters; values are bound, never
formatted into SQL. Rows that point at evidence carry ``article`` (the article's sha256), ``span``
and ``sentence`` (character offsets into that article's text) so a reader can show the sentence.
Quotes and claims are counted once per story: syndicated copies of one wire story (grouped by MinHash
at write time) collapse into one row with ``copies``, shown by the first stored copy and ordered by
the story's earliest day.

Example:
    >>> from newsfacts.store import open_store, queries
    >>> with open_store("newsfacts.duckdb", read_only=True) as store:
    ...     queries.quotes(store, speaker="Jane Doe", since="2021-01-01")[0]["text"]
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from typing import Any

from ..dates import parse_published
from ..errors import BadOption
from ..model import ArticleFacts, said_text
from . import schema, words
from .base import Store

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
"""Largest ``limit`` any question accepts: a result page, not a table dump (use ``sql``/``export``)."""

SEARCH_KINDS = ("quotes", "claims", "articles")

_ARTICLE_COLS = "a.sha256 AS article, a.doc_id AS doc_id, a.url AS url, a.title AS title, a.source AS publisher, a.published AS published, a.day AS day, a.story AS story"


# -- helpers ---------------------------------------------------------------------------------------
def _like(text: str) -> str:
    """An ILIKE pattern matching ``text`` anywhere, with ``%``, ``_`` and ``\\`` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _day(value: str | None, name: str) -> str | None:
    """A ``--since``/``--until`` value as ``YYYY-MM-DD`` (raises BadDate for anything else)."""
    date = parse_published(value, path=name)
    return date.isoformat() if date else None


def _limit(limit: int, name: str = "limit") -> int:
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise BadOption(name=name, value=limit, reason=f"must be an integer from 1 to {MAX_LIMIT}")
    return limit


def _json_ready(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        if isinstance(value, (dt.datetime, dt.date)):
            value = value.isoformat()
        out[key] = value
    return out


def _spans(row: dict[str, Any]) -> dict[str, Any]:
    """Fold ``start_char/end_char/sent_start/sent_end`` into ``span``/``sentence`` pairs."""
    row = _json_ready(row)
    row["span"] = [row.pop("start_char"), row.pop("end_char")]
    s, e = row.pop("sent_start", None), row.pop("sent_end", None)
    row["sentence"] = None if s is None or e is None else [s, e]
    return row


class _Where:
    """AND-ed filter fragments (fixed SQL text) and their bound values."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: dict[str, Any] = {}
        self.words = ""
        """The clause filtering by the ``words`` column (PostgreSQL word filters), for ``source``."""

    def add(self, clause: str, **params: Any) -> None:
        self.clauses.append(clause)
        self.params.update(params)

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "TRUE"

    def source(self, store: Store, table: str, alias: str, limit: int) -> tuple[str, str]:
        """``(FROM item, WHERE condition)`` for a page of ``limit`` rows of ``table`` (as ``alias``).

        With a word filter PostgreSQL can read the matching rows through the ``words`` GIN index
        and sort them (cost grows with the matches), or walk an index in the page's order until
        ``limit`` of them turned up (cost grows with rows / matches, if the matches are spread
        evenly in that order). Its planner assumes they are and walks too often: a word of one
        season (a convention, an election) has its rows together, and the walk reads hundreds of
        thousands of rows before it reaches them. The lookup is taken, kept first by a subquery
        with ``OFFSET 0``, when the planner's own estimate of the matches (from the column's
        most common elements) is at most ``_LOOKUP_FACTOR * sqrt(limit * rows)``.
        """
        limit = _limit(limit)
        if store.dialect == "postgres" and self.words:
            rest = " AND ".join(c for c in self.clauses if c != self.words) or "TRUE"
            rows, matches = (_estimate(store, table, alias, condition, self.params) for condition in (rest, self.sql()))
            if matches <= _LOOKUP_FACTOR * math.sqrt(limit * max(rows, 1.0)):
                return f"(SELECT * FROM {table} {alias} WHERE {self.sql()} OFFSET 0) {alias}", "TRUE"
        return f"{table} {alias}", self.sql()


def _estimate(store: Store, table: str, alias: str, condition: str, params: dict[str, Any]) -> float:
    """PostgreSQL's estimate of the rows of ``table`` (as ``alias``) meeting ``condition`` (fixed SQL
    text with bound ``params``): planning alone, from the table's statistics."""
    plan = store.fetch(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} {alias} WHERE {condition}", params)
    return float(plan[0]["QUERY PLAN"][0]["Plan"]["Plan Rows"])


def _dates(where: _Where, since: str | None, until: str | None, table: str = "a", column: str = "day") -> None:
    """Publication-day range on ``table.column`` (an alias from the fixed set a, q, c, n; ``day`` or
    ``story_day``)."""
    since, until = _day(since, "--since"), _day(until, "--until")
    if since:
        where.add(f"{table}.{column} >= :since", since=since)
    if until:
        where.add(f"{table}.{column} <= :until", until=until)


def _publisher(where: _Where, publisher: str | None, table: str) -> None:
    if publisher:
        where.add(f"{table}.aid IN (SELECT aid FROM articles WHERE lower(source) = lower(:publisher))", publisher=publisher)


def _finish(store: Store, rows: list[dict[str, Any]], *, who: str | None = None, sentences: bool = False) -> list[dict[str, Any]]:
    """Result rows with their article's columns and the speaker's/source's name added (one query
    each for the page of rows, not a join over every match), spans folded, ``aid``/``nth`` dropped."""
    aids = sorted({int(r["aid"]) for r in rows})
    articles = {
        a["aid"]: a for a in _in_keys(
            store, "SELECT aid, sha256 AS article, doc_id, url, title, source AS publisher, published"
            + (", text" if sentences else "") + " FROM articles WHERE {in_keys}", "aid", aids,
            scan_above=None if sentences else _ARTICLES_BY_INDEX,
        )
    }
    names: dict[str, str] = {}
    ids = sorted({r[f"{who}_entity"] for r in rows if who and r.get(f"{who}_entity")})
    if ids:
        names = {e["id"]: e["name"] for e in _in_keys(store, "SELECT id, name FROM entities WHERE {in_keys}", "id", ids)}
    out = []
    for row in rows:
        row = {k: v for k, v in row.items() if k != "nth"}
        article = articles[row.pop("aid")]
        if who:
            row[who] = names.get(row[f"{who}_entity"]) or row.get(f"{who}_text")
        if sentences:
            s, e = row["sent_start"], row["sent_end"]
            row["sentence_text"] = article["text"][s:e] if s is not None and e is not None else None
        row.update({k: article[k] for k in ("article", "doc_id", "url", "title", "publisher", "published")})
        out.append(_spans(row))
    return out


_ARTICLES_BY_INDEX = 40
"""Up to this many articles are read through the primary key's index, more by a scan (without texts)."""

_KEYS_PER_LOOKUP = 1000
"""Keys per ``_in_keys`` statement: below DuckDB's index scan threshold (2048 matching rows)."""


def _in_keys(store: Store, sql: str, column: str, keys: Sequence[Any], *, scan_above: int | None = None) -> list[dict[str, Any]]:
    """Rows of ``sql`` whose ``column`` is one of ``keys``, read through that column's index.

    ``sql`` has ``{in_keys}`` where the condition goes (``sql`` and ``column`` are fixed strings of
    this module). DuckDB looks keys up in its ART index only for a list of constants (``IN (:k0,
    :k1, ...)``, bound one by one); a bound list (``= ANY(:keys)``) would scan the table, reading
    the text of every row. PostgreSQL takes the bound array (``= ANY``) to its B-tree index.
    ``scan_above``: more keys than this are looked up by scanning (``= ANY``) on DuckDB too, cheaper
    for a table whose columns read are small (articles without their text: one index lookup reads a
    whole compressed vector of each column).
    """
    rows: list[dict[str, Any]] = []
    keys = list(keys)
    if not keys:
        return rows
    if store.dialect != "duckdb" or (scan_above is not None and len(keys) > scan_above):
        return store.fetch(sql.format(in_keys=f"{column} = ANY(:keys)"), {"keys": keys})
    for start in range(0, len(keys), _KEYS_PER_LOOKUP):
        chunk = keys[start:start + _KEYS_PER_LOOKUP]
        condition = f"{column} IN (" + ", ".join(f":k{i}" for i in range(len(chunk))) + ")"
        rows += store.fetch(sql.format(in_keys=condition), {f"k{i}": key for i, key in enumerate(chunk)})
    return rows


def _by_row_key(store: Store, table: str, alias: str, columns: str, keys: Sequence[int]) -> list[dict[str, Any]]:
    """The rows of ``table`` with these ``row_key`` s (schema version 4), in the order of ``keys``.

    Questions choose their page of keys on narrow columns first and read only those rows in full
    here: texts are most of a table's bytes, and the rows of one speaker or word lie in every row group.
    """
    found = _rows_by_key(store, table, alias, columns, keys)
    return [found[k] for k in keys if k in found]


def _rows_by_key(store: Store, table: str, alias: str, columns: str, keys: Sequence[int]) -> dict[int, dict[str, Any]]:
    """``row_key -> row`` for the rows of ``table`` with these keys (see ``_by_row_key``)."""
    return {
        int(r.pop("row_key")): r
        for r in _in_keys(store, f"SELECT {columns}, {alias}.row_key AS row_key FROM {table} {alias} WHERE {{in_keys}}",
                          f"{alias}.row_key", sorted({int(k) for k in keys}))
    }


def _once_per_story(store: Store, table: str, columns: str, alias: str, where: _Where, limit: int) -> list[dict[str, Any]]:
    """The story rows of ``table`` matching ``where`` (one per story and text, with its ``copies``),
    ordered by the story's earliest day.

    Story rows are marked by the writer (``first_in_story``, schema version 3), so this reads one row
    per story instead of grouping every copy. The page is chosen on narrow columns first and only its
    rows are read in full, by ``row_key`` (``_by_row_key``). ``table``/``alias``/``columns`` are
    fixed strings of this module, never user input.
    """
    page = _story_page(store, table, alias, where, limit)
    return _by_row_key(store, table, alias, f"{columns}, {alias}.copies AS copies", [r["row_key"] for r in page])


def _story_page(store: Store, table: str, alias: str, where: _Where, limit: int, extra: str = "") -> list[dict[str, Any]]:
    """``row_key`` (and the ``extra`` narrow columns) of the first ``limit`` story rows matching ``where``."""
    source, condition = where.source(store, table, alias, limit)
    return store.fetch(
        f"SELECT {alias}.row_key AS row_key{extra} FROM {source} WHERE {alias}.first_in_story AND {condition} "
        f"ORDER BY {alias}.story_day NULLS LAST, {alias}.aid, {alias}.start_char LIMIT :limit",
        {**where.params, "limit": _limit(limit)},
    )


def _grouped_by_story(store: Store, table: str, columns: str, alias: str, where: _Where, limit: int) -> list[dict[str, Any]]:
    """Rows of ``table`` matching ``where`` grouped by (story, text) at query time, with the number of
    matching ``copies``: for filters on a copy's own article (its publisher), where the story's row
    may be another outlet's copy. Each group is shown by its first matching copy (earliest article,
    then position), read in full by ``row_key`` once the page is chosen.
    """
    group = f"PARTITION BY {alias}.story, {alias}.text"
    page = store.fetch(
        f"SELECT g.row_key AS row_key, g.copies AS copies FROM (SELECT {alias}.row_key AS row_key, {alias}.aid AS aid, "
        f"{alias}.start_char AS start_char, count(*) OVER ({group}) AS copies, min({alias}.day) OVER ({group}) AS first_day, "
        f"row_number() OVER ({group} ORDER BY {alias}.aid, {alias}.start_char) AS nth FROM {table} {alias} "
        f"WHERE {where.sql()}) g WHERE g.nth = 1 ORDER BY g.first_day NULLS LAST, g.aid, g.start_char LIMIT :limit",
        {**where.params, "limit": _limit(limit)},
    )
    found = _rows_by_key(store, table, alias, columns, [r["row_key"] for r in page])
    return [{**found[int(r["row_key"])], "copies": r["copies"]} for r in page if int(r["row_key"]) in found]


def _words(
    store: Store, where: _Where, about: str | None, expressions: Sequence[str], prefix: str,
    skip: frozenset[str] = frozenset(),
) -> None:
    """Every word of ``about`` (but those in ``skip``) must occur, case-insensitively, in one of ``expressions``."""
    for i, word in enumerate(w for w in (about or "").split() if w.lower() not in skip):
        key = f"{prefix}{i}"
        where.add("(" + " OR ".join(_contains(store, e, key) for e in expressions) + ")", **{key: _pattern(store, word)})


def _contains(store: Store, expression: str, key: str) -> str:
    """``expression`` contains the bound word ``:key``, case-insensitively.

    PostgreSQL: ``ILIKE`` with an escaped pattern, which its trigram indexes serve. DuckDB: ``strpos``
    on lower-cased text, because its ``ILIKE ... ESCAPE`` takes a slow path (about 25 times slower).
    """
    if store.dialect == "postgres":
        return f"{expression} ILIKE :{key} ESCAPE '\\'"
    return f"strpos(lower({expression}), :{key}) > 0"


def _pattern(store: Store, word: str) -> str:
    """The bound value for ``_contains``: an escaped ILIKE pattern, or the lower-cased word."""
    return _like(word) if store.dialect == "postgres" else word.lower()


_MAX_EQUALITIES = 8
"""Up to this many ids, ``x = ANY(list)`` is written as ``x = :k0 OR x = :k1 ...``: DuckDB answers
equalities with a constant from its ART indexes, a list membership with a scan."""


def _any(store: Store, expression: str, key: str, values: Sequence[Any]) -> str:
    """``expression`` equals one of ``values`` (bound as ``:key``, or ``:key0``... for DuckDB, and
    for PostgreSQL when there is one value: its index then gives rows in the order asked, which it
    does not for ``= ANY``)."""
    if 0 < len(values) <= (_MAX_EQUALITIES if store.dialect == "duckdb" else 1):
        return "(" + " OR ".join(f"{expression} = :{key}{i}" for i in range(len(values))) + ")"
    return f"{expression} = ANY(:{key})"


def _any_params(key: str, values: Sequence[Any]) -> dict[str, Any]:
    """The ``:key0``... values ``_any`` may use (unused ones are ignored)."""
    return {f"{key}{i}": v for i, v in enumerate(values[:_MAX_EQUALITIES])}


_MAX_INTERSECT = 16
"""Up to this many words, ``_holding`` intersects one subquery per word; more (a pasted paragraph),
and it counts the words of each id in one grouped subquery, since DuckDB refuses a chain of 500
``INTERSECT`` s (a parser error) and 1,500 (expression depth)."""


def _holding(found: Sequence[str], key: str) -> str:
    """SQL for the ids in ``word_index`` holding every word of ``found`` (bound as ``:key0``...).

    A term's ids lie in one row per write batch and a row id is written in one batch, so an id held
    by every word has ``len(found)`` distinct terms.
    """
    if len(found) <= _MAX_INTERSECT:
        return " INTERSECT ".join(f"SELECT unnest(ids) FROM word_index WHERE term = :{key}{i}" for i in range(len(found)))
    terms = ", ".join(f":{key}{i}" for i in range(len(found)))
    return (f"SELECT u.k FROM (SELECT term, unnest(ids) AS k FROM word_index WHERE term IN ({terms})) u "
            f"GROUP BY u.k HAVING count(DISTINCT u.term) = {len(found):d}")


def _term_params(prefix: str, found: Sequence[str], key: str) -> dict[str, str]:
    return {f"{key}{i}": prefix + w for i, w in enumerate(found)}


_LOOKUP_FACTOR = 2.0
"""See ``_Where.source``. Measured at 100k articles (PostgreSQL 15, default settings, on every word of
the bench's lists): reading all matches and sorting them costs about 3-30 us per match (a heap page
each), so a page of 100 of 0.9M quantities took at most 88 ms that way (18k matches), while walking
took up to 2 s for words whose rows lie together in date order; for quotes since a date, the best of
the two plans per word had a p95 of 16 ms, the lookup alone 22 ms (up to 290 ms for 70k matches), the
walk alone 86 ms."""

_FEW_IDS = 5000
"""Up to this many facts hold the words: they are fetched by id (index lookups); more, and the
word lookup stays a subquery the database joins while it scans in result order."""


def _indexed_words(
    store: Store, where: _Where, about: str | None, prefix: str, alias: str, expressions: Sequence[str],
    skip: frozenset[str] = frozenset(),
) -> bool:
    """Every word of ``about`` (but those in ``skip``) must be a word of the fact (``alias``'s row),
    as the word index holds it; ``about`` without letters or digits ("%") is matched as written in
    ``expressions`` instead.

    PostgreSQL: the row's ``words`` column must contain them all (its GIN index finds the rows;
    ``_Where.source`` chooses between reading those and walking the page's order). DuckDB: the
    ``word_index`` (terms ``prefix``...); the rarest word decides the plan: held by at most
    ``_FEW_IDS`` facts, those are read by id and the other words checked on them; otherwise every
    word stays a subquery joined while scanning.

    Returns:
        False when no fact can match (the caller answers ``[]`` without asking).
    """
    found = [w for w in words.query_words(about) if w not in skip]
    if not found:
        if about and about.strip():
            _words(store, where, about, expressions, "about", skip=skip)
        return True
    if store.dialect == "postgres":
        where.words = f"{alias}.words @> :tw_words::text[]"
        where.add(where.words, tw_words=found)
        return True
    key = f"{alias}.row_key"
    looked = []
    for word in found:
        n, ids = _term_ids(store, prefix + word)
        if not n:
            return False
        looked.append((n, word, ids))
    looked.sort(key=lambda t: t[0])
    if looked[0][2] is None:  # even the rarest word is frequent (DuckDB): join them all while scanning
        where.add(f"{key} IN ({_holding(found, 'tw')})", **_term_params(prefix, found, "tw"))
        return True
    held: set[int] = set(looked[0][2] or ())
    others = []
    for _, word, ids in looked[1:]:
        if ids is None:
            others.append(word)
        else:
            held &= set(ids)
    if not held:
        return False
    where.add(f"{key} = ANY(:tw_keys)", tw_keys=sorted(held))
    if others:
        where.add(f"{key} IN ({_holding(others, 'tx')})", **_term_params(prefix, others, "tx"))
    return True


def _term_ids(store: Store, term: str) -> tuple[int, list[int] | None]:
    """How many ids ``word_index`` holds for ``term`` (DuckDB), and the ids themselves when at most
    ``_FEW_IDS`` (one index lookup)."""
    row = store.fetch(
        "SELECT sum(len(ids)) AS n, CASE WHEN sum(len(ids)) <= :few THEN flatten(list(ids)) END AS ids "
        "FROM word_index WHERE term = :t",
        {"t": term, "few": _FEW_IDS},
    )
    n = int(row[0]["n"] or 0) if row else 0
    return n, (row[0]["ids"] if n else None)


def entity_ids(store: Store, name: str) -> list[str]:
    """The ids of entities whose id, name or an alias is ``name`` (case-insensitive).

    Returns:
        ``["person:jane-doe"]``; several ids when a name is shared (a person and an org).
    """
    rows = store.fetch(
        "SELECT id FROM entities WHERE id = :q OR lower(name) = lower(:q) "
        "UNION SELECT entity_id AS id FROM entity_aliases WHERE lower(alias) = lower(:q)",
        {"q": name},
    )
    return sorted(r["id"] for r in rows)


def _who(where: _Where, store: Store, name: str | None, entity_col: str, text_col: str, key: str) -> None:
    """Filter on a speaker/source given by name, id or alias (its entities); a name no entity has
    matches the mention as written (a speaker the entity extractor did not resolve)."""
    if not name:
        return
    ids = entity_ids(store, name)
    if ids:
        where.add(_any(store, entity_col, f"{key}_ids", ids), **{f"{key}_ids": ids}, **_any_params(f"{key}_ids", ids))
    else:
        where.add(f"lower({text_col}) = lower(:{key})", **{key: name})


# -- questions -------------------------------------------------------------------------------------
def overview(store: Store) -> dict[str, Any]:
    """Counts of everything in the store.

    Returns:
        ``{"articles": 1200, "stories": 1100, "entities": 5400, "quotes": 3100, "claims": 2000,
        "quantities": 4100, "timexes": 6000, "events": 7000, "failures": 3, "schema_version": 1}``
    """
    row = store.fetch(
        "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(DISTINCT story) FROM articles) AS stories, "
        "(SELECT count(*) FROM entities) AS entities, (SELECT count(*) FROM quotes) AS quotes, "
        "(SELECT count(*) FROM claims) AS claims, (SELECT count(*) FROM quantities) AS quantities, "
        "(SELECT count(*) FROM timexes) AS timexes, (SELECT count(*) FROM events) AS events, "
        "(SELECT count(*) FROM failures) AS failures"
    )[0]
    counts = {k: int(v) for k, v in row.items()}
    counts["schema_version"] = store.schema_version
    return counts


def quotes(
    store: Store, *, speaker: str | None = None, about: str | None = None, since: str | None = None,
    until: str | None = None, publisher: str | None = None, limit: int = DEFAULT_LIMIT,
) -> list[dict[str, Any]]:
    """Quotations, once per story, in date order.

    Args:
        speaker: the speaker's name, alias or entity id ("Jane Doe", "person:jane-doe").
        about: words that must all occur in the quotation (whole words; as written with ``publisher``).
        since, until: publication dates (inclusive, ``YYYY-MM-DD``).
        publisher: the article's source (site or outlet), exact and case-insensitive.
        limit: most rows returned.

    Returns:
        ``[{"text": "We are not leaving ...", "kind": "direct", "speaker": "Jane Doe",
        "speaker_entity": "person:jane-doe", "speaker_text": "Doe", "cue": "told", "when": "2021-12-09",
        "article": "<sha256>", "doc_id", "url", "title", "publisher", "published", "day": "2021-12-09",
        "story": 17, "copies": 3, "span": [120, 210], "sentence": [100, 230], "parts": [[121, 209]],
        "said": "We are not leaving ..."}]``; ``said`` is the quotation as a reader should see it (a
        split quote's stretches joined by " … ", without the attribution between them).
    """
    rows = _attributions(store, "quotes", "q", "speaker", who=speaker, about=about, since=since, until=until,
                         publisher=publisher, limit=limit)
    return [_with_said(row) for row in rows]


def _with_said(row: dict[str, Any]) -> dict[str, Any]:
    """A quote row with its ``parts`` as offset pairs and ``said``, the quotation without narration."""
    parts = json.loads(row["parts"])  # the stored JSON text, [[start, end], ...]
    return {**row, "parts": parts, "said": said_text(row["kind"], row["text"], row["span"][0], parts)}


def claims(
    store: Store, *, source: str | None = None, about: str | None = None, since: str | None = None,
    until: str | None = None, publisher: str | None = None, limit: int = DEFAULT_LIMIT,
) -> list[dict[str, Any]]:
    """Attributed claims ("according to the Washington Post, ..."), once per story, in date order.

    Args:
        source: who the claim is attributed to (name, alias or entity id).
        about: words that must all occur in the claim (whole words; as written with ``publisher``).
        since, until: publication dates (inclusive).
        publisher: the article's source (site or outlet).
        limit: most rows returned.

    Returns:
        ``[{"text": "ISIS had already captured ...", "kind": "according_to", "source": "Washington Post",
        "source_entity": "org:washington-post", "source_text": "the Washington Post", "cue": "according to",
        "when": null, "article", "doc_id", "url", "title", "publisher", "published", "day", "story",
        "copies": 1, "span": [s, e], "sentence": [s, e]}]``
    """
    return _attributions(store, "claims", "c", "source", who=source, about=about, since=since, until=until,
                         publisher=publisher, limit=limit)


_ATTRIBUTION_COLUMNS = {
    ("q", "speaker"): "q.aid AS aid, q.text AS text, q.kind AS kind, q.speaker_entity AS speaker_entity, "
    "q.speaker_text AS speaker_text, q.cue_text AS cue, q.when_value AS \"when\", q.day AS day, q.story AS story, "
    "q.start_char AS start_char, q.end_char AS end_char, q.sent_start AS sent_start, q.sent_end AS sent_end, "
    "q.parts AS parts",
    ("c", "source"): "c.aid AS aid, c.text AS text, c.kind AS kind, c.source_entity AS source_entity, "
    "c.source_text AS source_text, c.cue_text AS cue, c.when_value AS \"when\", c.day AS day, c.story AS story, "
    "c.start_char AS start_char, c.end_char AS end_char, c.sent_start AS sent_start, c.sent_end AS sent_end",
}
"""The select list of ``quotes`` (alias q, attributed to a speaker) and ``claims`` (alias c, a source)."""


def _attributions(
    store: Store, table: str, alias: str, role: str, *, who: str | None, about: str | None, since: str | None,
    until: str | None, publisher: str | None, limit: int,
) -> list[dict[str, Any]]:
    """Quotes or claims filtered by who said it, words, dates and publisher, once per story."""
    where = _Where()
    _who(where, store, who, f"{alias}.{role}_entity", f"{alias}.{role}_text", role)
    columns = _ATTRIBUTION_COLUMNS[(alias, role)]
    if publisher:  # a filter on each copy's own article: group the matching copies (words as written)
        _words(store, where, about, (f"{alias}.text",), "about")
        _dates(where, since, until, alias)
        _publisher(where, publisher, alias)
        rows = _grouped_by_story(store, table, columns, alias, where, limit)
    else:  # story rows, found by their words; a story is in the date range when its earliest copy is
        if not _indexed_words(store, where, about, f"{alias}:", alias, (f"{alias}.text",)):
            return []
        _dates(where, since, until, alias, column="story_day")
        rows = _once_per_story(store, table, columns, alias, where, limit)
    return _finish(store, rows, who=role)


def numbers(
    store: Store, *, about: str | None = None, source: str | None = None, since: str | None = None,
    until: str | None = None, limit: int = DEFAULT_LIMIT, sentences: bool = False,
) -> list[dict[str, Any]]:
    """How a number was reported over time and by whom: quantities in date order, with evidence.

    Args:
        about: words that must each occur in what the number counts or in its unit
            ("troops in Iraq"; little words such as "in" are ignored).
        source: who reported it (entity name, alias or id), or the publisher.
        since, until: publication dates (inclusive).
        limit: most rows returned.
        sentences: add ``sentence_text``, the evidence sentence itself (reads the articles' texts,
            so it costs a scan of the text column; the span alone is enough to link to it).

    Returns:
        ``[{"value": 2500.0, "low": 2500.0, "high": 2500.0, "is_range": false, "unit": null,
        "change": "~", "counts": "U.S. troops in Iraq", "text": "about 2,500", "when": "2021-12-09",
        "source": "Jane Doe", "source_entity": "person:jane-doe", "article", "doc_id", "url",
        "title", "publisher": "Washington Post", "published", "day", "story",
        "span": [s, e], "sentence": [s, e], "sentence_text": "The numbers are ..." (with sentences=True)}]``
    """
    where = _Where()
    if not _indexed_words(store, where, about, "n:", "n", ("n.counts_text", "n.unit"), skip=_STOPWORDS):
        return []
    _dates(where, since, until, "n")
    if source:
        ids = entity_ids(store, source)
        where.add(
            "(n.source_entity = ANY(:source_ids) OR n.aid IN (SELECT aid FROM articles WHERE lower(source) = lower(:source)))",
            source_ids=ids, source=source,
        )
    source, condition = where.source(store, "quantities", "n", limit)
    page = store.fetch(
        f"SELECT n.row_key AS row_key FROM {source} WHERE {condition} "
        "ORDER BY coalesce(n.when_value, n.day) NULLS LAST, n.aid, n.start_char LIMIT :limit",
        {**where.params, "limit": _limit(limit)},
    )
    rows = _by_row_key(
        store, "quantities", "n",
        "n.aid AS aid, n.value AS value, n.value_low AS low, n.value_high AS high, n.is_range AS is_range, "
        "n.unit AS unit, n.normalized_unit AS normalized_unit, n.change AS change, n.counts_text AS counts, n.text AS text, "
        "coalesce(n.when_value, n.day) AS \"when\", n.source_entity AS source_entity, n.day AS day, n.story AS story, "
        "n.start_char AS start_char, n.end_char AS end_char, n.sent_start AS sent_start, n.sent_end AS sent_end",
        [r["row_key"] for r in page],
    )
    return _finish(store, rows, who="source", sentences=sentences)


_STOPWORDS = frozenset({"a", "an", "the", "in", "of", "on", "at", "to", "for", "and", "or", "by", "with"})


def timeline(store: Store, entity: str, *, limit: int = 500) -> list[dict[str, Any]]:
    """An entity's events and quotes in date order (a quote once per story).

    Args:
        entity: entity id, name or alias.
        limit: most rows returned.

    Returns:
        ``[{"date": "2021-12-09", "kind": "event" | "quote", "text": "ended its combat mission",
        "trigger": "ended" (events) | cue (quotes), "said": a quote as a reader should see it (see
        ``quotes``; None for events), "article", "doc_id", "url", "title", "publisher", "published", "day",
        "story", "span": [s, e], "sentence": [s, e]}]``; ``[]`` for an unknown entity.
    """
    ids = entity_ids(store, entity)
    if not ids:
        return []
    limit = _limit(limit)
    # participant rows carry what a timeline shows of their event (schema version 3): no join. Both
    # pages are chosen and merged on narrow columns; only the rows shown are then read in full.
    events = store.fetch(
        "SELECT p.row_key AS row_key, p.date AS date, p.aid AS aid, p.start_char AS start_char, 'event' AS kind "
        f"FROM event_participants p WHERE {_any(store, 'p.entity_id', 'ids', ids)} "
        "ORDER BY p.date NULLS LAST, p.aid, p.start_char LIMIT :limit",
        {"ids": ids, "limit": limit, **_any_params("ids", ids)},
    )
    where = _Where()
    where.add(_any(store, "q.speaker_entity", "ids", ids), ids=ids, **_any_params("ids", ids))
    quoted = _story_page(store, "quotes", "q", where, limit, extra=", coalesce(q.when_value, q.day) AS date, "
                         "q.aid AS aid, q.start_char AS start_char, 'quote' AS kind")
    shown = sorted(events + quoted, key=lambda r: (r["date"] is None, r["date"] or "", r["aid"], r["start_char"]))[:limit]
    full = {  # the rest of each row (what the page query read is not read again)
        "event": _rows_by_key(
            store, "event_participants", "p", "p.text AS text, p.trigger AS trigger, p.day AS day, p.story AS story, "
            "p.end_char AS end_char, p.sent_start AS sent_start, p.sent_end AS sent_end",
            [r["row_key"] for r in shown if r["kind"] == "event"],
        ),
        "quote": _rows_by_key(
            store, "quotes", "q", "q.text AS text, q.cue_text AS trigger, q.day AS day, q.story AS story, "
            "q.end_char AS end_char, q.sent_start AS sent_start, q.sent_end AS sent_end, q.kind AS quote_kind, "
            "q.parts AS parts",
            [r["row_key"] for r in shown if r["kind"] == "quote"],
        ),
    }
    rows = []
    for r in shown:
        rest = full[r["kind"]].get(int(r.pop("row_key")))
        if rest is not None:
            said = (said_text(rest["quote_kind"], rest["text"], r["start_char"], json.loads(rest["parts"]))
                    if r["kind"] == "quote" else None)
            rows.append({"aid": r["aid"], "date": r["date"], "kind": r["kind"], "text": rest["text"], "said": said,
                         "trigger": rest["trigger"], "day": rest["day"], "story": rest["story"],
                         "start_char": r["start_char"], **{k: rest[k] for k in ("end_char", "sent_start", "sent_end")}})
    return _finish(store, rows)


def entities(store: Store, *, top: int = 50, type: str | None = None) -> list[dict[str, Any]]:
    """The most mentioned entities across the corpus.

    Args:
        top: how many.
        type: only this type (PERSON, ORG, GPE, LOC, NORP, FAC), case-insensitive.

    Returns:
        ``[{"id": "person:jane-doe", "name": "Jane Doe", "type": "PERSON", "articles": 12, "mentions": 40}]``
    """
    where = _Where()
    if type:
        where.add("type = upper(:type)", type=type)
    rows = store.fetch(
        "SELECT id, name, type, n_articles AS articles, n_mentions AS mentions FROM entities "
        f"WHERE {where.sql()} ORDER BY n_articles DESC, n_mentions DESC, id LIMIT :top",
        {**where.params, "top": _limit(top, "top")},
    )
    return [_json_ready(r) for r in rows]


def entity(store: Store, entity_id: str) -> dict[str, Any] | None:
    """One entity with its names and counts, or ``None``.

    Args:
        entity_id: an entity id ("person:jane-doe"), or a name or alias.

    Returns:
        ``{"id": "person:jane-doe", "name": "Jane Doe", "type": "PERSON", "aliases": ["Doe"],
        "titles": ["Pentagon press secretary"], "articles": 12, "mentions": 40, "quotes": 9, "claims": 2}``
    """
    ids = [entity_id] if store.fetch("SELECT id FROM entities WHERE id = :id", {"id": entity_id}) else entity_ids(store, entity_id)
    if not ids:
        return None
    key = ids[0]
    row = store.fetch(
        "SELECT id, name, type, n_articles AS articles, n_mentions AS mentions, n_quotes AS quotes, n_claims AS claims "
        "FROM entities WHERE id = :id",
        {"id": key},
    )[0]
    aliases = [r["alias"] for r in store.fetch("SELECT alias FROM entity_aliases WHERE entity_id = :id ORDER BY alias", {"id": key})]
    titles = [r["title"] for r in store.fetch("SELECT title FROM entity_titles WHERE entity_id = :id ORDER BY title", {"id": key})]
    result = _json_ready(row)
    result["aliases"] = [a for a in aliases if a != row["name"]]
    result["titles"] = titles
    return result


def _article_row(store: Store, article_id: str) -> dict[str, Any] | None:
    """The stored article named by sha256, a unique sha256 prefix (8+ hex digits), doc id or url (latest version)."""
    key = str(article_id).strip()
    rows = store.fetch("SELECT * FROM articles WHERE sha256 = :k", {"k": key})
    if not rows and len(key) >= 8 and all(c in "0123456789abcdef" for c in key.lower()):
        rows = store.fetch("SELECT * FROM articles WHERE sha256 LIKE :p LIMIT 2", {"p": key.lower() + "%"})
        rows = rows if len(rows) == 1 else []
    if not rows:
        rows = store.fetch(
            "SELECT * FROM articles WHERE doc_id = :k OR url = :k ORDER BY version DESC, aid DESC LIMIT 1", {"k": key}
        )
    return rows[0] if rows else None


def article(store: Store, article_id: str) -> ArticleFacts | None:
    """The full stored record of one article, rebuilt from the tables, or ``None``.

    Args:
        article_id: the sha256 (or a unique prefix of 8+ hex digits), the input id, or the url.

    Returns:
        The same ``ArticleFacts`` that was written (``.to_json()`` for the contract's JSON).
    """
    row = _article_row(store, article_id)
    if row is None:
        return None
    params = {"aid": row["aid"]}
    tables = {
        "article_entities": store.fetch("SELECT * FROM article_entities WHERE aid = :aid ORDER BY ord", params),
        "mentions": store.fetch("SELECT * FROM mentions WHERE aid = :aid ORDER BY entity_id, ord", params),
    }
    for table in schema.FACT_TABLES:
        tables[table] = store.fetch(f"SELECT * FROM {table} WHERE aid = :aid ORDER BY ord", params)
    return schema.rebuild(row, tables)


def article_meta(store: Store, article_id: str) -> dict[str, Any] | None:
    """Where an article sits in the corpus: its versions and story, or ``None``.

    Returns:
        ``{"article": "<sha256>", "doc_id", "url", "title", "publisher", "published", "day", "story": 17,
        "version": 2, "versions": [{"article", "version", "ingested_at"}], "copies": [{"article", "url",
        "publisher", "published"}], "ingested_at"}``
    """
    row = _article_row(store, article_id)
    if row is None:
        return None
    versions = store.fetch(
        "SELECT sha256 AS article, version, ingested_at FROM articles WHERE url = :url ORDER BY version", {"url": row["url"]}
    ) if row["url"] else []
    copies = store.fetch(
        "SELECT sha256 AS article, url, source AS publisher, published FROM articles WHERE story = :story AND aid <> :aid "
        "ORDER BY day NULLS LAST, aid LIMIT 100",
        {"story": row["story"], "aid": row["aid"]},
    )
    return _json_ready({
        "article": row["sha256"], "doc_id": row["doc_id"], "url": row["url"], "title": row["title"],
        "publisher": row["source"], "published": row["published"], "day": row["day"], "story": row["story"],
        "version": row["version"], "versions": [_json_ready(v) for v in versions],
        "copies": [_json_ready(c) for c in copies], "ingested_at": row["ingested_at"],
    })


def search(
    store: Store, q: str, *, speaker: str | None = None, source: str | None = None, since: str | None = None,
    until: str | None = None, kinds: Sequence[str] = SEARCH_KINDS, limit: int = 50,
) -> list[dict[str, Any]]:
    """Quotes, claims and articles containing all words of ``q``, at most ``limit`` of each kind.

    Args:
        q: words to find, case-insensitive, as whole words (runs of letters and digits, so ``2,000``
            matches ``2,000-2,500`` but ``troop`` not ``troops``), looked up in the word index.
        speaker: only quotes by this speaker (skips claims and articles).
        source: only claims from this source (skips quotes and articles).
        since, until: publication dates (inclusive).
        kinds: which of ``quotes``, ``claims``, ``articles`` to search.

    Returns:
        ``[{"kind": "quote", "subkind": "direct", ...quotes() row}, {"kind": "claim", "subkind": ..., ...claims() row},
        {"kind": "article", "article", "doc_id", "url", "title", "publisher", "published", "day", "story"}]``
    """
    unknown = [k for k in kinds if k not in SEARCH_KINDS]
    if unknown:
        raise BadOption(name="kinds", value=unknown, reason=f"expected some of {', '.join(SEARCH_KINDS)}")
    results: list[dict[str, Any]] = []
    if "quotes" in kinds and not source:
        results += [{**r, "kind": "quote", "subkind": r["kind"]} for r in quotes(store, speaker=speaker, about=q, since=since, until=until, limit=limit)]
    if "claims" in kinds and not speaker:
        results += [{**r, "kind": "claim", "subkind": r["kind"]} for r in claims(store, source=source, about=q, since=since, until=until, limit=limit)]
    if "articles" in kinds and not speaker and not source:
        results += [{"kind": "article", **r} for r in _articles_with_words(store, q, since=since, until=until, limit=limit)]
    return results


def _articles_with_words(store: Store, q: str, *, since: str | None, until: str | None, limit: int) -> list[dict[str, Any]]:
    """Articles whose title or text has every word of ``q`` (whole words, case-insensitive), newest
    first, found in the word index rather than by scanning the texts."""
    found = words.query_words(q)
    if not found:
        return []
    where = _Where()
    _dates(where, since, until)
    if store.dialect == "postgres":
        where.words = "a.words @> :aw_words::text[]"
        where.add(where.words, aw_words=found)
    else:
        where.add(f"a.aid IN ({_holding(found, 'aw')})", **_term_params("a:", found, "aw"))
    source, condition = where.source(store, "articles", "a", limit)
    rows = store.fetch(
        f"SELECT {_ARTICLE_COLS} FROM {source} WHERE {condition} ORDER BY a.day DESC NULLS LAST, a.aid LIMIT :limit",
        {**where.params, "limit": _limit(limit)},
    )
    return [_json_ready(r) for r in rows]


def failures(store: Store, *, limit: int = 1000) -> list[dict[str, Any]]:
    """Inputs that could not be ingested, most recent first.

    Returns:
        ``[{"item": "feeds/broken.xml", "code": "E111", "message": "[E111] Malformed record in ...",
        "failed_at": "2026-11-25T16:00:00"}]``
    """
    rows = store.fetch(
        "SELECT item, code, message, failed_at FROM failures ORDER BY failed_at DESC, item LIMIT :limit",
        {"limit": _limit(limit)},
    )
    return [_json_ready(r) for r in rows]


def sql(store: Store, query: str, *, limit: int = 1000) -> list[dict[str, Any]]:
    """Rows of one read-only SQL query, for power users (writes and scripts are refused: E404).

    Returns:
        ``[{"column": value, ...}]`` as the query names them (dates as ISO strings).
    """
    return [_json_ready(r) for r in store.sql(query, limit=_limit(limit))]


def export_parquet(store: Store, directory: str) -> list[str]:
    """Write one Parquet file per table into ``directory`` (readable by pandas, polars, DuckDB).

    Returns:
        The written paths: ``["out/articles.parquet", "out/entities.parquet", ...]``.
    """
    return store.export_parquet(directory)
