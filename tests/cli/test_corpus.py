"""Corpus commands end to end: ingest (counts, resume, failures, kill -9), questions, sql, export."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfacts.cli import app
from newsfacts.store import open_store, queries, schema

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from _facts import make_article  # noqa: E402 - hand-built facts shared with the store tests

SRC = Path(__file__).resolve().parents[2] / "src"
OTHER_STORY = " " + " ".join(f"Unrelated sentence number {i} about harvests and weather." for i in range(12))

TEXTS = {
    "ferry.txt": "The harbor authority in Portland said on Monday that the new ferry terminal would open next spring. "
                 "Mayor Ana Lopez welcomed the decision.",
    "pier.txt": "Engineers from Oregon finished the main pier in October, and the Coast Guard approved the ramps. "
                "Mayor Ana Lopez visited the site on Friday.",
}

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbor News</title>
<item><title>Council votes</title><link>https://harbor.test/vote</link><pubDate>Tue, 01 Mar 2022 08:00:00 GMT</pubDate>
<description>The Portland city council voted to fund the library, Mayor Ana Lopez said on Tuesday.</description></item>
</channel></rss>"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "news.rss").write_text(FEED, encoding="utf-8")
    (folder / "broken.rss").write_text("<rss><channel", encoding="utf-8")
    return folder


@pytest.fixture
def filled(tmp_path: Path) -> str:
    """A store holding three hand-built articles with every fact kind."""
    db = str(tmp_path / "filled.duckdb")
    with open_store(db) as store:
        store.write([
            make_article(doc_id="a", published="2021-12-09"),
            make_article(doc_id="b", published="2022-03-01", url="https://example.test/b", source="Daily Planet", troops="about 2,000"),
            make_article(doc_id="c", published="2023-05-05", url="https://example.test/c", speaker="Jane Roe",
                         troops="2,000-2,500", tail=OTHER_STORY),
        ])
    return db


def test_corpus_ingest_workers_extract_only_unstored(inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfacts import Article, scale

    db = str(tmp_path / "corpus.duckdb")
    code, _, err = invoke("ingest", str(inputs), "--db", db, "--published", "2021-12-09")
    assert code == 0, err
    sent: list[object] = []

    def fake_extract_items(items, options, **kwargs):  # what would go to the Dask workers; failures pass
        sent.extend(items)
        return iter([item for item in sent if not isinstance(item, Article)])

    monkeypatch.setattr(scale, "extract_items", fake_extract_items)
    code, _, err = invoke("ingest", str(inputs), "--db", db, "--workers", "2")
    assert "0 ingested, 3 already present, 1 failed (E111: 1)" in err
    assert not [item for item in sent if isinstance(item, Article)]


def test_corpus_ingest_counts_resume_and_failures(inputs: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "corpus.duckdb")
    code, _, err = invoke("ingest", str(inputs), "--db", db, "--published", "2021-12-09")
    assert code == 0, err
    assert "3 ingested, 0 already present, 1 failed (E111: 1)" in err
    code, _, err = invoke("ingest", str(inputs), "--db", db)
    assert "0 ingested, 3 already present, 1 failed (E111: 1)" in err
    code, out, _ = invoke("failures", "--db", db)
    assert [(r["item"], r["code"]) for r in jsonl(out)] == [(str(inputs / "broken.rss"), "E111")]
    code, out, _ = invoke("entities", "--db", db, "--type", "person")
    assert jsonl(out)[0]["name"] == "Ana Lopez" and jsonl(out)[0]["articles"] >= 2
    code, out, _ = invoke("sql", "SELECT url, day FROM articles WHERE url IS NOT NULL", "--db", db)
    assert jsonl(out) == [{"url": "https://harbor.test/vote", "day": "2022-03-01"}]


def test_corpus_ingest_all_failed_exit_status(tmp_path: Path) -> None:
    bad = tmp_path / "broken.rss"
    bad.write_text("nonsense", encoding="utf-8")
    code, _, err = invoke("ingest", str(bad), "--db", str(tmp_path / "x.duckdb"))
    assert code == 1 and "0 ingested, 0 already present, 1 failed" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["quotes", "--speaker", "John Kirby"], ["a", "b"]),
        (["quotes", "--about", "Iraq", "--since", "2022-01-01"], ["b", "c"]),
        (["claims", "--source", "Washington Post"], ["a", "c"]),
        (["numbers", "--about", "troops in Iraq", "--source", "Daily Planet"], ["b"]),
        (["timeline", "Pentagon"], ["a", "b", "c"]),
    ],
)
def test_corpus_questions_print_jsonl(filled: str, args: list[str], expected: list[str]) -> None:
    code, out, err = invoke(*args, "--db", filled)
    assert code == 0, err
    assert [r["doc_id"] for r in jsonl(out)] == expected


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_corpus_quotes_other_formats(filled: str, fmt: str) -> None:
    code, out, _ = invoke("quotes", "--speaker", "kirby", "--db", filled, "--format", fmt)
    assert code == 0
    if fmt == "json":
        assert [r["doc_id"] for r in json.loads(out)] == ["a", "b"]
    else:
        assert "Kirby" in out and "2,500" in out and "Example Times" in out


@pytest.mark.parametrize("suffix", [".png", ".html"])
def test_corpus_numbers_plot(filled: str, tmp_path: Path, suffix: str) -> None:
    out_path = tmp_path / f"chart{suffix}"
    code, out, err = invoke("numbers", "--about", "troops", "--plot", str(out_path), "--db", filled)
    assert code == 0, err
    assert len(jsonl(out)) == 3
    data = out_path.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG")
    else:
        assert b"<svg" in data and b"troops in Iraq" in data


@pytest.mark.parametrize(("scale", "log"), [("log", True), ("linear", False), ("auto", False)])
def test_corpus_numbers_plot_scale(filled: str, tmp_path: Path, scale: str, log: bool) -> None:
    """The chart's y axis says when it is logarithmic (the values here span less than 1000x: auto is linear)."""
    out_path = tmp_path / "chart.html"
    code, _, err = invoke("numbers", "--about", "troops", "--plot", str(out_path), "--scale", scale, "--db", filled)
    assert code == 0, err
    assert ("(log scale)" in out_path.read_text(encoding="utf-8")) == log
    code, _, err = invoke("numbers", "--about", "troops", "--plot", str(out_path), "--scale", "cubic", "--db", filled)
    assert code == 2 and "--scale" in err


