"""The store on both backends: schema, idempotent writes, versions, stories, round trip, safety."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsfacts.errors import StoreError
from newsfacts.model import Failure
from newsfacts.store import open_store, queries, schema
from newsfacts.store.base import Store, placeholders, translate
from newsfacts.store.postgres_backend import PostgresStore

from _facts import make_article

SRC = Path(__file__).resolve().parents[2] / "src"


def _count(store, table: str) -> int:
    return int(store.fetch(f"SELECT count(*) AS n FROM {table}")[0]["n"])


def test_store_schema_matches_column_lists(store) -> None:
    for table in schema.TABLES:
        rows = store.fetch(
            "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = :t ORDER BY ordinal_position",
            {"t": table},
        )
        assert tuple(r["c"] for r in rows) == schema.column_names(table, store.dialect), table
    assert store.schema_version == max(v for v, _, _ in schema.migrations())


def test_store_reopen_keeps_data_and_version(store_url: str) -> None:
    with open_store(store_url) as store:
        store.write([make_article()])
    with open_store(store_url) as store:
        assert store.schema_version >= 1
        assert _count(store, "articles") == 1


def test_store_write_is_idempotent_by_sha256(store) -> None:
    article = make_article()
    assert store.write([article, article]) == dataclasses.replace(store.write([]), ingested=1, present=1)
    assert store.write([article]).present == 1
    assert _count(store, "articles") == 1
    assert _count(store, "quotes") == 1
    assert _count(store, "mentions") == len(article.entities)
    assert queries.entity(store, "person:john-kirby")["articles"] == 1


@pytest.mark.parametrize("troops", ["about 2,500", "2,000-2,500"])
def test_store_article_round_trip(store, troops: str) -> None:
    article = make_article(troops=troops)
    store.write([article])
    assert queries.article(store, article.sha256) == article
    assert queries.article(store, article.sha256[:12]) == article
    assert queries.article(store, "a") == article
    assert queries.article(store, "https://example.test/a") == article
    assert queries.article(store, "no-such-article") is None


def test_store_changed_text_is_new_version(store) -> None:
    first = make_article(troops="about 2,500")
    second = make_article(troops="about 2,000")
    store.write([first])
    store.write([second])
    rows = store.fetch("SELECT version, sha256 FROM articles ORDER BY version")
    assert [(r["version"], r["sha256"]) for r in rows] == [(1, first.sha256), (2, second.sha256)]
    assert queries.article(store, "https://example.test/a").sha256 == second.sha256
    meta = queries.article_meta(store, first.sha256)
    assert [v["version"] for v in meta["versions"]] == [1, 2]


def test_store_near_duplicates_share_a_story(store) -> None:
    original = make_article(doc_id="wire", url="https://one.test/x", source="One")
    copy = make_article(doc_id="copy", url="https://two.test/y", source="Two", prefix="WASHINGTON (AP) \u2014 ")
    other = make_article(doc_id="other", url="https://three.test/z", source="Three", speaker="Jane Roe",
                         tail=" " + " ".join(f"Unrelated sentence number {i} about harvests and weather." for i in range(12)))
    store.write([original])
    store.write([copy, other])
    story = {r["doc_id"]: r["story"] for r in store.fetch("SELECT doc_id, story FROM articles")}
    assert story["copy"] == story["wire"]
    assert story["other"] != story["wire"]
    rows = queries.quotes(store, speaker="John Kirby")
    assert len(rows) == 1 and rows[0]["copies"] == 2
    assert queries.article_meta(store, "wire")["copies"][0]["url"] == "https://two.test/y"


def test_store_entities_merge_names_across_articles(store) -> None:
    store.write([make_article(doc_id="a"), make_article(doc_id="b", url="https://example.test/b", troops="about 3,000")])
    kirby = queries.entity(store, "Kirby")
    assert kirby["id"] == "person:john-kirby"
    assert kirby["aliases"] == ["Kirby"]
    assert kirby["titles"] == ["press secretary"]
    assert (kirby["articles"], kirby["mentions"], kirby["quotes"]) == (2, 2, 2)
    assert queries.entity(store, "nobody at all") is None


def test_store_failures_recorded_once(store) -> None:
    failure = Failure(id="feeds/broken.xml", message="[E111] Malformed record in feeds/broken.xml: not a feed")
    store.write_failure(failure)
    store.write_failure(failure)
    rows = queries.failures(store)
    assert [(r["item"], r["code"]) for r in rows] == [("feeds/broken.xml", "E111")]


@pytest.mark.parametrize(
    "query",
    [
        "DROP TABLE articles",
        "DELETE FROM articles",
        "INSERT INTO failures VALUES ('x', 'E000', 'x', now())",
        "SELECT 1; DROP TABLE articles",
        "UPDATE entities SET name = 'x'",
        "CREATE TABLE evil (x INTEGER)",
    ],
)
def test_store_sql_refuses_writes(store, query: str) -> None:
    store.write([make_article()])
    with pytest.raises(StoreError) as info:
        queries.sql(store, query)
    assert info.value.code == "E404"
    assert _count(store, "articles") == 1
    assert queries.entity(store, "org:pentagon")["name"] == "Pentagon"


def test_store_sql_cannot_read_files_duckdb(tmp_path: Path) -> None:
    (tmp_path / "secret.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with open_store(str(tmp_path / "s.duckdb")) as store:
        with pytest.raises(StoreError) as info:
            queries.sql(store, f"SELECT * FROM read_csv('{tmp_path / 'secret.csv'}')")
        assert info.value.code == "E404"
        store.write([make_article()])
    with open_store(str(tmp_path / "s.duckdb")) as store:
        assert queries.article(store, "a") == make_article()


def test_store_sql_reads(store) -> None:
    store.write([make_article()])
    assert queries.sql(store, "SELECT doc_id, day FROM articles") == [{"doc_id": "a", "day": "2021-12-09"}]


def test_store_read_only_refuses_writes(store_url: str) -> None:
    with open_store(store_url) as store:
        store.write([make_article()])
    with open_store(store_url, read_only=True) as store:
        assert queries.overview(store)["articles"] == 1
        with pytest.raises(StoreError):
            store.write([make_article(troops="about 9")])


def test_store_export_parquet(store, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    store.write([make_article(), make_article(doc_id="b", url="https://example.test/b", troops="about 3,000")])
    paths = queries.export_parquet(store, str(tmp_path / "out"))
    assert sorted(Path(p).stem for p in paths) == sorted(schema.TABLES)
    assert pq.read_table(tmp_path / "out" / "articles.parquet").num_rows == 2
    assert pq.read_table(tmp_path / "out" / "quantities.parquet").column("value").to_pylist() == [2500.0, 3000.0]
    assert pq.read_table(tmp_path / "out" / "failures.parquet").num_rows == 0


@pytest.mark.parametrize(
    ("sql", "style", "expected"),
    [
        ("a = :x AND b = :y_1", "$", "a = $x AND b = $y_1"),
        ("a = :x::bigint[]", "%", "a = %(x)s::bigint[]"),
        ("a LIKE '%' || :x", "%", "a LIKE '%%' || %(x)s"),
    ],
)
def test_store_translate_placeholders(sql: str, style: str, expected: str) -> None:
    assert translate(sql, style) == expected
    assert placeholders(sql)[0] == "x"


def test_store_unknown_database_is_clear(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        open_store(str(tmp_path / "missing.duckdb"), read_only=True)
    assert info.value.code == "E401"


def _hold_open(path: Path) -> subprocess.Popen:
    """Another process holding the DuckDB store open for writing until its stdin closes."""
    code = textwrap.dedent(f"""
        import sys
        from newsfacts.store import open_store
        store = open_store({str(path)!r})
        print("open", flush=True)
        sys.stdin.read()
        store.close()
    """)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_store_second_duckdb_writer_gets_e402(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    with open_store(str(path)) as store:
        store.write([make_article()])
    holder = _hold_open(path)
    try:
        with pytest.raises(StoreError) as info:
            open_store(str(path))
        assert info.value.code == "E402"
        assert "in use by another process" in str(info.value)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    with open_store(str(path)) as store:
        assert queries.article(store, "a") == make_article()


_WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {helpers!r})
    from _facts import make_article
    from newsfacts.store import open_store

    store = open_store({url!r})
    articles = [make_article(doc_id=f"d{{i}}", url=f"https://example.test/{{i}}", troops=f"about {{i}}") for i in range({n})]
    for start in range(0, {n}, 10):
        store.write(articles[start:start + 10], batch_size=5)
        print(start + 10, flush=True)
    store.close()
""")


