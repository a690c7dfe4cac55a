"""Bytes to text: UTF-8 first, then a detected charset; binary data is refused, not guessed at."""

from __future__ import annotations

from ..errors import InputError

PREFERRED_ON_TIE = ("cp1252", "latin_1", "iso8859_15")
"""Charsets preferred among equally scored candidates (see ``decode_text``)."""

_BINARY_SAMPLE = 8192
"""Bytes inspected for NULs: text files have none in their first pages."""


def decode_text(data: bytes, *, path: str) -> str:
    """Decode article bytes.

    Raises:
        InputError: E103 for binary data (NUL bytes), E104 when no charset decodes it.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:_BINARY_SAMPLE] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("E103", path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise InputError("E104", path=path)
    best = matches[0]
    # Ties are common on short texts (cp1250 and cp1252 decode "café" alike with equal scores); news
    # in English that is not UTF-8 is overwhelmingly Windows-1252, so it wins a tie.
    for match in matches:
        if match.encoding in PREFERRED_ON_TIE and (match.chaos, match.coherence) == (best.chaos, best.coherence):
            best = match
            break
    return str(best)
