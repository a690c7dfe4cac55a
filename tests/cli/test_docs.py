"""The CLI reference (docs/cli.md) has a section for every command, with its current --help."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ..conftest import ROOT

spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
cli_docs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cli_docs)  # type: ignore[union-attr]

DOC = ROOT / "docs" / "cli.md"


@pytest.mark.parametrize("name", cli_docs.command_names())
def test_docs_every_command_has_a_section(name: str) -> None:
    assert f"## newsfacts {name}\n" in DOC.read_text(encoding="utf-8")


def test_docs_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == cli_docs.render(), "regenerate: python scripts/cli_docs.py"
