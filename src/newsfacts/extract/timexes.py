"""Time expressions: TIMEX3 tagging and normalization against the publication date.

Recognition is the data grammar of ``extract/timegrammar.py`` (``data/time_patterns.tsv``), run once
over the article text; spaCy's parse then filters matches (a modal "May", a verb "march") and gives
each one the tense of its governing verb, which decides between the past and the coming Thursday.
The reference time is the publication date, except inside a quotation, where it is when the words
were said: the date of the attribution clause ("told reporters on Thursday"), else the publication
date. "Two days later" and "that year" count from the last date mentioned; in an earnings report,
"the quarter", "the latest period" and "a year earlier" count from the quarter the report is about
(quotations included), and "the quarter ended Sept. 30" from the day it ends.

Follows the TimeML 1.2.1 TIMEX3 guidelines (Pustejovsky et al. 2005; Saurí et al. 2006) for types,
values and modifiers, with one departure asked for by newsfacts readers: a duration's "within"
("within a year") is kept in the span, as it says the duration bounds the event.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..model import Timex
from .context import Context
from .marks import inside, quoted_regions
from .timegrammar import Candidate, Reference, Rule, Value, candidates, grammar, resolve, words

NEEDS: tuple[str, ...] = ()
GIVES = "timexes"

_CALENDAR_WORD = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\.?", re.IGNORECASE
)
_PERIOD_VALUE = re.compile(r"^\d{4}-(?:Q|H)\d$")
_QUARTER_VALUE = re.compile(r"^\d{4}-Q\d$")
_ENDED_GAP = re.compile(r",?\s+(?:that\s+|which\s+)?(?:ended|ending|ends|closed)\s+(?:on\s+)?", re.IGNORECASE)
"""What stands between a quarter and the day it ends on: "the quarter ended Sept. 30", "its fiscal
first quarter, which ended Oct. 1"."""
_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_CLOCK_DAY_GAP = re.compile(r"\s*(?:\([^()]{1,24}\)\s*)?,?\s*(?:on\s+)?", re.IGNORECASE)
"""What may stand between a clock time and the day it falls on: "10:35 a.m. (0735 GMT) Friday", "5 p.m. on Nov. 6"."""
_DAY_NAMING = {"monthday", "full", "weekday", "deictic"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo", "going"}
_PAST_TAGS = {"VBD"}
_DEADLINE_PREP = {"until", "till", "by"}
"""A weekday or clock time after these is a deadline ("extended until 9 a.m. Tuesday"): the coming one,
whatever the tense of the report."""
_ONSET_WORDS = {"effective"}
"""A date after these is when a change takes effect ("a new office of the chairman, effective Feb. 1"): an
announcement names the coming day (TimeBank resolves all of its "effective" dates forward)."""
_PLAN_VERBS = {"plan", "schedule", "slate", "expect", "intend"}
"""Verbs whose time is ahead of them ("planned a rally on Saturday"): a date they govern is resolved as
future, whatever their own tense."""
_DAY_KINDS = {"weekday", "clock", "partofday"}
_NOT_TIME_ENTS = {"MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORG", "PRODUCT", "FAC", "LAW", "WORK_OF_ART"}
_ALWAYS_TITLE = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "thanksgiving",
                 "christmas", "easter", "day"}
_TITLE_KINDS = {"relunit", "duration", "deictic", "ref", "clock", "anchored"}
_YEARLESS_PREP = {"in", "since", "of", "by", "until", "till", "before", "after", "from", "to", "through", "during",
                  "between", "and", "or", "early", "late", "mid", "around", "fiscal", "than", "for", "the"}


