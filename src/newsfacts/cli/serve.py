"""``newsfacts serve``: the web UI and HTTP API over a store, on 127.0.0.1 unless told otherwise.

The port is bound before the server says where it serves, so a port in use is one ``[E205]`` line and
exit status 2. The server answers only to Host headers naming this machine (a DNS-rebinding guard,
``web.app._HostCheck``); errors the app logs (a 500's traceback) go to stderr with a timestamp.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import logging
import socket
import sys

import typer

from ..errors import NewsfactsError
from .common import fail_usage

DB_HELP = "The store: a DuckDB file or a postgresql:// URL."
HOST_HELP = "Address to bind. The default 127.0.0.1 lets only this machine connect; 0.0.0.0 exposes the server."
TOKEN_HELP = "Write token: POST /api/articles and paste-to-store need it (Authorization: Bearer TOKEN). Without it the server is read-only."
ALLOW_HOST_HELP = ("Another name clients use for this server (a DNS name, a reverse proxy's name); repeatable. "
                   "The server always answers to its IP addresses, localhost, this machine's name and --host; "
                   "other Host headers get 400 (a DNS-rebinding guard). '*' answers to any name.")

EXIT_STARTUP = 3
"""The server bound its port but did not start (uvicorn's startup failure status; its log says why)."""

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
"""Log lines on stderr: when, how bad, which module (a 500's traceback follows its line)."""


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command("serve")(serve)


def serve(
    db: str = typer.Option(..., "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help=HOST_HELP),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    token: str | None = typer.Option(None, "--token", envvar="NEWSFACTS_TOKEN", help=TOKEN_HELP),
    allow_host: list[str] = typer.Option([], "--allow-host", metavar="NAME", help=ALLOW_HOST_HELP),
) -> None:
    """Serve the web UI and JSON API over a store (search, articles, entities, numbers, paste).

    Example: newsfacts serve --db facts.duckdb --token "$(openssl rand -hex 16)"
    """
    import uvicorn

    from ..store import open_store
    from ..web import create_app

    try:
        store = open_store(db, read_only=token is None)
    except NewsfactsError as exc:
        raise fail_usage(exc) from None
    sockets: list[socket.socket] = []
    try:
        try:
            sockets = _listen(host, port)
        except NewsfactsError as exc:
            raise fail_usage(exc) from None
        app = create_app(store, token=token, allowed_hosts=host_names(host, allow_host))
        bound = sockets[0].getsockname()[1]  # the port asked, or the one given for --port 0
        typer.echo(f"newsfacts: serving {db} at http://{_url_host(host)}:{bound}/", err=True)
        typer.echo(f"newsfacts: {_exposure(host)}", err=True)
        typer.echo("newsfacts: writes enabled with the token" if token
                   else "newsfacts: read-only (no --token): writes are refused", err=True)
        _log_to_stderr()
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=bound, log_level="warning", server_header=False))
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C ends the server, as uvicorn.run does
            server.run(sockets=sockets)
        if not server.started:
            raise typer.Exit(EXIT_STARTUP)
    finally:
        for sock in sockets:
            sock.close()
        store.close()


def _listen(host: str, port: int) -> list[socket.socket]:
    """Sockets bound to ``host``:``port`` (every address a name resolves to, as asyncio would bind
    them), so the server never says where it serves before it can; uvicorn listens on them.

    Raises:
        NewsfactsError: E205 when an address cannot be bound (in use, not this machine's, no rights).
    """
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise NewsfactsError("E205", address=f"{_url_host(host)}:{port}", reason=exc.strerror) from None
    sockets: list[socket.socket] = []
    seen = set()
    try:
        for family, kind, proto, _name, address in infos:
            if (family, address) in seen:
                continue
            seen.add((family, address))
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:  # as asyncio does: "::" is IPv6 only, 0.0.0.0 is bound on its own
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if port == 0 and sockets[:-1]:  # --port 0: one port for every address, the first one's
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            try:
                sock.bind(address)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                if exc.errno == errno.EADDRINUSE:
                    reason += ": another server listens there; choose another --port"
                raise NewsfactsError("E205", address=f"{_url_host(str(address[0]))}:{port}", reason=reason) from None
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def host_names(host: str, extra: list[str] | tuple[str, ...] = ()) -> tuple[str, ...]:
    """The Host header names the server answers to (IP addresses always pass, ``web.app._HostCheck``).

    The loopback names and this machine's name (``socket.gethostname()``, its first label, and
    ``.local`` for mDNS) always: they are how this machine's users and its LAN reach it; ``host`` when
    it is a name; ``extra`` (``--allow-host``) for DNS or proxy names. A rebinding page arrives
    under its own domain name, which is none of these.

    >>> "myproxy.example" in host_names("0.0.0.0", ["myproxy.example"])
    True
    """
    from ..web.app import LOOPBACK_HOSTS

    machine = socket.gethostname().lower()
    short = machine.split(".", 1)[0]
    names = [*LOOPBACK_HOSTS, machine, short, f"{short}.local", host.lower(), *(n.strip().lower() for n in extra)]
    return tuple(dict.fromkeys(n for n in names if n))


def _log_to_stderr() -> None:
    """Send the ``newsfacts`` loggers' warnings and errors to stderr with a timestamp, once.

    The library itself only adds a NullHandler (a library leaves handlers to its application); the
    server is the application here, and its 500 answers promise the details are in this log."""
    logger = logging.getLogger("newsfacts")
    if any(getattr(h, "newsfacts_serve", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.newsfacts_serve = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)


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
