"""Numbered, templated messages and the exceptions a user can cause.

Every user-facing message lives here as ``Messages.Exxx``. The same ``[E101] ...`` line appears on the
CLI's stderr, in an article's ``errors`` list, in the store's failures table and in web error JSON.
"""

from __future__ import annotations


class Messages:
    """User-facing messages, formatted by ``message(code, **values)``."""

    # input (1xx)
    E101 = "Cannot read {path}: {reason}"
    E102 = "Empty article: {path}"
    E103 = "Binary file, not text: {path}"
    E104 = "Cannot decode {path}: not UTF-8 and no charset detected"
    E105 = "Unknown input format for {path}: expected one of {formats}"
    E106 = "No such file or directory: {path}"
    E107 = "Malformed JSONL line {line} in {path}: {reason}"
    E108 = "Article too large: {path} has {size} characters (limit {limit})"
    E109 = "Not English (detected '{language}'): {path}"
    E110 = "Bad publication date '{value}' for {path}: expected YYYY-MM-DD or an ISO datetime"
    E111 = "Malformed record in {path}: {reason}"
    E112 = "Cannot fetch {url}: {reason}"
    E113 = "No article in {path}: {reason}"
    # models and options (2xx)
    E201 = "spaCy model '{name}' is not installed: pip install {package}"
    E202 = "Unknown output format '{value}': expected one of {choices}"
    E203 = "Bad option {name}={value!r}: {reason}"
    E204 = "Cannot write {path}: {reason}"
    E205 = "Cannot listen on {address}: {reason}"
    # processing (3xx)
    E301 = "Extraction failed for {path}: {reason}"
    # store (4xx)
    E401 = "Cannot open store {url}: {reason}"
    E402 = "Store {url} is in use by another process; close it or use PostgreSQL for several writers"
    E403 = "Not found: {what}"
    E404 = "Read-only SQL only: {reason}"


def unexpected(exc: BaseException) -> str:
    """One line for an error no reader expected (its type and the start of its text), as a ``reason``."""
    return f"{type(exc).__name__}: {str(exc).strip()[:200]}"


def message(code: str, **values: object) -> str:
    """Return ``[CODE] text`` for the message ``code`` with ``values`` filled in."""
    template = getattr(Messages, code)
    return f"[{code}] {template.format(**values)}"


class NewsfactsError(Exception):
    """Base of every error a user can cause; its ``str`` is the one-line ``[Exxx] ...`` message."""

    code = "E000"

    def __init__(self, code: str | None = None, **values: object) -> None:
        self.code = code or type(self).code
        self.values = values
        super().__init__(message(self.code, **values))


class InputError(NewsfactsError):
    """An input cannot be read as an article (missing, empty, binary, undecodable, too large)."""

    code = "E101"


class UnknownFormat(InputError):
    """The input's extension or content names no format newsfacts reads."""

    code = "E105"


class EmptyArticle(InputError):
    """The input holds no text."""

    code = "E102"


class NotEnglish(InputError):
    """The article is in another language; extraction would be wrong, so it is skipped."""

    code = "E109"


class BadDate(NewsfactsError):
    """A publication date that is not ISO 8601."""

    code = "E110"


class ModelNotInstalled(NewsfactsError):
    """The requested spaCy model package is not installed."""

    code = "E201"


class BadOption(NewsfactsError):
    """An option value out of its range or vocabulary."""

    code = "E203"


class StoreError(NewsfactsError):
    """The store cannot be opened, is locked, or refused a query."""

    code = "E401"
