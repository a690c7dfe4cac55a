"""One options object shared by the Python API, the CLI and the web server.

A CLI flag is the field name with dashes (``published`` <-> ``--published``); there is no second
vocabulary. Thresholds say where their numbers come from.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dates import parse_published
from .errors import BadOption
from .nlp import BATCH_SIZE, DEFAULT_MODEL

MAX_CHARS = 1_000_000
"""Longest article accepted, in characters: spaCy's default ``nlp.max_length``, beyond which the
parser's memory grows past ~1 GB. Longer inputs are reported (E108), not truncated silently."""

MIN_CHARS_FOR_LANGUAGE = 40
"""Shorter texts are not language-checked: identification below a sentence is unreliable."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """How articles are read and extracted.

    Args:
        model: spaCy model module name (see ``nlp.MODEL_PACKAGES``).
        published: publication date for inputs that carry none (ISO ``YYYY-MM-DD``).
        batch_size: articles per ``nlp.pipe`` batch.
        max_chars: longest article accepted.
        check_language: skip (and report) articles not detected as English.
    """

    model: str = DEFAULT_MODEL
    published: str | None = None
    batch_size: int = BATCH_SIZE
    max_chars: int = MAX_CHARS
    check_language: bool = True

    def __post_init__(self) -> None:
        parse_published(self.published)  # raises BadDate early, before any input is read
        if self.batch_size < 1:
            raise BadOption(name="batch_size", value=self.batch_size, reason="must be at least 1")
        if self.max_chars < 1:
            raise BadOption(name="max_chars", value=self.max_chars, reason="must be at least 1")