def test_corpus_article_round_trip(filled: str) -> None:
    sha = make_article(doc_id="a", published="2021-12-09").sha256
    code, out, _ = invoke("article", sha[:10], "--db", filled)
    assert code == 0 and json.loads(out) == make_article(doc_id="a", published="2021-12-09").to_json()
    code, _, err = invoke("article", "nope", "--db", filled)
    assert code == 1 and "[E403]" in err


@pytest.mark.parametrize(
    ("args", "code_in_message"),
    [
        (["sql", "DROP TABLE articles"], "[E404]"),
        (["quotes", "--since", "last week"], "[E110]"),
        (["quotes", "--format", "xml"], "[E202]"),
        (["numbers", "--plot", "chart.pdf"], "[E203]"),
    ],
)
def test_corpus_usage_errors(filled: str, args: list[str], code_in_message: str) -> None:
    code, _, err = invoke(*args, "--db", filled)
    assert code == 2 and code_in_message in err
    assert len(err.strip().splitlines()) == 1


def test_corpus_missing_store_is_clear(tmp_path: Path) -> None:
    code, _, err = invoke("quotes", "--db", str(tmp_path / "none.duckdb"))
    assert code == 2 and "[E401]" in err


def test_corpus_export_parquet(filled: str, tmp_path: Path) -> None:
    import duckdb

    out_dir = tmp_path / "pq"
    code, out, _ = invoke("export", "--parquet", str(out_dir), "--db", filled)
    assert code == 0 and sorted(Path(p).stem for p in out.splitlines()) == sorted(schema.TABLES)
    rows = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [str(out_dir / "quotes.parquet")]).fetchall()
    assert rows == [(3,)]


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from newsfacts.cli import main; main()", *args]


