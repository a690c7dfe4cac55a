"""Terminal rendering of one article's facts with rich: the text, highlighted by fact kind."""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import ArticleFacts

STYLES = {
    "entities": "bold cyan",
    "timexes": "magenta",
    "quantities": "bold yellow",
    "claims": "underline green",
    "quotes": "green",
}
"""Fact kind -> rich style; later kinds in this order paint over earlier ones."""

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab and newline: an article's ``ESC [2J`` must not drive the terminal."""


def plain(value: object) -> Text:
    """A table cell or line of untrusted text, shown as written: never read as rich markup
    (``[link=...]``, ``[/]``), control characters shown as U+FFFD (one for one, so offsets hold)."""
    text = "" if value is None else str(value)
    return Text(_CONTROL.sub("\ufffd", text) if _CONTROL.search(text) else text)


def render_facts(facts: ArticleFacts, console: Console | None = None) -> None:
    """Print the article text with every fact highlighted, then a legend and a table per kind."""
    console = console or Console()
    text = plain(facts.text)
    for kind in ("quotes", "claims", "entities", "timexes", "quantities"):
        style = STYLES[kind]
        for start, end in _spans(facts, kind):
            text.stylize(style, start, end)
    title = plain(facts.title or facts.id)
    title.stylize("bold")
    console.rule(title + (f"  ({facts.published})" if facts.published else ""))
    console.print(text)
    legend = Text("  ").join(Text(kind, style=style) for kind, style in STYLES.items())
    console.print(legend)
    if facts.quotes:
        table = Table("speaker", "cue", "quote", title="quotes", show_lines=False)
        for q in facts.quotes:
            table.add_row(plain(q.speaker.text if q.speaker else "?"), plain(q.cue.text if q.cue else ""), plain(q.said))
        console.print(table)
    if facts.claims:
        table = Table("source", "cue", "claim", title="claims")
        for c in facts.claims:
            table.add_row(plain(c.source.text if c.source else "?"), plain(c.cue.text if c.cue else ""), plain(c.text))
        console.print(table)
    if facts.entities:
        table = Table("id", "type", "name", "aliases", "mentions", title="entities")
        for e in facts.entities:
            table.add_row(plain(e.id), e.type, plain(e.name), plain(", ".join(e.aliases)), str(len(e.mentions)))
        console.print(table)
    for error in facts.errors:
        console.print(plain(error), style="red")


def _spans(facts: ArticleFacts, kind: str) -> list[tuple[int, int]]:
    if kind == "entities":
        return [m for e in facts.entities for m in e.mentions]
    return [f.span for f in getattr(facts, kind)]
