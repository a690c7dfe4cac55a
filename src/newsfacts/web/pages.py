"""Page functions: each takes the store and the request's parameters and returns plain data.

The route renders that data as HTML or answers it as JSON (the ``.json`` twin), so what a person sees
and what a script reads are the same rows. Data comes only from ``newsfacts.store.queries``; no SQL here.
``db`` is a store, or the app's ``readers.Readers``, which asks a page's independent questions at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..dates import parse_published
from ..errors import BadDate, BadOption
from ..model import ArticleFacts
from .chart import SCALES, Point, timex_date
from .highlight import format_value
from .readers import reads
from .urls import article_url

SEARCH_KINDS = ("quotes", "claims", "articles")
"""What the search can look in."""

DEFAULT_KINDS = ("quotes", "claims")
"""What it looks in unless asked: article text is one tick away. It is answered from the word index
(whole words), but listing articles beside every quote and claim adds ~100 ms per search at 100k
articles (bench/web.py) and mostly repeats what the quotes already show."""

DEFAULT_LIMIT, MAX_LIMIT = 50, 500
"""Rows per page and kind: 50 reads well; 500 caps what one page renders."""

ENTITY_ROWS = 50
"""Quotes, timeline entries and numbers listed on an entity page unless ``?limit=`` asks for more (up
to ``MAX_LIMIT``): a page a person reads; the page links to more. The store's cost grows with the rows
asked: at 100k articles a busy speaker's quotes took ~170 ms for 200 rows, ~55 ms for 50 (the timeline
~230 vs ~70 ms)."""

NUMBER_ROWS = 500
"""Most values drawn on one number page, earliest first: beyond that a chart is a blur and its table
too long to read; the page says when there are more and offers a date window (since/until)."""

TOP_ENTITIES = 30
"""Entities listed on the overview and entity index by default."""


def _queries() -> Any:
    from ..store import queries

    return queries


def _text(query: Mapping[str, str], name: str) -> str | None:
    value = (query.get(name) or "").strip()
    return value or None


def _date(query: Mapping[str, str], name: str) -> str | None:
    value = _text(query, name)
    if value is None:
        return None
    try:
        return parse_published(value, path=name).isoformat()  # type: ignore[union-attr]
    except BadDate:
        raise BadOption(name=name, value=value, reason="expected a date YYYY-MM-DD") from None


def _count(query: Mapping[str, str], name: str, default: int) -> int:
    """``?name=`` as a whole number from 1 to ``MAX_LIMIT`` (``default`` when absent), else ``BadOption``.

    ASCII digits only: ``str.isdigit`` is also true for ``"²"`` or ``"٣"``, which ``int`` refuses or reads."""
    value = _text(query, name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_LIMIT:
        raise BadOption(name=name, value=value, reason=f"must be a whole number from 1 to {MAX_LIMIT}")
    return int(value)


def _limit(query: Mapping[str, str], default: int = DEFAULT_LIMIT) -> int:
    return _count(query, "limit", default)


@dataclass(frozen=True, slots=True)
class SearchParams:
    """``/search?q=&speaker=&source=&since=&until=&kind=quotes&kind=claims&kind=articles&limit=``."""

    q: str | None = None
    speaker: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None
    kinds: tuple[str, ...] = DEFAULT_KINDS
    limit: int = DEFAULT_LIMIT

    @classmethod
    def from_query(cls, query: Any) -> SearchParams:
        """Parse and check the query string (bad values raise ``BadOption``, answered as 400)."""
        kinds = tuple(query.getlist("kind")) if hasattr(query, "getlist") else ()
        for kind in kinds:
            if kind not in SEARCH_KINDS:
                raise BadOption(name="kind", value=kind, reason=f"expected one of {', '.join(SEARCH_KINDS)}")
        return cls(q=_text(query, "q"), speaker=_text(query, "speaker"), source=_text(query, "source"),
                   since=_date(query, "since"), until=_date(query, "until"), kinds=kinds or DEFAULT_KINDS,
                   limit=_limit(query))

    def as_query(self) -> dict[str, object]:
        """The parameters as they appear in the URL (defaults left out)."""
        return {"q": self.q, "speaker": self.speaker, "source": self.source, "since": self.since,
                "until": self.until, "kind": list(self.kinds) if self.kinds != DEFAULT_KINDS else None,
                "limit": self.limit if self.limit != DEFAULT_LIMIT else None}

    @property
    def empty(self) -> bool:
        """No search term and no filter: the page shows only the form."""
        return not any((self.q, self.speaker, self.source, self.since, self.until))


@dataclass(frozen=True, slots=True)
class NumberParams:
    """``/numbers?about=troops&source=person:jane-doe&since=2021-01-01&until=``: which reported values to chart."""

    about: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None
    scale: str = "auto"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> NumberParams:
        """Parse and check the query string (a bad date or scale raises ``BadOption``, answered as 400)."""
        scale = _text(query, "scale") or "auto"
        if scale not in SCALES:
            raise BadOption(name="scale", value=scale, reason=f"expected one of {', '.join(SCALES)}")
        return cls(about=_text(query, "about"), source=_text(query, "source"), since=_date(query, "since"),
                   until=_date(query, "until"), scale=scale)

    def as_query(self) -> dict[str, object]:
        return {"about": self.about, "source": self.source, "since": self.since, "until": self.until,
                "scale": self.scale if self.scale != "auto" else None}


@dataclass(frozen=True, slots=True)
class EntityParams:
    """``/entities/{id}?limit=50``: how many quotes, timeline entries and numbers to list."""

    limit: int = ENTITY_ROWS

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> EntityParams:
        return cls(limit=_limit(query, ENTITY_ROWS))


@dataclass(frozen=True, slots=True)
class EntityListParams:
    """``/entities?type=PERSON&top=30``."""

    type: str | None = None
    top: int = TOP_ENTITIES

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> EntityListParams:
        kind = _text(query, "type")
        return cls(type=kind.upper() if kind else None, top=_count(query, "top", TOP_ENTITIES))

    def as_query(self) -> dict[str, object]:
        return {"type": self.type, "top": self.top if self.top != TOP_ENTITIES else None}


def overview_page(db: Any) -> dict[str, Any]:
    """Counts of what the store holds and its most mentioned entities."""
    q = _queries()
    overview, top = reads(db).all([q.overview, partial(q.entities, top=12)])
    return {"overview": overview, "entities": top}


def search_page(db: Any, params: SearchParams) -> dict[str, Any]:
    """Quotes, claims and article text matching the query and filters (each kind asked at once, in
    the order ``queries.search`` gives them); ``more`` names the kinds cut at ``params.limit``."""
    if params.empty:
        return {"params": params.as_query(), "results": [], "more": []}
    search = partial(_queries().search, q=params.q or "", speaker=params.speaker, source=params.source,
                     since=params.since, until=params.until, limit=params.limit)
    kinds = [k for k in SEARCH_KINDS if k in params.kinds]
    parts = reads(db).all([partial(search, kinds=(kind,)) for kind in kinds])
    return {"params": params.as_query(), "results": [{**r, "result": _result_kind(r)} for part in parts for r in part],
            "more": [kind for kind, part in zip(kinds, parts) if len(part) >= params.limit]}


def result_groups(results: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Search results by kind (``quote``, ``claim``, ``article``, in that order), leaving out empty kinds:
    one heading each, so a screen reader can jump between them."""
    kinds = ("quote", "claim", "article")
    return [(kind, rows) for kind in kinds if (rows := [r for r in results if r["result"] == kind])]