def timexes(doc: Doc, ctx: Context) -> list[Timex]:
    """TIMEX3 time expressions of the article, normalized against ``ctx.published``.

    Args:
        doc: the parsed article.
        ctx: the article context; ``published`` is the document creation time (may be None: values
            then keep their unknown parts, e.g. ``XXXX-12-10``, and ``anchor`` is ``"UNKNOWN"``).

    Returns:
        Timexes in document order. ``anchor`` is the reference date a relative value was computed
        from (ISO date), ``None`` for absolute values.

    Example:
        "The Pentagon announced on Thursday ..." (published 2021-12-09) -> Timex(text="Thursday",
        type="DATE", value="2021-12-09").
    """
    text = ctx.text_of(doc)
    if not text.strip():
        return []
    rules, _ = grammar()
    regions = quoted_regions(text)
    found = [c for c in candidates(text) if _plausible(doc, text, c, rules[c.rule].kind)]
    outside = [c for c in found if inside(regions, c.start, c.end) is None]
    quoted = [c for c in found if inside(regions, c.start, c.end) is not None]
    published = ctx.published if isinstance(ctx.published, dt.date) else None
    results: dict[int, Timex] = {}
    topics = _resolve_all(doc, text, outside, rules, published, results, lambda _c: published)
    said_at = _attribution_times(doc, regions, results, published)
    _resolve_all(
        doc, text, quoted, rules, published, results, lambda c: said_at.get(inside(regions, c.start, c.end) or (0, 0)), topics
    )
    return [results[k] for k in sorted(results)]


def _resolve_all(
    doc: Doc,
    text: str,
    cands: list[Candidate],
    rules: tuple[Rule, ...],
    published: dt.date | None,
    results: dict[int, Timex],
    ref_of: Callable[[Candidate], dt.date | None],
    outer: list[tuple[int, str | None, str | None]] | None = None,
) -> list[tuple[int, str | None, str | None]]:
    """Resolve ``cands`` (matches in ``text``, the article's text) in document order into ``results``, tracking the last date, the latest
    reported quarter or half (the anchor of "a year ago" in an earnings report: a quarter before the
    running one, or one reported in the past tense) and the last quarter named ("the quarter").

    Returns the quarter anchors after each change as ``(offset, period, quarter)``; ``outer`` are
    those of the text around quotations: a quote about "the quarter" speaks of the quarter the
    report is about (the words' time still comes from ``ref_of``).
    """
    last: dt.date | None = None
    last_is_day = False
    last_value: str | None = None
    period: str | None = None
    quarter: str | None = None
    changes: list[tuple[int, str | None, str | None]] = []
    outer = outer or []
    outer_starts = [offset for offset, _, _ in outer]
    seen = -1  # offset of the last quarter anchor taken, from either text
    sents = [(s.start_char, s.end_char) for s in doc.sents]  # once: Span.sent rescans the doc
    sent_starts = [s for s, _ in sents]
    for k, cand in enumerate(cands):
        ref_date = ref_of(cand) or published
        at = bisect.bisect_right(outer_starts, cand.start) - 1
        if at >= 0 and outer[at][0] > seen:  # the report named a quarter since: the quote speaks of it
            seen, period, quarter = outer[at]
        base = Reference(ref_date, "PRESENT", last, period, False, last_is_day, last_value, quarter)
        following = cands[k + 1] if k + 1 < len(cands) else None
        kind = rules[cand.rule].kind
        extra: dict[str, str] = {}
        if following is not None and rules[following.rule].kind in _DAY_NAMING and (
            (kind == "clock" and _CLOCK_DAY_GAP.fullmatch(text, cand.end, following.start))
            or (kind == "quarter" and _ENDED_GAP.fullmatch(text, cand.end, following.start))
        ):
            day, _ = _value(doc, text, following, rules[following.rule], base)  # "at 5 p.m. EDT on Nov. 6"
            if day is not None and day.date is not None and _DAY_VALUE.match(day.value):
                base = dataclasses.replace(base, last=day.date, last_is_day=True)
                extra["_ended"] = day.value[:10]  # "the quarter ended Sept. 30"
        value, tense = _value(doc, text, cand, rules[cand.rule], base, extra)
        if value is None:
            continue
        if value.date is not None and value.type in ("DATE", "TIME") and not value.value.endswith("REF"):
            last = value.date
            last_is_day = bool(_DAY_VALUE.match(value.value))
            last_value = value.value
        running = f"{ref_date.year:04d}-Q{(ref_date.month - 1) // 3 + 1}" if ref_date else ""
        reported = ref_date is None or tense == "PAST" or value.value < running
        before = (period, quarter)
        if _PERIOD_VALUE.match(value.value) and (period is None or value.value > period) and reported:
            period = value.value
        compared = period is not None and value.value == f"{int(period[:4]) - 1:04d}{period[4:]}"
        if _QUARTER_VALUE.match(value.value) and not compared:
            quarter = value.value  # the quarter under discussion: not the year-earlier one it is compared with
        if (period, quarter) != before:
            seen = cand.start
            changes.append((cand.start, period, quarter))
        anchor = None
        if value.relative:
            anchor = ref_date.isoformat() if ref_date else "UNKNOWN"
        sent = sents[max(0, bisect.bisect_right(sent_starts, cand.start) - 1)]
        results[cand.start] = Timex(
            span=(cand.start, cand.end),
            text=text[cand.start : cand.end],
            type=value.type,  # type: ignore[arg-type]
            value=value.value,
            mod=value.mod,
            anchor=anchor,
            sentence=sent,
        )
    return changes