def test_store_sigkill_mid_write_loses_and_duplicates_nothing(store_url: str) -> None:
    n = 200
    code = _WRITER.format(helpers=str(Path(__file__).resolve().parent), url=store_url, n=n)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    for _ in range(3):
        assert proc.stdout.readline().strip()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with open_store(store_url) as store:
        stored = _count(store, "articles")
        assert 30 <= stored < n
        assert _count(store, "quotes") == stored
    rerun = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with open_store(store_url) as store:
        assert _count(store, "articles") == n
        assert int(store.fetch("SELECT count(DISTINCT sha256) AS n FROM articles")[0]["n"]) == n
        for table in ("quotes", "claims", "quantities", "events"):
            assert _count(store, table) == n, table
        assert _count(store, "timexes") == 2 * n
        assert queries.entity(store, "person:john-kirby")["articles"] == n


def test_store_story_rows_follow_later_copies(store) -> None:
    first = make_article(doc_id="a", published="2021-12-09")
    copy = make_article(doc_id="b", published="2021-12-07", url="https://example.test/b", source="Wire",
                        tail=" (Distributed by the wire.)")
    store.write([first])
    store.write([copy])  # another batch: the stored story row gets the copy, and its earlier day
    store.write([first, copy])  # a re-run changes nothing
    rows = queries.quotes(store, speaker="John Kirby")
    assert [(r["doc_id"], r["copies"]) for r in rows] == [("a", 2)]
    assert queries.quotes(store, speaker="John Kirby", since="2021-12-08") == []
    assert [r["doc_id"] for r in queries.claims(store, until="2021-12-07")] == ["a"]
    flags = store.fetch("SELECT first_in_story AS f, copies AS n, story_day AS d FROM quotes ORDER BY aid")
    assert [(r["f"], r["n"], r["d"]) for r in flags] == [(True, 2, "2021-12-07"), (False, None, None)]
    assert queries.entity(store, "person:john-kirby")["quotes"] == 2


