"""Article text as HTML with every fact highlighted, built from character spans on the server.

Facts nest (an entity inside a quote) and overlap (a claim that starts inside a quote and ends after
it). HTML elements cannot overlap, so an element that is still open when an inner-started element
must close is closed and reopened as a *continuation* piece (same kind and details, no ``id``, not
focusable). Every text piece goes through ``markupsafe.escape``, so article text never becomes markup.
Links cannot nest either: a link opened inside another link is written as a ``span``.

The details show on hover or focus from ``data-tip`` (CSS); screen readers cannot read that, so with
``describe=True`` every focusable piece and link also names its details with ``aria-describedby``,
pointing into one hidden list holding each distinct text once (WAI-ARIA 1.2, "aria-describedby").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import ArticleFacts, Mention, Offsets

KIND_ORDER = ("sentence", "quote", "claim", "quantity", "timex", "speaker", "entity")
"""Outer to inner when two marks start at the same character and end at the same one."""

KIND_LABELS = {
    "quote": "Quote",
    "claim": "Claim",
    "quantity": "Quantity",
    "timex": "Time",
    "speaker": "Speaker",
    "entity": "Entity",
}
"""What the legend and the details call each kind."""


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlighted stretch: ``kind`` picks the style, ``tip`` the details shown on hover or focus.

    ``anchor`` becomes the ``id`` of the first piece (for ``#q-0`` or ``#s-120`` links); ``href`` makes
    the stretch a link (speaker and entity names lead to their entity page).
    """

    start: int
    end: int
    kind: str
    tip: str = ""
    href: str | None = None
    anchor: str | None = None
    focusable: bool = False


def highlight(text: str, marks: Iterable[Mark], *, describe: bool = False) -> Markup:
    """The whole ``text`` as escaped HTML with ``marks`` wrapped around their characters.

    Marks outside the text or empty are skipped (degrade locally: a bad span loses its highlight,
    never the page). ``describe`` adds the details for screen readers (ids ``tip-0``...: once per page).

    Example:
        >>> str(highlight("a <b> c", [Mark(2, 5, "entity")]))
        'a <span class="f f-entity">&lt;b&gt;</span> c'
    """
    n = len(text)
    good = [m for m in marks if 0 <= m.start < m.end <= n]
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    good.sort(key=lambda m: (m.start, -m.end, rank.get(m.kind, len(rank))))
    closes: dict[int, list[int]] = {}
    for i, m in enumerate(good):
        closes.setdefault(m.end, []).append(i)
    points = sorted({0, n, *(m.start for m in good), *(m.end for m in good)})
    out: list[str] = []
    stack: list[int] = []  # indexes into good, outermost first
    as_link: dict[int, bool] = {}
    started: set[int] = set()
    tips: dict[str, str] | None = {} if describe else None
    next_open = 0
    for pos, nxt in zip(points, points[1:] + [n]):
        ending = set(closes.get(pos, ()))
        if ending:
            # every mark ending here is open: close down to the outermost of them, reopen the others
            depth = min(stack.index(i) for i in ending)
            survivors = [i for i in stack[depth:] if i not in ending]
            for i in reversed(stack[depth:]):
                out.append("</a>" if as_link[i] else "</span>")
            del stack[depth:]
            for i in survivors:
                _open(good[i], i, stack, as_link, started, out, tips)
        while next_open < len(good) and good[next_open].start == pos:
            _open(good[next_open], next_open, stack, as_link, started, out, tips)
            next_open += 1
        if nxt > pos:
            out.append(str(escape(text[pos:nxt])))
    for i in reversed(stack):
        out.append("</a>" if as_link[i] else "</span>")
    if tips:
        out.append('<span class="tips" hidden>')
        out.extend(f'<span id="{tip_id}">{escape(tip)}</span>' for tip, tip_id in tips.items())
        out.append("</span>")
    return Markup("".join(out))


def _open(mark: Mark, i: int, stack: list[int], as_link: dict[int, bool], started: set[int], out: list[str],
          tips: dict[str, str] | None = None) -> None:
    """Write the opening tag of ``mark`` (first piece: with id and tabindex) and push it; with ``tips``,
    a piece a reader can land on (a link, a focusable first piece) points to its details there."""
    first = i not in started
    started.add(i)
    link = bool(mark.href) and not any(as_link[j] for j in stack)
    as_link[i] = link
    attrs = [f'class="f f-{escape(mark.kind)}{"" if first else " cont"}"']
    if first and mark.anchor:
        attrs.append(f'id="{escape(mark.anchor)}"')
    if mark.tip:
        attrs.append(f'data-tip="{escape(mark.tip)}"')
        if tips is not None and (link or (first and mark.focusable)):
            attrs.append(f'aria-describedby="{tips.setdefault(mark.tip, f"tip-{len(tips)}")}"')
    if link:
        attrs.insert(0, f'href="{escape(mark.href)}"')
        out.append(f"<a {' '.join(attrs)}>")
    else:
        if first and mark.focusable:
            attrs.append('tabindex="0"')
        out.append(f"<span {' '.join(attrs)}>")
    stack.append(i)


