"""Attributed claims: content stated on the authority of a source that is not quoted as a person.

"according to the Washington Post, ...", "..., per the agency", "the Pentagon announced ...",
"DOD officials have said that ...", "the poll shows ...", "analysts expect ...", "she wants to ...".
The relations come from ``quotes.attributions`` (one finder for both kinds of fact); what the quotes
extractor already returned is left out, so a stretch of text is either a quote or a claim.

Kinds: ``according_to`` ("according to", "per"), ``reported`` (report, show, find, reveal ...),
``belief`` (believe, expect, fear ...), ``intention`` (want, plan, vow ...), ``statement`` (speech
verbs with an organization, a group or an unnamed source).

Guideline followed: PolNeAR (Newell, Margolin & Ruths, LREC 2018): beliefs and intentions are
attributions too; the content of indirect speech is the complement clause.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..model import Claim, Mention, Span
from .context import Context
from .quotes import Attribution, TimeIndex, attributions

NEEDS: tuple[str, ...] = ("entities", "timexes", "quotes")
GIVES = "claims"

_KIND_OF_CLASS = {
    "according": "according_to",
    "report": "reported",
    "belief": "belief",
    "intention": "intention",
    "speech": "statement",
}


def claims(doc: Doc, ctx: Context) -> list[Claim]:
    """The attributed claims of an article, in document order.

    Args:
        doc: the parsed article.
        ctx: the article, its entities, time expressions and the quotes already found.

    Returns:
        Claims whose content is not one of ``ctx.quotes``; each with its source mention (and entity
        id), cue and kind.

    Example:
        ``At the time, ISIS held a third of the country, according to the Washington Post.`` gives
        an ``according_to`` claim with content "At the time, ISIS held a third of the country" and
        source "the Washington Post".
    """
    taken = {q.span for q in ctx.quotes}
    text = ctx.text_of(doc)
    when = TimeIndex(ctx)
    found = []
    for att in attributions(doc, ctx):
        if att.quoted or att.content in taken:
            continue
        found.append(_to_claim(text, when, att))
    return found


def _to_claim(text: str, when: TimeIndex, att: Attribution) -> Claim:
    start, end = att.content
    source = Mention(att.source, text[att.source[0] : att.source[1]], att.entity) if att.source else None
    cue = Span(att.cue, text[att.cue[0] : att.cue[1]]) if att.cue else None
    return Claim(
        span=(start, end),
        text=text[start:end],
        kind=_KIND_OF_CLASS.get(att.cue_class, "other"),  # type: ignore[arg-type]
        source=source,
        cue=cue,
        when=when.at(*att.attribution),
        sentence=att.sentence,
    )
