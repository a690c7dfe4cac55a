"""RSS/Atom reader: entry content or summary, link and date; a broken feed is counted, not fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.ingest import read_articles
from newsfacts.ingest.html import html_fragment_text
from newsfacts.model import Article, Failure

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbor News</title><link>https://harbor.test/</link>
<item><title>Ferry terminal to open</title><link>https://harbor.test/ferry</link>
<pubDate>Thu, 09 Dec 2021 10:00:00 GMT</pubDate>
<description>Short summary only.</description>
<content:encoded><![CDATA[<p>The harbor authority said on Monday that the terminal would open.</p><p>Engineers finished the pier.</p>]]></content:encoded>
</item>
<item><title>Pier finished</title><link>https://harbor.test/pier</link>
<description>&lt;p&gt;Inspectors approved the ramps &lt;b&gt;within weeks&lt;/b&gt;.&lt;/p&gt;</description>
</item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>City Desk</title>
<entry><title>Council votes</title><link href="https://city.test/vote"/><id>tag:city.test,2022:1</id>
<updated>2022-03-01T08:00:00Z</updated><summary>The council voted 7 to 2 to fund the new library.</summary></entry>
</feed>"""


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("news.rss", RSS, [
            ("https://harbor.test/ferry", "2021-12-09", "Harbor News",
             "The harbor authority said on Monday that the terminal would open.\n\nEngineers finished the pier."),
            ("https://harbor.test/pier", "2020-01-01", "Harbor News", "Inspectors approved the ramps within weeks."),
        ]),
        ("city.atom", ATOM, [("https://city.test/vote", "2022-03-01", "City Desk", "The council voted 7 to 2 to fund the new library.")]),
        ("city.xml", ATOM, [("https://city.test/vote", "2022-03-01", "City Desk", "The council voted 7 to 2 to fund the new library.")]),
    ],
)
def test_feed_entries_become_articles(tmp_path: Path, name: str, content: str, expected: list) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    items = list(read_articles([path], published="2020-01-01"))
    assert [(a.url, a.published, a.source, a.text) for a in items] == expected
    assert all(isinstance(a, Article) and a.id == a.url for a in items)


@pytest.mark.parametrize("content", ["<rss><channel><item><title>unclosed", "not xml at all {", ""])
def test_feed_broken_is_a_failure_and_the_run_goes_on(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "broken.rss"
    bad.write_text(content, encoding="utf-8")
    good = tmp_path / "good.atom"
    good.write_text(ATOM, encoding="utf-8")
    items = list(read_articles([bad, good]))
    assert [type(i) for i in items] == [Failure, Article]
    assert items[0].code in ("E111", "E102")  # unreadable feed, or a recovered entry with no text


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("Plain text, no tags.", "Plain text, no tags."),
        ("<div>A <i>b</i><br>c</div>", "A b\n\nc"),
        ("<ul><li>x</li><li>y</li></ul>", "x\n\ny"),
        ("<p>Shown.<script>hidden()</script><!-- note --></p><style>p {}</style>", "Shown."),
        ("<div>" * 200 + "deep" + "</div>" * 200, "deep"),
    ],
    ids=["paragraphs", "plain", "br", "list", "script-style-comment", "deeply-nested"],
)
def test_feed_html_fragment_text(fragment: str, text: str) -> None:
    assert html_fragment_text(fragment) == text