def test_corpus_second_writer_gets_clear_message(filled: str, inputs: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from newsfacts.store import open_store; s = open_store({filled!r}); print('open', flush=True); input()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        code, _, err = invoke("ingest", str(inputs), "--db", filled)
        assert code == 2 and "[E402]" in err and "in use by another process" in err
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    with open_store(filled, read_only=True) as store:
        assert queries.overview(store)["articles"] == 3


def test_corpus_ingest_killed_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    n = 300
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = f"President Joe Biden told reporters in Washington on Monday that {i} new bridges would be built in Ohio and Texas."
            out.write(json.dumps({"id": f"doc{i}", "text": text, "published": "2022-01-01"}) + "\n")
    db = tmp_path / "killed.duckdb"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(_cli("ingest", str(corpus), "--db", str(db)), stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:  # wait for the first committed batch (the WAL)
        if Path(f"{db}.wal").exists() and Path(f"{db}.wal").stat().st_size > 100_000:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL  # killed mid-run, not finished
    rerun = subprocess.run(_cli("ingest", str(corpus), "--db", str(db)), capture_output=True, text=True, env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    with open_store(str(db), read_only=True) as store:
        counts = store.fetch("SELECT count(*) AS n, count(DISTINCT sha256) AS d, count(DISTINCT doc_id) AS i FROM articles")[0]
        assert (counts["n"], counts["d"], counts["i"]) == (n, n, n)
        totals = store.fetch(
            "SELECT (SELECT sum(n_articles) FROM entities) AS a, (SELECT count(*) FROM article_entities) AS ae, "
            "(SELECT sum(n_mentions) FROM entities) AS m, (SELECT count(*) FROM mentions) AS mm, "
            "(SELECT count(*) FROM (SELECT DISTINCT aid, entity_id, ord FROM mentions) t) AS md"
        )[0]
        assert totals["a"] == totals["ae"] > 0
        assert queries.entity(store, "person:joe-biden")["articles"] == n
        assert totals["m"] == totals["mm"] == totals["md"]
    summary = rerun.stderr.strip().splitlines()[-1]
    ingested, present = (int(part.split()[0]) for part in summary.removeprefix("newsfacts: ").split(", ")[:2])
    assert ingested + present == n and present > 0 and ingested > 0


def test_corpus_table_shows_untrusted_text_as_written(filled: str) -> None:
    """Text from articles is never rich markup ('[/]' used to crash, '[link=...]' to hide a link) nor terminal codes."""
    sql = "SELECT '[link=https://evil.example]Reuters[/link] [/] ' || chr(27) || '[2J' AS a"
    code, out, err = invoke("sql", sql, "--format", "table", "--db", filled)
    assert code == 0, err
    assert "[link=https://evil.example]Reuters[/link] [/]" in out
    assert "\x1b" not in out and "\ufffd[2J" in out


def test_corpus_cut_lists_and_unknown_entities_say_so(filled: str, tmp_path: Path) -> None:
    code, out, err = invoke("sql", "SELECT * FROM range(30)", "--limit", "10", "--db", filled)
    assert code == 0 and len(jsonl(out)) == 10 and "the first 10 rows are shown" in err
    code, out, err = invoke("sql", "SELECT * FROM range(3)", "--limit", "10", "--db", filled)
    assert code == 0 and len(jsonl(out)) == 3 and "rows are shown" not in err
    code, out, err = invoke("timeline", "person:nobody-here", "--db", filled)
    assert code == 1 and out == "" and "[E403]" in err
    code, _, err = invoke("entities", "--top", "0", "--db", filled)
    assert code == 2 and "top=0" in err


def test_corpus_extract_output_that_cannot_be_written(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("The mayor said on Monday that the bridge would reopen next week after repairs.", encoding="utf-8")
    code, _, err = invoke("extract", str(text), "-o", str(tmp_path / "missing" / "out.jsonl"))
    assert code == 2 and "[E204]" in err and "Traceback" not in err


def test_corpus_show_a_record_that_is_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "fake.jsonl"
    path.write_text('{"sha256": "x", "entities": [{"bad": 1}]}\n', encoding="utf-8")
    code, _, err = invoke("show", str(path))
    assert code == 2 and "[E101]" in err and "not a newsfacts record" in err and len(err.strip().splitlines()) == 1
