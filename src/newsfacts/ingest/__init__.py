"""Readers: every input format becomes ``Article`` records (or a ``Failure`` saying why not).

A reader is ``read_<format>(path, *, published) -> Iterator[Article | Failure]``; ``READERS`` maps file
extensions to readers, and ``read_articles`` walks paths, directories and stdin. Readers know
formats, nothing about NLP.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError, UnknownFormat
from ..model import Article, Failure
from . import feed, fetch, html, jsonl, text, warc
from .decode import decode_text

Reader = Callable[..., Iterator[Article | Failure]]

READERS: dict[str, Reader] = {
    **{ext: text.read_text for ext in text.EXTENSIONS},
    **{ext: html.read_html for ext in html.EXTENSIONS},
    **{ext: jsonl.read_jsonl for ext in jsonl.EXTENSIONS},
    **{ext: warc.read_warc for ext in warc.EXTENSIONS},
    **{ext: feed.read_feed for ext in feed.EXTENSIONS},
}
"""File extension (lower case, with dot; ``.warc.gz`` style double suffixes allowed) -> reader."""


def reader_for(path: Path) -> Reader:
    """The reader for ``path`` by its (longest) extension.

    Raises:
        UnknownFormat: no reader knows the extension.
    """
    name = path.name.lower()
    for ext in sorted(READERS, key=len, reverse=True):
        if name.endswith(ext):
            return READERS[ext]
    raise UnknownFormat(path=str(path), formats=", ".join(sorted(READERS)))


def read_articles(paths: Iterable[str | os.PathLike[str]], *, published: str | None = None) -> Iterator[Article | Failure]:
    """Every article of ``paths`` (files, directories walked recursively, ``http(s)`` URLs, ``-`` for stdin), in order.

    Inputs that cannot be read come out as ``Failure`` records; iteration always goes on.

    Example:
        >>> for item in read_articles(["examples/"], published="2021-12-09"): ...
    """
    for raw in paths:
        if str(raw) == "-":
            yield from _guarded("-", lambda: _read_stdin(published))
            continue
        if fetch.is_url(str(raw)):
            yield from _guarded(str(raw), lambda url=str(raw): fetch.read_url(url, published=published))
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield from _read_file(child, published)
        elif path.exists():
            yield from _read_file(path, published)
        else:
            yield Failure(id=str(path), message=str(InputError("E106", path=str(path))))


def _read_file(path: Path, published: str | None) -> Iterator[Article | Failure]:
    yield from _guarded(str(path), lambda: reader_for(path)(path, published=published))


def _guarded(name: str, make: Callable[[], Iterator[Article | Failure]]) -> Iterator[Article | Failure]:
    """Run a reader, turning a user-caused error into a ``Failure`` for that input."""
    try:
        yield from make()
    except InputError as exc:
        yield Failure(id=name, message=str(exc))
    except OSError as exc:
        yield Failure(id=name, message=str(InputError("E101", path=name, reason=exc.strerror or str(exc))))


def _read_stdin(published: str | None) -> Iterator[Article | Failure]:
    """Stdin is a JSONL corpus when its first character is ``{``, else one plain-text article."""
    data = sys.stdin.buffer.read()
    content = decode_text(data, path="-")
    if content.lstrip().startswith("{"):
        yield from jsonl.articles_from_lines(data.splitlines(), path="-", published=published)
    else:
        yield Article(id="-", text=text.normalize_newlines(content), published=published)
