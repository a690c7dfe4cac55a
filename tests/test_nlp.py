"""``nlp.load`` indexes the attribute ruler and memoizes the lemmatizer without changing a single
token annotation."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from newsfacts.nlp import DEFAULT_MODEL, index_attribute_ruler, load, memoize_lemmatizer, split_glued_quotes


@pytest.fixture(scope="module")
def stock():
    """The model as spaCy ships it: ``<package>.load()``, with spaCy's own attribute ruler (and our
    tokenizer infixes, which ``test_nlp_split_glued_quotes`` checks on their own)."""
    stock = importlib.import_module(DEFAULT_MODEL).load()
    split_glued_quotes(stock)
    return stock


def _annotations(doc) -> list[tuple]:  # noqa: ANN001 - spacy Doc
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in doc]


def test_nlp_load_indexes_the_ruler_and_memoizes_the_lemmatizer(nlp, stock) -> None:
    """The loaded pipeline's ruler answers by lookup and its lemmatizer has a memoized ``pipe``;
    the stock pipeline still has spaCy's own."""
    assert "match" in vars(nlp.get_pipe("attribute_ruler"))
    assert "pipe" in vars(nlp.get_pipe("lemmatizer"))
    assert "match" not in vars(stock.get_pipe("attribute_ruler"))
    assert "pipe" not in vars(stock.get_pipe("lemmatizer"))
    assert load(DEFAULT_MODEL) is nlp


# Sentences that reach the ruler's special rules: contractions (n't, 's, 're, 'm, 've), "ai n't",
# "gon na", "got ta", "let 's", "c'm on", "y' all", "nothin'", expletive "there is", auxiliaries
# used as main verbs, determiners used as pronouns, object pronouns, and whitespace tokens.
SENTENCES = [
    "The minister isn't sure she'll come, and they're late.",
    "I'm here, we've left, and he doesn't care what that is.",
    "It ain't over, and we're gonna win because we gotta.",
    "Let's go; c'mon, y'all know there is nothing nothin' can fix.",
    "She did it, he has three cars, and you gave it to me.",
    "That was the plan,  which\n\nthose officials rejected on Monday.",
    "Whether or not the court rules, the law gets changed and got signed.",
    "   Leading spaces and a tab\tbefore the end.   ",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_nlp_indexed_ruler_same_annotations_as_spacy(nlp, stock, text: str) -> None:
    doc = next(nlp.pipe([text]))  # pipe: the memoized lemmatizer (nlp(text) runs spaCy's __call__)
    assert _annotations(doc) == _annotations(stock(text))
    ruler = nlp.get_pipe("attribute_ruler")
    before = [name for name in nlp.pipe_names if nlp.pipe_names.index(name) < nlp.pipe_names.index("attribute_ruler")]
    with nlp.select_pipes(enable=before):
        tagged = nlp(text)
    matches = ruler.match(tagged)
    assert matches
    assert matches == type(ruler).match(ruler, tagged)


def test_nlp_indexed_ruler_same_annotations_on_articles(nlp, stock, polnear_train_texts: list[Path]) -> None:
    """Five real articles, every token: tag, POS, morphology, lemma, dependency, entity."""
    texts = [p.read_text(encoding="utf-8") for p in polnear_train_texts[:5]]
    for ours, theirs in zip(nlp.pipe(texts), stock.pipe(texts)):
        assert _annotations(ours) == _annotations(theirs)


def test_nlp_index_attribute_ruler_leaves_unsupported_patterns_to_spacy(stock) -> None:
    """A pattern with an operator it does not index (``OP``) keeps spaCy's own matching."""
    import spacy

    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"LEMMA": "very"})
    assert index_attribute_ruler(blank) is False
    assert "match" not in vars(ruler)
    plain = spacy.blank("en")
    assert index_attribute_ruler(plain) is False


def test_nlp_memoize_lemmatizer_only_rule_lemmatizers_that_keep_lemmas() -> None:
    """Lookup-mode or overwriting lemmatizers, and pipelines without one, are left as they are."""
    import spacy

    lookup = spacy.blank("en")
    lookup.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert memoize_lemmatizer(lookup) is False
    assert memoize_lemmatizer(spacy.blank("en")) is False


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ('She said,"We leave now."', ["She", "said", ",", '"', "We", "leave", "now", ".", '"']),
        ("“Not now,”Ms. Roe said.", ["“", "Not", "now", ",", "”", "Ms.", "Roe", "said", "."]),
        ('The mayor:"No comment."', ["The", "mayor", ":", '"', "No", "comment", ".", '"']),
        ("It cost $5,000, he said.", ["It", "cost", "$", "5,000", ",", "he", "said", "."]),
        ("They don't, we're told.", ["They", "do", "n't", ",", "we", "'re", "told", "."]),
    ],
)
def test_nlp_split_glued_quotes(nlp, text: str, tokens: list[str]) -> None:
    """A quotation mark glued to an attribution's punctuation is split off; numbers and contractions
    tokenize as before."""
    assert [t.text for t in nlp.tokenizer(text)] == tokens


def test_nlp_glued_quote_parses_as_attribution(run) -> None:
    """Once split, the glued quotation is a quote of the speaker before it."""
    facts = run('The governor said,"We will rebuild every school before winter."', "2024-03-01")
    assert [(q.speaker.text if q.speaker else None, q.cue.text if q.cue else None) for q in facts.quotes] == [
        ("The governor", "said")
    ]
