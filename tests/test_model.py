"""The fact model: JSON round trip, the shipped schema, and the contract's field names."""

from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import pytest

from newsfacts.model import ArticleFacts, Entity, Mention, Quote, Span, json_schema

CONTRACT_TOP = {"id", "url", "title", "published", "text", "sha256", "entities", "quotes", "claims",
                "quantities", "timexes", "events", "errors"}


def _record() -> ArticleFacts:
    text = '"We are here," she said.'
    return ArticleFacts(
        id="a", text=text, sha256="x",
        entities=(Entity(id="person:ann", name="Ann", type="PERSON", mentions=((14, 17),)),),
        quotes=(Quote(span=(1, 12), text=text[1:12], parts=((1, 12),), kind="direct",
                      speaker=Mention(span=(14, 17), text="she", entity="person:ann"),
                      cue=Span(span=(18, 22), text="said")),),
    )


def test_model_round_trip() -> None:
    record = _record()
    assert ArticleFacts.from_json(json.loads(record.dumps())) == record


def test_model_json_has_contract_fields() -> None:
    data = _record().to_json()
    assert CONTRACT_TOP <= set(data)
    quote = data["quotes"][0]
    assert quote["span"] == [1, 12] and quote["parts"] == [[1, 12]]
    assert quote["speaker"] == {"span": [14, 17], "text": "she", "entity": "person:ann"}
    assert data["entities"][0]["mentions"] == [[14, 17]]


def test_model_shipped_schema_is_current() -> None:
    shipped = json.loads(files("newsfacts").joinpath("schema.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(json_schema())), "regenerate: python -m newsfacts.model"


def test_model_schema_validates_record() -> None:
    jsonschema.validate(_record().to_json(), json_schema())


@pytest.mark.parametrize("bad", [{"quotes": [{"span": [1], "text": "x"}]}, {"entities": "no"}])
def test_model_schema_rejects_bad_record(bad: dict) -> None:
    data = {**_record().to_json(), **bad}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())


@pytest.mark.parametrize(("kind", "text", "parts", "said"), [
    ("split", "\u201cWe stay,\u201d she said. \u201cFor now.\u201d", [(1, 8), (22, 30)], "We stay \u2026 For now."),
    ("direct", "We stay for now.", [(0, 16)], "We stay for now."),
    ("mixed", "The plan is to \u201cstay for now,", [(16, 29)], "The plan is to \u201cstay for now\u201d"),
    ("mixed", 'The plan is to "stay for now,', [(16, 29)], 'The plan is to "stay for now"'),
    ("mixed", "The plan is to \u201cstay\u201d for now", [(16, 20)], "The plan is to \u201cstay\u201d for now"),
    ("indirect", "that they would stay", [(0, 20)], "that they would stay"),
])
def test_model_quote_said_leaves_out_the_narration(kind: str, text: str, parts: list, said: str) -> None:
    quote = Quote(span=(100, 100 + len(text)), text=text, parts=tuple((100 + s, 100 + e) for s, e in parts), kind=kind)
    assert quote.said == said
