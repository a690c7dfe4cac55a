"""Bytes to text: UTF-8 first, then a detected charset; binary data is refused, not guessed at."""

from __future__ import annotations

import codecs
import re

from ..errors import InputError

PREFERRED_ON_TIE = ("cp1252", "latin_1", "iso8859_15")
"""Charsets preferred among equally scored candidates (see ``decode_text``)."""

_BINARY_SAMPLE = 8192
"""Bytes inspected for NULs: text files have none in their first pages."""

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
MAX_STRAY_SHARE = 0.01
"""A UTF-8 text (it has valid multi-byte characters: curly quotes, dashes, accents) with stray
legacy bytes up to 1 % of its length (a pasted "Café" in Latin-1) stays UTF-8, the stray bytes read
as Windows-1252: detecting one legacy charset for the whole text would garble every curly quote."""


def _cp1252_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode error handler: the offending bytes as Windows-1252 (U+FFFD for its five undefined bytes)."""
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("newsfacts-cp1252", _cp1252_bytes)


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
    if _UTF8_MULTIBYTE.search(data):
        mixed = data.decode("utf-8", errors="newsfacts-cp1252")
        stray = len(data.decode("utf-8", errors="ignore"))  # characters of the valid UTF-8 only
        if len(mixed) - stray <= MAX_STRAY_SHARE * len(data):
            return mixed
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