def _value(
    doc: Doc, text: str, cand: Candidate, rule: Rule, base: Reference, extra: dict[str, str] | None = None
) -> tuple[Value | None, str]:
    """The value of one grammar match and the tense it was read in, with the signals around it.

    ``base`` carries the reference date and the discourse anchors; tense, the amount before the
    expression and the preceding word are read here from the parse; ``extra`` adds groups found
    around the match (``_ended``: the day a quarter ends on).
    """
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None:
        return None, "PRESENT"
    prev = doc[span.start - 1].lower_ if span.start > 0 else ""
    tense = _tense(span)
    deadline = prev in _DEADLINE_PREP and rule.kind in _DAY_KINDS and not _pluperfect(span)
    if deadline or (prev in _ONSET_WORDS and rule.kind in _DAY_NAMING | _DAY_KINDS):
        tense = "FUTURE"
    elif tense == "PRESENT" and rule.kind == "weekday" and span.end < len(doc) and doc[span.end].tag_ == "POS":
        tense = "PAST"  # "over Thursday's closing price": a reported day, not a coming one
    ref = dataclasses.replace(base, tense=tense, comparison=_after_amount(span))
    groups = dict(cand.groups)
    groups["_text"] = text[cand.start : cand.end]
    groups["_prev"] = prev
    groups.update(extra or {})
    return resolve(rule.kind, rule.type, groups, ref), tense


def _attribution_times(
    doc: Doc, regions: list[tuple[int, int]], results: dict[int, Timex], published: dt.date | None
) -> dict[tuple[int, int], dt.date | None]:
    """For each quoted region, the day its words were said: the nearest day-valued timex outside the
    quote in the sentences around it (the attribution clause), else the publication date.

    Linear in sentences plus regions times the timexes of their few sentences (bisect on offsets).
    """
    sents = list(doc.sents)
    starts = [s.start_char for s in sents]
    days = sorted((t.span, t.value) for t in results.values() if _DAY_VALUE.match(t.value))
    day_starts = [span[0] for span, _ in days]
    said: dict[tuple[int, int], dt.date | None] = {}
    for lo, hi in regions:
        first = max(0, bisect.bisect_right(starts, lo) - 1)
        last = min(len(sents) - 1, bisect.bisect_right(starts, hi + 2))  # the sentence after the quote
        if not sents:
            said[(lo, hi)] = published
            continue
        win_lo, win_hi = sents[first].start_char, sents[last].end_char
        best: tuple[int, dt.date] | None = None
        for k in range(bisect.bisect_left(day_starts, win_lo), len(days)):
            (s, e), value = days[k]
            if s >= win_hi:
                break
            if e > win_hi or (lo <= s < hi):
                continue
            distance = lo - e if e <= lo else s - hi
            if distance >= 0 and (best is None or distance < best[0]):
                best = (distance, dt.date.fromisoformat(value[:10]))
        said[(lo, hi)] = best[1] if best else published
    return said


@lru_cache(maxsize=8)
def _is_upper(text: str) -> bool:
    """Whether the article is in capitals (wire copy): then case says nothing about names."""
    return text.isupper()


def _title_word(tokens: list[Token], upper_text: bool) -> bool:
    """A capitalized time word inside a name ("60 Minutes", ABC's "This Week", "VOA Today")."""
    last = tokens[-1]
    if not last.is_title or upper_text or last.lower_ in _ALWAYS_TITLE:
        return False
    first = tokens[0]
    if first.i == 0 or first.is_sent_start:
        return False
    prev = first.doc[first.i - 1]
    return prev.is_alpha or (prev.is_quote and len(tokens) > 1)  # said on CBS's ''60 Minutes''


