"""What an extractor receives besides the Doc: the article and the facts found before it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
        best: tuple[int, Entity] | None = None
        for entity in self.entities:
            for s, e in entity.mentions:
                if s < end and start < e:
                    size = e - s
                    if best is None or size < best[0]:
                        best = (size, entity)
        return best[1] if best else None

    def when_at(self, start: int, end: int) -> str | None:
        """The time of a stretch of text: the first DATE/TIME timex inside it, else the publication date.

        Quotes, claims and quantities take their ``when`` from here, with their sentence's span.
        """
        for timex in self.timexes:
            if start <= timex.span[0] and timex.span[1] <= end and timex.type in ("DATE", "TIME"):
                return timex.value
        return self.published.isoformat() if self.published else None

