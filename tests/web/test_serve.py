"""``newsfacts serve``: binds 127.0.0.1 by default, says so, serves the store, refuses writes without a token."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsfacts.cli.serve import _exposure, host_names
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


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("NEWSFACTS_TOKEN", None)
    return env


def _start(db: Path, *args: str) -> tuple[subprocess.Popen, int]:
    """``newsfacts serve --port 0 ...`` and the port it says it serves on, once it answers."""
    proc = subprocess.Popen([sys.executable, "-c", "from newsfacts.cli import main; main()", "serve", "--db", str(db),
                             "--port", "0", *args], stderr=subprocess.PIPE, text=True, env=_env())
    first = proc.stderr.readline()
    match = re.search(r"at http://\S+?:(\d+)/", first)
    assert match, first + proc.stderr.read()
    return proc, int(match.group(1))


def _get(url: str, **kwargs: object) -> httpx.Response:
    for _ in range(100):
        try:
            return httpx.get(url, timeout=5, **kwargs)
        except httpx.ConnectError:
            time.sleep(0.1)
    raise AssertionError(f"no answer from {url}")


def _stop(proc: subprocess.Popen) -> str:
    """Stop the server; what it wrote on stderr since its first line."""
    proc.terminate()
    _, rest = proc.communicate(timeout=10)
    return rest


def test_serve_logs_a_500_with_its_traceback(tmp_path: Path) -> None:
    """A 500 says "the server log has the details": serve's stderr is that log."""
    import duckdb

    db = tmp_path / "broken.duckdb"
    open_store(str(db)).close()
    with duckdb.connect(str(db)) as conn:
        conn.execute("DROP TABLE failures")
    proc, port = _start(db)
    try:
        response = _get(f"http://127.0.0.1:{port}/failures.json")
        assert response.status_code == 500 and "server log" in response.json()["error"]
    finally:
        log = _stop(proc)
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ERROR newsfacts\.web\.app: error serving /failures\.json$",
                     log, re.MULTILINE), log
    assert "Traceback (most recent call last)" in log and "failures does not exist" in log


@pytest.fixture(scope="module")
def served_on_127_0_0_2(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``serve --host 127.0.0.2 --allow-host news.example`` over an empty store: its port."""
    db = tmp_path_factory.mktemp("serve") / "facts.duckdb"
    open_store(str(db)).close()
    proc, port = _start(db, "--host", "127.0.0.2", "--allow-host", "news.example")
    try:
        yield port
    finally:
        _stop(proc)


@pytest.mark.parametrize(
    ("host", "status"),
    [(None, 200), ("news.example", 200), ("NEWS.example:80", 200), ("10.1.2.3", 200), ("localhost", 200),
     (socket.gethostname(), 200), ("evil.example", 400), ("127.0.0.2.evil.example", 400)],
)
def test_serve_on_another_loopback_address_answers_to_it(served_on_127_0_0_2: int, host: str | None,
                                                         status: int) -> None:
    """Bound to 127.0.0.2 it answers there (the fixed loopback names refused every request); other
    names need --allow-host, IP addresses always pass (no DNS, no rebinding)."""
    response = _get(f"http://127.0.0.2:{served_on_127_0_0_2}/index.json", headers={"Host": host} if host else {})
    assert response.status_code == status, response.text


def test_serve_port_in_use_is_a_usage_error(tmp_path: Path) -> None:
    """A port in use: one [E205] line and status 2, nothing announced."""
    db = tmp_path / "facts.duckdb"
    open_store(str(db)).close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-c", "from newsfacts.cli import main; main()", "serve", "--db", str(db),
                               "--port", str(port)], check=False, capture_output=True, text=True, env=_env(), timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"newsfacts: [E205] Cannot listen on 127.0.0.1:{port}: Address already in use")
    assert done.stderr.count("\n") == 1 and "serving" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("host", "extra", "has", "lacks"),
    [("127.0.0.1", [], ["127.0.0.1", "localhost", "::1"], ["*"]),
     ("0.0.0.0", ["News.Example "], ["news.example", "localhost"], ["evil.example"]),
     ("myhost.lan", [], ["myhost.lan", "localhost"], []),
     ("::", ["*"], ["*"], [])],
)
def test_serve_host_names_table(host: str, extra: list[str], has: list[str], lacks: list[str]) -> None:
    names = host_names(host, extra)
    machine = socket.gethostname().lower()
    assert all(n in names for n in [*has, machine, machine.split(".")[0] + ".local"]), names
    assert not any(n in names for n in lacks)


def test_serve_log_handler_is_installed_once() -> None:
    import logging

    from newsfacts.cli.serve import _log_to_stderr

    logger = logging.getLogger("newsfacts")
    before = list(logger.handlers)
    try:
        _log_to_stderr()
        _log_to_stderr()
        added = [h for h in logger.handlers if h not in before]
        assert len(added) == 1 and added[0].level == logging.WARNING and "%(asctime)s" in added[0].formatter._fmt
    finally:
        for handler in logger.handlers[:]:
            if handler not in before:
                logger.removeHandler(handler)
