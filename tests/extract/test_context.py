"""Context: the article and upstream facts an extractor receives."""

from __future__ import annotations

import pytest

from newsfacts.extract.context import Context
from newsfacts.model import Article, Entity


@pytest.mark.parametrize(
    "text",
    [
        "The mayor said on Monday that the bridge would reopen.  ",
        "“We are done,” she said.\n\nThe end.",
        "One word",
    ],
)
def test_context_text_of_is_the_article_string_when_parsed_from_it(nlp, text: str) -> None:
    doc = nlp(text)
    got = Context(article=Article(id="a", text=text)).text_of(doc)
    assert got == doc.text
    assert got is text


def test_context_text_of_falls_back_to_the_doc_for_another_text(nlp) -> None:
    doc = nlp("A different sentence entirely.")
    ctx = Context(article=Article(id="a", text="Not what was parsed, and longer than it is."))
    assert ctx.text_of(doc) == "A different sentence entirely."


def test_context_text_of_empty_doc(nlp) -> None:
    assert Context(article=Article(id="a", text="")).text_of(nlp("")) == ""


def _entity(rank: int, mentions: list[tuple[int, int]]) -> Entity:
    return Entity(id=f"person:p{rank}", name=f"P{rank}", type="PERSON", mentions=tuple(mentions))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 4, "person:p0"),       # inside the long mention only
        (12, 14, "person:p1"),     # the tightest of two overlapping mentions
        (22, 23, "person:p0"),     # two mentions of one size: the earlier entity
        (30, 31, None),            # between mentions
        (45, 60, "person:p2"),     # a range reaching into a mention
    ],
)
def test_context_entity_at_prefers_the_tightest_mention(start: int, end: int, expected: str | None) -> None:
    entities = (_entity(0, [(0, 20), (21, 25)]), _entity(1, [(10, 15), (20, 24)]), _entity(2, [(50, 55)]))
    ctx = Context(article=Article(id="a", text="x" * 60), entities=entities)
    found = ctx.entity_at(start, end)
    assert (found.id if found else None) == expected
