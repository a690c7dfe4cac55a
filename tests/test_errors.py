"""Numbered messages: every code formats, carries its [Exxx] prefix, and exceptions print it."""

from __future__ import annotations

import re
import string

import pytest

from newsfacts.errors import BadDate, InputError, Messages, NewsfactsError, message

CODES = sorted(name for name in vars(Messages) if re.fullmatch(r"E\d{3}", name))


@pytest.mark.parametrize("code", CODES)
def test_errors_every_message_formats(code: str) -> None:
    fields = {name for _, name, _, _ in string.Formatter().parse(getattr(Messages, code)) if name}
    text = message(code, **{name.split("!")[0]: "X" for name in fields})
    assert text.startswith(f"[{code}] ") and "\n" not in text


def test_errors_exceptions_carry_code() -> None:
    error = BadDate(value="31/12", path="a.txt")
    assert isinstance(error, NewsfactsError) and error.code == "E110"
    assert str(error) == "[E110] Bad publication date '31/12' for a.txt: expected YYYY-MM-DD or an ISO datetime"
    assert str(InputError("E106", path="x")).startswith("[E106] No such file")
