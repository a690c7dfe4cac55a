"""The provenance invariant: every fact's text is exactly the article text at its span."""

from __future__ import annotations

import jsonschema
import pytest

from newsfacts.model import ArticleFacts, json_schema

N_POLNEAR = 100


def _pieces(facts: ArticleFacts):
    """(where, span, text) of every span-carrying piece of every fact."""
    for entity in facts.entities:
        for span in entity.mentions:
            yield f"entity {entity.id}", span, None
    for kind in ("quotes", "claims", "quantities", "timexes", "events"):
        for fact in getattr(facts, kind):
            yield kind, fact.span, fact.text
            for attr in ("speaker", "source", "cue", "addressee", "channel", "counts"):
                piece = getattr(fact, attr, None)
                if piece is not None and hasattr(piece, "span"):
                    yield f"{kind}.{attr}", piece.span, piece.text
            for part in getattr(fact, "parts", ()):
                yield f"{kind}.part", part, None
            if getattr(fact, "sentence", None) is not None:
                yield f"{kind}.sentence", fact.sentence, None


def assert_provenance(facts: ArticleFacts) -> None:
    text = facts.text
    for where, (start, end), piece_text in _pieces(facts):
        assert 0 <= start <= end <= len(text), f"{facts.id}: {where} span {(start, end)} out of range"
        if piece_text is not None:
            assert text[start:end] == piece_text, f"{facts.id}: {where} text differs from its span"


def test_provenance_seed(seed_facts: ArticleFacts) -> None:
    assert_provenance(seed_facts)
    jsonschema.validate(seed_facts.to_json(), json_schema())


@pytest.mark.slow
def test_provenance_polnear_train(extractor, polnear_train_texts) -> None:
    from newsfacts import read_articles

    results = list(extractor.run(read_articles(polnear_train_texts[:N_POLNEAR], published="2016-10-01")))
    assert len(results) == N_POLNEAR
    schema = json_schema()
    for facts in results:
        assert isinstance(facts, ArticleFacts), facts
        assert_provenance(facts)
        jsonschema.validate(facts.to_json(), schema)
