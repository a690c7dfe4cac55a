"""What an extractor receives besides the Doc: the article and the facts found before it."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..model import Article, Claim, Entity, Event, Quantity, Quote, Timex


@dataclass(frozen=True, slots=True)
class Context:
    """The article and the upstream facts, passed explicitly (never shared mutable state).

    ``pipeline.extract_doc`` builds a new Context after each extractor with
    ``dataclasses.replace(ctx, **{GIVES: facts})``.
    """

    article: Article
    published: dt.date | None = None
    entities: tuple[Entity, ...] = ()
    timexes: tuple[Timex, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    events: tuple[Event, ...] = ()
    _mentions: tuple[tuple[int, int, int, Entity], ...] = field(init=False, repr=False, compare=False)
    _mention_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _longest_mention: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Mentions sorted by start, so entity_at bisects instead of scanning every mention
        # (events ask once per participant token). Rebuilt by dataclasses.replace, like any field.
        mentions = tuple(sorted(
            ((s, e, rank, entity) for rank, entity in enumerate(self.entities) for s, e in entity.mentions), key=lambda m: m[:3],
        ))
        object.__setattr__(self, "_mentions", mentions)
        object.__setattr__(self, "_mention_starts", tuple(m[0] for m in mentions))
        object.__setattr__(self, "_longest_mention", max((m[1] - m[0] for m in mentions), default=0))

    def text_of(self, doc: Doc) -> str:
        """The Doc's text, taken from the article when the Doc was parsed from it.

        ``Doc.text`` joins every token on each access (milliseconds on a long article), and extractors
        need the text several times per article; the article's string is the same one for free.
        """
        if not len(doc):
            return doc.text
        last = doc[-1]
        text = self.article.text
        if len(text) == last.idx + len(last.text_with_ws) and text.startswith(last.text, last.idx):
            return text
        return doc.text

    def entity_at(self, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping ``[start, end)``, preferring the tightest mention."""
        lo = bisect.bisect_left(self._mention_starts, start - self._longest_mention)
        hi = bisect.bisect_left(self._mention_starts, end)
        best: tuple[int, int, Entity] | None = None  # (size, entity rank): the tightest, then the earliest entity
        for s, e, rank, entity in self._mentions[lo:hi]:
            if start < e and (best is None or (e - s, rank) < best[:2]):
                best = (e - s, rank, entity)
        return best[2] if best else None

    def when_at(self, start: int, end: int) -> str | None:
        """The time of a stretch of text: the first DATE/TIME timex inside it, else the publication date.

        Quotes, claims and quantities take their ``when`` from here, with their sentence's span.
        """
        for timex in self.timexes:
            if start <= timex.span[0] and timex.span[1] <= end and timex.type in ("DATE", "TIME"):
                return timex.value
        return self.published.isoformat() if self.published else None

