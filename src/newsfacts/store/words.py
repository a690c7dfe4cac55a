"""The words of a text as the store's word index (``word_index``) and its questions know them.

A word is a run of letters and digits, lower-cased ("2,000-troop" is ``2``, ``000``, ``troop``), cut
into pieces of at most ``MAX_WORD`` characters; the same function splits stored texts and search
queries, so both agree on what a word is in every script Python's ``str.lower`` and ``\\w`` handle.
"""

from __future__ import annotations

import re

MAX_WORD = 40
"""Longer runs (URLs without punctuation, base64) are indexed in pieces of this length."""

FACT_ROWS = 1 << 20
"""``fact_key`` room per article: more rows of one kind than this in one article is not news."""

_WORD = re.compile(rf"[^\W_]{{1,{MAX_WORD}}}")


def words(text: str | None) -> set[str]:
    """The distinct words of ``text``.

    Example:
        >>> sorted(words("About 2,000 troops; 2,000 more."))
        ['000', '2', 'about', 'more', 'troops']
    """
    if not text:
        return set()
    return set(_WORD.findall(text.lower()))


def query_words(text: str | None) -> list[str]:
    """The words of a search query in order of appearance, each once (``[]`` when it has none)."""
    return list(dict.fromkeys(_WORD.findall((text or "").lower())))


def fact_key(aid: int, ord: int) -> int:
    """The id of a fact row in ``word_index``: its article id and position, as one integer.

    Example:
        >>> fact_key(3, 2)
        3145730
    """
    return aid * FACT_ROWS + ord
