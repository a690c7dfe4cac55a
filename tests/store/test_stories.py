"""MinHash story bands: syndicated copies share a band key, unrelated articles do not."""

from __future__ import annotations

import pytest

from newsfacts.store.stories import BANDS, NUM_PERM, band_keys, signature

WIRE = (
    "The harbor authority said on Monday that the new ferry terminal would open to passengers next spring, "
    "after engineers finished the main pier in October. Inspectors are expected to approve the ramps within "
    "weeks, and local businesses welcomed the decision, saying the terminal would bring visitors back to the "
    "old quarter after years of construction and delays that had kept the waterfront closed to the public."
)


def _shared(a: str, b: str) -> int:
    return sum(x == y for x, y in zip(band_keys(a), band_keys(b)))


@pytest.mark.parametrize(
    ("copy", "same_story"),
    [
        (WIRE, True),
        (WIRE.upper().replace(" ", "\n  "), True),
        ("PORTLAND, Maine (AP) \u2014 " + WIRE, True),
        (WIRE + " Copyright 2021 The Associated Press. All rights reserved.", True),
        ("The city council voted on Tuesday to fund a new library in the northern district, with construction "
         "to begin next year and the opening planned for the autumn after a long debate about costs.", False),
        ("", False),
    ],
)
def test_stories_copies_share_a_band(copy: str, same_story: bool) -> None:
    assert (_shared(WIRE, copy) > 0) is same_story


def test_stories_signature_shape_and_determinism() -> None:
    assert len(signature(WIRE)) == NUM_PERM
    assert band_keys(WIRE) == band_keys(str(WIRE))
    assert len(band_keys(WIRE)) == BANDS
    assert all(-(2**63) <= k < 2**63 for k in band_keys("short"))


@pytest.mark.parametrize("text", [WIRE, "", "short", "Two words."])
def test_stories_signature_equals_datasketch(text: str) -> None:
    from datasketch import MinHash

    from newsfacts.store.stories import _permutations, shingle_hashes

    permutations, scheme = _permutations()
    reference = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=permutations, scheme=scheme)
    reference.update_batch(shingle_hashes(text).tolist())
    assert signature(text).tolist() == reference.hashvalues.tolist()
