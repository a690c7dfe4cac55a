"""The web UI and HTTP API over a store: server-rendered pages, each with a JSON twin.

>>> from newsfacts.store import open_store
>>> from newsfacts.web import create_app
>>> app = create_app(open_store("facts.duckdb", read_only=True))
"""

from __future__ import annotations

from .app import MAX_BODY, create_app

__all__ = ["MAX_BODY", "create_app"]
