"""Read connections for the web app: a page's independent questions run at once, on their own connections.

One store connection answers one query at a time, so a page that asks four questions (an entity page:
the entity, its quotes, its timeline, its numbers) waited for the sum of them, and every request
waited behind every other on one lock. ``Readers`` opens a few more connections to the same store
(DuckDB: connections to the one database instance of this process, which see each other's commits;
PostgreSQL: more server connections) and lends one to each question. A store that cannot be shared
(``:memory:``, or an object that is not a store) is used one question at a time, as before.

Every question borrows a connection only while it runs, never while it waits for others, so the
bounded pool cannot deadlock.

Example:
    >>> readers = Readers(open_store("facts.duckdb", read_only=True))
    >>> quotes, claims = readers.all([partial(queries.quotes, speaker="Jane Doe"), partial(queries.claims, source="AP")])
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_READERS = 4
"""Extra connections: enough for the widest page (three questions at once) plus a second request; a
laptop has few cores, so more would only queue inside the database."""

_UNSHAREABLE_URLS = ("", ":memory:")
"""Store URLs a second connection would not reach (a new, empty in-memory database)."""


class Serial:
    """The ``Readers`` interface over one store used directly, one question at a time (no threads).

    Page functions take either; tests and scripts pass a plain store and get this.
    """

    def __init__(self, store: Any) -> None:
        self.store = store

    def one(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(store, *args, **kwargs)``."""
        return fn(self.store, *args, **kwargs)

    def all(self, calls: Sequence[Callable[[Any], T]]) -> list[T]:
        """Each of ``calls`` applied to the store, in order."""
        return [call(self.store) for call in calls]


class Readers:
    """A bounded pool of read connections to ``store``'s database, opened on first need.

    Args:
        store: the app's store; it stays the writer's connection (and the only one when unshareable).
        size: most extra connections open at once.
        lock: the lock the app's writes hold on ``store`` (reads on ``store`` itself take it too).
    """

    def __init__(self, store: Any, *, size: int = DEFAULT_READERS, lock: threading.Lock | None = None) -> None:
        self.store = store
        self.size = max(1, size)
        self.shareable = _shareable(store)
        self._primary = lock or threading.Lock()
        self._cond = threading.Condition()
        self._idle: list[Any] = []
        self._opened: list[Any] = []
        self._executor: ThreadPoolExecutor | None = None
        self._closed = False

    @contextmanager
    def reader(self) -> Iterator[Any]:
        """A connection for one question: an idle one, a new one while fewer than ``size`` are open,
        else the next one returned. The app's own store (under its lock) when unshareable."""
        if not self.shareable or self._closed:  # closed: a request still running at shutdown
            with self._primary:
                yield self.store
            return
        conn = self._take()
        if conn is None:  # could not open another connection: the app's store, one at a time
            with self._primary:
                yield self.store
            return
        try:
            yield conn
        finally:
            with self._cond:
                if self._closed:  # closed while this question ran: its connection is not reused
                    conn.close()
                else:
                    self._idle.append(conn)
                self._cond.notify()

    def one(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(connection, *args, **kwargs)`` on a borrowed connection."""
        with self.reader() as conn:
            return fn(conn, *args, **kwargs)

    def all(self, calls: Sequence[Callable[[Any], T]]) -> list[T]:
        """Each of ``calls`` applied to its own connection, at once; results in the order of ``calls``.

        The first runs in the calling thread, the others in the pool's threads. An exception of any
        call is raised here after all have finished.
        """
        if len(calls) < 2 or not self.shareable or self._closed:
            return [self.one(call) for call in calls]
        futures = [self._pool().submit(self.one, call) for call in calls[1:]]
        try:
            first = self.one(calls[0])
        finally:
            rest = [f.exception() for f in futures]  # wait for all before raising anything
        for error in rest:
            if error is not None:
                raise error
        return [first, *(f.result() for f in futures)]

    def close(self) -> None:
        """Close the idle extra connections, and the busy ones when their question ends (the app's
        store is its owner's to close); later questions use the app's store."""
        with self._cond:
            self._closed = True
            conns, self._idle = self._idle, []
            self._opened = []
            self._cond.notify_all()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        for conn in conns:
            conn.close()

    def _pool(self) -> ThreadPoolExecutor:
        with self._cond:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="newsfacts-read")
            return self._executor

    def _take(self) -> Any | None:
        """An idle connection, a newly opened one, or None when none can be opened (or the pool is closed)."""
        with self._cond:
            while not self._idle and len(self._opened) >= self.size and not self._closed:
                self._cond.wait()
            if self._closed:
                return None
            if self._idle:
                return self._idle.pop()
            self._opened.append(None)  # reserve the slot while opening outside the lock
        conn = self._open()
        with self._cond:
            if None in self._opened:  # (close() empties the list meanwhile)
                self._opened.remove(None)
            if conn is not None and self._closed:
                conn.close()
                conn = None
            elif conn is None:
                self.shareable = False
            else:
                self._opened.append(conn)
            self._cond.notify_all()
            return conn

    def _open(self) -> Any | None:
        from ..errors import NewsfactsError
        from ..store import open_store

        try:
            return open_store(self.store.url, read_only=self.store.read_only)
        except NewsfactsError as exc:
            log.debug("no extra read connection to %s: %s", self.store.url, exc)
            return None


def _shareable(store: Any) -> bool:
    """Whether another connection to ``store``'s URL reaches the same data."""
    from ..store import Store

    return isinstance(store, Store) and str(getattr(store, "url", "")) not in _UNSHAREABLE_URLS


def reads(db: Any) -> Readers | Serial:
    """``db`` itself when it is ``Readers`` or ``Serial``, else a ``Serial`` over the store ``db``."""
    return db if isinstance(db, (Readers, Serial)) else Serial(db)
