"""The HTTP app: routes that call page functions and render HTML, or JSON for the ``.json`` twin.

Every page is also JSON: the same URL with ``.json`` (``/search.json?q=...``, ``/articles/{id}.json``)
or an ``/api/...`` twin. Errors have one JSON shape, ``{"ok": false, "error", "errors": [...],
"status"}``, and never carry a stack trace (the log has it). Writes need the token; bodies are
size-limited (413); JSON POSTs need ``Content-Type: application/json`` (415) and a POST a browser sends
from another site is refused (403), so no web page can make this server work without asking.
A page's independent questions run at once on their own read connections (``web.readers``); read
pages are kept until the store changes (``web.kept``); every answer says where its time went in a
``Server-Timing`` header (``store``: getting the page's data; ``page``: rendering and the rest;
``kept``: a kept page).

Example:
    >>> from newsfacts.store import open_store
    >>> app = create_app(open_store("facts.duckdb"), token="s3cret")  # serve with uvicorn
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hmac
import ipaddress
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from functools import cache, partial
from importlib.resources import files
from typing import Any, TypeVar
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..dates import parse_published
from ..errors import NewsfactsError
from ..model import Article, ArticleFacts
from ..options import Options
from . import pages
from .chart import chart_scale, number_chart
from .highlight import KIND_LABELS, fact_marks, format_value, highlight, mark_terms
from .kept import MAX_BYTES as MAX_KEPT_BYTES
from .kept import SHARED_STORE_TTL, KeptPages
from .readers import Readers
from .urls import JSON_SUFFIX, article_url, entity_url, page_url

log = logging.getLogger(__name__)

MAX_BODY = 8 * 1024 * 1024
"""Largest request body accepted, in bytes: an article at the 1,000,000-character extraction limit
(options.MAX_CHARS) is at most ~4 MB of UTF-8, ~6 MB as JSON with escapes; anything larger is 413."""

T = TypeVar("T")

_STATUS_TEXT = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
                413: "Request too large", 415: "Unsupported media type", 500: "Internal error"}


class WebError(Exception):
    """An error answered to the client with ``status`` and one-line messages (no traceback)."""

    def __init__(self, status: int, error: str, errors: list[str] | None = None) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.errors = errors or [error]


@dataclasses.dataclass(slots=True)
class _State:
    """What the routes share: the open store (the writer's connection), the read connections, the
    write token, the locks that serialize writes and extractions."""

    store: Any
    token: str | None
    options: Options
    max_body: int = MAX_BODY
    store_lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    extract_lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    kept_bytes: int = MAX_KEPT_BYTES
    readers: Readers = dataclasses.field(init=False)
    kept: KeptPages = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self.readers = Readers(self.store, lock=self.store_lock)
        # a DuckDB file open here has no other writer; another process may write a PostgreSQL store
        ttl = None if getattr(self.store, "dialect", "") == "duckdb" else SHARED_STORE_TTL
        self.kept = KeptPages(self.kept_bytes, ttl=ttl)


def create_app(store: Any, *, token: str | None = None, max_body: int = MAX_BODY,
               options: Options | None = None, allowed_hosts: Sequence[str] | None = None,
               kept_bytes: int = MAX_KEPT_BYTES) -> Starlette:
    """Build the ASGI app over an open store.

    Args:
        store: a store from ``newsfacts.store.open_store`` (opened writable if a token is given).
        token: the write token; without one every write is refused (401).
        max_body: largest request body in bytes (413 beyond).
        options: extraction options for pasted and POSTed articles.
        allowed_hosts: answer only requests whose Host header names one of these (port aside) or
            is an IP address, so a web page cannot read the store through DNS rebinding; ``"*"``
            among them, or None, accepts any host. ``serve`` passes the loopback names, the
            machine's own names, the bound name and its ``--allow-host`` names.
        kept_bytes: bytes of read pages kept for their next visit until the store changes
            (``web.kept``); 0 asks the store on every request.
    """
    state = _State(store=store, token=token or None, options=options or Options(), max_body=max_body,
                   kept_bytes=kept_bytes)
    h = partial(_bind, state)
    routes = [
        Route("/", h(_overview, keep=True), name="overview"),
        Route("/index.json", h(_overview, keep=True)),
        Route("/search", h(_search, keep=True)),
        Route("/search.json", h(_search, keep=True)),
        Route("/numbers", h(_numbers, keep=True)),
        Route("/numbers.json", h(_numbers, keep=True)),
        Route("/entities", h(_entities, keep=True)),
        Route("/entities.json", h(_entities, keep=True)),
        Route("/entities/{entity_id:path}", h(_entity, keep=True)),
        Route("/articles/{article_id:path}", h(_article, keep=True)),
        Route("/failures", h(_failures, keep=True)),
        Route("/failures.json", h(_failures, keep=True)),
        Route("/paste", h(_paste), methods=["GET", "POST"]),
        Route("/api/articles", h(_api_post_article), methods=["POST"]),
        Route("/api/articles/{article_id:path}", h(_api_article, keep=True)),
        Route("/api/extract", h(_api_extract), methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(files("newsfacts.web") / "static")), name="static"),
    ]
    handlers = {HTTPException: _http_error, WebError: _web_error, NewsfactsError: _newsfacts_error,
                Exception: _internal_error}
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=partial(_lifespan, state))  # type: ignore[arg-type]
    app.state.newsfacts = state
    app.add_middleware(_BodyLimit, max_body=max_body)
    if allowed_hosts is not None:
        app.add_middleware(_HostCheck, allowed=allowed_hosts)
    app.add_middleware(_SecurityHeaders)  # added last, so outermost: the 413 and Host 400 answers carry it too
    return app


@contextlib.asynccontextmanager
async def _lifespan(state: _State, app: Starlette) -> AsyncIterator[None]:
    """Close the extra read connections when the server stops (the store is its opener's to close)."""
    try:
        yield
    finally:
        await run_in_threadpool(state.readers.close)


def _bind(state: _State, fn: Callable[[_State, Request], Awaitable[Response]], *,
          keep: bool = False) -> Callable[[Request], Awaitable[Response]]:
    """The route endpoint for ``fn``: an unexpected error becomes the 500 answer here (logged with its
    traceback), so it never escapes to the server, which would drop the keep-alive connection. With
    ``keep`` (read pages), a 200 answer is kept for the next request of the same URL until the store changes."""

    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        key = request.url.path + "?" + request.url.query if keep and state.kept.max_bytes else None
        if key is not None:
            kept = state.kept.get(key)
            if kept is not None:
                kept.headers["Server-Timing"] = f'kept;desc="kept page";dur={_ms(started)}'
                return kept
            generation = state.kept.generation  # before reading: a write meanwhile makes the answer stale
        request.state.store_ms = []
        try:
            response = await fn(state, request)
        except (HTTPException, WebError, NewsfactsError):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place a request's unexpected error is answered
            return await _internal_error(request, exc)
        store_ms = sum(request.state.store_ms)
        total = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = (f'store;desc="page data: store queries";dur={store_ms:.1f}, '
                                             f'page;desc="rendering and the rest";dur={max(0.0, total - store_ms):.1f}')
        if key is not None:
            state.kept.put(key, response, generation)
        return response

    endpoint.__name__ = fn.__name__
    return endpoint


# ---------------------------------------------------------------- rendering


def _wants_json(request: Request) -> bool:
    """JSON for ``*.json`` and ``/api/*`` URLs (errors included), HTML otherwise."""
    path = request.url.path
    return path.endswith(JSON_SUFFIX) or path.startswith("/api/")


@cache
def _env() -> Environment:
    """The Jinja2 environment (autoescape on for every template), built once."""
    env = Environment(loader=FileSystemLoader(str(files("newsfacts.web") / "templates")), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(article_url=article_url, entity_url=entity_url, page_url=page_url, plural=plural,
                       format_value=format_value, mark_terms=mark_terms, kind_labels=KIND_LABELS, version=__version__)
    return env


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 quote``, ``3 quotes``, ``2 entities`` (with ``many`` for irregular plurals), thousands separated."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def _html(template: str, context: dict[str, Any], *, status: int = 200, json_url: str | None = None) -> HTMLResponse:
    body = _env().get_template(template).render(**context, json_url=json_url)
    headers = {"Link": f'<{json_url}>; rel="alternate"; type="application/json"'} if json_url else None
    return HTMLResponse(body, status_code=status, headers=headers)


def _json_default(value: Any) -> Any:
    """What ``json.dumps`` cannot write by itself: fact records, dataclasses, dates, sets."""
    if isinstance(value, ArticleFacts):
        return value.to_json()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def to_json_text(data: Any) -> str:
    """The JSON text of page data (UTF-8, not ASCII-escaped); page rows are plain dicts and lists,
    so the C encoder does the work and only the odd record goes through ``_json_default``."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, default=_json_default)


def _json(data: Any, *, status: int = 200) -> Response:
    return Response(to_json_text(data), status_code=status, media_type="application/json")


async def _locked(lock: threading.Lock, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking call in the thread pool, one at a time (a store connection is not thread-safe)."""

    def run() -> T:
        with lock:
            return fn(*args, **kwargs)

    return await run_in_threadpool(run)


def _ms(started: float) -> str:
    return f"{(time.perf_counter() - started) * 1000:.1f}"


async def _read(fn: Callable[..., T], state: _State, request: Request, *args: Any) -> T:
    """Run page function ``fn`` over the read connections, in the thread pool (queries block); the
    time it takes counts as the request's store time (``request.state.store_ms``, Server-Timing)."""
    started = time.perf_counter()
    try:
        return await run_in_threadpool(fn, state.readers, *args)
    finally:
        spent = getattr(request.state, "store_ms", None)
        if spent is not None:
            spent.append((time.perf_counter() - started) * 1000)


def _strip_json(value: str) -> tuple[str, bool]:
    return (value[: -len(JSON_SUFFIX)], True) if value.endswith(JSON_SUFFIX) else (value, False)


# ---------------------------------------------------------------- pages


async def _overview(state: _State, request: Request) -> Response:
    data = await _read(pages.overview_page, state, request)
    if _wants_json(request):
        return _json(data)
    return _html("index.html", {"page": data, "writable": state.token is not None}, json_url="/index.json")


async def _search(state: _State, request: Request) -> Response:
    params = pages.SearchParams.from_query(request.query_params)
    data = await _read(pages.search_page, state, request, params)
    if _wants_json(request):
        return _json(data)
    more_url = _more_url("/search", params.limit, params.as_query())
    return _html("search.html", {"page": data, "params": params, "more_url": more_url,
                                 "groups": pages.result_groups(data["results"])},
                 json_url=page_url("/search", params.as_query(), fmt=JSON_SUFFIX))


async def _numbers(state: _State, request: Request) -> Response:
    params = pages.NumberParams.from_query(request.query_params)
    data = await _read(pages.number_page, state, request, params)
    if _wants_json(request):
        return _json(data)
    charts = [
        _number_chart(pages.chart_points(group["rows"]), params, group["unit"], f"chart-{i}")
        for i, group in enumerate(data["groups"])
    ]
    return _html("numbers.html", {"page": data, "params": params, "charts": charts},
                 json_url=page_url("/numbers", params.as_query(), fmt=JSON_SUFFIX))


def _number_chart(points: list, params: pages.NumberParams, unit: str | None, chart_id: str) -> dict[str, object]:
    """One unit's chart on the numbers page, on the scale asked for (or chosen for its values)."""
    scale = chart_scale(points, params.scale)
    return {"unit": unit, "scale": scale, "svg": number_chart(points, title=pages.chart_title(params, unit), unit=unit,
                                                            chart_id=chart_id, scale=scale)}


async def _entities(state: _State, request: Request) -> Response:
    params = pages.EntityListParams.from_query(request.query_params)
    data = await _read(pages.entities_page, state, request, params)
    if _wants_json(request):
        return _json(data)
    return _html("entities.html", {"page": data, "params": params},
                 json_url=page_url("/entities", params.as_query(), fmt=JSON_SUFFIX))


async def _entity(state: _State, request: Request) -> Response:
    raw = request.path_params["entity_id"]
    entity_id, as_json = _strip_json(raw)
    params = pages.EntityParams.from_query(request.query_params)
    data = await _read(pages.entity_page, state, request, entity_id, params)
    if data is None and as_json:  # an id that itself ends in ".json"
        entity_id, as_json = raw, False
        data = await _read(pages.entity_page, state, request, entity_id, params)
    if data is None:
        raise NewsfactsError("E403", what=f"entity {entity_id}")
    if as_json:
        return _json(data)
    query: dict[str, object] | None = {"limit": params.limit} if params.limit != pages.ENTITY_ROWS else None
    return _html("entity.html", {"page": data, "more_url": _more_url(entity_url(entity_id), params.limit)},
                 json_url=page_url(entity_url(entity_id, fmt=JSON_SUFFIX), query))


def _more_url(path: str, limit: int, query: dict[str, object] | None = None) -> str | None:
    """The same page (``query`` kept) listing twice as many rows, up to the most a page lists; None at the cap."""
    more = min(2 * limit, pages.MAX_LIMIT)
    return page_url(path, {**(query or {}), "limit": more}) if more > limit else None


async def _article(state: _State, request: Request) -> Response:
    raw = request.path_params["article_id"]
    article_id, as_json = _strip_json(raw)
    if as_json:
        facts = await _read(pages.article_page, state, request, article_id)
        if facts is not None:
            return _json(facts)
        article_id = raw  # an id that itself ends in ".json": the HTML page of that id
    view = await _read(pages.article_view, state, request, article_id)
    if view is None:
        raise NewsfactsError("E403", what=f"article {article_id}")
    facts, meta = view
    return _html("article.html", {**_article_context(facts, stored=True), "meta": meta},
                 json_url=article_url(article_id, fmt=JSON_SUFFIX))


async def _api_article(state: _State, request: Request) -> Response:
    article_id = request.path_params["article_id"]
    facts = await _read(pages.article_page, state, request, article_id)
    if facts is None:
        raise NewsfactsError("E403", what=f"article {article_id}")
    return _json(facts)


async def _failures(state: _State, request: Request) -> Response:
    data = await _read(pages.failures_page, state, request)
    if _wants_json(request):
        return _json(data)
    return _html("failures.html", {"page": data}, json_url="/failures.json")


def safe_href(url: str | None) -> str | None:
    """``url`` if it is http(s), else None: an article's ``javascript:`` URL must never become a link."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def _article_context(facts: ArticleFacts, *, stored: bool) -> dict[str, Any]:
    """What article.html needs: the record, its highlighted text, fact tables with entity names."""
    link = entity_url if stored else (lambda _id: "")
    marks = fact_marks(facts, link) if stored else [
        dataclasses.replace(m, href=None, focusable=m.focusable or m.kind in ("speaker", "entity"))
        for m in fact_marks(facts, link)
    ]
    return {
        "facts": facts,
        "body": highlight(facts.text, marks, describe=True),
        "names": {e.id: e.name for e in facts.entities},
        "stored": stored,
        "safe_url": safe_href(facts.url),
        "counts": {kind: len(getattr(facts, kind)) for kind in ("quotes", "claims", "quantities", "timexes",
                                                               "entities", "events")},
    }


# ---------------------------------------------------------------- writes


def _authorized(state: _State, supplied: str | None) -> bool:
    """Constant-time comparison of the supplied token with the configured one."""
    if not state.token or not supplied:
        return False
    return hmac.compare_digest(supplied.encode("utf-8"), state.token.encode("utf-8"))


def _header_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-newsfacts-token")


def _require_token(state: _State, supplied: str | None) -> None:
    if _authorized(state, supplied):
        return
    if state.token is None:
        raise WebError(401, "Writes are disabled: this server was started without --token")
    raise WebError(401, "A valid write token is required (Authorization: Bearer TOKEN)")


def _article_from(fields: dict[str, Any]) -> Article:
    """An ``Article`` from posted fields, with one-line errors for wrong types or a bad date."""
    errors = []
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        errors.append("'text' is required: the article's plain text")
    for name in ("published", "url", "title", "id", "source"):
        value = fields.get(name)
        if value is not None and not isinstance(value, str):
            errors.append(f"'{name}' must be a string")
    if errors:
        raise WebError(400, errors[0], errors)
    published = (fields.get("published") or "").strip() or None
    parse_published(published, path="published")  # a malformed date is the caller's error (400), not a note
    url = (fields.get("url") or "").strip() or None
    title = (fields.get("title") or "").strip() or None
    article = Article(id="", text=str(text), url=url, title=title, published=published,
                      source=(fields.get("source") or "").strip() or None)
    article_id = (fields.get("id") or "").strip() or url or f"posted/{article.sha256[:16]}"
    return dataclasses.replace(article, id=article_id)


async def _extract(state: _State, article: Article) -> ArticleFacts:
    from ..extractor import extract

    return await _locked(state.extract_lock, extract, article, options=state.options)


async def _write(state: _State, facts: ArticleFacts) -> Any:
    try:
        return await _locked(state.store_lock, lambda: state.store.write([facts]))
    finally:
        state.kept.changed()


def _same_origin(request: Request) -> None:
    """Refuse (403) a POST a browser sent from another site: a page anywhere on the web can post a form
    or a ``text/plain`` body to this server without asking (no CORS preflight for those), and would make
    it extract (holding the extraction lock) or store with a token typed into its own form.

    Browsers say where a request comes from: ``Sec-Fetch-Site`` (only ``same-origin`` passes; a request
    the user made directly, ``none``, too) and ``Origin`` (must name this server's own Host). A client
    that sends neither (curl, scripts) is not a browser page and passes; the token still guards writes.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None and site.lower() not in ("same-origin", "none"):
        raise WebError(403, f"Cross-site request refused (Sec-Fetch-Site: {site}): post from this server's own pages")
    origin = request.headers.get("origin")
    if origin is None:
        return
    own = _default_port_off(request.headers.get("host", ""))
    if origin == "null" or _default_port_off(urlsplit(origin).netloc) != own:
        raise WebError(403, f"Cross-site request refused (Origin: {origin}): post from this server's own pages")


def _default_port_off(netloc: str) -> str:
    """``Example.org:443`` -> ``example.org``: a browser's Origin leaves out the scheme's default port."""
    netloc = netloc.strip().lower()
    for default in (":80", ":443"):
        if netloc.endswith(default):
            return netloc[: -len(default)]
    return netloc


def _json_content_type(request: Request) -> None:
    """Refuse (415) a JSON API POST that does not say ``Content-Type: application/json``: a cross-site
    page can send ``text/plain`` without a CORS preflight, but not ``application/json``."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        shown = media_type or "none"
        raise WebError(415, f"Content-Type must be application/json (got {shown})")


async def _json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object body, after the origin and Content-Type checks."""
    _same_origin(request)
    _json_content_type(request)
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise WebError(400, "The body must be a JSON object: {\"text\", \"published\", \"url\", \"title\"}") from None
    if not isinstance(body, dict):
        raise WebError(400, "The body must be a JSON object: {\"text\", \"published\", \"url\", \"title\"}")
    return body


async def _api_post_article(state: _State, request: Request) -> Response:
    """``POST /api/articles``: store an article (token required) and answer its facts (201)."""
    _require_token(state, _header_token(request))
    article = _article_from(await _json_body(request))
    facts = await _extract(state, article)
    result = await _write(state, facts)
    return _json({"ok": True, "id": facts.id, "stored": result.ingested > 0,
                  "url": article_url(facts.id), "facts": facts}, status=201)


async def _api_extract(state: _State, request: Request) -> Response:
    """``POST /api/extract``: the JSON twin of the paste page; extracts, stores nothing, no token."""
    article = _article_from(await _json_body(request))
    return _json(await _extract(state, article))


async def _paste(state: _State, request: Request) -> Response:
    """The paste page: a form; on POST the extraction is shown at once, stored only with the token."""
    context: dict[str, Any] = {"writable": state.token is not None, "form": {}, "errors": []}
    if request.method == "GET":
        return _html("paste.html", context)
    _same_origin(request)
    # a field may be as large as the body limit: the article's own limit (E108) decides, as for the API
    form = await request.form(max_part_size=state.max_body, max_files=0)  # the form has no file field
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    context["form"] = {k: fields.get(k, "") for k in ("text", "published", "title", "url")}
    want_store = fields.get("store") == "1"
    try:
        if want_store:
            _require_token(state, fields.get("token"))
        article = _article_from(fields)
        facts = await _extract(state, article)
    except (WebError, NewsfactsError) as exc:
        status = exc.status if isinstance(exc, WebError) else _newsfacts_status(exc)
        context["errors"] = exc.errors if isinstance(exc, WebError) else [str(exc)]
        return _html("paste.html", context, status=status)
    if want_store:
        await _write(state, facts)
        return RedirectResponse(article_url(facts.id), status_code=303)
    context.update(_article_context(facts, stored=False))
    return _html("paste.html", context)


# ---------------------------------------------------------------- errors


def _error_response(request: Request, status: int, error: str, errors: list[str] | None = None,
                    headers: dict[str, str] | None = None) -> Response:
    errors = errors or [error]
    if _wants_json(request):
        body = {"ok": False, "error": error, "errors": errors, "status": status}
        response = _json(body, status=status)
    else:
        title = _STATUS_TEXT.get(status, "Error")
        response = _html("error.html", {"status": status, "title": title, "error": error, "errors": errors},
                         status=status)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if exc.status_code != 404 else f"Not found: {request.url.path}"
    return _error_response(request, exc.status_code, str(detail), headers=dict(exc.headers or {}))


async def _web_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WebError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return _error_response(request, exc.status, exc.error, exc.errors, headers=headers)


def _newsfacts_status(exc: NewsfactsError) -> int:
    return {"E403": 404, "E108": 413}.get(exc.code, 400)


async def _newsfacts_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NewsfactsError)
    return _error_response(request, _newsfacts_status(exc), str(exc))


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.error("error serving %s", request.url.path, exc_info=exc)
    return _error_response(request, 500, "Internal error: the server log has the details")


# ---------------------------------------------------------------- middleware


class _TooLarge(WebError):
    """The body grew past the limit while it was read (no or a false Content-Length)."""

    def __init__(self, max_body: int) -> None:
        super().__init__(413, f"Request body too large: the limit is {max_body:,} bytes")


class _BodyLimit:
    """Refuse request bodies over ``max_body`` bytes with a 413 in the JSON error shape."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge(self.max_body)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = _TooLarge(self.max_body).error
        response = _error_response(Request(scope, receive), 413, error)
        await response(scope, receive, send)


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Host names a loopback-bound server answers to."""


def _host_name(host: str) -> str:
    """``127.0.0.1:8000`` -> ``127.0.0.1``; ``[::1]:8000`` -> ``::1``."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class _HostCheck:
    """Refuse (400) requests whose Host header is not an allowed name: a DNS-rebinding guard.

    A rebinding page reaches this server under the attacker's own domain name, which then arrives as
    the Host header; an IP address in the Host header involves no DNS, so every address passes (the
    server answers to whichever of its addresses a client used, e.g. 127.0.0.2 or a LAN address)."""

    def __init__(self, app: ASGIApp, allowed: Sequence[str]) -> None:
        self.app = app
        self.allowed = {h.lower() for h in allowed}
        self.any_host = "*" in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.any_host:
            host = dict(scope.get("headers") or ()).get(b"host", b"").decode("latin-1")
            name = _host_name(host).lower()
            if name not in self.allowed and not _is_address(name):
                names = ", ".join(sorted(self.allowed))
                error = (f"Unexpected Host header {host!r}: this server answers to its IP addresses and {names} "
                         "(serve --allow-host NAME adds a name)")
                await _error_response(Request(scope, receive), 400, error)(scope, receive, send)
                return
        await self.app(scope, receive, send)


_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
"""Only the app's own scripts and styles: a defence in depth behind escaping, never instead of it."""


class _SecurityHeaders:
    """Content-Security-Policy, nosniff and no-referrer on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers += [(b"content-security-policy", _CSP.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
