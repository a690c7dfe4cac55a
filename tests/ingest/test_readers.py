"""Readers: text, HTML, JSONL, directories; each bad item becomes a Failure and the rest goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfacts import read_articles
from newsfacts.model import Article, Failure

HTML = """<html><head><title>Council votes on budget</title>
<meta property="article:published_time" content="2023-05-04T10:00:00Z">
<link rel="canonical" href="https://example.org/news/budget"></head>
<body><nav>Home | World | Sport</nav><article><h1>Council votes on budget</h1>
<p>The city council approved a budget of $4.2 million on Wednesday after a long debate about libraries.</p>
<p>"This is a good day for readers," the mayor said in a statement after the vote.</p>
</article><footer>Copyright 2023</footer></body></html>"""


def test_readers_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    [article] = list(read_articles([path]))
    assert isinstance(article, Article)
    assert "approved a budget of $4.2 million" in article.text and "Home | World" not in article.text
    assert article.title == "Council votes on budget"
    assert article.published == "2023-05-04"
    assert article.url == "https://example.org/news/budget"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ('<p>The mayor said "yes".</p>', 'The mayor said "yes".'),
        ("<blockquote>We will <b>win</b>, she said.<script>alert(1)</script><!-- ad --></blockquote><p>Then  she left.</p>",
         "We will win, she said.\n\nThen she left."),
    ],
    ids=["paragraph", "blockquote-script-comment"],
)
def test_readers_html_fragment_keeps_its_visible_text(tmp_path: Path, html: str, text: str) -> None:
    """A fragment or tiny page in which trafilatura finds no article body is still read, not dropped."""
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "f", "html": html}) + "\n", encoding="utf-8")
    [article] = list(read_articles([path]))
    assert isinstance(article, Article)
    assert [line for line in article.text.splitlines() if line] == [line for line in text.splitlines() if line]


def test_readers_html_without_visible_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>x</title><script>var a = 1;</script></head><body> </body></html>", encoding="utf-8")
    [failure] = list(read_articles([path]))
    assert isinstance(failure, Failure) and failure.message.startswith("[E102]")


def test_readers_directory_recursive_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second article text.", encoding="utf-8")
    (tmp_path / "one.txt").write_text("First article text.\r\nNext line.", encoding="utf-8")
    items = list(read_articles([tmp_path], published="2020-02-02"))
    assert [Path(a.id).name for a in items] == ["two.txt", "one.txt"]
    assert items[1].text == "First article text.\nNext line."
    assert all(a.published == "2020-02-02" and len(a.sha256) == 64 for a in items)


def test_readers_jsonl_fields_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": 7, "text": "Plain text.", "url": "https://e.org/a", "title": "T", "source": "S",
                    "published": "2021-01-02T03:04:05Z"}),
        json.dumps({"id": "h", "html": HTML}),
        "[1, 2]",
        json.dumps({"id": "bad", "text": "x", "title": 5}),
    ]), encoding="utf-8")
    items = list(read_articles([path]))
    assert isinstance(items[0], Article) and items[0].id == "7" and items[0].source == "S"
    assert items[0].published == "2021-01-02T03:04:05Z"
    assert isinstance(items[1], Article) and items[1].title == "Council votes on budget"
    assert [type(i) for i in items[2:]] == [Failure, Failure]
    assert items[2].message.startswith("[E107] Malformed JSONL line 3") and "'title' must be a string" in items[3].message


@pytest.mark.parametrize("html", [
    "<html></html>",
    "<!DOCTYPE html><title>Moved</title>",
    '<html><head><meta http-equiv="refresh" content="0; url=https://example.org/"></head></html>',
])
def test_readers_page_without_body_is_a_failure_not_a_crash(tmp_path: Path, html: str) -> None:
    """Pages lxml cannot even make a fragment of (a redirect stub, common in crawls) fail alone."""
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (tmp_path / "b.txt").write_text("The mayor said the bridge would reopen.", encoding="utf-8")
    items = list(read_articles([tmp_path / "a.html", tmp_path / "b.txt"]))
    assert isinstance(items[0], Failure) and items[0].message.startswith("[E102]")
    assert isinstance(items[1], Article)


def test_readers_nul_and_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    """JSON escapes can carry characters no parser or database takes; the article is kept, same offsets."""
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "s", "text": "Troops \\ud800 left.", "title": "A\\u0000B"}\n'
                    '{"id": "ok", "text": "Troops left."}\n', encoding="utf-8")
    first, second = read_articles([path])
    assert first.text == "Troops \ufffd left." and first.title == "A\ufffdB"
    assert second.text == "Troops left."


def test_readers_directory_skips_hidden_follows_symlinks_once(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / ".git" / "refs").mkdir(parents=True)
    (root / ".git" / "refs" / "main").write_text("abc", encoding="utf-8")
    (root / ".hidden.txt").write_text("Not an article.", encoding="utf-8")
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "linked.txt").write_text("A linked article.", encoding="utf-8")
    (root / "link").symlink_to(target, target_is_directory=True)
    (target / "back").symlink_to(root, target_is_directory=True)  # a loop
    (root / "own.txt").write_text("Its own article.", encoding="utf-8")
    items = list(read_articles([root]))
    assert sorted(Path(a.id).name for a in items) == ["linked.txt", "own.txt"]
    assert all(isinstance(a, Article) for a in items)


@pytest.mark.parametrize("make", [
    lambda p: p.mkdir(),  # an empty directory
    lambda p: p.with_suffix(".rss").write_text(  # a well-formed feed without entries
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>', encoding="utf-8"),
])
def test_readers_input_without_articles_says_so(tmp_path: Path, make) -> None:
    target = tmp_path / "input"
    make(target)
    path = target if target.exists() else target.with_suffix(".rss")
    [failure] = list(read_articles([path]))
    assert isinstance(failure, Failure) and failure.message.startswith("[E113]") and str(path) in failure.message


def test_readers_utf16_jsonl_keeps_every_record(tmp_path: Path) -> None:
    """A JSONL corpus saved as UTF-16 (with its byte order mark) is decoded whole, not cut at every newline byte."""
    path = tmp_path / "c.jsonl"
    records = [{"id": f"r{i}", "text": f"Record {i} \u2014 caf\u00e9 \u201cquoted\u201d."} for i in range(3)]
    path.write_bytes(("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n").encode("utf-16"))
    items = list(read_articles([path]))
    assert [(a.id, a.text) for a in items] == [(r["id"], r["text"]) for r in records]


def test_readers_utf8_with_a_stray_legacy_byte_stays_utf8(tmp_path: Path) -> None:
    """One Latin-1 "é" in a UTF-8 article must not make the whole text a legacy charset (curly quotes garbled)."""
    body = "\u201cWe will stay,\u201d the minister said \u2014 for now. " * 5
    path = tmp_path / "a.txt"
    path.write_bytes(body.encode("utf-8") + "Caf\u00e9 owners agreed.".encode("latin-1"))
    [article] = list(read_articles([path]))
    assert article.text == body + "Caf\u00e9 owners agreed."


def test_readers_legacy_text_is_still_detected(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Caf\u00e9 owner Jos\u00e9 said the shop would close on Monday after thirty years.".encode("cp1252"))
    [article] = list(read_articles([path]))
    assert article.text.startswith("Caf\u00e9 owner Jos\u00e9")
