"""Pages kept until the store changes: a second visit to a page is answered without asking the store.

What a page shows changes only when the store is written. This app's own writes bump a generation
that drops every kept page. A DuckDB file open here cannot be written by any other process (DuckDB
allows one writing process, or readers only), so there that is exact; a PostgreSQL store may be
written by other processes, so there a page is kept at most ``ttl`` seconds. Pages are kept whole
(status, headers, body) by URL, least recently used first out once ``max_bytes`` is reached.

Example:
    >>> kept = KeptPages(32 * 1024 * 1024, ttl=None)
    >>> kept.get("/search?q=troops") is None
    True
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.responses import Response

MAX_BYTES = 32 * 1024 * 1024
"""Bodies kept at most: a few hundred pages (an entity page is ~50 KB, a number chart up to ~400 KB)."""

SHARED_STORE_TTL = 10.0
"""Seconds a page is kept for a store other processes may write (PostgreSQL)."""


@dataclass(frozen=True, slots=True)
class _Page:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    at: float
    generation: int


class KeptPages:
    """Whole responses by URL, valid while the store's generation (and, with a ``ttl``, the clock) allows.

    Args:
        max_bytes: most body bytes kept (0 keeps nothing).
        ttl: seconds a page stays valid, or None for as long as this app does not write.
    """

    def __init__(self, max_bytes: int = MAX_BYTES, *, ttl: float | None = None) -> None:
        self.max_bytes = max_bytes
        self.ttl = ttl
        self.generation = 0
        self._pages: OrderedDict[str, _Page] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def changed(self) -> None:
        """The store was written: every kept page is stale."""
        with self._lock:
            self.generation += 1
            self._pages.clear()
            self._bytes = 0

    def get(self, key: str) -> Response | None:
        """A fresh copy of the kept response for ``key``, or None."""
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.generation != self.generation or (self.ttl is not None and time.monotonic() - page.at > self.ttl):
                self._drop(key)
                return None
            self._pages.move_to_end(key)
        response = Response(page.body, status_code=page.status)
        response.raw_headers = list(page.headers)
        return response

    def put(self, key: str, response: Response, generation: int) -> None:
        """Keep a 200 ``response`` computed while the store was at ``generation`` (a write since then
        makes it stale, so it is not kept)."""
        body = bytes(response.body)
        if response.status_code != 200 or len(body) > self.max_bytes // 4:
            return
        page = _Page(response.status_code, tuple(response.raw_headers), body, time.monotonic(), generation)
        with self._lock:
            if generation != self.generation:
                return
            if key in self._pages:
                self._drop(key)
            self._pages[key] = page
            self._bytes += len(body)
            while self._bytes > self.max_bytes and self._pages:
                self._drop(next(iter(self._pages)))

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._pages.pop(key).body)
