"""Find number expressions in plain text: "2,500", "8 million", "1.2bn", "twenty-five", "a third", "two dozen".

A linear scan over word/digit atoms (one regex pass, no backtracking), so a 100,000-digit number, a
list like "1,2,3,4,5,6" or "10^400" costs time proportional to its length and never overflows: values
come from ``float`` and non-finite or absurdly long numbers are dropped. Only ASCII digits count as
digits (other scripts' digits are left alone).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ._quant_lexicon import number_words

_ATOM = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?|[^\W\d_]+|\S", re.UNICODE)
_MAX_DIGITS = 15
"""Longer digit strings are ids (tweet ids have 18-19 digits), hashes or junk; a trillion has 13 digits."""

_SCALE_SUFFIXES = {"k": 1e3, "bn": 1e9, "b": 1e9, "tn": 1e12, "trn": 1e12, "mn": 1e6, "mln": 1e6}
"""Letters glued to digits that multiply them ("1.2bn", "30k"); "m" is decided later (million or metre)."""

_SENTENCE_OPENERS = {'"', "“", "‘", "'", "(", "[", "—", "-", "–"}


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """One number expression in a text: offsets, value and how it was written.

    ``kind`` is ``number``, ``fraction`` ("a third"), ``magnitude`` ("thousands", value is the low end)
    or ``ratio`` ("9 in 10"). ``suffix`` holds letters glued to the digits ("m" in "$800m").
    """

    start: int
    end: int
    value: float
    kind: str
    words: bool
    suffix: str = ""
    scaled: bool = False


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    text: str


def _atoms(text: str) -> list[_Atom]:
    return [_Atom(m.start(), m.end(), m.group()) for m in _ATOM.finditer(text)]


def _digit_value(s: str) -> float | None:
    digits = s.replace(",", "")
    if len(digits.split(".")[0]) > _MAX_DIGITS:
        return None
    value = float(digits)
    return value if math.isfinite(value) else None


def _is_digits(a: _Atom) -> bool:
    return a.text[0].isascii() and a.text[0].isdigit()


def _word(a: _Atom):
    return number_words().get(a.text.lower()) if a.text.isalpha() else None


def _gap(text: str, left: _Atom, right: _Atom) -> str:
    return text[left.end : right.start]


def _bad_digit_context(text: str, a: _Atom) -> bool:
    """Digits that are part of an id, time, date, version, list or formula rather than a quantity."""
    before = text[a.start - 1] if a.start > 0 else ""
    before2 = text[max(0, a.start - 2) : a.start]
    after = text[a.end] if a.end < len(text) else ""
    after2 = text[a.end : a.end + 2]
    if before.isalpha() or before in {"#", "^", "/", ":", "'", "’", "@", "_"}:
        return True
    if before == "-" and len(before2) == 2 and before2[0].isdigit():
        first = re.search(r"([0-9][0-9,]*(?:\.[0-9]+)?)$", text[max(0, a.start - 24) : a.start - 1])
        if first is None or len(first.group(1)) > _MAX_DIGITS:
            return True
        # "600-700" is a range (merged later); "216-146", "555-0123" are scores and phone numbers
        return float(first.group(1).replace(",", "")) >= float(a.text.replace(",", ""))
    if before == "-" and len(before2) == 2 and before2[0].isalpha() and not text[max(0, a.start - 3) : a.start - 1].endswith("to"):
        return True  # "F-16", "PF-9", "COVID-19"
    if before in {",", "."} and len(before2) == 2 and before2[0].isdigit():
        return True  # "1,2,3" lists, "1.2.3" versions
    if after in {"/", ":", "^", "_", "@"}:
        return True
    if after in {",", "."} and len(after2) == 2 and after2[1].isdigit():
        return True
    score = re.match(r"-([0-9][0-9,]*(?:\.[0-9]+)?)", text[a.end : a.end + 24])
    # "a record of 216-146", "a 5-4 vote": a score, not a range
    return (
        score is not None
        and "." not in a.text
        and len(score.group(1)) <= _MAX_DIGITS
        and float(a.text.replace(",", "")) >= float(score.group(1).rstrip(",").replace(",", ""))
    )


def _sentence_initial(text: str, start: int) -> bool:
    head = text[max(0, start - 20) : start].strip()
    if not head and start >= 20:
        return False
    return not head or head[-1] in _SENTENCE_OPENERS or head.endswith((".", "?", "!", ":"))


def number_matches(text: str) -> list[NumberMatch]:
    """All number expressions of ``text`` in order (see module doc).

    Example: ``number_matches("about 2,500 troops and two-thirds")`` gives 2500.0 at [6, 11) and
    0.667 (fraction) at [23, 33).
    """
    atoms = _atoms(text)
    found: list[NumberMatch] = []
    i = 0
    n = len(atoms)
    while i < n:
        match, nxt = _expression(text, atoms, i)
        if match is not None:
            found.append(match)
        i = max(nxt, i + 1)
    return found


def _expression(text: str, atoms: list[_Atom], i: int) -> tuple[NumberMatch | None, int]:
    """Read one expression starting at atom ``i``; return it (or None) and the next atom index."""
    a = atoms[i]
    if _is_digits(a):
        return _digit_expression(text, atoms, i)
    lead = a.text.lower()
    if lead in {"a", "an"} and i + 1 < len(atoms):
        w = _word(atoms[i + 1])
        if w is not None and w.kind in {"scale", "dozen", "fraction"} and _gap(text, a, atoms[i + 1]) == " ":
            return _word_expression(text, atoms, i + 1, lead_start=a.start, lead_value=1.0)
        return None, i + 1
    w = _word(a)
    if w is None:
        return None, i + 1
    if (a.text.istitle() or (a.text.isupper() and len(a.text) > 1)) and not _sentence_initial(text, a.start):
        return None, i + 1  # "Gang of Eight", "THREE AMIGOS": names and headlines, not quantities
    if a.start > 1 and text[a.start - 1] == "-" and text[a.start - 2].isalpha():
        return None, i + 1  # "one-two punch", "Catch-Twenty"
    return _word_expression(text, atoms, i, lead_start=None, lead_value=None)


def _digit_expression(text: str, atoms: list[_Atom], i: int) -> tuple[NumberMatch | None, int]:
    a = atoms[i]
    if _bad_digit_context(text, a):
        return None, i + 1
    value = _digit_value(a.text)
    if value is None:
        return None, i + 1
    start = a.start
    if a.start >= 1 and text[a.start - 1] in "-−" and (a.start == 1 or text[a.start - 2] in " (") and not re.search(
        r"[0-9%]\s*$", text[max(0, a.start - 12) : a.start - 1]
    ):
        value, start = -value, a.start - 1  # "fell to -1.3%", "−40 degrees" (not the "5 - 10" of a range)
    end = a.end
    j = i + 1
    suffix = ""
    scaled = False
    if j < len(atoms) and atoms[j].start == a.end and atoms[j].text.isalpha():
        letters = atoms[j].text.lower()
        if letters in _SCALE_SUFFIXES:
            value *= _SCALE_SUFFIXES[letters]
            end, j, scaled = atoms[j].end, j + 1, True
        elif letters in {"st", "nd", "rd", "th", "s"}:
            return None, j + 1  # ordinals ("22nd") and decades ("1990s")
        else:
            suffix = letters  # "9mm", "800m": a glued unit, judged by the caller
            j += 1
    # "8 million", "1.5 billion", "2 dozen"
    while j < len(atoms) and not suffix and _gap(text, atoms[j - 1], atoms[j]) == " ":
        w = _word(atoms[j])
        if w is None or w.kind not in {"scale", "dozen"}:
            break
        value *= w.value
        end, j, scaled = atoms[j].end, j + 1, True
    if suffix and not math.isfinite(value):
        return None, j
    if not math.isfinite(value):
        return None, j
    ratio = _ratio(text, atoms, j, value)
    if ratio is not None:
        r_value, r_end, r_next = ratio
        return NumberMatch(start, r_end, r_value, "ratio", False), r_next
    return NumberMatch(start, end, value, "number", False, suffix, scaled), j


def _ratio(text: str, atoms: list[_Atom], j: int, numerator: float) -> tuple[float, int, int] | None:
    """'9 in 10', 'three out of four': a share, returned as numerator / denominator."""
    k = j
    if k < len(atoms) and atoms[k].text.lower() == "in":
        k += 1
    elif k + 1 < len(atoms) and atoms[k].text.lower() == "out" and atoms[k + 1].text.lower() == "of":
        k += 2
    else:
        return None
    if k >= len(atoms):
        return None
    d = atoms[k]
    if _is_digits(d):
        denominator = _digit_value(d.text)
    else:
        w = _word(d)
        denominator = w.value if w is not None and w.kind in {"unit", "teen", "tens"} else None
    if denominator not in (3.0, 4.0, 5.0, 10.0, 100.0, 1000.0) or numerator >= denominator:  # type: ignore[operator]
        return None
    return numerator / denominator, d.end, k + 1  # type: ignore[operator]


def _word_expression(
    text: str, atoms: list[_Atom], i: int, *, lead_start: int | None, lead_value: float | None
) -> tuple[NumberMatch | None, int]:
    """Words such as "twenty-five", "one hundred and five", "two-thirds", "half a million", "a dozen"."""
    start = lead_start if lead_start is not None else atoms[i].start
    total = 0.0
    current = lead_value or 0.0
    fraction: float | None = None
    magnitude = False
    end = atoms[i].end
    j = i
    prev_kind = ""
    while j < len(atoms):
        if j > i:
            step = _joined_word(text, atoms, j)
            if step is None:
                break
            j = step
        w = _word(atoms[j])
        if w is None:
            break
        kind = w.kind
        if j > i and not _continues(prev_kind, kind):
            break
        if kind in {"unit", "teen", "tens"}:
            current += w.value
        elif kind == "scale":
            if w.value == 100:
                current = (current or 1.0) * 100
            else:
                total += (current or 1.0) * w.value
                current = 0.0
        elif kind == "dozen":
            current = (current or 1.0) * 12
        elif kind == "fraction":
            fraction = (current or 1.0) * w.value
            current = 0.0
        elif kind == "magnitude":
            if j > i:
                break
            magnitude = True
            current = w.value
        end = atoms[j].end
        prev_kind = kind
        j += 1
        # "one hundred and five": "and" only continues after hundred/thousand
        if (
            kind == "scale"
            and j + 1 < len(atoms)
            and atoms[j].text.lower() == "and"
            and (_word(atoms[j + 1]) or _NONE).kind in {"unit", "teen", "tens"}
        ):
            j += 1
        if magnitude:
            break
        if fraction is not None:
            # "half a million", "a quarter million"
            if j + 1 < len(atoms) and atoms[j].text.lower() == "a" and (_word(atoms[j + 1]) or _NONE).kind in {"scale", "dozen"}:
                fraction *= _word(atoms[j + 1]).value  # type: ignore[union-attr]
                end = atoms[j + 1].end
                j += 2
            elif j < len(atoms) and (_word(atoms[j]) or _NONE).kind == "scale" and _gap(text, atoms[j - 1], atoms[j]) == " ":
                fraction *= _word(atoms[j]).value  # type: ignore[union-attr]
                end = atoms[j].end
                j += 1
            break
    if fraction is not None:
        return NumberMatch(start, end, fraction, "fraction", True), j
    value = total + current
    if magnitude:
        return NumberMatch(start, end, value, "magnitude", True), j
    ratio = _ratio(text, atoms, j, value)
    if ratio is not None:
        r_value, r_end, r_next = ratio
        return NumberMatch(start, r_end, r_value, "ratio", True), r_next
    return NumberMatch(start, end, value, "number", True, "", prev_kind in {"scale", "dozen"}), j


@dataclass(frozen=True, slots=True)
class _NoWord:
    kind: str = ""
    value: float = 0.0


_NONE = _NoWord()


def _joined_word(text: str, atoms: list[_Atom], j: int) -> int | None:
    """Index of the word continuing a number at atom ``j`` (after one space or a glued hyphen), else None."""
    if atoms[j].text == "-" and atoms[j].start == atoms[j - 1].end:
        if j + 1 < len(atoms) and atoms[j + 1].start == atoms[j].end:
            return j + 1
        return None
    return j if _gap(text, atoms[j - 1], atoms[j]) == " " else None


def _continues(prev: str, kind: str) -> bool:
    """Whether a number word of ``kind`` can follow one of ``prev`` in the same number."""
    if kind in {"scale", "dozen"}:
        return prev in {"unit", "teen", "tens", "scale", "fraction"} or prev == ""
    if kind == "unit":
        return prev in {"tens", "scale"}
    if kind in {"teen", "tens"}:
        return prev == "scale"
    if kind == "fraction":
        return prev in {"unit", "teen", "tens"}
    return False
