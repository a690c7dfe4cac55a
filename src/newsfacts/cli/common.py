"""What every command shares: one-line errors on stderr, the run summary, the exit status."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TypeVar

import typer

from ..errors import NewsfactsError
from ..model import Failure

T = TypeVar("T")

EXIT_OK, EXIT_ALL_FAILED, EXIT_USAGE = 0, 1, 2


def fail_usage(error: NewsfactsError | str) -> typer.Exit:
    """Print a usage error in one line and return the exit to raise (status 2)."""
    typer.echo(f"newsfacts: {error}", err=True)
    return typer.Exit(EXIT_USAGE)


class Tally:
    """Counts what went through and what failed, printing each failure as it happens."""

    def __init__(self) -> None:
        self.ok = 0
        self.failed: Counter[str] = Counter()

    def failure(self, failure: Failure) -> None:
        """Report one failed item on stderr."""
        self.failed[failure.code] += 1
        typer.echo(f"newsfacts: {failure.message}", err=True)

    def summary(self, done: str = "extracted") -> str:
        """``3 articles extracted, 2 failed (E102: 1, E105: 1)``."""
        n_failed = sum(self.failed.values())
        line = f"{self.ok} article{'s' if self.ok != 1 else ''} {done}, {n_failed} failed"
        if n_failed:
            line += " (" + ", ".join(f"{code}: {n}" for code, n in sorted(self.failed.items())) + ")"
        return line

    def exit_code(self) -> int:
        """0 if anything went through or nothing failed; 1 if every item failed."""
        return EXIT_ALL_FAILED if self.ok == 0 and self.failed else EXIT_OK


def with_progress(items: Iterable[T], *, description: str, enabled: bool) -> Iterator[T]:
    """Yield ``items`` while showing a live count on stderr (only when stderr is a terminal)."""
    if not (enabled and sys.stderr.isatty()):
        yield from items
        return
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=None)
        for item in items:
            yield item
            progress.advance(task)
