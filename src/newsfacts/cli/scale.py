"""``newsfacts corpus-extract``: a corpus on Dask workers, to JSONL or Parquet partitions, without a store."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..errors import NewsfactsError
from ..model import Failure
from ..nlp import DEFAULT_MODEL, check_installed
from ..options import Options
from .common import Tally, fail_usage
from .extract import MODEL_HELP, PATHS_HELP, PUBLISHED_HELP

PARTITION_SIZE = 32
"""``scale.PARTITION_SIZE``, repeated so that ``newsfacts --help`` does not import Dask."""


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("corpus-extract")(corpus_extract)


def corpus_extract(
    paths: list[str] = typer.Argument(..., help=PATHS_HELP, show_default=False),
    workers: int = typer.Option(2, "--workers", min=1, help="Worker processes of the local Dask cluster (one model each)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Address of a running Dask scheduler (tcp://HOST:8786); --workers is then ignored."
    ),
    parquet: Path | None = typer.Option(
        None, "--parquet", help="Write Parquet partitions here (facts/part-*.parquet, failures/part-*.parquet) instead of JSONL."
    ),
    partition_size: int = typer.Option(
        PARTITION_SIZE, "--partition-size", min=1, help="Articles per Dask task (one parse batch by default)."
    ),
    published: str | None = typer.Option(None, "--published", help=PUBLISHED_HELP),
    model: str = typer.Option(DEFAULT_MODEL, "--model", help=MODEL_HELP),
) -> None:
    """Extract a corpus on Dask: a local cluster of --workers processes, or an existing --scheduler.

    Prints JSONL on stdout (in completion order) unless --parquet is given; failures go to stderr and
    the run goes on.

    Example: newsfacts corpus-extract corpus.jsonl --workers 2 --parquet out/
    """
    from ..scale import extract_corpus, write_parquet_partitions

    try:
        options = Options(model=model, published=published)
        if scheduler is None:  # local workers share this environment: a missing model is a usage error
            check_installed(options.model)
    except NewsfactsError as exc:
        raise fail_usage(exc) from None
    tally = Tally()

    def counted(results):
        for result in results:
            if isinstance(result, Failure):
                tally.failure(result)
            else:
                tally.ok += 1
            yield result

    results = counted(extract_corpus(
        paths, options, workers=workers, scheduler=scheduler, partition_size=partition_size, progress=sys.stderr.isatty()
    ))
    try:
        if parquet is not None:
            summary = write_parquet_partitions(results, parquet)
            typer.echo(f"newsfacts: wrote {len(summary.files)} Parquet files under {parquet}", err=True)
        else:
            for result in results:
                if not isinstance(result, Failure):
                    sys.stdout.write(result.dumps() + "\n")
            sys.stdout.flush()
    except NewsfactsError as exc:  # e.g. the model is missing on the workers
        raise fail_usage(exc) from None
    except OSError as exc:  # the scheduler cannot be reached
        raise fail_usage(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") from None
    typer.echo(f"newsfacts: {tally.summary()}", err=True)
    raise typer.Exit(tally.exit_code())