def fact_marks(facts: ArticleFacts, entity_href: Callable[[str], str]) -> list[Mark]:
    """Every fact of ``facts`` as marks: quote parts, claims, quantities, times, speakers, entity mentions.

    Each fact's evidence sentence gets an anchor ``s-START`` (what number charts link to); each fact
    an anchor by kind and position (``q-0``, ``c-0``, ``n-0``, ``t-0``) for the fact tables.
    """
    names = {e.id: e.name for e in facts.entities}
    marks: list[Mark] = []
    sentences: set[Offsets] = set()
    linked: set[Offsets] = set()
    for k, q in enumerate(facts.quotes):
        who = _who(q.speaker, names)
        tip = _tip(f"Quote ({q.kind})", ("speaker", who), ("cue", q.cue.text if q.cue else None), ("when", q.when))
        for j, (s, e) in enumerate(q.parts or (q.span,)):
            marks.append(Mark(s, e, "quote", tip, anchor=f"q-{k}" if j == 0 else None, focusable=True))
        if q.speaker is not None:
            marks.append(_mention_mark(q.speaker, "speaker", names, entity_href))
            linked.add(q.speaker.span)
        if q.sentence:
            sentences.add(q.sentence)
    for k, c in enumerate(facts.claims):
        src = _who(c.source, names)
        tip = _tip(f"Claim ({c.kind})", ("source", src), ("cue", c.cue.text if c.cue else None), ("when", c.when))
        marks.append(Mark(c.span[0], c.span[1], "claim", tip, anchor=f"c-{k}", focusable=True))
        if c.source is not None:
            marks.append(_mention_mark(c.source, "speaker", names, entity_href))
            linked.add(c.source.span)
        if c.sentence:
            sentences.add(c.sentence)
    for k, n in enumerate(facts.quantities):
        tip = _tip(
            f"Quantity {format_value(n.value)}{' ' + n.unit if n.unit else ''} ({n.change})",
            ("counts", n.counts.text if n.counts else None),
            ("source", names.get(n.source, n.source) if n.source else None),
            ("when", n.when),
        )
        marks.append(Mark(n.span[0], n.span[1], "quantity", tip, anchor=f"n-{k}", focusable=True))
        if n.sentence:
            sentences.add(n.sentence)
    for k, t in enumerate(facts.timexes):
        tip = _tip(f"Time {t.type} = {t.value}", ("mod", t.mod))
        marks.append(Mark(t.span[0], t.span[1], "timex", tip, anchor=f"t-{k}", focusable=True))
        if t.sentence:
            sentences.add(t.sentence)
    for ev in facts.events:
        if ev.sentence:
            sentences.add(ev.sentence)
    for ent in facts.entities:
        tip = f"{ent.type} {ent.name}"
        for s, e in ent.mentions:
            if (s, e) not in linked:
                marks.append(Mark(s, e, "entity", tip, href=entity_href(ent.id)))
    marks.extend(Mark(s, e, "sentence", anchor=f"s-{s}") for s, e in sorted(sentences))
    return marks


def _mention_mark(mention: Mention, kind: str, names: dict[str, str], entity_href: Callable[[str], str]) -> Mark:
    """A speaker/source mention: a link to its entity when it has one, plain highlight otherwise."""
    s, e = mention.span
    if mention.entity:
        return Mark(s, e, kind, f"{KIND_LABELS[kind]}: {names.get(mention.entity, mention.text)}",
                    href=entity_href(mention.entity))
    return Mark(s, e, kind, f"{KIND_LABELS[kind]} (no entity)", focusable=True)


def _who(mention: Mention | None, names: dict[str, str]) -> str | None:
    """The name to show for a speaker/source mention: its entity's name, else the text as written."""
    if mention is None:
        return None
    return names.get(mention.entity or "", mention.text)


def _tip(head: str, *pairs: tuple[str, str | None]) -> str:
    """``Quote (direct) · speaker: Jane Doe · cue: told``, leaving out empty fields."""
    return " · ".join([head, *(f"{k}: {v}" for k, v in pairs if v)])


def mark_terms(text: str, query: str | None) -> Markup:
    """``text`` escaped, with each word of ``query`` wrapped in ``<mark>`` (case-insensitive).

    Example:
        >>> str(mark_terms("Troops <stay>", "troops"))
        '<mark>Troops</mark> &lt;stay&gt;'
    """
    words = sorted({w for w in (query or "").split() if w}, key=len, reverse=True)
    if not words:
        return Markup(escape(text))
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, at = [], 0
    for m in pattern.finditer(text):
        out.append(str(escape(text[at:m.start()])) + "<mark>" + str(escape(m.group())) + "</mark>")
        at = m.end()
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def format_value(value: float | tuple[float, float] | list[float]) -> str:
    """A quantity's value for people: ``2,500``, ``0.33``, ``252–287``."""
    if isinstance(value, (tuple, list)):
        return "–".join(format_value(v) for v in value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
