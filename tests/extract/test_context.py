"""Context: the article and upstream facts an extractor receives."""

from __future__ import annotations

import pytest

from newsfacts.extract.context import Context
from newsfacts.model import Article


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
