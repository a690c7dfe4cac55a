"""URL inputs: pages and feeds fetched from a local http.server on 127.0.0.1 (no network needed)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsfacts.errors import InputError
from newsfacts.ingest import read_articles
from newsfacts.ingest.fetch import USER_AGENT, read_url
from newsfacts.model import Article, Failure

from .test_feed import RSS

PAGE = (
    b"<html><head><title>Ferry terminal to open</title></head><body><nav>Home</nav><article><h1>Ferry terminal</h1>"
    b"<p>The harbor authority said on Monday that the new ferry terminal would open to passengers next spring.</p>"
    b"<p>Engineers finished the main pier in October, and inspectors are expected to approve the ramps within weeks.</p>"
    b"<p>Local businesses welcomed the decision, saying the terminal would bring visitors back to the old quarter.</p>"
    b"</article></body></html>"
)

ROUTES = {
    "/page": ("text/html; charset=utf-8", PAGE),
    "/feed": ("application/rss+xml", RSS.encode("utf-8")),
    "/big": ("text/html", b"<html><body><p>" + b"word " * 300_000 + b"</p></body></html>"),
}


class _Handler(BaseHTTPRequestHandler):
    agents: list[str] = []

    def do_GET(self) -> None:
        self.agents.append(self.headers.get("User-Agent", ""))
        route = ROUTES.get(self.path)
        if route is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", route[0])
        self.send_header("Content-Length", str(len(route[1])))
        self.end_headers()
        self.wfile.write(route[1])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_page_becomes_article(server: str) -> None:
    items = list(read_articles([f"{server}/page"], published="2021-12-09"))
    assert len(items) == 1 and isinstance(items[0], Article)
    article = items[0]
    assert (article.id, article.url, article.published) == (f"{server}/page", f"{server}/page", "2021-12-09")
    assert "ferry terminal would open" in article.text
    assert _Handler.agents[-1] == USER_AGENT


def test_fetch_feed_becomes_entries(server: str) -> None:
    items = list(read_articles([f"{server}/feed"]))
    assert [a.url for a in items] == ["https://harbor.test/ferry", "https://harbor.test/pier"]


@pytest.mark.parametrize(("path", "reason"), [("/missing", "404"), ("/big", "")])
def test_fetch_errors_are_failures(server: str, path: str, reason: str) -> None:
    items = list(_read(f"{server}{path}", max_bytes=1_000_000))
    assert [type(i) for i in items] == [Failure]
    assert items[0].code == "E112" and reason in items[0].message


def test_fetch_unreachable_is_a_failure_and_the_run_goes_on(server: str) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    items = list(read_articles([f"http://127.0.0.1:{closed_port}/x", f"{server}/page"]))
    assert [type(i) for i in items] == [Failure, Article]
    assert items[0].code == "E112"


def test_fetch_private_address_refused_when_not_allowed(server: str) -> None:
    with pytest.raises(InputError) as info:
        list(read_url(f"{server}/page", allow_private=False, timeout=5))
    assert info.value.code == "E112"


def _read(url: str, **options: object) -> Iterator[Article | Failure]:
    try:
        yield from read_url(url, **options)
    except InputError as exc:
        yield Failure(id=url, message=str(exc))