def _after_amount(span: Span) -> bool:
    """Whether a time expression directly follows an amount ("$3 million last year", "4% a year ago")."""
    if span.start == 0:
        return False
    prev = span.doc[span.start - 1]
    return prev.like_num or prev.ent_type_ in ("MONEY", "PERCENT", "CARDINAL") or prev.text == "%"


def _governor(span: Span) -> Token:
    """The verb (or the root) that governs a time expression."""
    token: Token = span.root
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") or token.dep_ == "ROOT":
            break
        if token.head.i == token.i:
            break
        token = token.head
    return token


def _after_words(span: Span, words: tuple[str, ...]) -> bool:
    """Whether ``span`` directly follows ``words`` (lower case)."""
    start = span.start - len(words)
    return start >= 0 and tuple(t.lower_ for t in span.doc[start : span.start]) == words


def _pluperfect(span: Span) -> bool:
    """Whether the governing verb is in the past perfect ("had filed by Wednesday"): a bound in the past."""
    return any(c.lower_ in ("had", "'d") and c.dep_ in ("aux", "auxpass") for c in _governor(span).children)


def _tense(span: Span) -> str:
    """PAST, PRESENT or FUTURE: the tense of the verb that governs the time expression.

    A verb of planning ("scheduled a news conference Thursday", "planned a rally on Saturday") looks
    ahead whatever its own tense, as does "as soon as Tuesday".
    """
    token = _governor(span)
    planned = token.lemma_.lower() in _PLAN_VERBS and token.i < span.start and token.dep_ not in ("acl", "amod")
    if planned or _after_words(span, ("as", "soon", "as")):
        return "FUTURE"
    children = list(token.children)
    if any(c.lower_ in _FUTURE_AUX and c.dep_ in ("aux", "auxpass") for c in children):
        return "FUTURE"
    if token.lower_ == "going" and any(c.lower_ == "to" for c in children):
        return "FUTURE"
    if token.tag_ in _PAST_TAGS or any(c.tag_ == "VBD" and c.dep_ in ("aux", "auxpass") for c in children):
        return "PAST"
    if token.tag_ == "VBN" and (any(c.lemma_ == "have" for c in children) or not children or
                                 not any(c.dep_ in ("aux", "auxpass") for c in children)):
        return "PAST"
    if _scheduled(token, children):
        return "FUTURE"
    if token.tag_ in ("VB", "VBZ", "VBP", "VBG", "VBN", "MD") or token.pos_ in ("VERB", "AUX"):
        if any(c.lemma_ == "have" and c.dep_ == "aux" and c.tag_ in ("VBP", "VBZ") for c in children):
            return "PAST"  # present perfect ("have been searching since Oct. 23"): a time already past
        if any(c.tag_ == "MD" for c in children):
            return "FUTURE" if any(c.lower_ in ("will", "'ll", "shall") for c in children) else "PRESENT"
        return "PRESENT"
    return "PAST"


def _hyphen_mod(g: dict[str, str], surface: str) -> bool:
    """Whether a year carries a hyphenated point modifier ("mid-2019", "post-1959"): a year for sure."""
    return "pmod" in g and re.match(r"[a-z]+-\d", surface, re.IGNORECASE) is not None


def _classifying(token: Token) -> bool:
    """Whether a frequency word names a kind of thing, not a recurring time: an adjective on a payment or
    statement noun ("a quarterly dividend", "the quarterly results") or a noun of its own ("declared its
    initial quarterly", the dividend). TimeBank's financial news leaves these untagged."""
    if token.pos_ == "NOUN" and token.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj"):
        return True
    return token.dep_ == "amod" and token.head.lemma_.lower() in words()["classified"]


def _scheduled(token: Token, children: list[Token]) -> bool:
    """Whether a verb is in the present "be to" construction of arrangements ("is to resume trading
    Tuesday", "are to meet on Monday"): a future time whatever the present form of "be" says."""
    return (token.tag_ == "VB" and token.dep_ == "xcomp" and token.head.lemma_ == "be"
            and token.head.tag_ in ("VBZ", "VBP") and any(c.lower_ == "to" and c.dep_ == "aux" for c in children))


