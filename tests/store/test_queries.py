"""The questions (``store.queries``) on both backends, over hand-built articles; injection is inert."""

from __future__ import annotations

import dataclasses
import json

import pytest
from _facts import at, make_article

from newsfacts.errors import NewsfactsError
from newsfacts.model import Entity, Failure, Mention, Quote, Span, text_sha256
from newsfacts.store import queries
from newsfacts.store.words import words

OTHER_STORY = " " + " ".join(f"Unrelated sentence number {i} about harvests and weather." for i in range(12))

INJECTIONS = [
    "'; DROP TABLE articles; --",
    "\" OR 1=1 --",
    "x' OR '1'='1",
    "%",
    "_",
    "\\",
    "Robert'); DELETE FROM quotes WHERE ('1'='1",
    "$1",
    "%(x)s",
    ":limit",
    "1; SELECT pg_sleep(5)",
]


@pytest.fixture
def corpus(store):
    """Three articles (Kirby 2021, Kirby 2022, Roe 2023) on the store under test."""
    store.write([
        make_article(doc_id="a", published="2021-12-09", source="Example Times"),
        make_article(doc_id="b", published="2022-03-01", url="https://example.test/b", source="Daily Planet", troops="about 2,000"),
        make_article(doc_id="c", published="2023-05-05", url="https://example.test/c", source="Daily Planet",
                     speaker="Jane Roe", troops="2,000-2,500", tail=OTHER_STORY),
    ])
    store.write_failure(Failure(id="bad.xml", message="[E111] Malformed record in bad.xml: broken"))
    return store


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["a", "b", "c"]),
        ({"speaker": "John Kirby"}, ["a", "b"]),
        ({"speaker": "kirby"}, ["a", "b"]),
        ({"speaker": "person:jane-roe"}, ["c"]),
        ({"speaker": "Nobody Here"}, []),
        ({"since": "2022-01-01"}, ["b", "c"]),
        ({"until": "2022-03-01"}, ["a", "b"]),
        ({"about": "2,000 iraq"}, ["b", "c"]),
        ({"about": "about 2,000"}, ["b"]),
        ({"publisher": "daily planet"}, ["b", "c"]),
    ],
)
def test_queries_quotes_filters(corpus, filters: dict, expected: list[str]) -> None:
    rows = queries.quotes(corpus, **filters)
    assert [r["doc_id"] for r in rows] == expected
    for row in rows:
        article = queries.article(corpus, row["article"])
        assert article.text[row["span"][0]:row["span"][1]] == row["text"]
        assert row["sentence"][0] <= row["span"][0] < row["span"][1] <= row["sentence"][1]


def test_queries_quotes_row_shape(corpus) -> None:
    row = queries.quotes(corpus, speaker="John Kirby", limit=1)[0]
    assert row["speaker"] == "John Kirby"
    assert row["speaker_entity"] == "person:john-kirby"
    assert (row["cue"], row["when"], row["day"], row["publisher"], row["copies"]) == ("told", "2021-12-09", "2021-12-09", "Example Times", 1)
    json.dumps(row)


