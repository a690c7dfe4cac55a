"""Bytes to text: UTF-8 first, then a detected charset; binary data is refused, not guessed at."""

from __future__ import annotations

from ..errors import InputError

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

    best = from_bytes(data).best()
    if best is None:
        raise InputError("E104", path=path)
    return str(best)
