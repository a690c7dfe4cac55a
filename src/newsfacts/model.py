"""The fact types: what newsfacts extracts, as frozen data with one stable JSON form.

Every fact carries ``span`` (character offsets into ``Article.text``, Python ``str`` indices) and
``text`` (exactly ``article.text[start:end]``), plus ``sentence``: the span of the sentence that is
its evidence. Field names follow the output contract in DESIGN.md; the JSON Schema shipped in
``newsfacts/schema.json`` is generated from these classes (``python -m newsfacts.model``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from pydantic import TypeAdapter

Offsets = tuple[int, int]
"""A character span ``(start, end)`` into the article text; JSON ``[start, end]``."""

QuoteKind = Literal["direct", "split", "mixed", "indirect"]
ClaimKind = Literal["according_to", "reported", "belief", "intention", "statement", "other"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Change = Literal["=", "~", ">", "<", ">=", "<=", "up", "down"]


@dataclass(frozen=True, slots=True)
class Article:
    """One input article: its text and what is known about it.

    ``id`` is the input's name for it (a file path, a JSONL ``id``, a URL); ``sha256`` is the digest
    of ``text`` and is what the store deduplicates on. ``published`` is an ISO date or datetime.
    """

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    language: str | None = None
    sha256: str = ""

    def __post_init__(self) -> None:
        if not self.sha256:
            object.__setattr__(self, "sha256", text_sha256(self.text))


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 text: the article's identity in the store."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of article text: a cue ("said"), an addressee ("reporters"), a channel."""

    span: Offsets
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A mention as written in the article ("he", "the press secretary") and the entity it names."""

    span: Offsets
    text: str
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organization or place, clustered over the article.

    ``id`` is a stable key across articles (same person, same id; see ``extract.entities``).
    ``mentions`` lists every span that names it, pronouns and role nouns included.
    """

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    mentions: tuple[Offsets, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: ``span`` covers first part start to last part end, ``parts`` each quoted stretch."""

    span: Offsets
    text: str
    parts: tuple[Offsets, ...]
    kind: QuoteKind
    speaker: Mention | None = None
    cue: Span | None = None
    addressee: Span | None = None
    channel: Span | None = None
    when: str | None = None
    sentence: Offsets | None = None

    @property
    def said(self) -> str:
        """What was said, for display: see ``said_text``."""
        return said_text(self.kind, self.text, self.span[0], self.parts)


def said_text(kind: str, text: str, start: int, parts: Sequence[Sequence[int]]) -> str:
    """A quotation as a reader should see it, without the narration inside its span.

    A direct or split quote shows only its quoted stretches, joined by " … " (a split quote's span
    also covers the attribution between them: "X," she said. "Y."); a mixed or indirect quote shows
    its text, whose quotation marks (if any) already say which words are the speaker's (a mixed
    quote's span stops before its closing mark, which is added back).

    Args:
        kind: the quote's kind; text: its text; start: its span's start; parts: its quoted stretches.

    Example: ``said_text("split", '"We stay," she said. "For now."', 0, [(1, 8), (22, 30)])`` is
    ``'We stay … For now.'``.
    """
    if kind == "mixed":  # its last quoted stretch ends at the span's end, before the closing mark
        shown = text.rstrip(" ,;:")
        if shown.count("“") > shown.count("”"):
            return shown + "”"
        return shown + '"' if shown.count('"') % 2 else shown
    if kind not in {"direct", "split"} or not parts:
        return text
    pieces = (text[max(0, s - start) : max(0, e - start)].strip().rstrip(",;:") for s, e in parts)
    return " … ".join(p for p in pieces if p) or text


@dataclass(frozen=True, slots=True)
class Claim:
    """Content stated on someone's authority ("according to the Washington Post, ...")."""

    span: Offsets
    text: str
    kind: ClaimKind
    source: Mention | None = None
    cue: Span | None = None
    when: str | None = None
    sentence: Offsets | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A reported number: ``value`` is a number or ``[low, high]``; ``source`` an entity id."""

    span: Offsets
    text: str
    value: float | tuple[float, float]
    unit: str | None = None
    normalized_unit: str | None = None
    change: Change = "="
    counts: Span | None = None
    source: str | None = None
    when: str | None = None
    sentence: Offsets | None = None


@dataclass(frozen=True, slots=True)
class Timex:
    """A TIMEX3 time expression normalized against the publication date ("this week" -> 2021-W49)."""

    span: Offsets
    text: str
    type: TimexType
    value: str
    mod: str | None = None
    anchor: str | None = None
    sentence: Offsets | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A happening in the TimeML sense, its participants (entity ids) and its time anchor."""

    span: Offsets
    text: str
    trigger: str
    participants: tuple[str, ...] = ()
    when: str | None = None
    sentence: Offsets | None = None


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """Everything extracted from one article: the JSON record of the output contract."""

    id: str
    text: str
    sha256: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    language: str | None = None
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    timexes: tuple[Timex, ...] = ()
    events: tuple[Event, ...] = ()
    errors: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON form (plain dicts and lists), ready for ``json.dumps``."""
        return _adapter().dump_python(self, mode="json")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArticleFacts:
        """Rebuild the record from its JSON form (validated)."""
        return _adapter().validate_python(data)

    def dumps(self) -> str:
        """One line of JSON (UTF-8 text, not ASCII-escaped): the JSONL form."""
        return _adapter().dump_json(self).decode("utf-8")


FACT_KINDS = ("entities", "quotes", "claims", "quantities", "timexes", "events")
"""The fact lists of an ``ArticleFacts``, in contract order."""


@lru_cache(maxsize=1)
def _adapter() -> TypeAdapter[ArticleFacts]:
    return TypeAdapter(ArticleFacts)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one output record, generated from the types above."""
    schema = _adapter().json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "newsfacts article record"
    return schema


if __name__ == "__main__":  # regenerate the shipped schema: python -m newsfacts.model
    from pathlib import Path

    out = Path(__file__).with_name("schema.json")
    out.write_text(json.dumps(json_schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not become an article (or whose extraction failed): one line, counted."""

    id: str
    message: str

    @property
    def code(self) -> str:
        """The ``Exxx`` code of the message."""
        return self.message[1:5] if self.message.startswith("[E") else "E000"
