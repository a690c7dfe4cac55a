"""The order of the extractors, and the per-article boundary that runs them.

Each extractor module declares ``NEEDS`` and ``GIVES``; every ``NEEDS`` is met by an earlier ``GIVES``
(``tests/test_pipeline.py`` checks it). Facts flow forward through ``Context`` and nothing else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import ModuleType

from spacy.tokens import Doc

from .extract import claims, entities, events, quantities, quotes, timexes
from .extract.context import Context
from .model import Article, ArticleFacts

EXTRACTORS: tuple[ModuleType, ...] = (entities, timexes, quotes, claims, quantities, events)
"""Extractor modules in run order: entities first (everyone points at them), then time expressions
(quotes, claims and quantities take their `when` from them), attributions, quantities, events."""


def extract_doc(doc: Doc, article: Article, published: dt.date | None, *, errors: tuple[str, ...] = ()) -> ArticleFacts:
    """Run every extractor over one parsed article and assemble its record."""
    ctx = Context(article=article, published=published)
    for module in EXTRACTORS:
        facts = getattr(module, module.GIVES)(doc, ctx)
        ctx = dataclasses.replace(ctx, **{module.GIVES: tuple(facts)})
    return ArticleFacts(
        id=article.id,
        text=article.text,
        sha256=article.sha256,
        url=article.url,
        title=article.title,
        published=article.published,
        source=article.source,
        language=article.language,
        entities=ctx.entities,
        quotes=ctx.quotes,
        claims=ctx.claims,
        quantities=ctx.quantities,
        timexes=ctx.timexes,
        events=ctx.events,
        errors=errors,
    )
