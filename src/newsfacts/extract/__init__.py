"""Extractors: one module per fact kind, each a pure function ``(doc, ctx) -> list[Fact]``.

A module declares ``NEEDS`` (the Context fields it reads) and ``GIVES`` (the field it fills), and its
extractor function is named after ``GIVES``. ``newsfacts.pipeline`` states their order.
"""

from .context import Context

__all__ = ["Context"]
