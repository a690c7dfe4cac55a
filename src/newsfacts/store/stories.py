"""Near-duplicate articles (syndicated copies of one wire story) grouped by MinHash LSH bands.

Each article's text gets a MinHash signature (datasketch) over word 5-shingles; the signature is cut
into ``BANDS`` bands of ``ROWS`` values and each band hashed to one 64-bit key. Two articles that
share any band key are candidates for the same story (Broder 1997; Leskovec, Rajaraman & Ullman,
*Mining of Massive Datasets*, ch. 3). The keys are stored (``article_bands``), so grouping works
across ingest runs and processes without an in-memory index.
"""

from __future__ import annotations

import hashlib
import zlib
from functools import cache

import numpy as np

NUM_PERM = 64
"""Signature length: 64 permutations estimate Jaccard similarity within about +-0.06 (1/sqrt(64)/2),
plenty to tell a syndicated copy (similarity > 0.8) from a different article (< 0.3)."""

BANDS, ROWS = 8, 8
"""8 bands of 8 rows: the LSH threshold (1/BANDS)**(1/ROWS) is ~0.77, so copies with Jaccard 0.9
share a band with probability 1-(1-0.9**8)**8 = 0.98, articles at 0.5 with probability 0.03."""

SHINGLE_WORDS = 5
"""Word 5-grams: long enough that two unrelated news articles share almost none."""

_SEED = 1


@cache
def _permutations() -> tuple[object, str]:
    from datasketch import MinHash

    reference = MinHash(num_perm=NUM_PERM, seed=_SEED)
    return reference.permutations, reference.scheme


def signature(text: str) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` unsigned ints) of ``text``'s word shingles.

    Example:
        >>> len(signature("The Pentagon said on Thursday that the mission ended."))
        64
    """
    from datasketch import MinHash

    permutations, scheme = _permutations()
    words = text.lower().split()
    shingles = [" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(max(1, len(words) - SHINGLE_WORDS + 1))]
    minhash = MinHash(num_perm=NUM_PERM, hashfunc=zlib.crc32, permutations=permutations, scheme=scheme)
    minhash.update_batch(shingles)
    return minhash.hashvalues


def band_keys(text: str) -> list[int]:
    """``BANDS`` signed 64-bit keys, one per band of the signature: equal keys mean a candidate pair."""
    values = signature(text).astype("<u8")
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys
