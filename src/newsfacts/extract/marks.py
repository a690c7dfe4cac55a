"""Quotation marks: where the quoted stretches of an article are, shared by quotes and timexes.

Pairs opening and closing marks (curly and straight, double; single curly marks only inside a
double-quoted stretch are left alone). A paragraph that opens a quote without closing it continues
when the next paragraph opens with a mark (the newspaper convention for multi-paragraph quotes); an
unbalanced mark otherwise closes at the paragraph end, so one bad mark never swallows the article.
"""

from __future__ import annotations

import re

OPENING = "“„«\""
CLOSING = "”»\""

_MARK = re.compile(r"[“”„«»\"]")


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of quoted stretches, marks excluded, in document order.

    Linear in the length of the text (one pass over the marks).

    Example:
        >>> quoted_regions('He said "yes," twice.')
        [(9, 13)]
    """
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    for match in _MARK.finditer(text):
        ch, pos = match.group(), match.start()
        if open_at is not None and "\n\n" in text[open_at:pos] and ch not in CLOSING:
            # unclosed at a paragraph break: keep what was quoted up to the break
            regions.append((open_at, text.index("\n", open_at)))
            open_at = None
        if open_at is None:
            if ch in OPENING and _opens(text, pos, ch):
                open_at = pos + 1
        elif ch in CLOSING:
            if pos > open_at:
                regions.append((open_at, pos))
            open_at = None
        elif ch in "“„«":
            # a new opening mark while one is open: the earlier was unbalanced, restart here
            end = text.rfind("\n", open_at, pos)
            if end > open_at:
                regions.append((open_at, end))
            open_at = pos + 1
    if open_at is not None:
        end = text.find("\n", open_at)
        end = len(text) if end == -1 else end
        if end > open_at:
            regions.append((open_at, end))
    return [(s, e) for s, e in regions if text[s:e].strip()]


def _opens(text: str, pos: int, ch: str) -> bool:
    """A straight ``"`` opens when it starts a word (after space, start, or an opening bracket)."""
    if ch != '"':
        return True
    before = text[pos - 1] if pos else " "
    return before.isspace() or before in "([{—–-:"


def inside(regions: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The region containing ``[start, end)``, if any (regions sorted, as returned above)."""
    import bisect

    i = bisect.bisect_right(regions, (start, float("inf"))) - 1
    if i >= 0 and regions[i][0] <= start and end <= regions[i][1]:
        return regions[i]
    return None
