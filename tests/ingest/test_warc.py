"""WARC/ARC reader: HTML responses become articles with url and date from the record; damage is counted."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest

from newsfacts.ingest import read_articles
from newsfacts.model import Article, Failure

PARAGRAPHS = (
    "The harbor authority said on Monday that the new ferry terminal would open to passengers next spring.",
    "Engineers finished the main pier in October, and inspectors are expected to approve the ramps within weeks.",
    "Local businesses welcomed the decision, saying the terminal would bring visitors back to the old quarter.",
)


def page(title: str, paragraphs: tuple[str, ...] = PARAGRAPHS) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title></head><body><nav>Home | News</nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>").encode()


def write_warc(path: Path, pages: list[tuple[str, bytes, str]], *, gz: bool = True) -> None:
    """A WARC file with a warcinfo record, one response per page, and a non-HTML response."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for url, body, content_type in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": "2021-12-09T10:00:00Z"})
            writer.write_record(record)


PAGES = [
    ("https://news.test/ferry", page("Ferry terminal to open"), "text/html; charset=utf-8"),
    ("https://news.test/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"),
    ("https://news.test/pier", page("Pier finished", tuple(reversed(PARAGRAPHS))), "text/html"),
]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_html_responses_become_articles(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, PAGES, gz=name.endswith(".gz"))
    items = list(read_articles([path]))
    assert all(isinstance(i, Article) for i in items)
    assert [a.url for a in items] == ["https://news.test/ferry", "https://news.test/pier"]
    assert [a.published for a in items] == ["2021-12-09", "2021-12-09"]
    assert "ferry terminal would open" in items[0].text
    assert "Contact us" not in items[0].text


def test_warc_truncated_gzip_is_counted(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, PAGES)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 200])
    items = list(read_articles([cut]))
    assert [type(i) for i in items] == [Article, Failure]
    assert items[1].code == "E111"


def test_warc_garbage_is_a_failure_and_the_run_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"this is not a web archive at all\n" * 5)
    good = tmp_path / "good.warc.gz"
    write_warc(good, PAGES[:1])
    items = list(read_articles([bad, good]))
    assert [type(i) for i in items] == [Failure, Article]
    assert items[0].code == "E111"


def test_warc_malformed_record_header(tmp_path: Path) -> None:
    good = tmp_path / "good.warc"
    write_warc(good, PAGES[:1], gz=False)
    broken = tmp_path / "broken.warc"
    broken.write_bytes(good.read_bytes() + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: notanumber\r\n\r\n<html>")
    items = list(read_articles([broken]))
    assert isinstance(items[0], Article)
    assert isinstance(items[-1], Failure) and items[-1].code == "E111"


def test_warc_arc_file(tmp_path: Path) -> None:
    body = page("Ferry terminal to open")
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    header = b"filedesc://test.arc 0.0.0.0 20211209100000 text/plain 70\n1 0 test\nURL IP-address Archive-date Content-type Archive-length\n\n"
    record = f"https://news.test/ferry 127.0.0.1 20211209100000 text/html {len(http)}\n".encode() + http + b"\n"
    path = tmp_path / "old.arc.gz"
    with gzip.open(path, "wb") as out:
        out.write(header)
    with gzip.open(path, "ab") as out:
        out.write(record)
    items = list(read_articles([path]))
    assert [(type(i), getattr(i, "url", None)) for i in items] == [(Article, "https://news.test/ferry")]
    assert items[0].published == "2021-12-09"