def _result_kind(row: Mapping[str, Any]) -> str:
    """``quote``, ``claim`` or ``article``: told by the row's fields (a quote row's own ``kind`` is
    its quotation kind, e.g. ``direct``)."""
    if "speaker_entity" in row:
        return "quote"
    if "source_entity" in row:
        return "claim"
    return "article"


def article_page(db: Any, article_id: str) -> ArticleFacts | None:
    """The stored record of one article, or None."""
    return reads(db).one(_queries().article, article_id)


def article_view(db: Any, article_id: str) -> tuple[ArticleFacts, dict[str, Any]] | None:
    """The stored record and where it sits in the corpus (its versions, the other copies of its
    story); None for an unknown article. The second question names the article by its sha256, which
    the store finds by key: half the CPU of finding it again by id or URL (~8 vs ~17 ms at 100k)."""
    q, db = _queries(), reads(db)
    facts = db.one(q.article, article_id)
    if facts is None:
        return None
    meta = db.one(q.article_meta, facts.sha256)
    return None if meta is None else (facts, meta)


def entity_page(db: Any, entity_id: str, params: EntityParams = EntityParams()) -> dict[str, Any] | None:
    """An entity with its quotes over time, its timeline of events and the numbers it reported (the
    three asked at once, ``params.limit`` rows each, earliest first); ``more`` says which lists were cut."""
    q, db = _queries(), reads(db)
    entity = db.one(q.entity, entity_id)
    if entity is None:
        return None
    key, limit = entity["id"], params.limit
    quotes, timeline, numbers = db.all([partial(q.quotes, speaker=key, limit=limit),
                                        partial(q.timeline, entity=key, limit=limit),
                                        partial(q.numbers, source=key, limit=limit)])
    quotes = sorted(quotes, key=lambda r: str(r.get("when") or r.get("day") or "9999"))  # read in the dates shown
    lists = {"quotes": quotes, "timeline": timeline, "numbers": numbers}
    return {"entity": entity, **lists, "limit": limit,
            "more": {name: len(rows) >= limit for name, rows in lists.items()}}


