"""newsfacts: turn news articles into attributed, checkable facts.

>>> import newsfacts
>>> facts = newsfacts.extract("The Pentagon announced on Thursday ...", published="2021-12-09")
"""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from .extractor import Extractor, extract
from .ingest import read_articles
from .model import Article, ArticleFacts, Claim, Entity, Event, Quantity, Quote, Timex
from .options import Options
from .store import open_store

try:
    __version__ = version("newsfacts")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "ArticleFacts",
    "Claim",
    "Entity",
    "Event",
    "Extractor",
    "Options",
    "Quantity",
    "Quote",
    "Timex",
    "__version__",
    "extract",
    "open_store",
    "read_articles",
]
