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
        text = html_fragment_text(html)
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




_BLOCKS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "section", "article",
})
_HIDDEN = ("script", "style", "noscript", "template", "head")


def html_fragment_text(fragment: str) -> str:
    """Visible text of an HTML fragment, one paragraph per block element ("<p>a</p><p>b</p>" -> "a\\n\\nb").

    Used for feed entry bodies, and for pages in which trafilatura finds no article body (a bare
    ``<p>`` in a JSONL ``html`` field, a very short page): rather than drop such an article, keep its
    visible text. Scripts, styles and comments are dropped; the walk is iterative, so deep nesting is fine.
    """
    import lxml.html
    from lxml import etree

    if "<" not in fragment:
        return normalize_newlines(fragment).strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):  # lxml asserts on a page without a body
        return _without_tags(fragment)
    etree.strip_elements(root, *_HIDDEN, with_tail=False)
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    pieces: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            pieces.append("\n\n")
        if event == "start":
            pieces.append(element.text or "")
        elif element is not root:
            pieces.append(element.tail or "")
    paragraphs = (" ".join(p.split()) for p in "".join(pieces).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _without_tags(markup: str) -> str:
    """Text of markup lxml cannot parse as a fragment (``<html><head>...</head></html>``): tags dropped."""
    import re

    text = re.sub(r"(?is)<(script|style|head|title|template)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", " ", markup)
    return " ".join(normalize_newlines(text).split())