def entities_page(db: Any, params: EntityListParams) -> dict[str, Any]:
    """The most mentioned entities, optionally of one type."""
    return {"params": params.as_query(),
            "entities": reads(db).one(_queries().entities, top=params.top, type=params.type)}


def number_page(db: Any, params: NumberParams) -> dict[str, Any]:
    """The values reported about a thing, grouped by unit (one chart per unit), oldest first; ``more``
    when the store holds more than the ``NUMBER_ROWS`` earliest shown.

    Each row shows the number as written and what it counts, and links to its sentence; the sentence
    itself is not read here (``queries.numbers(sentences=True)`` reads every row's whole article text,
    ~50 ms for a full chart at 100k articles)."""
    if not params.about and not params.source:
        return {"params": params.as_query(), "groups": []}
    found = reads(db).one(_queries().numbers, about=params.about, source=params.source, since=params.since,
                          until=params.until, limit=NUMBER_ROWS)
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for row in once_per_story(found):
        groups.setdefault(row.get("unit"), []).append(row)
    return {"params": params.as_query(), "limit": NUMBER_ROWS, "more": len(found) >= NUMBER_ROWS,
            "groups": [{"unit": unit, "rows": sorted(rs, key=_row_date)} for unit, rs in groups.items()]}


def once_per_story(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Number rows with syndicated copies collapsed: one row per story, value, time, source and
    wording, carrying ``copies`` (as ``queries.quotes`` does for quotes), so a wire story printed by
    forty outlets is one point on the chart, not forty on top of each other."""
    kept: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = (row.get("story"), row.get("text"), row.get("low"), row.get("high"), row.get("value"), row.get("unit"),
               row.get("when"), row.get("source_entity"))
        if key in kept:
            kept[key]["copies"] += 1
        else:
            kept[key] = {**row, "copies": 1}
    return list(kept.values())


def failures_page(db: Any) -> dict[str, Any]:
    """Inputs that could not be read or extracted, with their one-line messages."""
    return {"failures": reads(db).one(_queries().failures)}


def _row_date(row: Mapping[str, Any]) -> dt.date:
    """When a reported number applies: its own time, else the article's publication date."""
    return timex_date(row.get("when")) or timex_date(str(row.get("published") or "")) or dt.date.min


def series_name(row: Mapping[str, Any]) -> str:
    """Who a number is attributed to: the source entity, else the publisher, else "unattributed"."""
    if row.get("source"):
        return str(row["source"])
    if row.get("publisher"):
        return f"{row['publisher']} (publisher)"
    return "unattributed"


def chart_points(rows: list[Mapping[str, Any]]) -> list[Point]:
    """Chart points for ``queries.numbers`` rows: dated, valued, by source, linking to their sentence."""
    points = []
    for row in rows:
        when = _row_date(row)
        if when == dt.date.min or row.get("value") is None:
            continue
        low = float(row["low"] if row.get("low") is not None else row["value"])
        high = float(row["high"] if row.get("high") is not None else row["value"])
        value: float | tuple[float, float] = (low, high) if high != low else low
        sentence = row.get("sentence") or row.get("span")
        written = f"“{row['text']}”" if row.get("text") else ""
        counts = f" {row['counts']}" if row.get("counts") else ""
        label = (f"{format_value(value)}{' ' + row['unit'] if row.get('unit') else ''} · {series_name(row)} · "
                 f"{row.get('when') or when.isoformat()} · {written}{counts}")
        points.append(Point(when=when, low=low, high=high, series=series_name(row),
                            href=article_url(str(row["article"]), sentence=sentence[0] if sentence else None),
                            label=label))
    return points


def chart_title(params: NumberParams, unit: str | None) -> str:
    """``Reported values of "troops" (km2) over time, by source``."""
    what = f'"{params.about}"' if params.about else "numbers"
    by = f" from {params.source}" if params.source else ", by source"
    return f"Reported values of {what}{f' ({unit})' if unit else ''} over time{by}"
