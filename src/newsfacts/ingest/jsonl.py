"""JSONL corpora: one ``{"id", "text" | "html", "published", "url", "title", "source"}`` per line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..model import Article, Failure
from .decode import decode_text
from .html import article_from_html
from .text import normalize_newlines

EXTENSIONS = (".jsonl", ".ndjson")


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_jsonl(path: Path, *, published: str | None = None) -> Iterator[Article | Failure]:
    """Each line one article; a malformed line is a ``Failure`` and the rest goes on."""
    with path.open("rb") as handle:
        utf16 = handle.read(2) in _UTF16_BOMS
        handle.seek(0)
        lines: Iterable[bytes] = utf8_lines(handle.read()) if utf16 else handle
        yield from articles_from_lines(lines, path=str(path), published=published)


def utf8_lines(data: bytes) -> list[bytes]:
    """The lines of a whole JSONL byte string, each UTF-8: a UTF-16 corpus (it starts with its byte
    order mark, as Windows tools write it) is decoded as a whole first, since its newlines are two
    bytes and splitting the raw bytes would cut every record in half."""
    if data.startswith(_UTF16_BOMS):
        return [line.encode("utf-8", "surrogatepass") for line in data.decode("utf-16").split("\n")]
    return data.splitlines()


def articles_from_lines(lines: Iterable[bytes], *, path: str, published: str | None = None) -> Iterator[Article | Failure]:
    """The articles of JSONL ``lines`` (bytes, one record each) read from ``path``."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = _record(raw, path=path, line=number)
            yield article_from_record(record, path=path, line=number, published=published)
        except InputError as exc:
            yield Failure(id=f"{path}:{number}", message=str(exc))


def _record(raw: bytes, *, path: str, line: int) -> dict:
    try:
        record = json.loads(decode_text(raw, path=f"{path}:{line}"))
    except json.JSONDecodeError as exc:
        raise InputError("E107", line=line, path=path, reason=exc.msg) from None
    if not isinstance(record, dict):
        raise InputError("E107", line=line, path=path, reason="not a JSON object")
    return record


def article_from_record(record: dict, *, path: str, line: int, published: str | None = None) -> Article:
    """An ``Article`` from one corpus record (``text`` or ``html`` required, the rest optional)."""
    article_id = str(record.get("id") if record.get("id") is not None else f"{path}:{line}")
    fields = {k: record.get(k) for k in ("url", "title", "source")}
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise InputError("E107", line=line, path=path, reason=f"'{key}' must be a string")
    fields = {k: v if v is None else normalize_newlines(v) for k, v in fields.items()}  # no NUL in a title
    article_id = normalize_newlines(article_id)
    date = record.get("published") or published
    if date is not None and not isinstance(date, str):
        raise InputError("E107", line=line, path=path, reason="'published' must be a string")
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str):
        return Article(id=article_id, text=normalize_newlines(text), published=date, **fields)
    if isinstance(html, str):
        return article_from_html(html, id=article_id, published=date, **fields)
    raise InputError("E107", line=line, path=path, reason="needs a string 'text' or 'html'")
