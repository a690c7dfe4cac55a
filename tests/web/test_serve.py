"""``newsfacts serve``: binds 127.0.0.1 by default, says so, serves the store, refuses writes without a token."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newsfacts.cli.serve import _exposure
from newsfacts.store import open_store

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("host", "says"),
    [("127.0.0.1", "only this machine can connect"), ("localhost", "only this machine can connect"),
     ("::1", "only this machine can connect"), ("0.0.0.0", "reachable from the network"),
     ("192.168.1.5", "reachable from the network")],
)
def test_serve_exposure_table(host: str, says: str) -> None:
    assert says in _exposure(host)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_binds_loopback_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "facts.duckdb"
    open_store(str(db)).close()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("NEWSFACTS_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-c", "from newsfacts.cli import main; main()", "serve", "--db", str(db),
                             "--port", str(port)], stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = [proc.stderr.readline() for _ in range(3)]
        assert f"serving {db} at http://127.0.0.1:{port}/" in lines[0]
        assert "bound to 127.0.0.1: only this machine can connect" in lines[1]
        assert "read-only" in lines[2]
        for _ in range(100):
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/index.json", timeout=5)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert response.status_code == 200 and response.json()["overview"]["articles"] == 0
        refused = httpx.post(f"http://127.0.0.1:{port}/api/articles", json={"text": "x"}, timeout=5)
        assert refused.status_code == 401 and refused.json()["status"] == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_bad_store_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.duckdb"
    bad.write_text("this is not a database")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", "from newsfacts.cli import main; main()", "serve", "--db", str(bad)],
                          check=False, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("newsfacts: [E401]") and "Traceback" not in done.stderr


def test_serve_internal_error_keeps_the_connection(tmp_path: Path) -> None:
    """A failing query answers 500 in the error shape and the keep-alive connection stays usable."""
    import threading

    import uvicorn

    from newsfacts.web import create_app

    class _Broken:
        schema_version = 1

        def fetch(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("connection lost: /secret/db.duckdb")

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(_Broken()), host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(3):
                response = client.get("/index.json")
                assert response.status_code == 500 and response.json()["status"] == 500
                assert "secret" not in response.text
            assert client.get("/static/style.css").status_code == 200
    finally:
        server.should_exit = True
        thread.join(timeout=10)
