"""Word lists for quantity extraction, loaded once from ``newsfacts/data`` (number words, units, bounds).

The lists are plain TSV files with a header line naming their source and license; each loader is
cached, so a process reads every file once. Measure units are normalized with pint (a maintained
units library) rather than a hand table: ``"square kilometers"`` -> ``"kilometer ** 2"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

_DATA = "newsfacts.data"


@dataclass(frozen=True, slots=True)
class NumberWord:
    """An English number word: its value and what it does in a phrase (unit, scale, fraction...)."""

    value: float
    kind: str


@dataclass(frozen=True, slots=True)
class UnitEntry:
    """A unit as written (lower case) with its normalized name and kind (currency, percent, measure...)."""

    normalized: str
    kind: str


def _rows(name: str) -> list[list[str]]:
    """The tab-separated rows of a data file, header and comment lines skipped."""
    text = resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def number_words() -> dict[str, NumberWord]:
    """``{"twenty": NumberWord(20, "tens"), "million": NumberWord(1e6, "scale"), ...}``."""
    return {row[0]: NumberWord(float(row[1]), row[2]) for row in _rows("number_words.tsv")}


@cache
def units() -> dict[str, UnitEntry]:
    """Units by lower-case surface form: currencies (ISO 4217), percent, points, ages and measures."""
    table: dict[str, UnitEntry] = {}
    for surface, normalized, kind in _rows("quantity_units.tsv"):
        if kind == "measure" and normalized == "-":
            normalized = _pint_name(surface)
        table[surface] = UnitEntry(normalized, kind)
    return table


@cache
def max_unit_words() -> int:
    """The longest unit surface form, in words (bounds the look-ahead after a number)."""
    return max(len(surface.split()) for surface in units())


@cache
def modifiers() -> dict[tuple[str, str], str]:
    """``{("pre", "more than"): ">", ("post", "or so"): "~", ...}``: bounds and approximators."""
    return {(row[2], row[0]): row[1] for row in _rows("quantity_modifiers.tsv")}


@cache
def change_words() -> dict[str, str]:
    """``{"rose": "up", "fell": "down", ...}``: words that make the next number a change."""
    return {row[0]: row[1] for row in _rows("quantity_change_words.tsv")}


@cache
def counted_nouns() -> frozenset[str]:
    """Lemmas of the nouns news counts ("troop", "voter", "case"), from PolNeAR train (bench/counted_nouns.py)."""
    return frozenset(row[0] for row in _rows("counted_nouns.tsv"))


@cache
def _registry():
    import pint

    return pint.UnitRegistry()


def _pint_name(surface: str) -> str:
    """pint's canonical name for a unit surface form (``"miles per hour"`` -> ``"mile / hour"``).

    Falls back to the surface itself when pint does not know the word.
    """
    import pint

    try:
        parsed = _registry().parse_units(surface)
    except (pint.errors.PintError, AttributeError, ValueError, TypeError):  # unknown or malformed unit name
        return surface
    return str(parsed).replace("_", " ")