def _plausible(doc: Doc, text: str, cand: Candidate, kind: str) -> bool:
    """Filter grammar matches with the parse: calendar names must be capitalized proper nouns,
    bare years must look like years, vague words must be used as time words."""
    surface = text[cand.start : cand.end]
    g = cand.groups
    upper_text = _is_upper(text)
    for key in ("month", "weekday", "dayword"):
        word = g.get(key)
        if word and key != "dayword" and not upper_text and not word[0].isupper():
            return False
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None:
        return False
    tokens = list(span)
    if kind == "month" and "rel" not in g:
        tok = tokens[-1]
        if tok.tag_ in ("MD", "VB", "VBP", "VBZ", "VBD") or tok.pos_ in ("VERB", "AUX"):
            return False
        if tok.ent_type_ in ("PERSON", "ORG") or (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN"):
            return False
        if "pmod" not in g and any(c.dep_ == "det" and c.lower_ in ("the", "a", "an") for c in tok.children):
            return False  # "the annual March for Life", "the March on Washington": a march, not the month
    if kind == "year" and "fiscal" not in g and "spelledyear" not in g and not _hyphen_mod(g, surface):
        tok = tokens[-1]
        if tok.ent_type_ in _NOT_TIME_ENTS:
            return False
        prev = doc[tok.i - 1] if tok.i > 0 else None
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if tok.ent_type_ != "DATE" and not (prev is not None and prev.lower_ in _YEARLESS_PREP):
            return False
        if nxt is not None and nxt.lower_ in ("%", "percent", "people", "troops", "times"):
            return False
    if kind == "ref":
        word = g.get("ref", "").lower()
        if word in ("current", "future", "recent"):
            head = tokens[-1]
            if head.dep_ != "amod" and word != "future":
                return False
        if word == "now" and tokens[0].i > 0 and doc[tokens[0].i - 1].lower_ in ("by", "until"):
            return True
        if word.endswith("future") and re.match(r"\s+of\b", text[cand.end : cand.end + 4]):
            return False  # "the future of the company": its fate, not a time
    if kind == "duration" and "num" in g:
        unit_tok = tokens[-1]
        if unit_tok.pos_ == "ADJ" and unit_tok.lower_ == "second":
            return False
        if g["num"].lower() in ("a", "an", "one") and unit_tok.lower_ in ("second",):
            return False
    if kind in _TITLE_KINDS and _title_word(tokens, upper_text):
        return False
    if kind == "duration" and g.get("num", "").lower() in ("a", "an") and tokens[0].i > 0:
        prev = doc[tokens[0].i - 1]
        if prev.like_num or prev.ent_type_ in ("MONEY", "CARDINAL", "PERCENT") or prev.lower_ in ("%", "times"):
            return False
        if prev.tag_ == "NNS" and any(c.dep_ == "nummod" for c in prev.children):
            return False  # "four flights a week", "24 hours a day": a rate, which TimeBank leaves untagged
    if kind == "duration" and g.get("unit", "").lower().startswith("quarter") and re.match(r"\s+of\b", text[cand.end:]):
        return False
    if kind == "set" and g.get("set", "").lower() == "daily" and tokens[0].i > 0 and doc[tokens[0].i - 1].lower_ == "average":
        return False  # "average daily volume": a statistic, not a recurrence
    if kind == "set" and len(tokens) == 1 and _classifying(tokens[0]):
        return False
    if kind == "clock" and tokens[0].i > 0 and doc[tokens[0].i - 1].lower_ == "high":
        return False
    if (kind == "year" and "year" in g and tokens[-1].i + 1 < len(doc) and doc[tokens[-1].i + 1].pos_ == "PROPN"
            and tokens[0].i > 0 and doc[tokens[0].i - 1].tag_ == "POS"):  # "Kopp's 1987 Chevrolet": a model year
        return False
    if kind == "relunit" and "thethe" in g:
        head = tokens[-1]
        if head.dep_ in ("nsubj", "nsubjpass", "dobj") and head.lower_ != "week":
            return False
    return bool(surface.strip())
