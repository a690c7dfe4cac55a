"""The ``newsfacts`` command line: parses arguments, builds ``Options``, calls the API, formats.

Data goes to stdout (JSON/JSONL), messages and progress to stderr. Exit status: 0 when at least one
article went through (or nothing failed), 1 when every item failed, 2 on a usage error.
"""

from __future__ import annotations

import typer

from .. import __version__
from . import corpus as _corpus_commands
from . import extract as _extract_commands
from . import scale as _scale_commands
from . import serve as _serve_commands

app = typer.Typer(
    name="newsfacts",
    help="Turn news articles into attributed, checkable facts (quotes, claims, quantities, times, entities, events).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsfacts {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """newsfacts: attributed, checkable facts from news articles."""


_extract_commands.register(app)
_corpus_commands.register(app)
_scale_commands.register(app)
_serve_commands.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
