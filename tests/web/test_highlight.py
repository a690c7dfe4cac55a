"""The highlighted article HTML: escaping, nesting, overlaps, links, anchors."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfacts.model import ArticleFacts, Entity, Mention, Quantity, Quote, Span
from newsfacts.web.highlight import Mark, fact_marks, format_value, highlight, mark_terms


class _Tree(HTMLParser):
    """Collects the text and checks that every tag closes in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.balanced = True
        self.nested_links = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a" and "a" in self.stack:
            self.nested_links = True
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(markup: str) -> _Tree:
    tree = _Tree()
    tree.feed(markup)
    tree.close()
    return tree


@pytest.mark.parametrize(
    ("text", "marks", "expected"),
    [
        ("a <b> c", [Mark(2, 5, "entity")], 'a <span class="f f-entity">&lt;b&gt;</span> c'),
        ("x", [], "x"),
        ("ab", [Mark(0, 2, "quote", anchor="q-0", focusable=True)], '<span class="f f-quote" id="q-0" tabindex="0">ab</span>'),
        ("ab", [Mark(0, 1, "entity", href="/entities/p:x")], '<a href="/entities/p:x" class="f f-entity">a</a>b'),
        ("abc", [Mark(0, 3, "quote"), Mark(1, 2, "timex")],
         '<span class="f f-quote">a<span class="f f-timex">b</span>c</span>'),
        ("abcd", [Mark(0, 2, "quote"), Mark(1, 4, "claim")],
         '<span class="f f-quote">a<span class="f f-claim">b</span></span><span class="f f-claim cont">cd</span>'),
        ("ab", [Mark(0, 2, "entity"), Mark(0, 2, "quote")],
         '<span class="f f-quote"><span class="f f-entity">ab</span></span>'),
        ("ab", [Mark(5, 9, "quote"), Mark(1, 1, "timex"), Mark(-1, 1, "claim")], "ab"),
    ],
)
def test_highlight_table(text: str, marks: list[Mark], expected: str) -> None:
    assert str(highlight(text, marks)) == expected



@pytest.mark.parametrize(
    ("marks", "expected"),
    [([Mark(0, 2, "quote", "Quote · speaker: Jane", anchor="q-0", focusable=True)],
      ('<span class="f f-quote" id="q-0" data-tip="Quote · speaker: Jane" aria-describedby="tip-0" tabindex="0">ab</span>'
       '<span class="tips" hidden><span id="tip-0">Quote · speaker: Jane</span></span>')),
     ([Mark(0, 1, "entity", "GPE Iraq", href="/e/i"), Mark(1, 2, "entity", "GPE Iraq", href="/e/i")],
      ('<a href="/e/i" class="f f-entity" data-tip="GPE Iraq" aria-describedby="tip-0">a</a>'
       '<a href="/e/i" class="f f-entity" data-tip="GPE Iraq" aria-describedby="tip-0">b</a>'
       '<span class="tips" hidden><span id="tip-0">GPE Iraq</span></span>')),
     ([Mark(0, 2, "sentence", anchor="s-0"), Mark(0, 2, "timex", "<Time>")],
      '<span class="f f-sentence" id="s-0"><span class="f f-timex" data-tip="&lt;Time&gt;">ab</span></span>')],
)
def test_highlight_describes_details_for_screen_readers_table(marks: list[Mark], expected: str) -> None:
    assert str(highlight("ab", marks, describe=True)) == expected


@pytest.mark.parametrize(
    "text",
    ['<script>alert(1)</script>', '<img src=x onerror="alert(1)">', '</textarea><b>', '<a href="javascript:alert(1)">x</a>'],
)
def test_highlight_escapes_article_text(text: str) -> None:
    out = str(highlight(text, [Mark(0, len(text), "quote", tip=text), Mark(1, 4, "entity", href="/e/" + text)]))
    assert "<script" not in out and "<img" not in out and "</textarea" not in out and "<b>" not in out
    assert _parse(out).balanced
    assert "".join(_parse(out).text) == text


def test_highlight_nested_links_become_spans() -> None:
    out = str(highlight("abcd", [Mark(0, 4, "speaker", href="/a"), Mark(1, 3, "entity", href="/b")]))
    assert out.count("<a ") == 1 and not _parse(out).nested_links


