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
        text = _fragment_text(html)
    if not text.strip():
        raise EmptyArticle(path=id)
    return Article(
        id=id,
        text=normalize_newlines(text),
        url=url or getattr(doc, "url", None),
        title=title or getattr(doc, "title", None),
        published=published or getattr(doc, "date", None),
        source=source or getattr(doc, "sitename", None),
    )



_BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"})
_HIDDEN = ("script", "style", "noscript", "template", "head")


def _fragment_text(html: str) -> str:
    """The visible text of a page or fragment in which trafilatura finds no main text.

    trafilatura looks for an article body and gives nothing for a bare ``<p>`` fragment (a JSONL
    ``html`` field, a feed entry) or a very short page; rather than drop such an article, keep every
    visible text node, with a line break around each block element (iteratively: deep nesting is fine).
    """
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, *_HIDDEN, with_tail=False)
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    pieces: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        block = isinstance(element.tag, str) and element.tag.lower() in _BLOCKS
        if event == "start":
            pieces.append("\n" if block else "")
            pieces.append(element.text or "")
        else:
            pieces.append("\n" if block else "")
            if element is not root:
                pieces.append(element.tail or "")
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)
