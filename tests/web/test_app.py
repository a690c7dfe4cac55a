"""The HTTP app through httpx's ASGI transport against a real DuckDB store in tmp_path.

JSON twins return the page data, errors share one shape, article text is escaped everywhere, writes
need the token, and bodies over the limit are refused with 413.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from newsfacts.extract.entities import entity_key
from newsfacts.model import ArticleFacts, text_sha256
from newsfacts.store import open_store
from newsfacts.web import create_app

from .webdata import KIRBY, SEED_ID, XSS_ID, XSS_NAME, seed_record, troop_reports, xss_record

TOKEN = "s3cret-token"
SEED_GOLD = Path(__file__).resolve().parents[3] / "shared" / "seed" / "iraq-combat-mission-2021-12-09.gold.json"
JSON_ID = "data/feed.json"
"""An article id that itself ends in .json: /articles/data%2Ffeed.json must still be its HTML page."""


def _request(app: Any, method: str, url: str, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(go())


def _json_record() -> ArticleFacts:
    text = "A short note about nothing in particular."
    return ArticleFacts(id=JSON_ID, text=text, sha256=text_sha256(text), title="A note", published="2021-01-02")


@pytest.fixture(scope="module")
def records(seed_text: str) -> list[ArticleFacts]:
    return [seed_record(seed_text, SEED_GOLD), *troop_reports(), xss_record(), _json_record()]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, records: list[ArticleFacts]) -> Iterator[Any]:
    store = open_store(str(tmp_path_factory.mktemp("web") / "facts.duckdb"))
    store.write(records)
    yield create_app(store, token=TOKEN, max_body=64 * 1024)
    store.close()


def get(app: Any, url: str, **kwargs: Any) -> httpx.Response:
    return _request(app, "GET", url, **kwargs)


def _seed_url(fmt: str = "") -> str:
    return "/articles/" + quote(SEED_ID, safe="") + fmt


def test_app_article_json_twin_is_the_stored_record(app: Any, records: list[ArticleFacts]) -> None:
    for url in (_seed_url(".json"), "/api/articles/" + quote(SEED_ID, safe="")):
        response = get(app, url)
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
        assert response.json() == records[0].to_json()


def test_app_article_html_links_its_json_twin(app: Any) -> None:
    response = get(app, _seed_url())
    assert response.status_code == 200
    assert response.headers["link"] == f'<{_seed_url(".json")}>; rel="alternate"; type="application/json"'
    assert 'id="q-0"' in response.text and f'href="/entities/{KIRBY}"' in response.text


def test_app_article_id_ending_in_json_serves_its_html(app: Any) -> None:
    response = get(app, "/articles/" + quote(JSON_ID, safe=""))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "A short note about nothing" in response.text
    assert get(app, "/articles/" + quote(JSON_ID, safe="") + ".json").json()["id"] == JSON_ID


@pytest.mark.parametrize(
    ("url", "check"),
    [
        ("/index.json", lambda d: d["overview"]["articles"] == 7 and d["entities"][0]["id"] == entity_key("GPE", "Iraq")),
        ("/search.json?q=posture", lambda d: [r["result"] for r in d["results"]] == ["quote", "quote"]
         and d["results"][0]["speaker_entity"] == KIRBY),
        ("/search.json?q=posture&kind=quotes&kind=claims&kind=articles",
         lambda d: [r["result"] for r in d["results"]] == ["quote", "quote", "article"]),
        ("/search.json?q=posture&speaker=Kirby&kind=quotes", lambda d: len(d["results"]) == 2),
        ("/search.json?q=posture&speaker=Nobody", lambda d: d["results"] == []),
        ("/search.json?q=captured&source=Washington+Post", lambda d: [r["result"] for r in d["results"]] == ["claim"]),
        ("/search.json?q=troops&kind=articles&since=2021-01-01&until=2021-06-30",
         lambda d: [r["doc_id"] for r in d["results"]] == ["reports/2021-01-15.txt"]),
        ("/search.json", lambda d: d["results"] == []),
        (f"/entities/{KIRBY}.json", lambda d: d["entity"]["name"] == "John Kirby" and "the press secretary" in d["entity"]["aliases"]
         and len(d["quotes"]) == 3 and {n["value"] for n in d["numbers"]} == {2500.0}),
        ("/entities.json?type=person&top=2", lambda d: [e["type"] for e in d["entities"]] == ["PERSON", "PERSON"]),
        ("/numbers.json?about=troops", lambda d: [len(g["rows"]) for g in d["groups"]] == [4]
         and [r["when"] for r in d["groups"][0]["rows"]] == ["2019-06-01", "2020-03-01", "2021-01-15", "2021-12-01"]),
        ("/numbers.json?about=troops&source=Pentagon", lambda d: len(d["groups"][0]["rows"]) == 2),
        ("/numbers.json", lambda d: d["groups"] == []),
        ("/numbers.json?about=troops", lambda d: [r["copies"] for r in d["groups"][0]["rows"]] == [1, 1, 1, 1]
         and (d["groups"][0]["rows"][-1]["text"], d["groups"][0]["rows"][-1]["counts"]) == ("About 2,500", "troops")
         and d["groups"][0]["rows"][-1]["sentence"] == [0, 51]),
        ("/failures.json", lambda d: d["failures"] == []),
    ],
)
def test_app_json_twins_table(app: Any, url: str, check: Any) -> None:
    response = get(app, url)
    assert response.status_code == 200, response.text
    assert check(response.json()), json.dumps(response.json())[:500]


@pytest.mark.parametrize(
    ("url", "needle"),
    [("/", "What this store holds"), ("/search?q=posture", "There’s no significant <mark>posture</mark> change"),
     (f"/entities/{KIRBY}", "Quotes over time"), ("/numbers?about=troops", '<svg class="chart"'),
     ("/numbers?about=troops&scale=log", "logarithmic scale"), ("/numbers?about=troops&scale=log", '<option value="log" selected>'),
     ("/entities", "Most mentioned entities"), ("/failures", "Every input went through"), ("/paste", 'name="text"')],
)
def test_app_html_pages_table(app: Any, url: str, needle: str) -> None:
    response = get(app, url)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert needle in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]


def _assert_error_shape(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"ok", "error", "errors", "status"}
    assert body["ok"] is False and body["status"] == status and body["error"] in body["errors"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status", "says"),
    [
        ("GET", "/articles/nope.json", {}, 404, "[E403] Not found: article nope"),
        ("GET", "/api/articles/nope", {}, 404, "Not found"),
        ("GET", "/entities/person:nobody.json", {}, 404, "Not found"),
        ("GET", "/nowhere.json", {}, 404, "Not found: /nowhere.json"),
        ("GET", "/search.json?q=x&since=yesterday", {}, 400, "[E203] Bad option since='yesterday'"),
        ("GET", "/search.json?q=x&limit=0", {}, 400, "limit"),
        ("GET", "/search.json?q=x&kind=tweets", {}, 400, "kind"),
        ("GET", "/entities.json?top=-1", {}, 400, "top"),
        ("GET", "/search.json?q=troops&limit=%C2%B2", {}, 400, "[E203] Bad option limit='²'"),
        ("GET", "/entities.json?top=%C2%B2", {}, 400, "[E203] Bad option top='²'"),
        ("GET", f"/entities/{KIRBY}.json?limit=%D9%A3", {}, 400, "limit"),
        ("GET", "/numbers.json?about=troops&scale=cubic", {}, 400, "scale"),
        ("GET", "/api/extract", {}, 405, "Method Not Allowed"),
        ("POST", "/api/articles", {"json": {"text": "x"}}, 401, "token"),
        ("POST", "/api/articles", {"json": {"text": "x"}, "headers": {"Authorization": "Bearer wrong"}}, 401, "token"),
        ("POST", "/api/articles", {"json": {"text": "x"}, "headers": {"X-Newsfacts-Token": "wrong"}}, 401, "token"),
        ("POST", "/api/articles", {"content": b"{not json", "headers": {"Authorization": f"Bearer {TOKEN}",
                                                                      "Content-Type": "application/json"}}, 400, "JSON object"),
        ("POST", "/api/articles", {"json": ["text"], "headers": {"Authorization": f"Bearer {TOKEN}"}}, 400, "JSON object"),
        ("POST", "/api/articles", {"json": {"title": 3}, "headers": {"Authorization": f"Bearer {TOKEN}"}}, 400, "'text' is required"),
        ("POST", "/api/extract", {"json": {"text": "   "}}, 400, "'text' is required"),
        ("POST", "/api/extract", {"json": {"text": "Troops stay.", "published": "last week"}}, 400, "[E110]"),
        ("POST", "/api/extract", {"content": b"x" * (65 * 1024)}, 413, "too large"),
        ("POST", "/api/articles", {"content": b"x" * (65 * 1024)}, 413, "limit is 65,536 bytes"),
    ],
)
def test_app_error_shape_table(app: Any, method: str, url: str, kwargs: dict, status: int, says: str) -> None:
    body = _assert_error_shape(_request(app, method, url, **kwargs), status)
    assert says in body["error"]


def test_app_401_says_how_to_authenticate(app: Any) -> None:
    response = _request(app, "POST", "/api/articles", json={"text": "x"})
    assert response.headers["www-authenticate"] == "Bearer"


def test_app_413_without_content_length(app: Any) -> None:
    async def chunks():
        for _ in range(80):
            yield b"x" * 1024

    response = _request(app, "POST", "/api/extract", content=chunks(), headers={"Content-Type": "application/json"})
    _assert_error_shape(response, 413)


SECURITY_HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin"}


@pytest.mark.parametrize(
    ("url", "headers", "status"),
    [("/api/extract", {"Content-Type": "application/json", "Host": "127.0.0.1:8000"}, 413),
     ("/api/extract", {"Content-Type": "application/json", "Host": "evil.example"}, 400),
     ("/paste", {"Host": "evil.example"}, 400)],
)
def test_app_middleware_refusals_carry_the_security_headers(tmp_path: Path, url: str, headers: dict, status: int) -> None:
    """The body-limit 413 and the Host-check 400 are answered by middleware; the headers sit outside both."""
    from newsfacts.web.app import LOOPBACK_HOSTS

    store = open_store(str(tmp_path / "s.duckdb"))
    try:
        guarded = create_app(store, max_body=1024, allowed_hosts=LOOPBACK_HOSTS)
        response = _request(guarded, "POST", url, content=b"x" * 2048, headers=headers)
        assert response.status_code == status
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert {k: response.headers.get(k) for k in SECURITY_HEADERS} == SECURITY_HEADERS
    finally:
        store.close()


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 415), ({"Content-Type": "text/plain"}, 415), ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
     ({"Content-Type": "multipart/form-data; boundary=x"}, 415), ({"Content-Type": "application/json"}, 200),
     ({"Content-Type": "Application/JSON; charset=utf-8"}, 200)],
)
def test_app_json_api_needs_the_json_content_type(app: Any, headers: dict, status: int) -> None:
    """A cross-site page can POST text/plain without a CORS preflight; application/json it cannot."""
    body = json.dumps({"text": "John Kirby spoke in Baghdad on Monday.", "published": "2021-12-06"}).encode()
    response = _request(app, "POST", "/api/extract", content=body, headers=headers)
    assert response.status_code == status, response.text
    if status == 415:
        assert "Content-Type must be application/json" in _assert_error_shape(response, 415)["error"]
        refused = _request(app, "POST", "/api/articles", content=body, headers={**headers, "Authorization": f"Bearer {TOKEN}"})
        _assert_error_shape(refused, 415)


@pytest.mark.parametrize(
    ("headers", "status"),
    [({"Origin": "https://evil.example"}, 403), ({"Origin": "null"}, 403), ({"Origin": "http://testserver:8080"}, 403),
     ({"Sec-Fetch-Site": "cross-site"}, 403), ({"Sec-Fetch-Site": "same-site"}, 403),
     ({"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"}, 403),
     ({"Origin": "http://testserver"}, 200), ({"Origin": "http://TestServer:80"}, 200),
     ({"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}, 200), ({"Sec-Fetch-Site": "none"}, 200), ({}, 200)],
)
def test_app_paste_refuses_cross_site_posts(app: Any, headers: dict, status: int) -> None:
    """A page on another site can post a form here without asking; the browser's Origin and
    Sec-Fetch-Site headers tell, and a client that sends neither (curl) is no browser page."""
    form = {"text": "John Kirby visited Baghdad on Tuesday.", "published": "2021-12-07"}
    response = _request(app, "POST", "/paste", data=form, headers=headers)
    assert response.status_code == status, response.text[:300]
    if status == 403:
        assert "Cross-site request refused" in response.text and "John Kirby" not in response.text
        api = _request(app, "POST", "/api/extract", json=form, headers=headers)
        assert "Cross-site request refused" in _assert_error_shape(api, 403)["error"]


def test_app_paste_takes_a_form_over_one_megabyte(tmp_path: Path) -> None:
    """A pasted article above 1 MB of form data is extracted as the API would (Starlette's form parser
    refuses fields over 1 MB unless told); beyond the character limit E108 answers, not the parser."""
    store = open_store(str(tmp_path / "p.duckdb"))
    try:
        big = create_app(store)
        text = "John Kirby visited Baghdad on Tuesday." + "\n" * 370_000 + "Officials said the talks went well."
        form = {"text": text, "published": "2021-12-07"}
        response = _request(big, "POST", "/paste", data=form)
        assert response.status_code == 200, response.text[:300]
        assert "Not stored" in response.text and 'class="f f-entity"' in response.text
        too_long = _request(big, "POST", "/paste", data={**form, "text": "x" * 1_000_001})
        assert too_long.status_code == 413 and "[E108]" in too_long.text
        uploaded = _request(big, "POST", "/paste", data=form, files={"upload": ("a.txt", b"x")})
        assert uploaded.status_code == 400  # the form has no file field: none is kept
    finally:
        store.close()


def test_app_html_errors_are_pages_without_traces(app: Any) -> None:
    response = get(app, "/articles/nope")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "Not found: article nope" in response.text and "Traceback" not in response.text


class _BrokenStore:
    """A store whose every query fails the way a lost connection does."""

    def fetch(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("connection lost: /secret/path/db.duckdb")

    schema_version = 1


@pytest.mark.parametrize("url", ["/index.json", "/"])
def test_app_internal_error_hides_details(url: str, caplog: pytest.LogCaptureFixture) -> None:
    """The client reads one line; the log (serve's stderr) gets the error with its traceback."""
    with caplog.at_level("ERROR", logger="newsfacts"):
        response = get(create_app(_BrokenStore()), url)
    (record,) = [r for r in caplog.records if r.name == "newsfacts.web.app"]
    assert record.getMessage() == f"error serving {url}" and "connection lost" in str(record.exc_info[1])
    assert response.status_code == 500
    assert "secret" not in response.text and "RuntimeError" not in response.text and "Traceback" not in response.text
    if url.endswith(".json"):
        _assert_error_shape(response, 500)


@pytest.mark.parametrize(
    "url",
    ["/articles/" + quote(XSS_ID, safe=""), "/entities/" + quote(entity_key("PERSON", XSS_NAME), safe=":"),
     "/search?q=" + quote("<script>alert(1)</script>"), "/numbers?about=" + quote("people\"><script>alert(1)</script>"),
     "/search?q=alert&kind=quotes&kind=claims", "/numbers?about=onmouseover"],
)
def test_app_escapes_everything_from_the_store_and_the_url(app: Any, url: str) -> None:
    response = get(app, url)
    assert response.status_code == 200
    page = response.text
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>Doe", "</textarea><script", "href=\"javascript:",
                "\" onmouseover=alert"):
        assert raw not in page, raw
    assert "&lt;" in page


def test_app_xss_url_is_not_a_link(app: Any) -> None:
    page = get(app, "/articles/" + quote(XSS_ID, safe="")).text
    assert "javascript:alert(&#39;url&#39;)" in page and 'href="javascript' not in page


def test_app_post_article_stores_and_answers_facts(app: Any) -> None:
    body = {"text": "The Pentagon said on Friday that 2,400 troops remain in Iraq.", "published": "2022-01-07",
            "url": "https://example.org/troops", "title": "Troops"}
    auth = {"Authorization": f"Bearer {TOKEN}"}
    first = _request(app, "POST", "/api/articles", json=body, headers=auth)
    assert first.status_code == 201, first.text
    data = first.json()
    assert data["ok"] is True and data["stored"] is True and data["id"] == "https://example.org/troops"
    assert data["facts"]["published"] == "2022-01-07" and data["facts"]["entities"]
    again = _request(app, "POST", "/api/articles", json=body, headers=auth)
    assert again.status_code == 201 and again.json()["stored"] is False  # idempotent by content hash
    assert get(app, data["url"] + ".json").json()["title"] == "Troops"


def test_app_extract_api_stores_nothing(app: Any) -> None:
    response = _request(app, "POST", "/api/extract", json={"text": "John Kirby spoke in Baghdad on Monday.",
                                                           "published": "2021-12-06"})
    assert response.status_code == 200
    assert any(e["name"] == "John Kirby" for e in response.json()["entities"])
    assert get(app, "/search.json?q=Baghdad&kind=articles").json()["results"] == []


def test_app_paste_to_store_needs_the_token(app: Any) -> None:
    form = {"text": "Officials in Iraq said on Monday that the talks went well.", "published": "2021-12-06", "store": "1"}
    refused = _request(app, "POST", "/paste", data={**form, "token": "wrong"})
    assert refused.status_code == 401 and "write token" in refused.text and 'id="form-errors"' in refused.text
    assert "the talks went well" in refused.text  # the form keeps what was typed
    stored = _request(app, "POST", "/paste", data={**form, "token": TOKEN})
    assert stored.status_code == 303 and stored.headers["location"].startswith("/articles/posted%2F")
    assert "the talks went well" in get(app, stored.headers["location"]).text


def test_app_paste_without_store_only_extracts(app: Any) -> None:
    response = _request(app, "POST", "/paste", data={"text": "John Kirby visited Baghdad on Tuesday.", "published": "2021-12-07"})
    assert response.status_code == 200 and "Not stored" in response.text
    assert 'class="f f-entity"' in response.text and 'href="/entities/' not in response.text.split('id="article-body"')[1]


def test_app_read_only_server_refuses_writes(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "ro.duckdb"))
    try:
        response = _request(create_app(store), "POST", "/api/articles", json={"text": "x"},
                            headers={"Authorization": "Bearer anything"})
        assert _assert_error_shape(response, 401)["error"].startswith("Writes are disabled")
        assert "read-only" in get(create_app(store), "/paste").text
    finally:
        store.close()


@pytest.mark.parametrize(
    ("host", "status"),
    [("127.0.0.1:8000", 200), ("localhost:8000", 200), ("[::1]:8000", 200), ("LOCALHOST", 200),
     ("127.0.0.2:8000", 200), ("192.168.1.5", 200), ("[fe80::1]:8000", 200),
     ("evil.example:8000", 400), ("127.0.0.1.evil.example", 400), ("", 400), ("2130706433", 400)],
)
def test_app_loopback_server_checks_the_host_header(tmp_path: Path, host: str, status: int) -> None:
    """Names are checked (a DNS-rebinding page arrives under its own name); IP addresses pass."""
    from newsfacts.web.app import LOOPBACK_HOSTS

    store = open_store(str(tmp_path / "h.duckdb"))
    try:
        response = get(create_app(store, allowed_hosts=LOOPBACK_HOSTS), "/index.json", headers={"Host": host})
        assert response.status_code == status
        if status == 400:
            assert "Unexpected Host header" in _assert_error_shape(response, 400)["error"]
        anyone = get(create_app(store, allowed_hosts=[*LOOPBACK_HOSTS, "*"]), "/index.json", headers={"Host": host})
        assert anyone.status_code == 200
    finally:
        store.close()



def test_app_overview_counts_follow_this_apps_writes(app: Any) -> None:
    before = get(app, "/index.json").json()["overview"]["articles"]
    assert get(app, "/index.json").json()["overview"]["articles"] == before  # kept, unchanged
    body = {"text": "The council met on Tuesday and voted to reopen the bridge.", "published": "2022-02-01"}
    assert _request(app, "POST", "/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 201
    assert get(app, "/index.json").json()["overview"]["articles"] == before + 1


def test_app_entity_page_lists_limit_rows_and_links_to_more(app: Any) -> None:
    data = get(app, f"/entities/{KIRBY}.json?limit=1").json()
    assert len(data["quotes"]) == 1 and data["more"]["quotes"] is True and data["limit"] == 1
    page = get(app, f"/entities/{KIRBY}?limit=1").text
    assert "Showing the earliest 1 quotes." in page and f'href="/entities/{KIRBY}?limit=2#quotes-h"' in page
    assert "Showing the earliest" not in get(app, f"/entities/{KIRBY}").text  # 50 rows hold all of them


@pytest.mark.parametrize(
    ("query", "whens"),
    [("since=2021-01-01&until=2021-12-31", ["2021-01-15", "2021-12-01"]), ("until=2020-12-31", ["2019-06-01", "2020-03-01"]),
     ("since=2020-01-01&until=2021-06-30", ["2020-03-01", "2021-01-15"])],
)
def test_app_numbers_date_window_table(app: Any, query: str, whens: list[str]) -> None:
    data = get(app, f"/numbers.json?about=troops&{query}").json()
    assert [r["when"] for g in data["groups"] for r in g["rows"]] == whens and data["more"] is False


def test_app_numbers_page_says_when_more_match_than_it_charts(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfacts.web import pages

    monkeypatch.setattr(pages, "NUMBER_ROWS", 2)
    page = get(app, "/numbers?about=troops&until=2030-01-01").text  # a URL no other test asks (pages are kept)
    assert "these are the earliest 2" in page and page.count('<a class="point"') == 2
    assert get(app, "/numbers.json?about=troops&since=2021-01-02").json()["more"] is True


def test_app_search_says_which_kinds_have_more_and_links_to_them(app: Any) -> None:
    data = get(app, "/search.json?q=posture&limit=1").json()
    assert data["more"] == ["quotes"] and len(data["results"]) == 1
    page = get(app, "/search?q=posture&limit=1").text
    assert "More quotes match than shown" in page and 'href="/search?q=posture&amp;limit=2">Show more</a>' in page
    assert "More" not in get(app, "/search?q=posture").text.split('id="results-h"')[1]


class _CountingStore:
    """A store that counts the queries asked of it (not a ``Store``, so the app uses it directly)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.dialect = store.dialect
        self.asked = 0

    def fetch(self, *args: Any, **kwargs: Any) -> Any:
        self.asked += 1
        return self.store.fetch(*args, **kwargs)

    def write(self, *args: Any, **kwargs: Any) -> Any:
        return self.store.write(*args, **kwargs)


def test_app_keeps_pages_until_it_writes(tmp_path: Path, seed_text: str) -> None:
    with open_store(str(tmp_path / "k.duckdb")) as store:
        store.write([seed_record(seed_text, SEED_GOLD)])
        counting = _CountingStore(store)
        app = create_app(counting, token=TOKEN)
        first = get(app, f"/entities/{KIRBY}")
        asked = counting.asked
        again = get(app, f"/entities/{KIRBY}")
        assert counting.asked == asked and again.text == first.text and again.headers["link"] == first.headers["link"]
        assert "default-src 'self'" in again.headers["content-security-policy"]
        get(app, "/entities/person:nobody")  # a 404 is not kept
        asked = counting.asked
        assert get(app, "/entities/person:nobody").status_code == 404 and counting.asked > asked
        body = {"text": "John Kirby said on Friday that the talks would resume.", "published": "2022-03-04"}
        assert _request(app, "POST", "/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 201
        asked = counting.asked
        get(app, f"/entities/{KIRBY}")
        assert counting.asked > asked  # the write dropped the kept page
        uncached = create_app(counting, kept_bytes=0)
        asked = counting.asked
        get(uncached, f"/entities/{KIRBY}")
        once = counting.asked - asked
        get(uncached, f"/entities/{KIRBY}")
        assert once > 0 and counting.asked - asked == 2 * once  # kept_bytes=0 asks the store every time


def test_app_article_page_lists_the_other_copies_of_its_story(tmp_path: Path) -> None:
    text = "The council voted on Tuesday to reopen the old bridge after two years of repairs and delays."
    copies = [ArticleFacts(id=f"wire/{outlet}", text=text + ("" if i == 0 else " "), sha256=text_sha256(text + ("" if i == 0 else " ")),
                           source=outlet, published="2022-05-03", title="Bridge reopens") for i, outlet in enumerate(("AP", "Daily Planet"))]
    with open_store(str(tmp_path / "c.duckdb")) as store:
        store.write(copies)
        app = create_app(store)
        page = get(app, "/articles/wire%2FAP").text
        assert "Same story elsewhere" in page and ">Daily Planet</a>" in page
        assert get(app, "/articles/wire%2FAP.json").json()["id"] == "wire/AP"  # the JSON twin stays the record


@pytest.mark.parametrize(("n", "one", "many", "expected"),
                         [(1, "quote", None, "1 quote"), (0, "quote", None, "0 quotes"), (2, "entity", "entities", "2 entities"),
                          (1200, "time", None, "1,200 times")])
def test_app_plural_table(n: int, one: str, many: str | None, expected: str) -> None:
    from newsfacts.web.app import plural

    assert plural(n, one, many) == expected


def test_app_server_timing_splits_store_and_page(tmp_path: Path, seed_text: str) -> None:
    with open_store(str(tmp_path / "t.duckdb")) as store:
        store.write([seed_record(seed_text, SEED_GOLD)])
        app = create_app(store)
        timing = get(app, f"/entities/{KIRBY}").headers["server-timing"]
        assert timing.startswith("store;") and ", page;" in timing and "dur=" in timing
        assert get(app, f"/entities/{KIRBY}").headers["server-timing"].startswith("kept;")
