"""Quotation marks: where the quoted stretches of an article are, shared by quotes and timexes.

Pairs opening and closing marks (curly and straight, double; single curly marks only inside a
double-quoted stretch are left alone). A paragraph that opens a quote without closing it continues
when the next paragraph opens with a mark (the newspaper convention for multi-paragraph quotes); an
unbalanced mark otherwise closes at the paragraph end, so one bad mark never swallows the article.
"""

from __future__ import annotations

import re

OPENING = '“„«"'
CLOSING = '”»"'

_MARK = re.compile(r"''|[“”„«»\"]")
"""Double quotation marks; ``''`` (two apostrophes) is the straight double mark of some wire feeds."""


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of quoted stretches, marks excluded, in document order.

    A straight ``"`` opens when it starts a word and closes otherwise. A quote never runs over a
    blank line, nor into a line that itself opens with a quotation mark (the next paragraph of a
    multi-paragraph quote): the open stretch is kept up to its line end. Linear in the length of the
    text (one pass over the marks; each character is looked at a bounded number of times).

    Example:
        >>> quoted_regions('He said "yes," twice.')
        [(9, 13)]
    """
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    for match in _MARK.finditer(text):
        ch, pos = match.group(), match.start()
        if ch == "''":
            ch = '"'  # behaves as a straight mark, two characters wide
        width = match.end() - pos
        if open_at is not None and _broken(text, open_at, pos):
            end = text.find("\n", open_at, pos)
            if end > open_at:
                regions.append((open_at, end))
            open_at = None
        if open_at is None:
            if (ch in OPENING and _opens(text, pos, ch, width)) or _misplaced_opening(text, pos, ch, width):
                open_at = pos + width
        elif (ch in CLOSING and not (ch == '"' and _opens(text, pos, ch, width) and not _closes(text, pos, width))) or (
            ch == "“" and _closes(text, pos, width)
        ):
            if pos > open_at:
                regions.append((open_at, pos))
            open_at = None
        elif ch in "“„«" or ch == '"':
            # a new opening mark while one is open: the earlier was unbalanced, restart here
            end = text.rfind("\n", open_at, pos)
            if end > open_at:
                regions.append((open_at, end))
            open_at = pos + width
    if open_at is not None:
        end = text.find("\n", open_at)
        end = len(text) if end == -1 else end
        if end > open_at:
            regions.append((open_at, end))
    return [(s, e) for s, e in regions if text[s:e].strip()]


def _broken(text: str, open_at: int, pos: int) -> bool:
    """An open quote ends at a blank line, or at a line break when the mark at ``pos`` opens its line."""
    newline = text.find("\n", open_at, pos)
    if newline == -1:
        return False
    if text.find("\n\n", newline, pos) != -1 or not text[newline:pos].strip():
        return True
    line_start = text.rfind("\n", open_at, pos) + 1
    return not text[line_start:pos].strip()


def _opens(text: str, pos: int, ch: str, width: int = 1) -> bool:
    """A straight ``"`` opens when it starts a word (after space, start, or an opening bracket)."""
    if ch != '"':
        return True
    before = text[pos - 1] if pos else " "
    after = text[pos + width] if pos + width < len(text) else " "
    return (before.isspace() or before in "([{—–-:/") and not after.isspace()


def _misplaced_opening(text: str, pos: int, ch: str, width: int) -> bool:
    """A mark that can only open, though typed as another: ``”We`` at a word start, ``said,"We`` glued.

    Asked only when no quote is open. A right curly mark that starts a word (after a space or a line
    start) is a typist's opening mark; a straight mark glued after a comma or colon that itself
    follows a word, with a letter right after it, opens the quotation the tokenizer ran together.
    """
    before = text[pos - 1] if pos else " "
    after = text[pos + width] if pos + width < len(text) else " "
    if ch == "”":
        return before.isspace() and after.isalnum()
    if ch == '"' and before in ",:" and pos >= 2:
        return text[pos - 2].isalpha() and after.isalpha()
    return False


def _closes(text: str, pos: int, width: int = 1) -> bool:
    """A straight ``"`` (or a left curly mark typed for a right one, ``unusual,“ said``) closes when it
    ends a word (before space, punctuation or the end)."""
    after = text[pos + width] if pos + width < len(text) else " "
    before = text[pos - 1] if pos else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-")


def inside(regions: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The region containing ``[start, end)``, if any (regions sorted, as returned above)."""
    import bisect

    i = bisect.bisect_right(regions, (start, float("inf"))) - 1
    if i >= 0 and regions[i][0] <= start and end <= regions[i][1]:
        return regions[i]
    return None
