"""The fixed URLs of the web UI, built in one place so templates, charts and JSON agree.

Article ids can be file paths (``news/2021/a.txt``) or URLs, so an id is percent-encoded as one path
segment (``/`` becomes ``%2F``); the routes capture the decoded rest of the path, slashes included.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

JSON_SUFFIX = ".json"


def article_url(article_id: str, *, sentence: int | None = None, fmt: str = "") -> str:
    """``/articles/{id}``, its ``.json`` twin, or a link to one sentence (``#s-START``).

    Example:
        >>> article_url("news/a.txt", sentence=120)
        '/articles/news%2Fa.txt#s-120'
    """
    url = "/articles/" + quote(article_id, safe="") + fmt
    return url if sentence is None else f"{url}#s-{int(sentence)}"


def entity_url(entity_id: str, *, fmt: str = "") -> str:
    """``/entities/{id}`` (ids look like ``person:jane-doe``)."""
    return "/entities/" + quote(entity_id, safe=":") + fmt


def page_url(path: str, params: dict[str, object] | None = None, *, fmt: str = "") -> str:
    """``path`` (``/search``, ``/numbers``) with the non-empty ``params`` as a query string."""
    query = urlencode([(k, v) for k, v in (params or {}).items() if v not in (None, "", [], ())], doseq=True)
    return path + fmt + (f"?{query}" if query else "")
