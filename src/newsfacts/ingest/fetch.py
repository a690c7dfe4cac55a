"""``http(s)://`` URLs: a page becomes an article, a feed becomes its entries.

Downloads go through trafilatura's fetcher with a timeout, a size limit and a user agent that names
newsfacts. Private and loopback addresses are refused (SSRF protection) unless the URL itself names
one literally (``http://127.0.0.1:8000/page``, ``http://localhost/...``): a user who types that means it.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..errors import InputError
from ..model import Article, Failure
from .decode import decode_text
from .feed import articles_from_feed, is_feed
from .html import article_from_html

SCHEMES = ("http://", "https://")

TIMEOUT_S = 20
"""Seconds before a download is abandoned: a news page that takes longer is not coming."""

MAX_BYTES = 10_000_000
"""Largest body downloaded: news pages are under 2 MB; a 10 MB response is not an article."""

USER_AGENT = "newsfacts/0.1 (fact extraction for research; +https://pypi.org/project/newsfacts/)"


def is_url(value: str) -> bool:
    """Whether an input names an ``http(s)`` URL rather than a path."""
    return value.lower().startswith(SCHEMES)


def read_url(url: str, *, published: str | None = None, allow_private: bool | None = None,
             timeout: int = TIMEOUT_S, max_bytes: int = MAX_BYTES) -> Iterator[Article | Failure]:
    """Fetch ``url`` and read it as a page or a feed.

    Args:
        url: an ``http://`` or ``https://`` URL.
        published: date for a page or entries that carry none.
        allow_private: fetch private/loopback addresses; ``None`` allows them only when ``url``
            names one literally (web servers should pass ``False``).
        timeout: seconds before giving up.
        max_bytes: largest body accepted.

    Raises:
        InputError: E112 when the download fails, E111 for a broken feed, E102 for an empty page.

    Example:
        >>> next(read_url("https://example.com/news/1")).url
        'https://example.com/news/1'
    """
    from trafilatura.downloads import fetch_response
    from trafilatura.settings import use_config

    if allow_private is None:
        allow_private = _names_private_host(url)
    config = use_config()
    config.set("DEFAULT", "DOWNLOAD_TIMEOUT", str(int(timeout)))
    config.set("DEFAULT", "MAX_FILE_SIZE", str(int(max_bytes)))
    config.set("DEFAULT", "USER_AGENTS", USER_AGENT)
    config.set("DEFAULT", "SSRF_PROTECTION", "off" if allow_private else "on")
    response = fetch_response(url, decode=False, config=config)
    if response is None or response.data is None:
        raise InputError("E112", url=url, reason="no response (unreachable, refused, timed out, or too large)")
    if response.status != 200:
        raise InputError("E112", url=url, reason=f"HTTP status {response.status}")
    data = response.data
    if len(data) >= max_bytes:
        raise InputError("E112", url=url, reason=f"larger than {max_bytes} bytes")
    final_url = response.url or url
    if is_feed(data):
        yield from articles_from_feed(data, name=final_url, published=published)
        return
    html = decode_text(data, path=url)
    article = article_from_html(html, id=url, url=final_url)
    yield dataclasses.replace(article, published=article.published or published)


def _names_private_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback

