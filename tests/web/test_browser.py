"""The web UI in a real browser: Playwright driving Debian's Chromium against a running server.

The server (uvicorn in a thread, a free 127.0.0.1 port) serves a DuckDB store in tmp_path holding the
seed article, dated troop-count reports, a few PolNeAR articles (real extractions) and an article made
of XSS payloads. Tests assert what a person sees and save a screenshot of each page in tmp_path.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from newsfacts.model import Article

from .webdata import KIRBY, SEED_ID, XSS_ID, XSS_TEXT, seed_record, troop_reports, xss_record

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TOKEN = "test-token-7f3a"
POLNEAR_COUNT = 3
SEED_GOLD = Path(__file__).resolve().parents[3] / "shared" / "seed" / "iraq-combat-mission-2021-12-09.gold.json"

if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, extractor, seed_text: str, polnear_train_texts: list[Path]) -> Iterator[str]:
    """Base URL of a live server over a freshly written store; stopped after the module."""
    import uvicorn

    from newsfacts.store import open_store
    from newsfacts.web import create_app

    db = tmp_path_factory.mktemp("web") / "facts.duckdb"
    polnear = [extractor(Article(id=f"polnear/{p.name}", text=p.read_text(encoding="utf-8"), published=p.name.split("_")[1],
                                 source=p.name.split("_")[0], title=p.stem)) for p in polnear_train_texts[:POLNEAR_COUNT]]
    store = open_store(str(db))
    store.write([seed_record(seed_text, SEED_GOLD), *troop_reports(), xss_record(), *polnear])
    app = create_app(store, token=TOKEN)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                                     args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, tmp_path: Path) -> Iterator[object]:
    """A fresh page that records every dialog (an alert from injected script would be one)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def _shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def test_browser_overview_has_search_box(server: str, page, tmp_path: Path) -> None:
    page.goto(server + "/")
    _shot(page, tmp_path, "overview")
    box = page.get_by_label("Search quotes and claims").first
    box.fill("posture")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=posture"))
    assert page.locator(".results li").count() >= 1
    assert "There’s no significant posture change" in page.locator(".results").inner_text()
    _shot(page, tmp_path, "search")


def test_browser_article_highlights_quote_and_speaker_links_to_entity(server: str, page, tmp_path: Path) -> None:
    page.goto(server + "/articles/" + quote(SEED_ID, safe=""))
    quote_mark = page.locator("#q-0")
    assert quote_mark.is_visible()
    assert quote_mark.inner_text().startswith("There’s no significant posture change")
    assert page.locator(".article-text .f-quantity").count() >= 5 and page.locator(".article-text .f-timex").count() >= 10
    quote_mark.focus()  # details on focus, for keyboard users
    assert "speaker: John Kirby" in quote_mark.get_attribute("data-tip")
    _shot(page, tmp_path, "article")
    speaker = page.locator(".article-text a.f-speaker", has_text="John Kirby").first
    speaker.click()
    page.wait_for_url(re.compile("/entities/" + re.escape(KIRBY) + "$"))
    assert page.locator("h1").inner_text() == "John Kirby"
    assert "There’s no significant posture change" in page.locator("#quotes").inner_text()
    assert "the press secretary" in page.locator("main").inner_text()  # an alias
    _shot(page, tmp_path, "entity")


def test_browser_keyboard_reaches_facts(server: str, page) -> None:
    page.goto(server + "/articles/" + quote(SEED_ID, safe=""))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.article-text') !== null"):
            break
    assert page.evaluate("document.activeElement.closest('.article-text') !== null")


def test_browser_number_chart_points_link_to_sentences(server: str, page, tmp_path: Path) -> None:
    page.goto(server + "/numbers?about=troops")
    chart = page.locator("svg.chart").first
    assert chart.is_visible()
    points = chart.locator("a.point")
    assert points.count() == 4
    assert chart.locator("text.legend").count() == 3  # Pentagon, Washington Post, John Kirby
    _shot(page, tmp_path, "numbers")
    href = points.first.get_attribute("href")
    assert re.fullmatch(r"/articles/[^#]+#s-\d+", href)
    points.first.click()
    page.wait_for_url(re.compile(r"#s-\d+$"))
    assert page.locator(".f-sentence:target").count() == 1
    assert "troops" in page.locator(".f-sentence:target").inner_text()


def test_browser_xss_article_renders_inert(server: str, page, tmp_path: Path) -> None:
    page.goto(server + "/articles/" + quote(XSS_ID, safe=""))
    text = page.locator(".article-text").inner_text()
    assert "<script>alert('script')</script>" in text and "</textarea>" in text
    assert page.locator("h1").inner_text() == "<script>alert('title')</script>"
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator(".article-text script, .article-text img, .article-text svg, main script").count() == 0
    page.locator(".article-text a.f-speaker").first.click()  # the entity page escapes names too
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Jane <b>Doe</b>"
    _shot(page, tmp_path, "xss-entity")
    page.goto(server + "/articles/" + quote(XSS_ID, safe=""))
    _shot(page, tmp_path, "xss-article")
    assert page.dialogs == []


def test_browser_paste_shows_extraction_without_storing(server: str, page, tmp_path: Path) -> None:
    page.goto(server + "/paste")
    page.get_by_label("Article text").fill(XSS_TEXT + "\n\nThe Pentagon said on Thursday that John Kirby met reporters in Iraq.")
    page.get_by_label("Published").fill("2021-12-09")
    page.get_by_role("button", name="Extract").click()
    page.wait_for_selector(".result .article-text")
    assert page.locator(".result .article-text .f-entity").count() >= 2
    assert page.get_by_label("Article text").input_value().startswith("Officials said")  # </textarea> stayed text
    assert "Not stored" in page.locator(".result").inner_text()
    _shot(page, tmp_path, "paste")
    assert page.dialogs == []


def test_browser_writes_need_the_token(server: str, page, tmp_path: Path) -> None:
    body = {"text": "The Pentagon said on Friday that 2,400 troops remain in Iraq.", "published": "2022-01-07",
            "title": "Troops posted", "id": "posted/troops-2022"}
    refused = page.request.post(server + "/api/articles", data=body)
    assert refused.status == 401 and refused.json()["ok"] is False
    wrong = page.request.post(server + "/api/articles", data=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status == 401
    stored = page.request.post(server + "/api/articles", data=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert stored.status == 201 and stored.json()["id"] == "posted/troops-2022"
    page.goto(server + stored.json()["url"])
    assert page.locator("h1").inner_text() == "Troops posted"

    page.goto(server + "/paste")
    page.get_by_label("Article text").fill("Officials in Iraq said on Monday that the talks went well.")
    page.get_by_label("Store this article and its facts").check()
    page.get_by_label("Write token").fill("wrong")
    page.get_by_role("button", name="Extract").click()
    page.wait_for_selector("#form-errors")
    assert "token" in page.locator("#form-errors").inner_text()
    page.get_by_label("Store this article and its facts").check()
    page.get_by_label("Write token").fill(TOKEN)
    page.get_by_role("button", name="Extract").click()
    page.wait_for_url(re.compile(r"/articles/posted%2F"))
    assert "the talks went well" in page.locator(".article-text").inner_text()
    _shot(page, tmp_path, "pasted-and-stored")


_A11Y = """() => {
  const fields = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')];
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  return {
    unlabeled: fields.filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.outerHTML),
    mains: document.querySelectorAll('main').length,
    banner: document.querySelectorAll('header[role=banner]').length,
    nav: document.querySelectorAll('nav[aria-label]').length,
    contentinfo: document.querySelectorAll('footer[role=contentinfo]').length,
    h1: document.querySelectorAll('h1').length,
    lang: document.documentElement.lang,
    duplicate_ids: ids.filter((v, i) => ids.indexOf(v) !== i),
  };
}"""


@pytest.mark.parametrize(
    "path",
    ["/", "/search?q=Iraq", "/articles/" + quote(SEED_ID, safe=""), f"/entities/{KIRBY}", "/entities",
     "/numbers?about=troops", "/paste", "/articles/nope"],
)
def test_browser_pages_have_landmarks_labels_unique_ids(server: str, page, path: str) -> None:
    page.goto(server + path)
    report = page.evaluate(_A11Y)
    assert report == {"unlabeled": [], "mains": 1, "banner": 1, "nav": 1, "contentinfo": 1, "h1": 1, "lang": "en",
                      "duplicate_ids": []}


def test_browser_details_show_on_hover_and_focus(server: str, page) -> None:
    page.goto(server + "/articles/" + quote(SEED_ID, safe=""))
    after = "el => getComputedStyle(el, '::after').content"
    number = page.locator("#n-0")
    assert page.evaluate(after.replace("el =>", "(el) =>"), number.element_handle()) in ("none", "normal", "")
    number.hover()
    assert "Quantity" in number.evaluate(after)
    page.mouse.move(0, 0)
    page.locator("#t-0").focus()
    assert "Time DATE" in page.locator("#t-0").evaluate(after)


def test_browser_details_reach_screen_readers(server: str, page) -> None:
    page.goto(server + "/articles/" + quote(SEED_ID, safe=""))
    sync_api.expect(page.locator("#q-0")).to_have_accessible_description(re.compile("speaker: John Kirby"))
    speaker = page.locator(".article-text a.f-speaker", has_text="John Kirby").first
    sync_api.expect(speaker).to_have_accessible_description(re.compile("Speaker: John Kirby"))
    page.goto(server + "/numbers?about=troops")
    sync_api.expect(page.locator("svg.chart a.point").first).to_have_accessible_name(re.compile(r"\d.* · .*troops"))
    chart = page.get_by_role("group", name=re.compile("Reported values"))  # not role=img, whose children AT never reaches
    assert chart.get_by_role("link").count() == page.locator("svg.chart a.point").count() >= 4  # (a test may add one)


def test_browser_chart_points_are_keyboard_reachable(server: str, page) -> None:
    page.goto(server + "/numbers?about=troops")
    page.locator("svg.chart a.point").first.focus()
    assert page.evaluate("document.activeElement.closest('svg') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#s-\d+$"))