@pytest.mark.parametrize(
    ("kind", "text", "parts", "said"),
    [
        ("split", "\u201cWe stay,\u201d Jane Doe said. \u201cFor now.\u201d", ["We stay", "For now."], "We stay \u2026 For now."),
        ("direct", "Jane Doe said: \u201cWe stay for now.\u201d", ["We stay for now."], "We stay for now."),
        ("mixed", "The plan is to \u201cstay for now,\u201d Jane Doe said.", ["stay for now,"],
         "The plan is to \u201cstay for now\u201d"),
    ],
)
def test_queries_quotes_said_without_the_narration(store, kind: str, text: str, parts: list[str], said: str) -> None:
    """A split quote's row shows its quoted stretches, not the attribution between them."""
    spans = [at(text, p) for p in parts]
    start = text.index("The plan") if kind == "mixed" else spans[0][0]
    span = (start, spans[-1][1])
    speaker = Mention(span=at(text, "Jane Doe"), text="Jane Doe", entity="person:jane-doe")
    quote = Quote(span=span, text=text[span[0]:span[1]], parts=tuple(spans), kind=kind, speaker=speaker,
                  cue=Span(at(text, "said"), "said"))
    facts = make_article(doc_id="q")
    facts = dataclasses.replace(facts, text=text, sha256=text_sha256(text), quotes=(quote,), claims=(), quantities=(),
                                timexes=(), events=(),
                                entities=(Entity(id="person:jane-doe", name="Jane Doe", type="PERSON", mentions=(speaker.span,)),))
    store.write([facts])
    row = queries.quotes(store, speaker="Jane Doe")[0]
    assert row["parts"] == [list(s) for s in spans]
    assert row["said"] == said
    assert row["text"] == text[span[0]:span[1]]
    assert [r["said"] for r in queries.timeline(store, "Jane Doe")] == [said]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"source": "Washington Post"}, ["a", "c"]),
        ({"source": "the Washington Post"}, ["a", "c"]),
        ({"source": "John Kirby"}, []),
        ({"source": "Washington Post", "since": "2023-01-01"}, ["c"]),
    ],
)
def test_queries_claims_filters(corpus, filters: dict, expected: list[str]) -> None:
    rows = queries.claims(corpus, **filters)
    assert [r["doc_id"] for r in rows] == expected
    assert all(r["kind"] == "according_to" and r["cue"] == "According to" for r in rows)


def test_queries_claims_once_per_story(corpus) -> None:
    rows = queries.claims(corpus, source="Washington Post")
    assert [(r["doc_id"], r["copies"]) for r in rows] == [("a", 2), ("c", 1)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"about": "troops in Iraq"}, [("a", 2500.0), ("b", 2000.0), ("c", 2250.0)]),
        ({"about": "troops", "source": "John Kirby"}, [("a", 2500.0), ("b", 2000.0)]),
        ({"about": "troops", "source": "Daily Planet"}, [("b", 2000.0), ("c", 2250.0)]),
        ({"about": "tanks"}, []),
    ],
)
def test_queries_numbers_over_time(corpus, filters: dict, expected: list) -> None:
    rows = queries.numbers(corpus, **filters, sentences=True)
    assert [(r["doc_id"], r["value"]) for r in rows] == expected
    assert all("troops in Iraq" in r["sentence_text"] for r in rows)


def test_queries_numbers_range(corpus) -> None:
    row = queries.numbers(corpus, about="troops", since="2023-01-01")[0]
    assert (row["is_range"], row["low"], row["high"], row["counts"]) == (True, 2000.0, 2500.0, "troops in Iraq")


def test_queries_timeline_in_date_order(corpus) -> None:
    kirby = queries.timeline(corpus, "John Kirby")
    assert [(r["kind"], r["date"]) for r in kirby] == [("quote", "2021-12-09"), ("quote", "2022-03-01")]
    pentagon = queries.timeline(corpus, "Pentagon")
    assert [r["kind"] for r in pentagon] == ["event"] * 3 and all(r["said"] is None for r in pentagon)
    assert queries.timeline(corpus, "Nobody") == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"top": 2}, ["gpe:iraq", "org:pentagon"]),
        ({"type": "person"}, ["person:john-kirby", "person:jane-roe"]),
        ({"type": "ORG", "top": 5}, ["org:pentagon", "org:washington-post"]),
    ],
)
def test_queries_entities_top(corpus, filters: dict, expected: list[str]) -> None:
    assert [r["id"] for r in queries.entities(corpus, **filters)] == expected


def test_queries_overview_counts(corpus) -> None:
    counts = queries.overview(corpus)
    assert {k: counts[k] for k in ("articles", "quotes", "claims", "quantities", "timexes", "events", "failures")} == {
        "articles": 3, "quotes": 3, "claims": 3, "quantities": 3, "timexes": 6, "events": 3, "failures": 1,
    }
    assert counts["stories"] == 2


