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
    assert {n for e in facts.entities for n in (e.name, *e.aliases)} >= {"Pentagon", "Iraq"}


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


@pytest.mark.parametrize("text", [
    'Café owner Jean-Luc Dupont said: "We are closed until further notice."',
    "Clinton coverage highlights TV gender gap in the campaign.",
    "British diplomat praises Obama's presidency at farewell dinner.",
    "Anti-Trump super PAC does Wisconsin robocall ahead of primary.",
    "The mayor said the bridge will reopen on Monday after repairs to the deck.",
])
def test_api_short_english_texts_are_english(text: str) -> None:
    from newsfacts.extractor import detect_language

    assert detect_language(text) == "en"


@pytest.mark.parametrize(("text", "language"), [
    ("Le président a déclaré lundi que la France soutiendrait le plan de relance européen.", "fr"),
    ("Die Kanzlerin sagte am Montag in Berlin, die Regierung werde das Gesetz noch vorlegen.", "de"),
    ("El presidente dijo el lunes que el gobierno presentará la ley antes de fin de año.", "es"),
    ("De minister zei maandag dat het kabinet de wet dit jaar nog zal indienen.", "nl"),
    ("Il presidente ha detto lunedì che il governo presenterà la legge entro la fine dell'anno.", "it"),
    ("O presidente disse na segunda-feira que o governo vai apresentar a lei até o final do ano.", "pt"),
    ("Statsministern sade på måndagen att regeringen kommer att lägga fram lagen i år.", "sv"),
    ("Premier powiedział w poniedziałek, że rząd przedstawi ustawę jeszcze w tym roku.", "pl"),
    ("Merkel sagte, Berlin werde helfen, und die Minister stimmten zu.", "de"),
])
def test_api_other_languages_are_detected(text: str, language: str) -> None:
    from newsfacts.extractor import detect_language

    assert detect_language(text) == language
    with pytest.raises(NewsfactsError, match="E109"):
        extract(text, published="2021-12-09")


def test_api_text_the_parser_refuses_fails_alone(extractor: Extractor) -> None:
    """If the parser raises on one article of a batch, the others are still extracted."""
    bad = Article(id="bad", text="Troops \ud800 left Iraq, officials said.", published="2021-12-09")  # not via _prepared
    good = Article(id="good", text=TEXT, published="2021-12-09")
    results = list(extractor._run_batch([good, bad, good]))
    assert [type(r).__name__ for r in results] == ["ArticleFacts", "Failure", "ArticleFacts"]
    assert results[1].message.startswith("[E301]") and "bad" in results[1].message


def test_api_nul_and_surrogates_are_replaced_not_fatal(extractor: Extractor) -> None:
    facts = extract("The Pentagon said \x00 that 2,500 troops \ud800 would stay in Iraq.", published="2021-12-09",
                    options=Options(check_language=False))
    assert "\x00" not in facts.text and "\ufffd" in facts.text and len(facts.sha256) == 64
