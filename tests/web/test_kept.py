"""Kept pages: valid until the store changes (or, for a shared store, a time), bounded in bytes."""

from __future__ import annotations

import pytest
from starlette.responses import HTMLResponse, Response

from newsfacts.web.kept import KeptPages


def _page(text: str, status: int = 200) -> Response:
    return HTMLResponse(text, status_code=status, headers={"Link": "</x.json>; rel=alternate"})


def test_kept_answers_a_copy_of_the_kept_response() -> None:
    kept = KeptPages(1000)
    kept.put("/a?", _page("<p>a</p>"), kept.generation)
    again = kept.get("/a?")
    assert again is not None and again.body == b"<p>a</p>" and again.status_code == 200
    assert again.headers["link"] == "</x.json>; rel=alternate" and again.headers["content-type"].startswith("text/html")
    assert kept.get("/b?") is None


@pytest.mark.parametrize(
    ("make", "put_generation", "status", "found"),
    [(lambda: KeptPages(1000), 0, 200, True),
     (lambda: KeptPages(1000), -1, 200, False),  # computed before a write: stale
     (lambda: KeptPages(1000), 0, 404, False),  # only 200s are kept
     (lambda: KeptPages(0), 0, 200, False),  # keeping switched off
     (lambda: KeptPages(1000, ttl=-1.0), 0, 200, False)],  # a shared store's page past its time
)
def test_kept_what_is_kept_table(make, put_generation: int, status: int, found: bool) -> None:
    kept = make()
    kept.put("/a?", _page("<p>a</p>", status), put_generation)
    assert (kept.get("/a?") is not None) is found


def test_kept_a_write_drops_every_page() -> None:
    kept = KeptPages(1000)
    kept.put("/a?", _page("a"), kept.generation)
    kept.changed()
    assert kept.get("/a?") is None
    kept.put("/a?", _page("a"), kept.generation)
    assert kept.get("/a?") is not None


def test_kept_drops_the_least_recently_used_beyond_its_bytes() -> None:
    kept = KeptPages(400)
    for key in ("/a?", "/b?", "/c?"):
        kept.put(key, _page("x" * 100), kept.generation)
    assert kept.get("/a?") is not None  # now the most recently used
    kept.put("/d?", _page("x" * 100), kept.generation)
    kept.put("/e?", _page("x" * 100), kept.generation)  # 500 bytes: /b, the least recently used, goes
    assert [k for k in ("/a?", "/b?", "/c?", "/d?", "/e?") if kept.get(k) is not None] == ["/a?", "/c?", "/d?", "/e?"]
