"""The TIMEX3 grammar: word classes and patterns loaded from ``data/``, and value arithmetic.

The recognition side is data: ``data/time_words.tsv`` holds the word classes (months, weekdays,
units, number words, modifiers, vague references, holidays) and ``data/time_patterns.tsv`` the
patterns, whose ``{placeholders}`` expand to those classes. Each pattern has a *kind* and the
normalizer of that kind (``resolve``) reads the named groups a match filled, so a new phrasing of an
existing kind is one more data line. Values follow the TIMEX3 guidelines of TimeML 1.2.1 (``2021-W49``,
``2021-Q3``, ``199X``, ``P18M``, ``XXXX-WXX-1``, ``PRESENT_REF``) and are computed against a
reference date (the publication date, or when quoted words were said); without one, the unknown
parts stay ``X``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

Groups = dict[str, str]

_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
_PREFIX_WINDOW = 48
"""Characters looked at left of a match for a prefix ("the very beginning of ", "more than "): the
longest prefix of time_patterns.tsv is about 30 characters."""

_DEADLINE_DAYS = 60
"""A past-tense report may set a date in the coming weeks ("extended to Nov. 20"); two months
covers the deadlines of the TimeBank train part."""
_CLOSING_WORDS = {"ended", "closed", "expired"}
"""A day after these closed a period already ("the quarter ended Oct. 31"): never a coming deadline."""
_WINDOW = 60
"""Characters kept on each side of a trigger word: longer than any expression's reach from its
trigger ("this coming Sunday, March eighth" spans 32)."""
_TRIGGER_CLASSES = ("month", "weekday", "season", "partofday", "unit", "deictic", "ref", "set", "holiday", "clock")
_TRIGGER_EXTRA = {
    "decadeword": ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"),
    "spelled": ("nineteen", "thousand"),
    "half": ("half",),
    "weekdays": ("mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays"),
}
"""Trigger words outside the word classes of time_words.tsv, by the anchor name patterns use for them."""
_DIGIT = "digit"
_UNIT_CODE = {"S": "S", "MIN": "M", "H": "H", "D": "D", "W": "W", "WE": "WE", "M": "M", "Q": "M", "Y": "Y",
              "DE": "Y", "CE": "Y", "ML": "Y"}
_UNIT_FACTOR = {"Q": 3, "DE": 10, "CE": 100, "ML": 1000}
_TIME_UNITS = {"S", "MIN", "H"}
_SEASONS = ("SP", "SU", "FA", "WI")
_PAST_RELS = {"past", "last", "previous"}
_YEAR_SHIFT = {"last": -1, "this": 0, "the": 0, "next": 1}
"""The year a quarter or half "of last year", "of the year" falls in, from the reference year."""
_WELL_FORMED = re.compile(
    r"(?:PRESENT_REF|PAST_REF|FUTURE_REF"
    r"|[0-9X]{2}(?:[0-9X]{1,2})?"
    r"(?:-(?:[0-9X]{2}(?:-[0-9X]{2})?|W[0-9X]{2}(?:-(?:[1-7X]|WE))?|Q[1-4X]|H[12X]|SP|SU|FA|WI))?"
    r"(?:T(?:\d{2}(?::\d{2})?|MO|AF|EV|NI|DT))?"
    r"|P(?:[0-9X]+(?:\.\d+)?(?:Y|M|W|D|WE|DE|CE|Q))+(?:T(?:[0-9X]+(?:\.\d+)?[HMS])+)?"
    r"|PT(?:[0-9X]+(?:\.\d+)?[HMS])+)"
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern line: its kind (the normalizer), TIMEX3 type, compiled regex and anchor classes (the
    trigger classes every match contains a word of; empty: any trigger)."""

    kind: str
    type: str
    regex: re.Pattern[str]
    anchors: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Prefix:
    """A left extension ("the end of ", "about ") and the TIMEX3 types or pattern kinds it may extend."""

    types: frozenset[str]
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A grammar match: character span, the rule that matched and the named groups it filled."""

    start: int
    end: int
    rule: int
    groups: Groups


@dataclass(frozen=True, slots=True)
class Reference:
    """What a value is computed against.

    ``date`` is the reference day (publication date, or when quoted words were said), ``tense`` the
    tense of the governing verb (PAST, PRESENT, FUTURE), ``last`` the last calendar date mentioned
    before (for "two days later", "that year"), ``period`` the last fiscal quarter or half mentioned
    (earnings reports compare with "a year ago": the same quarter of the year before), ``comparison``
    whether the expression follows an amount ("a loss of $3 million last year"), ``last_is_day``
    whether ``last`` is a whole day ("Oct. 23", not "1998"): "the previous Friday" counts from it;
    ``last_value`` the value ``last`` came from ("1998-10"): "that day" after a month is a day of it;
    ``quarter`` the last quarter or half mentioned, whatever its tense ("the quarter" and "the previous
    quarter" refer to it, as TimeBank anchors them to the quarter just named).
    """

    date: dt.date | None
    tense: str = "PRESENT"
    last: dt.date | None = None
    period: str | None = None
    comparison: bool = False
    last_is_day: bool = False
    last_value: str | None = None
    quarter: str | None = None


def is_well_formed(value: str) -> bool:
    """Whether ``value`` is a TIMEX3 value newsfacts may emit (dates, weeks, durations, *_REF).

    Example:
        >>> is_well_formed("2021-W49"), is_well_formed("2021-13-45x")
        (True, False)
    """
    return bool(_WELL_FORMED.fullmatch(value))


# ---------------------------------------------------------------- data loading


@cache
def words() -> dict[str, dict[str, str]]:
    """Word classes of ``data/time_words.tsv``: ``{category: {word: value}}`` (lower-case words)."""
    table: dict[str, dict[str, str]] = {}
    text = resources.files("newsfacts.data").joinpath("time_words.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, word, value = line.split("\t")[:3]
        table.setdefault(category, {})[word.lower()] = value
    return table


def _alternation(items: list[str], *, dotted: bool = False) -> str:
    """A regex alternation of words, longest first, with flexible inner spaces and a word end."""
    parts = []
    for word in sorted(set(items), key=len, reverse=True):
        pattern = re.escape(word).replace(r"\ ", r"\s+").replace("'", "['’]")
        if dotted and len(word) <= 5 and word not in ("march", "april", "june", "july", "may"):
            pattern += r"(?![a-z])\.?"
        parts.append(pattern)
    return "(?:" + "|".join(parts) + ")(?![a-z])"


@cache
def _blocks() -> dict[str, str]:
    """The ``{placeholder}`` expansions used in time_patterns.tsv."""
    w = words()
    ones = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    number_words = _alternation(list(w["number"]))
    compound = "(?:" + "|".join(tens) + r")(?:[-\s]+(?:" + "|".join(ones) + "))?(?![a-z])"
    return {
        "month": _alternation(list(w["month"]), dotted=True),
        "weekday": _alternation(list(w["weekday"]), dotted=True),
        "season": _alternation(list(w["season"])),
        "partofday": _alternation(list(w["partofday"])),
        "unit": _alternation(list(w["unit"])),
        "relative": _alternation(list(w["relative"])),
        "deictic": _alternation(list(w["deictic"])),
        "approxmod": _alternation(list(w["approxmod"])),
        "boundmod": _alternation(list(w["boundmod"])),
        "ref": _alternation(list(w["ref"])),
        "set": _alternation(list(w["set"])),
        "holiday": _alternation(list(w["holiday"])),
        "clock": _alternation(list(w["clock"])),
        "ordinalword": _alternation([k for k in w["ordinal"] if not k[0].isdigit() and w["ordinal"][k] != "L"]),
        "day": r"(?<![\d,.])(?:3[01]|[12]\d|0?[1-9])(?![\d,]\d|:\d)",
        "year": r"(?<![\d,.$£€#/-])(?:1\d{3}|20\d\d)(?![\d]|,\d|\.\d)",
        "spelledyear": r"nineteen\s+(?:hundred\s+(?:and\s+)?)?"
        + compound
        + r"|two\s+thousand(?:\s+and)?(?:\s+(?:"
        + "|".join(ones + ["ten", "eleven", "twelve"])
        + r"))?(?![a-z])",
        "num": r"(?<![\d,.])(?:\d+(?:,\d{3})*(?:\.\d+)?(?:\s+\d/\d)?(?![\d%])|" + compound + "|" + number_words + ")",
    }


@cache
def grammar() -> tuple[tuple[Rule, ...], tuple[Prefix, ...]]:
    """The compiled rules and prefixes of ``data/time_patterns.tsv``, in file order (priority)."""
    blocks = _blocks()
    text = resources.files("newsfacts.data").joinpath("time_patterns.tsv").read_text(encoding="utf-8")
    rules: list[Rule] = []
    prefixes: list[Prefix] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, types, pattern, *rest = line.split("\t")
        expanded = _PLACEHOLDER.sub(lambda m: blocks[m.group(1)], pattern)
        if kind == "prefix":
            prefixes.append(Prefix(frozenset(types.split(",")), re.compile(f"(?:{expanded})$", re.IGNORECASE)))
            continue
        anchors = frozenset(a.strip() for a in rest[0].split(",") if a.strip()) if rest else frozenset()
        unknown = anchors - _anchor_names()
        if unknown:
            raise ValueError(f"time_patterns.tsv: unknown anchor {sorted(unknown)} in line {line!r}")
        rules.append(Rule(kind, types, re.compile(rf"(?<!\w)(?:{expanded})", re.IGNORECASE), anchors))
    return tuple(rules), tuple(prefixes)


# ---------------------------------------------------------------- recognition


def candidates(text: str) -> list[Candidate]:
    """Non-overlapping grammar matches in ``text``, in document order.

    Every rule scans the text once (linear in its length); overlaps keep the longest match, then
    the rule listed first. Prefixes ("the end of", "about", "within") then extend a match leftwards.

    Example:
        >>> [text[c.start:c.end] for text in ["Back by the end of the year."] for c in candidates(text)]
        ['the end of the year']
    """
    rules, prefixes = grammar()
    found: list[Candidate] = []
    by_class = _windows(text)
    windows: dict[frozenset[str], list[tuple[int, int]]] = {}
    for index, rule in enumerate(rules):
        if rule.anchors not in windows:
            windows[rule.anchors] = _union([by_class.get(a, []) for a in (rule.anchors or by_class)])
        for lo, hi in windows[rule.anchors]:
            for match in rule.regex.finditer(text, lo, hi):
                if match.end() > match.start():
                    groups = {k: v for k, v in match.groupdict().items() if v is not None}
                    found.append(Candidate(match.start(), match.end(), index, groups))
    found.sort(key=lambda c: (c.start - c.end, c.rule, c.start))
    taken = bytearray(len(text) + 1)
    kept: list[Candidate] = []
    for cand in found:
        if any(taken[cand.start : cand.end]):
            continue
        taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
        kept.append(cand)
    kept.sort(key=lambda c: c.start)
    out: list[Candidate] = []
    floor = 0
    for cand in kept:
        extended = _extend(text, cand, rules[cand.rule], prefixes, floor)
        out.append(extended)
        floor = extended.end
    return out


_TOKEN = re.compile(r"[A-Za-z]+|\d+")
"""The scan's words: runs of ASCII letters (every trigger word is one) and runs of digits."""
_PHRASE_GLUE = {"the", "a", "an", "at", "of", "per", "every", "each", "more", "just", "right", "these", "then",
                "new", "s"}
"""Words of trigger phrases ("the near term", "at present", "new year's day") that do not make a phrase's
window: each phrase keeps at least one other word, which stands for it."""


@cache
def _trigger_classes() -> dict[str, frozenset[str]]:
    """Each trigger word (lower case) -> its anchor classes; a word of a trigger phrase ("term" of "the
    near term", "year" of "per year") carries the classes of the phrase."""
    w = words()
    table: dict[str, set[str]] = {}
    entries = [(word, cat) for cat in _TRIGGER_CLASSES for word in w[cat]]
    entries += [(word, name) for name, items in _TRIGGER_EXTRA.items() for word in items]
    for entry, name in entries:
        parts = _TOKEN.findall(entry.lower())
        kept = [p for p in parts if p not in _PHRASE_GLUE] if len(parts) > 1 else parts
        if not kept:
            raise ValueError(f"trigger phrase {entry!r} has no word of its own")
        for part in kept:
            table.setdefault(part, set()).add(name)
    return {word: frozenset(classes) for word, classes in table.items()}


@cache
def _anchor_names() -> frozenset[str]:
    """The anchor names a pattern line may use."""
    return frozenset(_TRIGGER_CLASSES) | frozenset(_TRIGGER_EXTRA) | {_DIGIT}


def _windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """Stretches of ``text`` around trigger words, merged, by anchor class: only they can hold a time
    expression, and a pattern only runs around the words of its anchor classes.

    One linear scan; a pattern then runs on a fifth of a news text or less instead of all of it.
    """
    classes = _trigger_classes()
    digit = (_DIGIT,)
    spans: dict[str, list[tuple[int, int]]] = {}
    for match in _TOKEN.finditer(text):
        word = match.group()
        found = digit if word[0].isdigit() else classes.get(word.lower())
        if not found:
            continue
        lo, hi = max(0, match.start() - _WINDOW), min(len(text), match.end() + _WINDOW)
        while hi < len(text) and text[hi].isalnum():  # never end inside a word ("Mar" of "Maria")
            hi += 1
        for name in found:
            runs = spans.setdefault(name, [])
            if runs and lo <= runs[-1][1]:
                runs[-1] = (runs[-1][0], hi)
            else:
                runs.append((lo, hi))
    return spans


def _union(groups: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Merge sorted lists of windows into one sorted list of disjoint windows (touching ones joined)."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(w for group in groups for w in group):
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def _extend(text: str, cand: Candidate, rule: Rule, prefixes: tuple[Prefix, ...], floor: int) -> Candidate:
    """Grow ``cand`` leftwards over every prefix that applies, never past ``floor``."""
    start, groups = cand.start, dict(cand.groups)
    changed = True
    while changed:
        changed = False
        window = text[max(floor, start - _PREFIX_WINDOW) : start]
        for prefix in prefixes:
            if rule.type not in prefix.types and rule.kind not in prefix.types:
                continue
            match = prefix.regex.search(window)
            if match and match.start() < len(window) and (match.start() == 0 or not window[match.start() - 1].isalnum()):
                new = {k: v for k, v in match.groupdict().items() if v is not None}
                if any(k in groups for k in new):
                    continue
                groups.update(new)
                start -= len(window) - match.start()
                changed = True
                break
    return Candidate(start, cand.end, cand.rule, groups)


# ---------------------------------------------------------------- normalization


@dataclass(frozen=True, slots=True)
class Value:
    """A normalized TIMEX3 value with its type and mod; ``date`` is the day it pins down, if any."""

    type: str
    value: str
    mod: str | None = None
    date: dt.date | None = None
    relative: bool = True


def resolve(kind: str, ttype: str, groups: Groups, ref: Reference) -> Value | None:
    """The TIMEX3 value of one match, or ``None`` when the match is not a time expression after all.

    Args:
        kind: the pattern's kind (the column of time_patterns.tsv).
        ttype: the pattern's TIMEX3 type.
        groups: the named groups the match filled (lower-cased on use).
        ref: the reference time.

    Example:
        >>> resolve("relunit", "DATE", {"rel": "this", "unit": "week"}, Reference(dt.date(2021, 12, 9))).value
        '2021-W49'
    """
    g = {k: " ".join(v.lower().split()) for k, v in groups.items()}
    if g.get("rel") == "this past":  # "this past weekend", "this past March": the last one
        g["rel"] = "past"
    handler = _HANDLERS.get(kind)
    if handler is None:
        return None
    try:
        out = handler(g, ref, ttype)
    except (ValueError, OverflowError, KeyError):
        return None
    if out is None:
        return None
    mod = out.mod or _mod(g)
    if mod != out.mod:
        out = Value(out.type, out.value, mod, out.date, out.relative)
    return out if is_well_formed(out.value) else None


def _mod(g: Groups) -> str | None:
    w = words()
    if "orso" in g:
        return "APPROX"
    if "pmod" in g:
        return w["pointmod"].get(g["pmod"])
    if "vague" in g:  # "earlier this year" is its start, "later this afternoon" its end (TimeBank)
        return "START" if g["vague"] == "earlier" else "END"
    for key in ("amod", "amod2"):
        if key in g:
            return w["approxmod"].get(g[key]) or w["boundmod"].get(g[key])
    return None


def _number(text: str) -> float | None:
    """The value of "18", "1,000", "twenty-four", "a few" (None for vague amounts)."""
    text = text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    frac = re.fullmatch(r"(\d+)\s+(\d)/(\d)", text)
    if frac:
        return int(frac.group(1)) + int(frac.group(2)) / int(frac.group(3))
    table = words()["number"]
    if text in table:
        value = table[text]
        return None if value == "X" else float(value)
    total = 0.0
    for part in re.split(r"[-\s]+", text):
        if part not in table or table[part] == "X":
            return None
        total += float(table[part])
    return total


def _fmt_number(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def _month(g: Groups) -> int:
    if "monthnum" in g:
        return int(g["monthnum"])
    return int(words()["month"][g["month"].rstrip(".")])


def _year(g: Groups, key: str = "year") -> int | None:
    if key in g:
        return int(g[key])
    if "spelledyear" in g:
        return _spelled_year(g["spelledyear"])
    return None


def _spelled_year(text: str) -> int:
    parts = text.replace("-", " ").split()
    table = words()["number"]
    if parts[0] == "two":  # two thousand (and) N
        rest = [p for p in parts[2:] if p != "and"]
        return 2000 + int(sum(float(table[p]) for p in rest))
    rest = [p for p in parts[1:] if p not in ("hundred", "and")]
    return 1900 + int(sum(float(table[p]) for p in rest))


def _by_tense(candidates_: list[dt.date], ref: Reference) -> dt.date:
    """Pick among dates around the reference by tense: past -> latest not after, future -> earliest not before."""
    day = ref.date
    assert day is not None
    if ref.tense == "PAST":
        past = [d for d in candidates_ if d <= day]
        if past:
            return max(past)
    elif ref.tense == "FUTURE":
        future = [d for d in candidates_ if d >= day]
        if future:
            return min(future)
    return min(candidates_, key=lambda d: (abs((d - day).days), d > day))


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _shift_months(d: dt.date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _week(d: dt.date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def _h_full(g: Groups, ref: Reference, ttype: str) -> Value:
    y = _year(g)
    if y is None:
        raise ValueError("no year")
    if len(g.get("year", "xxxx")) == 2:
        y += 1900 if ref.date is None or y > ref.date.year % 100 + 1 else 2000
    m = _month(g)
    d = _safe_date(y, m, int(g["day"]))
    if d is None:
        return Value("DATE", f"{y:04d}-{m:02d}-XX", relative=False)
    return Value("DATE", d.isoformat(), date=d, relative=False)


def _day_of(g: Groups) -> int:
    if "dayword" in g:
        return int(words()["ordinal"][g["dayword"]])
    return int(g["day"])


def _h_monthday(g: Groups, ref: Reference, ttype: str) -> Value:
    m, day = _month(g), _day_of(g)
    if not 1 <= day <= 31:
        raise ValueError("day")
    if ref.date is None:
        return Value("DATE", f"XXXX-{m:02d}-{day:02d}")
    options = [d for y in (ref.date.year - 1, ref.date.year, ref.date.year + 1) if (d := _safe_date(y, m, day))]
    if not options:
        return Value("DATE", f"{ref.date.year:04d}-{m:02d}-XX")
    if g.get("rel") in ("last", "past", "previous"):
        options = [d for d in options if d < ref.date] or options
        return Value("DATE", max(options).isoformat(), date=max(options))
    if g.get("rel") in ("next", "coming"):
        options = [d for d in options if d > ref.date] or options
        return Value("DATE", min(options).isoformat(), date=min(options))
    # past tense: the last such day up to the reference; future: the next; else the nearest
    within = [d for d in options if abs((d - ref.date).days) <= 366] or options
    near = within if ref.tense != "PRESENT" else [d for d in within if abs((d - ref.date).days) <= 183] or within
    d = _by_tense(near, ref)
    soon = [c for c in within if 0 < (c - ref.date).days <= _DEADLINE_DAYS]
    if ref.tense == "PAST" and soon and (ref.date - d).days > 183 and g.get("_prev") not in _CLOSING_WORDS:
        d = soon[0]  # "extended the offer to Nov. 20": a deadline reported in the past tense
    return Value("DATE", d.isoformat(), date=d)


def _h_weekof(g: Groups, ref: Reference, ttype: str) -> Value:
    """"the week of March 6": the ISO week holding that day."""
    day = _h_monthday(g, ref, ttype)
    if day.date is None:
        return Value("DATE", "XXXX-WXX")
    return Value("DATE", _week(day.date), date=day.date)


def _h_monthyear(g: Groups, ref: Reference, ttype: str) -> Value:
    y = _year(g)
    if y is None:
        raise ValueError("no year")
    return Value("DATE", f"{y:04d}-{_month(g):02d}", date=dt.date(y, _month(g), 1), relative=False)


def _h_month(g: Groups, ref: Reference, ttype: str) -> Value:
    m = _month(g)
    if ref.date is None:
        return Value("DATE", f"XXXX-{m:02d}")
    y, rel = ref.date.year, g.get("rel")
    if "relyear" in g:
        y += {"last": -1, "next": 1}.get(g["relyear"], 0)
    elif rel in ("last", "past", "previous"):
        y = y - 1 if m >= ref.date.month else y
    elif rel in ("next", "coming"):
        y = y + 1 if m <= ref.date.month else y
    elif rel in ("this", "current"):
        pass
    elif ref.tense == "PAST" and m > ref.date.month + 1:
        y -= 1
    elif ref.tense == "FUTURE" and m < ref.date.month - 1:
        y += 1
    elif ref.tense == "PRESENT" and m > ref.date.month + 6:
        y -= 1
    elif ref.tense == "PRESENT" and m < ref.date.month - 6:
        y += 1
    return Value("DATE", f"{y:04d}-{m:02d}", date=dt.date(y, m, 1))


def _h_year(g: Groups, ref: Reference, ttype: str) -> Value:
    """A year, or a fiscal year by the year it is named by ("fiscal 2020", "FY2020", "fiscal-2020").

    TimeBank writes fiscal years as plain years (no FY token); a fiscal year written as two years
    ("fiscal 2021-22") carries the calendar year in which it ends.
    """
    y = _year(g) or _year(g, "fyear")
    if y is not None and "endyear" in g:
        end = int(g["endyear"])
        end = end if end >= 100 else y // 100 * 100 + end + (100 if end < y % 100 else 0)
        y = end if end == y + 1 else y
    if y is None and "shortyear" in g:
        short = int(g["shortyear"])
        y = (1900 if ref.date is None or short > ref.date.year % 100 + 5 else 2000) + short
    if y is None:
        raise ValueError("no year")
    return Value("DATE", f"{y:04d}", date=dt.date(y, 1, 1), relative=False)


def _h_decade(g: Groups, ref: Reference, ttype: str) -> Value:
    if "decade" in g:
        return Value("DATE", g["decade"][:3] + "X", relative=False)
    if "shortdecade" in g:
        century = 19 if ref.date is None or int(g["shortdecade"]) > ref.date.year % 100 else ref.date.year // 100
        return Value("DATE", f"{century:02d}{g['shortdecade'][0]}X")
    names = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]
    return Value("DATE", f"19{names.index(g['decadeword']) + 2}X")


def _h_century(g: Groups, ref: Reference, ttype: str) -> Value:
    n = int(g["centuryord"]) if "centuryord" in g else int(words()["ordinal"][g["centuryword"]])
    if not 1 <= n <= 99:
        raise ValueError("century")
    return Value("DATE", f"{n - 1:02d}", relative=False)


def _quarter_index(value: str) -> int | None:
    """``year * 4 + quarter - 1`` of a quarter value ("1989-Q3"), None for a half or an unknown part."""
    match = re.fullmatch(r"(\d{4})-Q([1-4])", value)
    return int(match.group(1)) * 4 + int(match.group(2)) - 1 if match else None


def _h_quarter(g: Groups, ref: Reference, ttype: str) -> Value:
    """A quarter (TIDES/TimeML ``YYYY-Qn``); fiscal quarters keep the quarter number they are named by.

    Anchoring: "the third quarter" is the third quarter of the reference year, or of the year before
    when reported in the past tense before it began; "the quarter ended Sept. 30" is the quarter that
    ends on that day (an ordinal keeps its number, in the year of that day); "the quarter", "the
    latest quarter" and "the previous quarter" refer to the quarter under discussion (the last one
    named), "the year-earlier quarter" to the same quarter a year before it; "the current quarter",
    "next quarter" and "last quarter" count calendar quarters from the reference date.
    """
    rel = g.get("rel", "")
    year = _year(g) or _year(g, "year2")
    ended = g.get("_ended")
    if "periodyear" in g:
        y = int(g["periodyear"])
        return Value("DATE", f"{y:04d}{ref.period[4:]}" if ref.period else f"{y:04d}", relative=False)
    shift = _YEAR_SHIFT.get(g.get("relyear", ""))
    if "ordinal" in g or "month" in g:  # "the third quarter", "the September quarter" (the one ending then)
        q = int(words()["ordinal"][g["ordinal"]]) if "ordinal" in g else (_month(g) - 1) // 3 + 1
        if year is not None:
            return Value("DATE", f"{year:04d}-Q{q}", relative=False)
        if ended is not None:  # "the fourth quarter ended Oct. 29": a fiscal quarter, numbered as named
            return Value("DATE", f"{ended[:4]}-Q{q}")
        if ref.date is None:
            return Value("DATE", f"XXXX-Q{q}")
        if shift is not None:  # "the first quarter of next year"
            return Value("DATE", f"{ref.date.year + shift:04d}-Q{q}")
        current = (ref.date.month - 1) // 3 + 1
        y = ref.date.year
        if rel in ("last", "past", "previous") or "yearago" in g:
            y -= 1
        elif rel in ("next", "coming"):
            y += 1
        elif q > current and ref.tense == "PAST":
            y -= 1
        return Value("DATE", f"{y:04d}-Q{q}")
    if ended is not None and rel in ("", "latest", "current", "this"):  # "the quarter ended Sept. 30"
        return Value("DATE", f"{ended[:4]}-Q{(int(ended[5:7]) - 1) // 3 + 1}")
    if ref.date is None:
        return Value("DATE", "XXXX-QX")
    if shift is not None:  # "last year's quarter": the quarter just reported, in that year
        period = ref.period or f"{ref.date.year:04d}-Q{(ref.date.month - 1) // 3 + 1}"
        return Value("DATE", f"{ref.date.year + shift:04d}{period[4:]}")
    index = ref.date.year * 4 + (ref.date.month - 1) // 3
    topic = _quarter_index(ref.quarter) if ref.quarter else None
    if rel in ("current", "this"):
        pass
    elif rel in ("", "that"):  # "the quarter", "that quarter": the one just named, else the one running
        if ref.quarter:
            return Value("DATE", ref.quarter)
        index -= 1 if ref.tense == "PAST" else 0
    elif rel in ("next", "coming"):
        index += 1
    elif "year" in rel or rel in ("same", "comparable", "corresponding"):
        if ref.period:  # the same quarter a year before the one reported
            return Value("DATE", _year_before(ref.period))
        index -= 5
    elif rel == "latest" and ref.period:
        return Value("DATE", ref.period)
    elif rel in ("previous", "prior", "preceding") and topic is not None:
        index = topic - 1
    else:  # the latest / last / past quarter: the last complete quarter
        index -= 1
    return Value("DATE", f"{index // 4:04d}-Q{index % 4 + 1}")


def _h_half(g: Groups, ref: Reference, ttype: str) -> Value:
    """A half year (``YYYY-H1``): of a named (fiscal) year, of last/next year, else of the reference
    year, or of the year before when "the second half" is reported in the past tense in a first half."""
    h = 1 if g["ordinal"] == "first" else 2
    year = _year(g) or _year(g, "year2")
    if year is None:
        if ref.date is None:
            return Value("DATE", f"XXXX-H{h}")
        year = ref.date.year
        relyear = g.get("relyear") or g.get("relpre")
        if relyear:  # "the second half of next year", "last year's first half"
            year += _YEAR_SHIFT[relyear]
        elif h == 2 and ref.date.month <= 6 and ref.tense == "PAST":
            year -= 1
    return Value("DATE", f"{year:04d}-H{h}")


def _season_now(d: dt.date) -> tuple[int, int]:
    """(season year, season index) of a day: Dec-Feb is the winter of the year it starts in."""
    m = d.month
    if m in (1, 2):
        return d.year - 1, 3
    if m == 12:
        return d.year, 3
    return d.year, (m - 3) // 3


def _h_season(g: Groups, ref: Reference, ttype: str) -> Value:
    s = words()["season"][g["season"]]
    year = _year(g)
    if year is not None:
        return Value("DATE", f"{year:04d}-{s}", relative=False)
    if ref.date is None:
        return Value("DATE", f"XXXX-{s}")
    cur_y, cur = _season_now(ref.date)
    idx, rel = _SEASONS.index(s), g.get("rel", "")
    if rel in ("last", "past", "previous"):
        y = cur_y if idx < cur else cur_y - 1
    elif rel in ("next", "coming"):
        y = cur_y if idx > cur else cur_y + 1
    elif ref.tense == "PAST" and idx > cur:
        y = cur_y - 1
    elif ref.tense == "FUTURE" and idx < cur:
        y = cur_y + 1
    else:
        y = cur_y
    return Value("DATE", f"{y:04d}-{s}")


def _offset(rel: str) -> int | None:
    """The offset of a relative word (last -1, this 0, next 1); None for anaphoric words (that, following)."""
    value = words()["relative"].get(rel, "0")
    return None if value in ("T", "F") else int(value)


def _period(base: dt.date, unit: str, n: int) -> tuple[str, dt.date]:
    """The value of the period of ``unit`` that is ``n`` periods from the one holding ``base``."""
    if unit in ("week", "weekend"):
        d = base + dt.timedelta(weeks=n)
        return _week(d) + ("-WE" if unit == "weekend" else ""), d
    if unit == "month":
        y, m = _shift_months(base, n)
        return f"{y:04d}-{m:02d}", dt.date(y, m, 1)
    if unit == "year":
        return f"{base.year + n:04d}", dt.date(base.year + n, 1, 1)
    if unit == "decade":
        return f"{base.year // 10 + n:03d}X", dt.date((base.year // 10 + n) * 10, 1, 1)
    if unit == "century":
        return f"{base.year // 100 + n:02d}", dt.date((base.year // 100 + n) * 100, 1, 1)
    if unit == "day":
        d = base + dt.timedelta(days=n)
        return d.isoformat(), d
    raise ValueError(unit)


_UNKNOWN_PERIOD = {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX", "year": "XXXX",
                   "decade": "XXXX", "century": "XXXX", "day": "XXXX-XX-XX"}


def _h_relunit(g: Groups, ref: Reference, ttype: str) -> Value:
    if "yearsend" in g:  # "by year's end": the end of the year, as "by the end of the year"
        if ref.date is None:
            return Value("DATE", "XXXX", mod="END")
        year = ref.date.year - (1 if g.get("_prev") == "since" else 0)
        return Value("DATE", f"{year:04d}", mod="END", date=dt.date(year, 12, 31))
    if "yearago" in g:
        if ref.date is None:
            return Value("DATE", "XXXX")
        if g["yearago"].endswith("end"):  # TimeBank: the last day of the year; "since year-end" the last one
            year = ref.date.year - (1 if g.get("_prev") == "since" else 0)
            return Value("DATE", f"{year:04d}-12-31", date=dt.date(year, 12, 31))
        if ref.period:
            return Value("DATE", _year_before(ref.period))
        return Value("DATE", f"{ref.date.year - 1:04d}")
    unit = g["unit"]
    rel = g.get("rel", "this")
    if rel == "past" and unit in ("decade", "century"):  # "over the past decade": the last ten years
        return Value("DURATION", "P10Y" if unit == "decade" else "P100Y", relative=False)
    n = _offset(rel)
    base = ref.date
    if n is None:  # that year / the following week: from the last date mentioned
        base = ref.last or ref.date
        n = 1 if words()["relative"][rel] == "F" else 0
    if base is None:
        return Value("DATE", _UNKNOWN_PERIOD[unit])
    if unit == "week" and "thethe" in g:  # "for the week", "the week's most active session": a week of that
        return Value("DATE", f"{base.year:04d}-WXX")  # year the text does not pin down (TimeBank: YYYY-WXX)
    if unit == "weekend" and n == 0 and ref.tense == "PAST" and base.isoweekday() < 6:
        n = -1
    if unit == "year" and n == -1 and ref.period and ref.comparison and ref.period.startswith(f"{base.year:04d}"):
        return Value("DATE", _year_before(ref.period))  # "$3 million last year": the same quarter
    value, day = _period(base, unit, n)
    return Value("DATE", value, date=day)


def _h_deictic(g: Groups, ref: Reference, ttype: str) -> Value:
    n = int(words()["deictic"][g["deictic"]])
    if ref.date is None:
        return Value("DATE", "XXXX-XX-XX")
    d = ref.date + dt.timedelta(days=n)
    return Value("DATE", d.isoformat(), date=d)


def _weekday_date(g: Groups, ref: Reference, weekday: int) -> dt.date:
    assert ref.date is not None
    rel = g.get("rel", "")
    if rel in ("the previous", "the following"):  # anaphoric: from the last day mentioned
        base = ref.last if ref.last is not None and ref.last_is_day else ref.date
        diff = weekday - base.isoweekday()
        if rel == "the previous":
            return base + dt.timedelta(days=diff - 7 if diff >= 0 else diff)
        return base + dt.timedelta(days=diff + 7 if diff <= 0 else diff)
    diff = weekday - ref.date.isoweekday()
    if rel in ("last", "past"):
        return ref.date + dt.timedelta(days=diff - 7 if diff >= 0 else diff)
    if rel in ("next", "coming", "this coming"):
        return ref.date + dt.timedelta(days=diff + 7 if diff <= 0 else diff)
    if rel == "this":
        return ref.date + dt.timedelta(days=diff)
    options = [ref.date + dt.timedelta(days=diff + k) for k in (-7, 0, 7)]
    return _by_tense([d for d in options if abs((d - ref.date).days) < 7], ref)


def _day_word(word: str, ref: Reference) -> dt.date | None:
    """The day a weekday or deictic word names (None without a reference)."""
    if ref.date is None:
        return None
    w = words()
    if word in w["deictic"]:
        return ref.date + dt.timedelta(days=int(w["deictic"][word]))
    return _weekday_date({}, ref, int(w["weekday"][word.rstrip(".")]))


def _h_weekday(g: Groups, ref: Reference, ttype: str) -> Value:
    weekday = int(words()["weekday"][g["weekday"].rstrip(".")])
    if ref.date is None:
        return Value("DATE", f"XXXX-WXX-{weekday}")
    d = _weekday_date(g, ref, weekday)
    return Value("DATE", d.isoformat(), date=d)


def _h_holiday(g: Groups, ref: Reference, ttype: str) -> Value:
    rule = words()["holiday"][g["holiday"].replace("’", "'")]
    if ref.date is None:
        return Value("DATE", f"XXXX-{rule[:5]}" if "@" not in rule else "XXXX-" + rule[:2] + "-XX")
    options = [d for y in (ref.date.year - 1, ref.date.year, ref.date.year + 1) if (d := _holiday_in(rule, y))]
    near = [d for d in options if abs((d - ref.date).days) <= 183] or options
    d = _by_tense(near, ref)
    return Value("DATE", d.isoformat(), date=d)


def _holiday_in(rule: str, year: int) -> dt.date | None:
    if "@" not in rule:
        return _safe_date(year, int(rule[:2]), int(rule[3:5]))
    month, rest = rule.split("-")
    weekday, day = (int(x) for x in rest.split("@"))
    start = dt.date(year, int(month), day)
    return start + dt.timedelta(days=(weekday - start.isoweekday()) % 7)


def _h_ref(g: Groups, ref: Reference, ttype: str) -> Value:
    return Value("DATE", words()["ref"][g["ref"]], relative=False)


def _duration(n: float | None, unit: str) -> str:
    code = words()["unit"][unit]
    if n is not None and code in ("H", "MIN") and n != int(n):  # 1.5 minutes -> PT1M30S
        whole, part = int(n), round((n - int(n)) * 60)
        return f"PT{whole}{_UNIT_CODE[code]}{part}{'M' if code == 'H' else 'S'}" if whole else f"PT{part}{'M' if code == 'H' else 'S'}"
    amount = "X" if n is None else _fmt_number(n * _UNIT_FACTOR.get(code, 1))
    return f"PT{amount}{_UNIT_CODE[code]}" if code in _TIME_UNITS else f"P{amount}{_UNIT_CODE[code]}"


def _h_anchored(g: Groups, ref: Reference, ttype: str) -> Value:
    n = _number(g["num"])
    unit = g["unit"]
    code = words()["unit"][unit]
    word = g["ago"]
    sign = -1 if word in ("ago", "earlier", "before") else 1
    base = ref.date if word in ("ago", "hence", "from now") else (ref.last or ref.date)
    if n is None and word in ("ago", "hence", "from now"):
        return Value("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    if n is None:  # "a few days later": no day to count to, a vague duration (TimeBank: "a few days" PXD)
        return Value("DURATION", _duration(None, unit))
    if base is None:
        return Value("DATE", _UNKNOWN_PERIOD.get(_unit_name(code), "XXXX"))
    if "unithalf" in g:
        n += 0.5
    if code == "Y" and n == 1 and sign < 0 and ref.period:
        return Value("DATE", _year_before(ref.period))
    if code in ("Y", "DE", "CE", "ML") and n * _UNIT_FACTOR.get(code, 1) != int(n * _UNIT_FACTOR.get(code, 1)):
        code, n = "M", n * _UNIT_FACTOR.get(code, 1) * 12  # "a year and a half ago": 18 months back, a month
    steps = round(n * _UNIT_FACTOR.get(code, 1)) * sign
    if code in _TIME_UNITS:
        return Value("DATE", base.isoformat(), date=base)
    name = _unit_name(code)
    if code in ("DE", "CE", "ML"):
        name = "year"
    if code == "Q":
        name = "month"
    value, day = _period(base, name, steps)
    return Value("DATE", value, date=day)


def _year_before(period: str) -> str:
    """The same quarter or half a year earlier: 1989-Q3 -> 1988-Q3."""
    return f"{int(period[:4]) - 1:04d}{period[4:]}"


def _unit_name(code: str) -> str:
    return {"D": "day", "W": "week", "WE": "week", "M": "month", "Q": "month", "Y": "year", "DE": "decade",
            "CE": "century"}.get(code, "day")


def _h_samedate(g: Groups, ref: Reference, ttype: str) -> Value:
    unit = g["unit"]
    base = ref.last or ref.date
    text = g.get("_text", "")
    n = 1 if ("next" in text or "following" in text) else -1 if "previous" in text else 0
    if base is None:
        return Value("DATE", _UNKNOWN_PERIOD.get(unit, "XXXX-XX-XX"))
    pod = words()["partofday"].get(unit)
    if (unit == "day" or pod) and ref.last is not None and not ref.last_is_day and ref.last_value:
        month = re.match(r"\d{4}-\d{2}(?=$|-)", ref.last_value)  # "that day" of "October": a day of it
        known = month.group(0) + "-XX" if month else ref.last_value[:4] + "-XX-XX"
        return Value("TIME", f"{known}T{pod}") if pod else Value("DATE", known)
    if unit in words()["partofday"]:
        d = base + dt.timedelta(days=n)
        return Value("TIME", d.isoformat() + "T" + words()["partofday"][unit], date=d)
    value, day = _period(base, unit, n)
    return Value("DATE", value, date=day)


def _h_clock(g: Groups, ref: Reference, ttype: str) -> Value:
    if "clock" in g:
        hhmm = words()["clock"][g["clock"]]
    else:
        hour = int(g["hour"])
        minute = int(g.get("minute", "0"))
        ampm = g.get("ampm", "")
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        elif not ampm and g.get("pod") in ("evening", "night", "afternoon") and hour < 12:
            hour += 12
        hhmm = f"{hour:02d}:{minute:02d}"
    if "dayword" in g:
        day = _day_word(g["dayword"].rstrip("."), ref)
    else:  # "was shot at 10 p.m.": on the day just mentioned, else the reference day
        day = ref.last if ref.last is not None and ref.last_is_day else ref.date
    if "month" in g:
        on = _h_monthday(g, ref, "DATE")
        return Value("TIME", f"{on.value}T{hhmm}", date=on.date)
    if day is None:
        return Value("TIME", f"XXXX-XX-XXT{hhmm}")
    return Value("TIME", f"{day.isoformat()}T{hhmm}", date=day)


def _h_partofday(g: Groups, ref: Reference, ttype: str) -> Value:
    w = words()
    rel = g.get("rel", "this")
    pod = "NI" if rel == "tonight" else w["partofday"][g["pod"]]
    if "weekday" in g:
        day = _day_word(g["weekday"].rstrip("."), ref)
    elif ref.date is None:
        day = None
    else:
        shift = {"last": -1, "yesterday": -1, "tomorrow": 1, "late last": -1}.get(rel, 0)
        day = ref.date + dt.timedelta(days=shift)
    if day is None:
        return Value("TIME", f"XXXX-XX-XXT{pod}")
    return Value("TIME", f"{day.isoformat()}T{pod}", date=day)


def _h_duration(g: Groups, ref: Reference, ttype: str) -> Value:
    unit = g["unit"]
    vague = "low" not in g and _number(g.get("num", "1")) is None
    if "vaguepast" in g or (vague and g.get("rel") in _PAST_RELS):
        # "in recent years", "the last few months": the past (TimeBank); the coming ones stay vague
        # durations ("PXY"), which TimeBank gives them as often as FUTURE_REF
        return Value("DATE", "PAST_REF", relative=False)
    if "one" in g:
        return Value("DURATION", _duration(1, unit if unit != "period" else "quarter"))
    if "low" in g:  # "two to three weeks": the length is not one number
        return Value("DURATION", _duration(None, unit))
    if "num" not in g:
        return Value("DURATION", _duration(None, unit))
    n = _number(g["num"])
    if n is not None and ("andhalf" in g or "unithalf" in g):
        n += 0.5
    if n is not None and n > 10000:
        raise ValueError("too long")
    return Value("DURATION", _duration(n, unit))


def _h_set(g: Groups, ref: Reference, ttype: str) -> Value:
    if "set" in g:
        return Value("SET", words()["set"][g["set"]], relative=False)
    if "season" in g:  # "every summer"
        return Value("SET", f"XXXX-{words()['season'][g['season']]}", relative=False)
    if "ordinal" in g:  # "every fourth quarter", "fourth quarters are strong": that quarter of every year
        return Value("SET", f"XXXX-Q{words()['ordinal'][g['ordinal']]}", relative=False)
    if "weekday" in g or "weekdays" in g:  # "every Monday", "Mondays", "Tuesday nights"
        day = words()["weekday"][(g.get("weekday") or g["weekdays"][:-1]).rstrip(".")]
        pod = "T" + words()["partofday"][g["pods"][:-1]] if "pods" in g else ""
        return Value("SET", f"XXXX-WXX-{day}{pod}", relative=False)
    n = _number(g["num"]) if "num" in g else 1.0
    return Value("SET", _duration(n, g["unit"]), relative=False)


_HANDLERS = {
    "full": _h_full,
    "monthday": _h_monthday,
    "weekof": _h_weekof,
    "monthyear": _h_monthyear,
    "month": _h_month,
    "year": _h_year,
    "decade": _h_decade,
    "century": _h_century,
    "quarter": _h_quarter,
    "half": _h_half,
    "season": _h_season,
    "relunit": _h_relunit,
    "deictic": _h_deictic,
    "weekday": _h_weekday,
    "holiday": _h_holiday,
    "ref": _h_ref,
    "anchored": _h_anchored,
    "samedate": _h_samedate,
    "clock": _h_clock,
    "partofday": _h_partofday,
    "duration": _h_duration,
    "set": _h_set,
}
