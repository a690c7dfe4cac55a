"""Plain-text articles: the whole file is the text; the date comes from ``--published``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model import Article, Failure
from .decode import decode_text

EXTENSIONS = (".txt", ".text")


def read_text(path: Path, *, published: str | None = None) -> Iterator[Article | Failure]:
    """One article from a text file (UTF-8, or a detected charset)."""
    text = decode_text(path.read_bytes(), path=str(path))
    yield Article(id=str(path), text=normalize_newlines(text), published=published)


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` become ``\\n``: offsets then mean the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
