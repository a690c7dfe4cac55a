"""Plain-text articles: the whole file is the text; the date comes from ``--published``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..model import Article, Failure
from .decode import decode_text

EXTENSIONS = (".txt", ".text")


def read_text(path: Path, *, published: str | None = None) -> Iterator[Article | Failure]:
    """One article from a text file (UTF-8, or a detected charset)."""
    text = decode_text(path.read_bytes(), path=str(path))
    yield Article(id=str(path), text=normalize_newlines(text), published=published)


INVALID_CHARS = re.compile("[\x00\ud800-\udfff]")
"""NUL and lone surrogates (from JSON escapes such as ``\\ud800``): no parser, encoder or database
takes them (PostgreSQL text cannot hold NUL; spaCy cannot encode a surrogate)."""


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` become ``\\n``: offsets then mean the same on every platform.

    Characters that are not text (NUL, lone surrogates) become U+FFFD, one for one, so the article
    is kept with the same offsets instead of failing in the parser or the store.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return INVALID_CHARS.sub("\ufffd", text) if INVALID_CHARS.search(text) else text
