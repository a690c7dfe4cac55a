"""Shared fixtures: the real spaCy model, loaded once per run, and the example article with its gold."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsfacts import Extractor, Options
from newsfacts.model import Article, ArticleFacts

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_TEXT = ROOT / "examples" / "iraq-combat-mission-2021-12-09.txt"
SEED_GOLD = SHARED / "seed" / "iraq-combat-mission-2021-12-09.gold.json"
POLNEAR = SHARED / "eval" / "polnear"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """An Extractor with the default model, loaded once for the whole run."""
    ex = Extractor(Options(check_language=False))
    ex.nlp  # load now, not inside the first test's timing
    return ex


@pytest.fixture(scope="session")
def nlp(extractor: Extractor):
    """The loaded spaCy pipeline (the same object the extractor uses)."""
    return extractor.nlp


@pytest.fixture(scope="session")
def run(extractor: Extractor):
    """``run(text, published=None) -> ArticleFacts``: extract one text with the session model."""

    def _run(text: str, published: str | None = "2021-12-09") -> ArticleFacts:
        return extractor(Article(id="test", text=text, published=published))

    return _run


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_facts(run, seed_text: str) -> ArticleFacts:
    """The example article's extraction (published 2021-12-09)."""
    return run(seed_text, "2021-12-09")


@pytest.fixture(scope="session")
def polnear_train_texts() -> list[Path]:
    """PolNeAR train article files, sorted by name (skips when the shared eval data is absent)."""
    paths = sorted((POLNEAR / "train" / "text").glob("*.txt"))
    if not paths:
        pytest.skip("../shared/eval/polnear is not present")
    return paths


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """In CI (``CI=true``) a skipped test is a failure: PostgreSQL, Chromium and the eval data are there."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI", "").lower() in ("1", "true", "yes") and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may skip: {reason}"
