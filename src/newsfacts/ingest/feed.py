"""RSS and Atom feeds: each entry's content (or summary) becomes an article, with its link and date.

Parsed with feedparser, which also reads malformed feeds where it can; a file with no entries that
feedparser flags as broken is one ``Failure``. Entry bodies are HTML fragments, turned into text with
paragraph breaks kept.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Article, Failure
from .html import html_fragment_text

EXTENSIONS = (".rss", ".atom", ".xml")

def read_feed(path: Path, *, published: str | None = None) -> Iterator[Article | Failure]:
    """The entries of an RSS/Atom feed file as articles.

    Args:
        path: a ``.rss``, ``.atom`` or ``.xml`` feed.
        published: date for entries that carry none.

    Raises:
        InputError: E111 when the file is not a readable feed.

    Example:
        >>> [a.url for a in read_feed(Path("news.rss"))]
        ['https://example.com/news/1', 'https://example.com/news/2']
    """
    yield from articles_from_feed(path.read_bytes(), name=str(path), published=published)


def is_feed(data: bytes) -> bool:
    """Whether ``data`` looks like an RSS/Atom document (for fetched URLs, which carry no extension)."""
    head = data[:2048].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head) or head.startswith((b"<rss", b"<feed"))


def articles_from_feed(data: bytes, *, name: str, published: str | None = None) -> Iterator[Article | Failure]:
    """The entries of feed ``data`` read from ``name`` (a path or URL)."""
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        if feed.get("bozo") or not feed.get("version"):
            reason = str(feed.get("bozo_exception") or "not an RSS or Atom feed").strip().splitlines()[0]
            raise InputError("E111", path=name, reason=reason)
        return  # a well-formed feed with no entries yet
    source = feed.feed.get("title") or None
    for number, entry in enumerate(feed.entries, start=1):
        entry_id = entry.get("link") or entry.get("id") or f"{name}#{number}"
        text = _entry_text(entry)
        if not text:
            yield Failure(id=entry_id, message=str(InputError("E102", path=entry_id)))
            continue
        yield Article(
            id=entry_id, text=text, url=entry.get("link") or None, title=entry.get("title") or None,
            published=_entry_date(entry) or published, source=source,
        )


def _entry_text(entry: Any) -> str:
    """The entry's full content if present, else its summary, as plain text."""
    bodies = [c.get("value", "") for c in entry.get("content") or []]
    body = max(bodies, key=len) if bodies else entry.get("summary", "")
    return html_fragment_text(body or "")


def _entry_date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return time.strftime("%Y-%m-%d", parsed)
