"""Web archives (WARC and ARC, plain or gzipped): every HTML response becomes an article.

Records are read with warcio; each HTML response's body goes through ``article_from_html``
(trafilatura), with the url from ``WARC-Target-URI`` and, when the page itself carries no date, the
capture date from ``WARC-Date``. A damaged record (bad header, truncated or corrupt gzip) ends that file with one ``Failure`` (no
later record can be located reliably); earlier records are kept and the run goes on to the next input.
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError, unexpected
from ..model import Article, Failure
from .decode import decode_text
from .html import article_from_html

EXTENSIONS = (".warc", ".warc.gz", ".arc", ".arc.gz")

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
"""A record's target: a scheme and no spaces (warcio reads any text line as an ARC header)."""


def read_warc(path: Path, *, published: str | None = None) -> Iterator[Article | Failure]:
    """The articles of the HTML responses in a WARC/ARC file (other records are skipped).

    Args:
        path: a ``.warc``, ``.warc.gz``, ``.arc`` or ``.arc.gz`` file.
        published: date for pages whose own date and capture date are both unknown.

    Example:
        >>> [a.url for a in read_warc(Path("crawl.warc.gz")) if isinstance(a, Article)]
        ['https://example.com/news/1']
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as stream:
        records = iter(ArchiveIterator(stream, arc2warc=True))
        number = 0
        while True:
            number += 1
            name = f"{path}#{number}"
            try:
                record = next(records)
            except StopIteration:
                if number == 1:
                    yield Failure(id=str(path), message=str(InputError("E111", path=str(path), reason="no WARC or ARC records")))
                return
            except (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError) as exc:
                yield _failure(path, number, exc)
                return
            target = record.rec_headers.get_header("WARC-Target-URI")
            length = record.rec_headers.get_header("Content-Length") or "0"
            if (target is not None and not _URI.match(target)) or not length.strip().isdigit() or (
                record.rec_type == "response" and target is None
            ):
                reason = f"bad header (target {target!r}, length {length!r})"
                yield Failure(id=name, message=str(InputError("E111", path=str(path), reason=f"record {number}: {reason}")))
                return  # record framing is lost: later offsets cannot be trusted
            if record.rec_type != "response":
                continue
            try:
                content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                status = record.http_headers.get_statuscode() if record.http_headers else "200"
                body = record.content_stream().read()
                if getattr(record.raw_stream, "limit", 0) > 0:
                    raise EOFError(f"{record.raw_stream.limit} bytes missing")
            except (EOFError, zlib.error, ValueError, OSError) as exc:
                yield _failure(path, number, exc)
                return
            if not content_type.split(";")[0].strip().lower() in _HTML_TYPES or status != "200":
                continue
            yield _article(body, url=target, content_type=content_type, captured=record.rec_headers.get_header("WARC-Date"),
                           published=published)


def _failure(path: Path, number: int, exc: Exception) -> Failure:
    """A damaged stream (truncated gzip, cut record): nothing after it can be located."""
    reason = f"record {number}: {type(exc).__name__}: {str(exc).strip()[:200] or 'truncated'}"
    return Failure(id=f"{path}#{number}", message=str(InputError("E111", path=str(path), reason=reason)))


def _article(body: bytes, *, url: str, content_type: str, captured: str | None, published: str | None) -> Article | Failure:
    """One response body as an article (page date, else capture date, else ``published``)."""
    try:
        html = _decode(body, content_type=content_type, name=url)
        article = article_from_html(html, id=url, url=url)
    except InputError as exc:
        return Failure(id=url, message=str(exc))
    except Exception as exc:  # noqa: BLE001 - one record's page must not end the archive
        return Failure(id=url, message=str(InputError("E101", path=url, reason=unexpected(exc))))
    date = article.published or (captured[:10] if captured else None) or published
    return dataclasses.replace(article, published=date)


def _decode(body: bytes, *, content_type: str, name: str) -> str:
    """The body as text: the charset the server declared, else UTF-8 or a detected charset."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            try:
                return body.decode(value.strip().strip('"'))
            except (LookupError, UnicodeDecodeError):
                break
    return decode_text(body, path=name)
