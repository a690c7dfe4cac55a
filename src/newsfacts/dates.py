"""Publication dates: parse the ISO forms newsfacts accepts, with a clear error otherwise."""

from __future__ import annotations

import datetime as dt

from .errors import BadDate


def parse_published(value: str | None, *, path: str = "--published") -> dt.date | None:
    """The calendar date of an ISO date or datetime string (``2021-12-09``, ``2021-12-09T14:00Z``).

    Raises:
        BadDate: ``value`` is not ISO 8601.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise BadDate(value=value, path=path) from None
