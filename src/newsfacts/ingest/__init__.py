"""Readers: every input format becomes ``Article`` records (or a ``Failure`` saying why not).

A reader is ``read_<format>(path, *, published) -> Iterator[Article | Failure]``; ``READERS`` maps file
extensions to readers, and ``read_articles`` walks paths, directories and stdin. Readers know
formats, nothing about NLP.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError, UnknownFormat, unexpected
from ..model import Article, Failure
from . import feed, fetch, html, jsonl, text, warc
from .decode import decode_text

log = logging.getLogger(__name__)

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
        yielded = 0
        for item in _read_one(str(raw), published):
            yielded += 1
            yield item
        if not yielded:  # an empty directory, a feed without entries, a WARC without HTML pages
            why = "an empty directory (hidden files are skipped)" if Path(raw).is_dir() else "nothing to extract"
            yield Failure(id=str(raw), message=str(InputError("E113", path=str(raw), reason=why)))


def _read_one(raw: str, published: str | None) -> Iterator[Article | Failure]:
    """The articles of one input argument: stdin, a URL, a directory or a file."""
    if raw == "-":
        yield from _guarded("-", lambda: _read_stdin(published))
    elif fetch.is_url(raw):
        yield from _guarded(raw, lambda: fetch.read_url(raw, published=published))
    elif Path(raw).is_dir():
        for child in files_under(Path(raw)):
            yield from _read_file(child, published)
    elif Path(raw).exists():
        yield from _read_file(Path(raw), published)
    else:
        yield Failure(id=raw, message=str(InputError("E106", path=raw)))


def files_under(root: Path) -> list[Path]:
    """The files of a directory tree, sorted by path.

    Hidden files and directories (``.git``, ``.cache``) are skipped: they hold tool data, not
    articles. Symlinked directories are followed, each real directory once (no loop).
    """
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for here, dirs, names in os.walk(root, followlinks=True):
        stat = os.stat(here)
        if (stat.st_dev, stat.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [Path(here) / n for n in names if not n.startswith(".") and (Path(here) / n).is_file()]
    return sorted(found)


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
    except Exception as exc:
        log.debug("reading %s failed", name, exc_info=True)
        yield Failure(id=name, message=str(InputError("E101", path=name, reason=unexpected(exc))))


def _read_stdin(published: str | None) -> Iterator[Article | Failure]:
    """Stdin is a JSONL corpus when its first character is ``{``, else one plain-text article."""
    data = sys.stdin.buffer.read()
    content = decode_text(data, path="-")
    if content.lstrip().startswith("{"):
        yield from jsonl.articles_from_lines(jsonl.utf8_lines(data), path="-", published=published)
    else:
        yield Article(id="-", text=text.normalize_newlines(content), published=published)
