"""The extractor order: every NEEDS is met by an earlier GIVES; extractors are named for what they give."""

from __future__ import annotations

from newsfacts.extract.context import Context
from newsfacts.model import FACT_KINDS
from newsfacts.pipeline import EXTRACTORS


def test_pipeline_needs_met_by_earlier_gives() -> None:
    given: set[str] = set()
    for module in EXTRACTORS:
        missing = set(module.NEEDS) - given
        assert not missing, f"{module.__name__} needs {missing} before anything gives it"
        given.add(module.GIVES)


def test_pipeline_gives_are_fact_kinds_with_functions() -> None:
    gives = [m.GIVES for m in EXTRACTORS]
    assert len(gives) == len(set(gives))
    for module in EXTRACTORS:
        assert module.GIVES in FACT_KINDS and module.GIVES in Context.__dataclass_fields__
        assert callable(getattr(module, module.GIVES))