def test_highlight_continuation_keeps_id_once() -> None:
    out = str(highlight("abcdef", [Mark(0, 4, "quote", anchor="q-0", focusable=True), Mark(2, 6, "claim", anchor="c-0"),
                                   Mark(3, 5, "timex", anchor="t-0")]))
    for anchor in ("q-0", "c-0", "t-0"):
        assert out.count(f'id="{anchor}"') == 1
    assert out.count('tabindex="0"') == 1
    assert _parse(out).balanced


_marks = st.lists(
    st.builds(Mark, st.integers(0, 40), st.integers(0, 40), st.sampled_from(["quote", "claim", "entity", "timex", "sentence"]),
              href=st.sampled_from([None, "/x"])),
    max_size=12,
)


@given(st.text(alphabet='ab <>&"\'\n/', max_size=40), _marks)
def test_highlight_any_marks_keep_text_and_balance(text: str, marks: list[Mark]) -> None:
    tree = _parse(str(highlight(text, marks)))
    assert tree.balanced and not tree.stack and not tree.nested_links
    assert "".join(tree.text) == text


_tipped = st.lists(
    st.builds(Mark, st.integers(0, 40), st.integers(0, 40), st.sampled_from(["quote", "claim", "entity", "timex", "sentence"]),
              st.sampled_from(["", "Quote · speaker: Jane", "<b>tip</b>"]), href=st.sampled_from([None, "/x"]),
              focusable=st.booleans()),
    max_size=12,
)


@given(st.text(alphabet='ab <>&"\'\n/', max_size=40), _tipped)
def test_highlight_described_marks_point_at_their_details(text: str, marks: list[Mark]) -> None:
    out = str(highlight(text, marks, describe=True))
    body, _, tips = out.partition('<span class="tips" hidden>')
    tree = _parse(body)
    assert tree.balanced and not tree.stack and "".join(tree.text) == text
    ids = set(re.findall(r'aria-describedby="(tip-\d+)"', body))
    assert ids == set(re.findall(r'<span id="(tip-\d+)">', tips))


def _facts() -> ArticleFacts:
    text = '"We stay," said John Kirby. About 2,500 troops.'
    kirby = Entity(id="person:john-kirby", name="John Kirby", type="PERSON", mentions=((15, 25),))
    quote = Quote(span=(0, 9), text=text[0:9], parts=((1, 8),), kind="direct",
                  speaker=Mention(span=(15, 25), text="John Kirby", entity="person:john-kirby"),
                  cue=Span(span=(10, 14), text="said"), sentence=(0, 26))
    number = Quantity(span=(27, 38), text=text[27:38], value=2500.0, change="~", source="person:john-kirby",
                      sentence=(27, 46))
    return ArticleFacts(id="a", text=text, sha256="", entities=(kirby,), quotes=(quote,), quantities=(number,))


def test_fact_marks_speaker_links_and_sentence_anchors() -> None:
    facts = _facts()
    out = str(highlight(facts.text, fact_marks(facts, lambda e: "/entities/" + e)))
    assert '<a href="/entities/person:john-kirby" class="f f-speaker"' in out
    assert 'id="q-0"' in out and 'id="n-0"' in out and 'id="s-0"' in out and 'id="s-27"' in out
    assert "speaker: John Kirby" in html.unescape(out)
    assert out.count("<a ") == 1  # the speaker mention is one link, not also an entity link


@pytest.mark.parametrize(("value", "expected"), [(2500.0, "2,500"), (0.3333, "0.3333"), ((252.0, 287.0), "252–287"),
                                                 (8e6, "8,000,000"), (1.5, "1.5")])
def test_format_value_table(value: object, expected: str) -> None:
    assert format_value(value) == expected


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [("Troops <stay>", "troops", "<mark>Troops</mark> &lt;stay&gt;"), ("a.b a*b", "a*b", "a.b <mark>a*b</mark>"),
     ("x", None, "x"), ("<script>", "script", "&lt;<mark>script</mark>&gt;"),
     ("in Iraq", "iraq in", "<mark>in</mark> <mark>Iraq</mark>")],
)
def test_mark_terms_table(text: str, query: str | None, expected: str) -> None:
    assert str(mark_terms(text, query)) == expected
