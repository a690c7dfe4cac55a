"""HTML pages: main text, title, date and url through trafilatura."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import EmptyArticle
from ..model import Article, Failure
from .decode import decode_text
from .text import normalize_newlines

EXTENSIONS = (".html", ".htm", ".xhtml")


def read_html(path: Path, *, published: str | None = None) -> Iterator[Article | Failure]:
    """One article from an HTML file."""
    html = decode_text(path.read_bytes(), path=str(path))
    yield article_from_html(html, id=str(path), published=published)


def article_from_html(
    html: str, *, id: str, url: str | None = None, published: str | None = None, title: str | None = None,
    source: str | None = None,
) -> Article:
    """The main text and metadata of an HTML page; the given values win over the page's own.

    Raises:
        EmptyArticle: the page has no main text.
    """
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False, favor_precision=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise EmptyArticle(path=id)
    return Article(
        id=id,
        text=normalize_newlines(text),
        url=url or getattr(doc, "url", None),
        title=title or getattr(doc, "title", None),
        published=published or getattr(doc, "date", None),
        source=source or getattr(doc, "sitename", None),
    )
