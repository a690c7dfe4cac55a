"""Near-duplicate articles (syndicated copies of one wire story) grouped by MinHash LSH bands.

Each article's text gets a MinHash signature (datasketch) over word-aligned character shingles; the signature is cut
into ``BANDS`` bands of ``ROWS`` values and each band hashed to one 64-bit key. Two articles that
share any band key are candidates for the same story (Broder 1997; Leskovec, Rajaraman & Ullman,
*Mining of Massive Datasets*, ch. 3). The keys are stored (``article_bands``), so grouping works
across ingest runs and processes without an in-memory index.
"""

from __future__ import annotations

import hashlib
from functools import cache

import numpy as np

NUM_PERM = 64
"""Signature length: 64 permutations estimate Jaccard similarity within about +-0.06 (1/sqrt(64)/2),
plenty to tell a syndicated copy (similarity > 0.8) from a different article (< 0.3)."""

BANDS, ROWS = 8, 8
"""8 bands of 8 rows: the LSH threshold (1/BANDS)**(1/ROWS) is ~0.77, so copies with Jaccard 0.9
share a band with probability 1-(1-0.9**8)**8 = 0.98, articles at 0.5 with probability 0.03."""

SHINGLE_BYTES = 24
"""24 bytes from each word start (about four words): long enough that unrelated news articles share
almost none, short enough that one edited word changes few shingles."""

_SEED = 1


@cache
def _permutations() -> tuple[object, str]:
    from datasketch import MinHash

    reference = MinHash(num_perm=NUM_PERM, seed=_SEED)
    return reference.permutations, reference.scheme


MAX_CHARS = 50_000
"""Characters of an article that are shingled: the body of any news story, not a book appended to it."""

_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
"""Odd 64-bit multipliers combining the three 8-byte pieces of a shingle (one per position)."""


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the shingles of ``text``: ``SHINGLE_BYTES`` bytes from every word start.

    The text is lower-cased with whitespace collapsed, so layout differences between copies do not
    count; all shingles are hashed at once with numpy (no per-word Python work).
    """
    body = " ".join(text[:MAX_CHARS].lower().split()).encode("utf-8")
    raw = np.frombuffer(body + b" " * SHINGLE_BYTES, dtype=np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(raw[: len(body)] == 32) + 1))
    starts = starts[starts <= max(0, len(body) - SHINGLE_BYTES)]
    pieces = raw[starts[:, None] + np.arange(SHINGLE_BYTES)].view("<u8")
    combined = (pieces * _MIX).sum(axis=1, dtype=np.uint64)
    return (combined ^ (combined >> np.uint64(29))) & np.uint64(0xFFFFFFFF)


_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
"""MurmurHash3's 32-bit finalizer (shifts and multipliers), which datasketch's ``affine32`` scheme
applies to every input hash before its affine permutations."""


def signature(text: str) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` unsigned ints) of ``text``'s word shingles.

    Computes exactly datasketch's ``MinHash(num_perm=64, seed=1).update_batch(hashes)`` (scheme
    ``affine32``: fmix32, then ``a * h + b`` modulo 2**32, minimum per permutation) as one numpy
    expression; datasketch itself calls a hash function per shingle, ten times slower.

    Example:
        >>> len(signature("The Pentagon said on Thursday that the mission ended."))
        64
    """
    permutations, _ = _permutations()
    a, b = (np.asarray(p, dtype=np.uint32) for p in permutations)
    hv = shingle_hashes(text).astype(np.uint32)
    if not len(hv):
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    s1, m1, s2, m2, s3 = (np.uint32(c) for c in _FMIX32)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    return (hv[:, None] * a + b).min(axis=0)


def band_keys(text: str) -> list[int]:
    """``BANDS`` signed 64-bit keys, one per band of the signature: equal keys mean a candidate pair."""
    values = signature(text).astype("<u8")
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys
