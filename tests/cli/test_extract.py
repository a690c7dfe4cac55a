"""``newsfacts extract`` as a user runs it: a subprocess, JSON on stdout, one line per bad input on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from newsfacts.model import json_schema

from ..conftest import SEED_TEXT

ENGLISH = "The mayor said on Monday that the city would open three new libraries next year, officials confirmed.\n"
FRENCH = ("Le maire a déclaré lundi que la ville ouvrirait trois nouvelles bibliothèques l'année prochaine, "
          "selon les responsables municipaux qui ont confirmé la nouvelle.\n")


def newsfacts(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the installed CLI the way a user does."""
    return subprocess.run([sys.executable, "-m", "newsfacts.cli", *args], input=stdin, capture_output=True, timeout=600,
                          env={**os.environ, **(env or {})})


def records(stdout: bytes) -> list[dict]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines() if line.strip()]


def test_extract_seed_prints_contract_json() -> None:
    proc = newsfacts("extract", str(SEED_TEXT), "--published", "2021-12-09")
    assert proc.returncode == 0, proc.stderr
    [record] = records(proc.stdout)
    jsonschema.validate(record, json_schema())
    assert record["id"] == str(SEED_TEXT)
    assert record["published"] == "2021-12-09"
    assert record["text"] == SEED_TEXT.read_text(encoding="utf-8")
    names = {e["name"] for e in record["entities"]}
    assert {"Iraq", "Pentagon", "Washington Post", "Syria", "Afghanistan"} <= names
    assert b"1 article extracted, 0 failed" in proc.stderr


def test_extract_json_format_is_one_array(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    proc = newsfacts("extract", str(SEED_TEXT), "--format", "json", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == 1 and data[0]["sha256"]


def test_extract_stdin_text_and_jsonl() -> None:
    proc = newsfacts("extract", "-", "--published", "2021-12-09", stdin=ENGLISH.encode())
    assert proc.returncode == 0, proc.stderr
    assert records(proc.stdout)[0]["text"] == ENGLISH
    lines = "\n".join(json.dumps({"id": f"n{i}", "text": ENGLISH, "published": "2020-01-0%d" % (i + 1)}) for i in range(2))
    proc = newsfacts("extract", "-", stdin=lines.encode())
    assert [(r["id"], r["published"]) for r in records(proc.stdout)] == [("n0", "2020-01-01"), ("n1", "2020-01-02")]


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, the message code its failure must carry)."""
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp / "huge.txt").write_text(ENGLISH * 200_000, encoding="utf-8")  # ~20 MB
    (tmp / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp / "french.txt").write_text(FRENCH, encoding="utf-8")
    return {
        "empty": (tmp / "empty.txt", "E102"),
        "binary": (tmp / "binary.txt", "E103"),
        "huge": (tmp / "huge.txt", "E108"),
        "unknown extension": (tmp / "notes.docx", "E105"),
        "missing": (tmp / "missing.txt", "E106"),
        "not English": (tmp / "french.txt", "E109"),
    }


def test_extract_bad_inputs_reported_and_rest_goes_on(tmp_path: Path) -> None:
    bad = _bad_inputs(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH, encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "ok", "text": ENGLISH}) + "\n{not json\n" + json.dumps({"id": "x"}) + "\n",
                      encoding="utf-8")
    paths = [str(p) for p, _ in bad.values()] + [str(good), str(corpus)]
    proc = newsfacts("extract", *paths, "--published", "2021-12-09")
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, stderr
    assert [r["id"] for r in records(proc.stdout)] == [str(good), "ok"]
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr
    for name, (path, code) in bad.items():
        matching = [line for line in lines if f"[{code}]" in line]
        assert len(matching) == 1 and str(path) in matching[0], (name, lines)
    assert sum("[E107]" in line for line in lines) == 2  # the malformed line and the record without text
    assert lines[-1] == "newsfacts: 2 articles extracted, 8 failed (E102: 1, E103: 1, E105: 1, E106: 1, E107: 2, E108: 1, E109: 1)"


def test_extract_all_failed_exit_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    proc = newsfacts("extract", str(tmp_path / "empty.txt"))
    assert proc.returncode == 1
    assert proc.stdout == b""


def test_extract_detected_charset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    text = "The café in Besançon said on Monday that its crème brûlée won the regional prize again this year.\n"
    path.write_bytes(text.encode("cp1252"))
    proc = newsfacts("extract", str(path))
    assert proc.returncode == 0, proc.stderr
    assert records(proc.stdout)[0]["text"] == text


@pytest.mark.parametrize(("args", "message"), [
    (["--published", "09/12/2021"], "[E110] Bad publication date '09/12/2021'"),
    (["--format", "xml"], "[E202] Unknown output format 'xml'"),
    (["--model", "en_core_web_nope"], "[E201] spaCy model 'en_core_web_nope' is not installed: pip install"),
])
def test_extract_usage_errors_exit_2(args: list[str], message: str) -> None:
    proc = newsfacts("extract", str(SEED_TEXT), *args)
    assert proc.returncode == 2
    stderr = proc.stderr.decode("utf-8")
    assert message in stderr and "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1


def test_cli_version_and_schema() -> None:
    from newsfacts import __version__

    assert newsfacts("--version").stdout.decode().strip() == f"newsfacts {__version__}"
    schema = json.loads(newsfacts("schema").stdout)
    assert schema["title"] == "newsfacts article record"


def test_show_renders_article_with_entities() -> None:
    proc = newsfacts("show", str(SEED_TEXT), "--published", "2021-12-09", env={"COLUMNS": "200"})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")
    assert "Washington Post" in out and "entities" in out and "org:washington-post" in out