def test_queries_search_kinds(corpus) -> None:
    rows = queries.search(corpus, "2,000")
    assert sorted((r["kind"], r["doc_id"]) for r in rows) == [("article", "b"), ("article", "c"), ("quote", "b"), ("quote", "c")]
    assert [r["kind"] for r in queries.search(corpus, "captured", kinds=("claims",))] == ["claim"] * 2
    assert [r["doc_id"] for r in queries.search(corpus, "troops", speaker="Jane Roe")] == ["c"]


@pytest.mark.parametrize(
    "ask",
    [
        lambda s: queries.quotes(s, about="troops", since="2022-01-01", limit=1),
        lambda s: queries.claims(s, about="ISIS captured", limit=1),
        lambda s: queries.numbers(s, about="troops", limit=2),
        lambda s: queries.search(s, "2,000 Iraq", limit=1),
        lambda s: queries.search(s, "Pentagon", kinds=("articles",), limit=2),
    ],
)
def test_queries_word_plans_give_the_same_page(corpus, ask, monkeypatch: pytest.MonkeyPatch) -> None:
    # PostgreSQL reads a word's matches and sorts them, or walks the page's order (_Where.source)
    monkeypatch.setattr(queries, "_LOOKUP_FACTOR", 1e9)
    looked_up = ask(corpus)
    monkeypatch.setattr(queries, "_LOOKUP_FACTOR", 0.0)
    assert ask(corpus) == looked_up
    assert looked_up


def test_queries_search_many_words_answers(corpus) -> None:
    text = queries.article(corpus, "b").text
    pasted = f"{text} {text}"  # every word of an article, about 70 distinct ones
    assert len(words(pasted)) > 50
    assert [r["doc_id"] for r in queries.search(corpus, pasted, kinds=("articles",))] == ["b"]
    assert [r["doc_id"] for r in queries.quotes(corpus, about="There are about 2,000 troops in Iraq " * 20)] == ["b"]
    many = " ".join(f"w{i}" for i in range(1500))
    assert queries.search(corpus, many) == []
    assert queries.search(corpus, f"{pasted} {many}", kinds=("articles",)) == []


@pytest.mark.parametrize(("name", "value"), [("limit", 0), ("limit", 10**9), ("since", "yesterday"), ("until", "2021-13-45")])
def test_queries_bad_options_are_clear(corpus, name: str, value) -> None:
    with pytest.raises(NewsfactsError):
        queries.quotes(corpus, **{name: value})


def _has_words(store, sha256: str, query: str) -> bool:
    article = queries.article(store, sha256)
    return bool(words(query)) and words(query) <= words(f"{article.title} {article.text}")


@pytest.mark.parametrize("evil", INJECTIONS)
def test_queries_injection_is_inert(corpus, evil: str) -> None:
    before = queries.overview(corpus)
    calls = [
        lambda: queries.quotes(corpus, speaker=evil, about=evil, publisher=evil),
        lambda: queries.claims(corpus, source=evil, about=evil, publisher=evil),
        lambda: queries.numbers(corpus, about=evil, source=evil),
        lambda: queries.timeline(corpus, evil),
        lambda: queries.entities(corpus, type=evil),
        lambda: queries.entity(corpus, evil),
        lambda: queries.article(corpus, evil),
        lambda: queries.article_meta(corpus, evil),
        lambda: queries.search(corpus, evil, speaker=evil),
        lambda: queries.search(corpus, evil, source=evil),
        lambda: queries.search(corpus, evil),
    ]
    for call in calls:
        result = call()
        # the word index finds real words of an injection string ("$1" has the word "1"): only those
        result = [r for r in result or [] if not (r["kind"] == "article" and _has_words(corpus, r["article"], evil))]
        assert result == [], (evil, result)
    for bad_date in (lambda: queries.quotes(corpus, since=evil), lambda: queries.claims(corpus, until=evil)):
        with pytest.raises(NewsfactsError):
            bad_date()
    assert queries.overview(corpus) == before
