"""Corpus commands: ``ingest`` into a store, then ask it questions (quotes, claims, numbers, ...).

Each question command opens the store read-only, calls one function of ``newsfacts.store.queries``
and prints its rows: JSONL by default, ``--format json`` for one array, ``--format table`` for people.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import typer

from ..errors import NewsfactsError, message
from ..extractor import Extractor
from ..ingest import read_articles
from ..model import Article, ArticleFacts, Failure
from ..nlp import DEFAULT_MODEL
from ..options import Options
from ..store import DEFAULT_URL, Store, open_store, queries
from .common import EXIT_ALL_FAILED, EXIT_OK, fail_usage, with_progress
from .extract import MODEL_HELP, PATHS_HELP, PUBLISHED_HELP

FORMATS = ("jsonl", "json", "table")

DB_HELP = "The store: a DuckDB file (default ./newsfacts.duckdb) or postgresql://user@host/db."
FORMAT_HELP = "jsonl: one JSON object per line; json: one array; table: a table for reading."

WRITE_EVERY = 64
"""Articles per store transaction during ingest: a killed run redoes at most this many parses."""

SKIP_CHECK_EVERY = 256
"""Articles read ahead to ask the store, in one query, which are already present (skipped unparsed)."""


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    for name, command in (
        ("ingest", ingest), ("failures", failures), ("quotes", quotes), ("claims", claims), ("numbers", numbers),
        ("timeline", timeline), ("entities", entities), ("article", article), ("sql", sql), ("export", export),
    ):
        app.command(name)(command)


# -- shared ----------------------------------------------------------------------------------------
def _open(db: str, *, read_only: bool) -> Store:
    try:
        return open_store(db, read_only=read_only)
    except NewsfactsError as exc:
        raise fail_usage(exc) from None


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise fail_usage(NewsfactsError("E202", value=format, choices=", ".join(FORMATS)))


def _emit(
    rows: Sequence[dict[str, Any]], format: str, *, columns: Sequence[str] = (), title: str = "", limit: int | None = None,
) -> None:
    """Print rows as JSONL, a JSON array, or a rich table of ``columns`` (all keys when empty).

    When ``limit`` rows came back, a line on stderr says the list may be cut (stdout stays pure data).
    """
    if limit is not None and len(rows) >= limit:
        typer.echo(f"newsfacts: the first {limit} rows are shown; --limit N shows more", err=True)
    if format == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif format == "json":
        sys.stdout.write(json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n")
    else:
        from rich.console import Console
        from rich.table import Table

        from .render import plain

        keys = list(columns) or (list(rows[0]) if rows else [])
        table = Table(*keys, title=title or None, show_lines=False)
        for row in rows:
            table.add_row(*(plain(row.get(k)) for k in keys))
        Console().print(table)
    sys.stdout.flush()


def _ask(db: str, format: str, ask: Any) -> list[dict[str, Any]]:
    """Open the store read-only, run ``ask(store)``; a user error is one line and status 2."""
    _check_format(format)
    store = _open(db, read_only=True)
    try:
        return ask(store)
    except NewsfactsError as exc:
        raise fail_usage(exc) from None
    finally:
        store.close()


# -- ingest ----------------------------------------------------------------------------------------
class _Counts:
    """What an ingest did, printed at the end: ``12 ingested, 3 already present, 1 failed (E111: 1)``."""

    def __init__(self) -> None:
        self.ingested = 0
        self.present = 0
        self.failed: Counter[str] = Counter()

    def summary(self) -> str:
        n_failed = sum(self.failed.values())
        line = f"{self.ingested} ingested, {self.present} already present, {n_failed} failed"
        if n_failed:
            line += " (" + ", ".join(f"{code}: {n}" for code, n in sorted(self.failed.items())) + ")"
        return line


def ingest(
    paths: list[str] = typer.Argument(..., help=PATHS_HELP, show_default=False),
    db: str = typer.Option(DEFAULT_URL, "--db", help=DB_HELP),
    published: str | None = typer.Option(None, "--published", help=PUBLISHED_HELP),
    model: str = typer.Option(DEFAULT_MODEL, "--model", help=MODEL_HELP),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Extract in parallel with a local Dask cluster of N workers."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Extract on a Dask cluster at this scheduler address (tcp://host:8786)."),
) -> None:
    """Extract articles into a corpus store; already stored articles are skipped, so a re-run resumes.

    Example: newsfacts ingest corpus/ feeds/news.rss crawl.warc.gz --db newsfacts.duckdb
    """
    try:
        options = Options(model=model, published=published)
    except NewsfactsError as exc:
        raise fail_usage(exc) from None
    store = _open(db, read_only=False)
    counts = _Counts()
    try:
        if workers or scheduler:
            from ..scale import extract_items

            unstored = _unstored(store, read_articles(paths, published=published), counts)
            results: Iterable[ArticleFacts | Failure] = extract_items(unstored, options, workers=workers or 1,
                                                                      scheduler=scheduler)
        else:
            extractor = Extractor(options)
            try:
                _ = extractor.nlp  # load now: a missing model is a usage error, reported before any input
            except NewsfactsError as exc:
                raise fail_usage(exc) from None
            results = extractor.run(_unstored(store, read_articles(paths, published=published), counts))
        _store_results(store, with_progress(results, description="ingesting", enabled=True), counts)
        if counts.ingested:
            store.optimize()  # entity order for the questions, once enough new rows came (Store.optimize)
    finally:
        store.close()
    typer.echo(f"newsfacts: {counts.summary()}", err=True)
    nothing_done = counts.ingested == 0 and counts.present == 0
    raise typer.Exit(EXIT_ALL_FAILED if nothing_done and counts.failed else EXIT_OK)


def _unstored(store: Store, items: Iterable[Article | Failure], counts: _Counts) -> Iterator[Article | Failure]:
    """``items`` without the articles the store already holds (checked in chunks, before parsing)."""
    chunk: list[Article | Failure] = []

    def flush() -> Iterator[Article | Failure]:
        present = store.present(a.sha256 for a in chunk if isinstance(a, Article))
        for item in chunk:
            if isinstance(item, Article) and item.sha256 in present:
                counts.present += 1
                continue
            yield item

    for item in items:
        chunk.append(item)
        if len(chunk) >= SKIP_CHECK_EVERY:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def _store_results(store: Store, results: Iterable[ArticleFacts | Failure], counts: _Counts) -> None:
    """Write facts in batches (one transaction each) and failures as they come."""
    batch: list[ArticleFacts] = []
    for result in results:
        if isinstance(result, Failure):
            counts.failed[result.code] += 1
            typer.echo(f"newsfacts: {result.message}", err=True)
            store.write_failure(result)
            continue
        batch.append(result)
        if len(batch) >= WRITE_EVERY:
            _write(store, batch, counts)
            batch = []
    if batch:
        _write(store, batch, counts)


def _write(store: Store, batch: list[ArticleFacts], counts: _Counts) -> None:
    written = store.write(batch, batch_size=len(batch))
    counts.ingested += written.ingested
    counts.present += written.present


# -- questions -------------------------------------------------------------------------------------
_DB = typer.Option(DEFAULT_URL, "--db", help=DB_HELP)
_FORMAT = typer.Option("jsonl", "--format", "-f", help=FORMAT_HELP)
_SINCE = typer.Option(None, "--since", help="Only articles published on or after this date (YYYY-MM-DD).")
_UNTIL = typer.Option(None, "--until", help="Only articles published on or before this date (YYYY-MM-DD).")
_LIMIT = typer.Option(queries.DEFAULT_LIMIT, "--limit", help="Most rows printed.")


def quotes(
    speaker: str | None = typer.Option(None, "--speaker", help="Speaker name, alias or entity id."),
    about: str | None = typer.Option(None, "--about", help="Words the quotation contains."),
    since: str | None = _SINCE, until: str | None = _UNTIL,
    publisher: str | None = typer.Option(None, "--publisher", help="Only articles from this outlet."),
    limit: int = _LIMIT, db: str = _DB, format: str = _FORMAT,
) -> None:
    """Quotations, once per story, in date order.

    Example: newsfacts quotes --speaker "Jane Doe" --about Iraq --since 2021-01-01
    """
    rows = _ask(db, format, lambda s: queries.quotes(s, speaker=speaker, about=about, since=since, until=until,
                                                      publisher=publisher, limit=limit))
    _emit(rows, format, columns=("day", "speaker", "cue", "said", "publisher", "copies"), title="quotes", limit=limit)


def claims(
    source: str | None = typer.Option(None, "--source", help="Who the claim is attributed to."),
    about: str | None = typer.Option(None, "--about", help="Words the claim contains."),
    since: str | None = _SINCE, until: str | None = _UNTIL,
    publisher: str | None = typer.Option(None, "--publisher", help="Only articles from this outlet."),
    limit: int = _LIMIT, db: str = _DB, format: str = _FORMAT,
) -> None:
    """Attributed claims ("according to ..."), once per story, in date order.

    Example: newsfacts claims --source "Washington Post"
    """
    rows = _ask(db, format, lambda s: queries.claims(s, source=source, about=about, since=since, until=until,
                                                      publisher=publisher, limit=limit))
    _emit(rows, format, columns=("day", "source", "cue", "text", "publisher", "copies"), title="claims", limit=limit)


def numbers(
    about: str | None = typer.Option(None, "--about", help="What is counted, e.g. 'troops in Iraq'."),
    source: str | None = typer.Option(None, "--source", help="Who reported it (entity or outlet)."),
    since: str | None = _SINCE, until: str | None = _UNTIL,
    plot: Path | None = typer.Option(None, "--plot", help="Also draw the values over time: out.png or out.html."),
    scale: str = typer.Option("auto", "--scale", help="The chart's y axis: auto (log when values span 1000x), linear or log."),
    limit: int = _LIMIT, db: str = _DB, format: str = _FORMAT,
) -> None:
    """How a number was reported over time and by whom (a table, and a chart with --plot).

    Example: newsfacts numbers --about "troops in Iraq" --plot troops.png
    """
    if plot is not None and plot.suffix.lower() not in (".png", ".html", ".svg"):
        raise fail_usage(NewsfactsError("E203", name="--plot", value=str(plot), reason="expected a .png, .svg or .html file"))
    from ..web.chart import SCALES

    if scale not in SCALES:
        raise fail_usage(NewsfactsError("E203", name="--scale", value=scale, reason=f"expected one of {', '.join(SCALES)}"))
    rows = _ask(db, format, lambda s: queries.numbers(s, about=about, source=source, since=since, until=until, limit=limit,
                                                                      sentences=True))
    _emit(rows, format, columns=("when", "value", "unit", "counts", "source", "publisher", "text"), title="numbers", limit=limit)
    if plot is not None:
        _plot_numbers(rows, plot, title=about or "reported numbers", scale=scale)
        typer.echo(f"newsfacts: chart written to {plot}", err=True)


def _plot_numbers(rows: Sequence[dict[str, Any]], path: Path, *, title: str, scale: str = "auto") -> None:
    """Values over time, one colour per reporter (source, else outlet); ranges drawn as bars.

    The y axis is logarithmic when asked, or with ``auto`` when the values span three orders of
    magnitude (the web chart's rule, ``web.chart.scale_for``).

    ``.png``/``.svg`` get the chart; ``.html`` gets the chart (inline SVG) above the evidence table.
    """
    import datetime as dt
    import html
    import io

    import matplotlib

    from ..web.chart import scale_for

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 4.5))
    by_reporter: dict[str, list[tuple[dt.date, dict[str, Any]]]] = {}
    for row in rows:
        when = _plot_date(row.get("when")) or _plot_date(row.get("day"))
        if when is not None:
            by_reporter.setdefault(row.get("source") or row.get("publisher") or "unknown", []).append((when, row))
    for reporter, points in sorted(by_reporter.items()):
        points.sort(key=lambda p: p[0])
        dates = [d for d, _ in points]
        values = [r["value"] for _, r in points]
        errors = [[r["value"] - r["low"] for _, r in points], [r["high"] - r["value"] for _, r in points]]
        axes.errorbar(dates, values, yerr=errors, fmt="o-", capsize=3, label=reporter)
    axes.set_title(title)
    label = next((r["unit"] for r in rows if r.get("unit")), "value")
    if rows and scale_for(min(r["low"] for r in rows), max(r["high"] for r in rows), scale) == "log":
        axes.set_yscale("log")
        label += " (log scale)"
    axes.set_ylabel(label)
    if by_reporter:
        axes.legend(fontsize="small")
    else:
        axes.text(0.5, 0.5, "no dated values", ha="center", va="center", transform=axes.transAxes)
    figure.autofmt_xdate()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() != ".html":
        figure.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(figure)
        return
    svg = io.StringIO()
    figure.savefig(svg, format="svg", bbox_inches="tight")
    plt.close(figure)
    cells = ("when", "value", "unit", "counts", "source", "publisher", "text", "sentence_text", "url")
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cells)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if r.get(c) is None else str(r.get(c)))}</td>" for c in cells) + "</tr>"
        for r in rows
    )
    svg_text = svg.getvalue()
    svg_text = svg_text[svg_text.find("<svg"):]
    path.write_text(
        f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1>{svg_text}<table border=\"1\"><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>\n",
        encoding="utf-8",
    )


def _plot_date(value: Any) -> Any:
    """A date for the x axis from a TIMEX3 value or ISO day (``2021-12-09``, ``2021-12``, ``2021``)."""
    import datetime as dt

    text = str(value or "")
    for size, fmt in ((10, "%Y-%m-%d"), (7, "%Y-%m"), (4, "%Y")):
        try:
            return dt.datetime.strptime(text[:size], fmt).date()
        except ValueError:
            continue
    return None


def timeline(
    entity: str = typer.Argument(..., help="Entity id, name or alias."),
    limit: int = typer.Option(500, "--limit", help="Most rows printed."),
    db: str = _DB, format: str = _FORMAT,
) -> None:
    """An entity's events and quotes in date order.

    Example: newsfacts timeline "Jane Doe"
    """
    rows = _ask(db, format, lambda s: queries.timeline(s, entity, limit=limit))
    if not rows and not _ask(db, format, lambda s: queries.entity_ids(s, entity)):
        typer.echo(f"newsfacts: {message('E403', what=f'entity {entity}')}", err=True)
        raise typer.Exit(EXIT_ALL_FAILED)
    shown = [{**r, "text": r.get("said") or r["text"]} for r in rows] if format == "table" else rows
    _emit(shown, format, columns=("date", "kind", "trigger", "text", "publisher"), title=f"timeline of {entity}", limit=limit)


def entities(
    top: int = typer.Option(50, "--top", help="How many."),
    type: str | None = typer.Option(None, "--type", help="Only this type: PERSON, ORG, GPE, LOC, NORP, FAC."),
    db: str = _DB, format: str = _FORMAT,
) -> None:
    """The most mentioned entities of the corpus.

    Example: newsfacts entities --top 20 --type PERSON
    """
    rows = _ask(db, format, lambda s: queries.entities(s, top=top, type=type))
    _emit(rows, format, title="entities")


def failures(
    limit: int = typer.Option(1000, "--limit", help="Most rows printed."),
    db: str = _DB, format: str = _FORMAT,
) -> None:
    """Inputs that could not be ingested, with their reason.

    Example: newsfacts failures --format table
    """
    rows = _ask(db, format, lambda s: queries.failures(s, limit=limit))
    _emit(rows, format, columns=("failed_at", "item", "message"), title="failures", limit=limit)


def article(
    article_id: str = typer.Argument(..., metavar="ID", help="sha256 (or 8+ leading hex digits), input id, or url."),
    db: str = _DB, format: str = _FORMAT,
) -> None:
    """One stored article with all its facts (the extract record; --format table shows it highlighted).

    Example: newsfacts article 3f2a9c1e
    """
    found = _ask(db, format, lambda s: queries.article(s, article_id))
    if found is None:
        typer.echo(f"newsfacts: {message('E403', what=f'article {article_id}')}", err=True)
        raise typer.Exit(EXIT_ALL_FAILED)
    if format == "table":
        from .render import render_facts

        render_facts(found)
    elif format == "json":
        sys.stdout.write(json.dumps(found.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(found.dumps() + "\n")


def sql(
    query: str = typer.Argument(..., help="One read-only SQL query (SELECT ...)."),
    limit: int = typer.Option(1000, "--limit", help="Most rows printed."),
    db: str = _DB, format: str = _FORMAT,
) -> None:
    """Run one read-only SQL query against the store (tables: articles, entities, quotes, claims, ...).

    Example: newsfacts sql "SELECT publisher, count(*) FROM (SELECT source AS publisher FROM articles) GROUP BY 1"
    """
    rows = _ask(db, format, lambda s: queries.sql(s, query, limit=limit))
    _emit(rows, format, limit=limit)


def export(
    parquet: Path = typer.Option(..., "--parquet", help="Directory for one Parquet file per table."),
    db: str = _DB,
) -> None:
    """Export every table as Parquet (readable by pandas, polars, DuckDB).

    Example: newsfacts export --parquet out/
    """
    written = _ask(db, "jsonl", lambda s: queries.export_parquet(s, str(parquet)))
    for path in written:
        typer.echo(path)
    typer.echo(f"newsfacts: {len(written)} tables exported to {parquet}", err=True)
