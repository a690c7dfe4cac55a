"""The public Python API: extract(), Extractor, Options, read_articles."""

from __future__ import annotations

import pytest

import newsfacts
from newsfacts import Article, ArticleFacts, Extractor, Options, extract
from newsfacts.errors import BadDate, EmptyArticle, NewsfactsError
from newsfacts.model import Failure

TEXT = "The Pentagon announced on Thursday that about 2,500 troops would stay in Iraq, officials said."


def test_api_public_names() -> None:
    assert {"extract", "Extractor", "Options", "read_articles", "ArticleFacts", "Article"} <= set(newsfacts.__all__)


def test_api_extract_text(extractor: Extractor) -> None:
    facts = extract(TEXT, published="2021-12-09", options=Options(check_language=False))
    assert isinstance(facts, ArticleFacts)
    assert facts.published == "2021-12-09" and facts.text == TEXT
    assert {e.name for e in facts.entities} >= {"Pentagon", "Iraq"}


def test_api_extractor_run_keeps_order_and_failures(extractor: Extractor) -> None:
    items = [Article(id="a", text=TEXT), Failure(id="b", message="[E106] No such file or directory: b"),
             Article(id="c", text="   "), Article(id="d", text=TEXT, published="2020-01-01")]
    results = list(extractor.run(items))
    assert [r.id for r in results] == ["a", "b", "c", "d"]
    assert isinstance(results[0], ArticleFacts) and isinstance(results[3], ArticleFacts)
    assert isinstance(results[2], Failure) and results[2].code == "E102"
    assert results[3].published == "2020-01-01"


def test_api_bad_record_date_is_recorded_not_fatal(extractor: Extractor) -> None:
    facts = extractor(Article(id="x", text=TEXT, published="last Tuesday"))
    assert facts.errors and facts.errors[0].startswith("[E110]")


@pytest.mark.parametrize(("call", "error"), [
    (lambda: Options(published="2021-13-45"), BadDate),
    (lambda: extract("   "), EmptyArticle),
])
def test_api_user_errors_are_newsfacts_errors(call, error: type[NewsfactsError]) -> None:
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value).startswith(f"[{error.code}]")
