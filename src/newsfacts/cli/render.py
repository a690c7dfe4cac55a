"""Terminal rendering of one article's facts with rich: the text, highlighted by fact kind."""

from __future__ import annotations

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


def render_facts(facts: ArticleFacts, console: Console | None = None) -> None:
    """Print the article text with every fact highlighted, then a legend and a table per kind."""
    console = console or Console()
    text = Text(facts.text)
    for kind in ("quotes", "claims", "entities", "timexes", "quantities"):
        style = STYLES[kind]
        for start, end in _spans(facts, kind):
            text.stylize(style, start, end)
    title = facts.title or facts.id
    console.rule(f"[bold]{title}[/bold]" + (f"  ({facts.published})" if facts.published else ""))
    console.print(text)
    legend = Text("  ").join(Text(kind, style=style) for kind, style in STYLES.items())
    console.print(legend)
    if facts.quotes:
        table = Table("speaker", "cue", "quote", title="quotes", show_lines=False)
        for q in facts.quotes:
            table.add_row(q.speaker.text if q.speaker else "?", q.cue.text if q.cue else "", q.said)
        console.print(table)
    if facts.claims:
        table = Table("source", "cue", "claim", title="claims")
        for c in facts.claims:
            table.add_row(c.source.text if c.source else "?", c.cue.text if c.cue else "", c.text)
        console.print(table)
    if facts.entities:
        table = Table("id", "type", "name", "aliases", "mentions", title="entities")
        for e in facts.entities:
            table.add_row(e.id, e.type, e.name, ", ".join(e.aliases), str(len(e.mentions)))
        console.print(table)
    for error in facts.errors:
        console.print(f"[red]{error}[/red]")


def _spans(facts: ArticleFacts, kind: str) -> list[tuple[int, int]]:
    if kind == "entities":
        return [m for e in facts.entities for m in e.mentions]
    return [f.span for f in getattr(facts, kind)]
