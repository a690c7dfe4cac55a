"""The shared quotation-mark scanner: pairing, paragraphs, unbalanced marks, size."""

from __future__ import annotations

import pytest

from newsfacts.extract.marks import inside, quoted_regions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "yes," twice.', ["yes,"]),
        ("“One,” she said. “Two.”", ["One,", "Two."]),
        ("''Wire style,'' he said.", ["Wire style,"]),
        ("“It’s ‘nested’ here,” he said.", ["It’s ‘nested’ here,"]),
        ("“First paragraph goes on\n\n“Second paragraph.”", ["First paragraph goes on", "Second paragraph."]),
        ('"Unclosed at the break\n\nThen "closed" later.', ["Unclosed at the break", "closed"]),
        ("It ends “without a close", ["without a close"]),
        ('12" pipes and 3" bolts', []),
        ("“ ”", []),
        ('He said,"Look at the river." Then he left.', ["Look at the river."]),
        ("Doing so ”would hurt the town” at once.", ["would hurt the town"]),
        ('"We will win,"he said. "No doubt."', ["We will win,", "No doubt."]),
    ],
)
def test_marks_quoted_regions(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in quoted_regions(text)] == expected


def test_marks_inside() -> None:
    text = 'a "bc" d'
    regions = quoted_regions(text)
    assert inside(regions, 3, 5) == (3, 5)
    assert inside(regions, 0, 1) is None


def test_marks_many_quotes() -> None:
    text = " ".join(f'"q{i}," he said.' for i in range(20000))
    regions = quoted_regions(text)
    assert len(regions) == 20000
