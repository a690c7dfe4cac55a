"""``newsfacts serve``: the web UI and HTTP API over a store, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import ipaddress

import typer

from ..errors import NewsfactsError
from .common import fail_usage

DB_HELP = "The store: a DuckDB file or a postgresql:// URL."
HOST_HELP = "Address to bind. The default 127.0.0.1 lets only this machine connect; 0.0.0.0 exposes the server."
TOKEN_HELP = "Write token: POST /api/articles and paste-to-store need it (Authorization: Bearer TOKEN). Without it the server is read-only."


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command("serve")(serve)


def serve(
    db: str = typer.Option(..., "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help=HOST_HELP),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    token: str | None = typer.Option(None, "--token", envvar="NEWSFACTS_TOKEN", help=TOKEN_HELP),
) -> None:
    """Serve the web UI and JSON API over a store (search, articles, entities, numbers, paste).

    Example: newsfacts serve --db facts.duckdb --token "$(openssl rand -hex 16)"
    """
    import uvicorn

    from ..store import open_store
    from ..web import create_app
    from ..web.app import LOOPBACK_HOSTS

    try:
        store = open_store(db, read_only=token is None)
    except NewsfactsError as exc:
        raise fail_usage(exc) from None
    try:
        app = create_app(store, token=token, allowed_hosts=LOOPBACK_HOSTS if _is_loopback(host) else None)
        typer.echo(f"newsfacts: serving {db} at http://{_url_host(host)}:{port}/", err=True)
        typer.echo(f"newsfacts: {_exposure(host)}", err=True)
        typer.echo("newsfacts: writes enabled with the token" if token
                   else "newsfacts: read-only (no --token): writes are refused", err=True)
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    finally:
        store.close()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _exposure(host: str) -> str:
    """One line saying who can reach the server."""
    if _is_loopback(host):
        return f"bound to {host}: only this machine can connect (use --host 0.0.0.0 to expose it)"
    return f"bound to {host}: reachable from the network; anyone who can connect can read the store"