def test_store_migration_3_fills_story_rows_and_word_index(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    older = [m for m in schema.migrations() if m[0] < schema.WORD_INDEX_VERSION]
    with monkeypatch.context() as patched:
        patched.setattr(schema, "migrations", lambda: older)
        with open_store(store_url) as store:  # a version 2 store, filled as version 2 wrote it
            for aid, day in ((1, "2021-12-09"), (2, "2021-12-08")):
                store._execute(
                    "INSERT INTO articles (aid, sha256, doc_id, version, story, title, day, text, errors, ingested_at) "
                    "VALUES (:aid, :sha, :doc, 1, 1, 'Troops leave', :day, 'Kirby said troops would stay.', '[]', :at)",
                    {"aid": aid, "sha": f"sha{aid}", "doc": f"d{aid}", "day": day, "at": "2021-12-09 00:00:00"},
                )
                store._execute(
                    "INSERT INTO quotes (aid, ord, start_char, end_char, text, kind, parts, speaker_entity, day, story) "
                    "VALUES (:aid, 0, 0, 5, 'troops would stay', 'direct', '[]', 'person:kirby', :day, 1)",
                    {"aid": aid, "day": day},
                )
                store._execute(
                    "INSERT INTO quantities (aid, ord, start_char, end_char, text, value, value_low, value_high, is_range, "
                    "change, counts_text, day, story) VALUES (:aid, 0, 0, 4, '2500', 2500, 2500, 2500, FALSE, '=', 'troops', :day, 1)",
                    {"aid": aid, "day": day},
                )
            store._execute(
                "INSERT INTO events (aid, ord, start_char, end_char, text, trigger, participants, day, story) "
                "VALUES (1, 0, 6, 10, 'said', 'say', '[]', '2021-12-09', 1)"
            )
            store._execute("INSERT INTO event_participants (aid, event_ord, entity_id) VALUES (1, 0, 'person:kirby')")
            store._execute("INSERT INTO entities (id, name, type, n_articles, n_mentions) VALUES ('person:kirby', 'Kirby', 'PERSON', 2, 2)")
            assert store.schema_version == schema.WORD_INDEX_VERSION - 1
    with open_store(store_url) as store:
        assert store.schema_version == max(v for v, _, _ in schema.migrations())
        rows = store.fetch("SELECT aid, first_in_story AS f, copies AS n, story_day AS d FROM quotes ORDER BY aid")
        assert [(r["f"], r["n"], r["d"]) for r in rows] == [(True, 2, "2021-12-08"), (False, None, None)]
        assert [r["doc_id"] for r in queries.quotes(store, about="TROOPS stay")] == ["d1"]
        assert sorted(r["doc_id"] for r in queries.search(store, "leave", kinds=("articles",))) == ["d1", "d2"]
        assert len(queries.numbers(store, about="troops")) == 2
        assert [(r["kind"], r["text"]) for r in queries.timeline(store, "person:kirby")] == [("quote", "troops would stay"), ("event", "said")]
        assert queries.entity(store, "person:kirby")["quotes"] == 2


def _two_participants(doc_id: str, **kwargs) -> object:
    article = make_article(doc_id=doc_id, **kwargs)
    events = tuple(dataclasses.replace(e, participants=("org:pentagon", "gpe:iraq")) for e in article.events)
    return dataclasses.replace(article, events=events)


def _answers(store) -> dict:
    return {
        "quotes": queries.quotes(store, speaker="John Kirby"), "claims": queries.claims(store, about="ISIS"),
        "numbers": queries.numbers(store, about="troops"), "pentagon": queries.timeline(store, "org:pentagon"),
        "iraq": queries.timeline(store, "Iraq"), "search": queries.search(store, "Iraq", kinds=("quotes",)),
    }


def test_store_migration_5_keys_rows_of_a_version_3_store(store_url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [
        _two_participants("a", published="2021-12-09"),
        _two_participants("b", published="2022-03-01", url="https://example.test/b", troops="about 2,000"),
        _two_participants("c", published="2021-12-10", url="https://example.test/c", source="Wire",
                          tail=" (Distributed by the wire.)"),
    ]
    version_3 = {t: tuple(c for c in cols if c[0] != "row_key") for t, cols in schema.TABLES.items()}
    older = [m for m in schema.migrations() if m[0] <= 3]
    with monkeypatch.context() as patched:  # a version 3 store, written by version 3's writer
        patched.setattr(schema, "migrations", lambda: older)
        patched.setattr(schema, "TABLES", version_3)
        patched.setattr(PostgresStore, "_add_words", Store._add_words)  # word_index, not words (version 7)
        with open_store(store_url) as store:
            store.write(articles[:2])
            store.write(articles[2:])
            assert store.schema_version == 3
    with open_store(store_url) as store:
        assert store.schema_version == max(v for v, _, _ in schema.migrations())
        for table in ("quotes", "claims", "quantities"):
            rows = store.fetch(f"SELECT aid, ord, row_key FROM {table}")
            assert rows and all(r["row_key"] == r["aid"] * 2**20 + r["ord"] for r in rows), table
        keys = store.fetch("SELECT aid, row_key FROM event_participants ORDER BY row_key")
        assert [(r["aid"], r["row_key"] - r["aid"] * 2**20) for r in keys] == [(a, n) for a in (1, 2, 3) for n in (0, 1)]
        upgraded = _answers(store)
        store.write([_two_participants("d", published="2023-01-01", url="https://example.test/d", speaker="Jane Roe")])
        assert len(queries.timeline(store, "Iraq")) == 4
    with open_store(str(tmp_path / "fresh.duckdb")) as fresh:  # the same articles written by this version
        fresh.write(articles[:2])
        fresh.write(articles[2:])
        assert _answers(fresh) == upgraded
    assert [r["doc_id"] for r in upgraded["iraq"]] == ["a", "b", "c"]  # events of every copy, in date then article order
    assert [(r["doc_id"], r["copies"]) for r in upgraded["quotes"]] == [("a", 2), ("b", 1)]


def _word_answers(store) -> dict:
    return {
        "quotes": queries.quotes(store, about="troops Iraq"), "since": queries.quotes(store, about="troops", since="2021-12-10"),
        "claims": queries.claims(store, about="ISIS country"), "numbers": queries.numbers(store, about="troops"),
        "search": queries.search(store, "Iraq"), "none": queries.search(store, "Iraq zebra"),
    }


def test_store_migration_7_moves_words_of_a_version_6_store(store_url: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [
        _two_participants("a", published="2021-12-09"),
        _two_participants("b", published="2022-03-01", url="https://example.test/b", troops="about 2,000"),
        _two_participants("c", published="2021-12-10", url="https://example.test/c", source="Wire",
                          tail=" (Distributed by the wire.)"),
    ]
    older = [m for m in schema.migrations() if m[0] <= 6]
    with monkeypatch.context() as patched:  # a version 6 store, written by version 6's writer (word_index)
        patched.setattr(schema, "migrations", lambda: older)
        patched.setattr(PostgresStore, "_add_words", Store._add_words)
        with open_store(store_url) as store:
            store.write(articles[:2])
            store.write(articles[2:])
            assert store.schema_version == 6
            terms = _count(store, "word_index")
    with open_store(store_url) as store:
        assert store.schema_version == max(v for v, _, _ in schema.migrations()) == 7
        upgraded = _word_answers(store)
        if store.dialect == "postgres":  # the words moved into the rows; word_index is left empty
            assert _count(store, "word_index") == 0
            story_rows = store.fetch("SELECT words FROM quotes WHERE first_in_story ORDER BY aid")
            assert [r["words"] for r in story_rows] == [["2", "500", "about", "are", "in", "iraq", "there", "troops"],
                                                        ["000", "2", "about", "are", "in", "iraq", "there", "troops"]]
            assert store.fetch("SELECT count(*) AS n FROM quotes WHERE words IS NULL")[0]["n"] == 1  # the wire copy
        else:
            assert _count(store, "word_index") == terms
        store.write([_two_participants("d", published="2023-01-01", url="https://example.test/d", troops="about 700")])
        assert [r["text"] for r in queries.numbers(store, about="troops")][-1] == "about 700"
        if store.dialect == "postgres":  # this version's writer: the same words, sorted
            assert store.fetch("SELECT words FROM quotes WHERE aid = 4")[0]["words"] == [
                "700", "about", "are", "in", "iraq", "there", "troops"]
    with open_store(str(tmp_path / "fresh.duckdb")) as fresh:  # the same articles written by this version
        fresh.write(articles[:2])
        fresh.write(articles[2:])
        assert _word_answers(fresh) == upgraded
    assert [(r["doc_id"], r["copies"]) for r in upgraded["quotes"]] == [("a", 2), ("b", 1)]
    assert [r["doc_id"] for r in upgraded["since"]] == ["b"]
    assert upgraded["none"] == []


def test_store_optimize_rewrites_in_entity_order_and_keeps_answers(store) -> None:
    store.write([_two_participants(d, published=f"2021-12-{10 + i}", url=f"https://example.test/{d}",
                                   speaker=("Jane Roe", "John Kirby")[i % 2], troops=f"about {i + 1},000")
                 for i, d in enumerate("dcba")])
    before = _answers(store)
    assert store.optimize() == []  # a few rows: not worth a rewrite
    done = store.optimize(force=True)
    assert done == (["event_participants", "quotes", "claims"] if store.dialect == "duckdb" else [])
    assert _answers(store) == before
    recorded = store.fetch("SELECT table_name AS t, row_count AS n FROM clustered ORDER BY table_name")
    assert [(r["t"], r["n"]) for r in recorded] == [("claims", 4), ("event_participants", 8), ("quotes", 4)]
    store.write([_two_participants("e", published="2022-01-01", url="https://example.test/e")])
    assert len(queries.timeline(store, "Iraq")) == 5
    if store.dialect == "duckdb":
        speakers = [r["s"] for r in store.fetch("SELECT speaker_entity AS s FROM quotes")]
        assert speakers[:4] == sorted(speakers[:4])  # stored in entity order, the new row after them


def test_store_optimize_indexes_come_back_after_a_kill(tmp_path: Path) -> None:
    path = str(tmp_path / "kill.duckdb")
    with open_store(path) as store:
        store.write([make_article()])
        store._execute("DROP INDEX quotes_row_key")  # as a run killed between the rewrite and the rebuild leaves it
    with open_store(path) as store:
        names = {r["n"] for r in store.fetch("SELECT index_name AS n FROM duckdb_indexes()")}
        assert {"quotes_row_key", "quotes_speaker_entity", "event_participants_row_key"} <= names
    with open_store(path, read_only=True) as store, pytest.raises(StoreError, match="E401"):
        store.optimize()
