"""Dask corpus runs give the same facts as a single-process run, stream with bounded memory, and
turn every failure into a record; results round-trip through Parquet partitions."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster

import newsfacts
import newsfacts.scale as scale
from newsfacts import Extractor, Options, read_articles
from newsfacts.model import Article, ArticleFacts, Failure
from newsfacts.scale import extract_corpus, extract_items, plugin_name, write_parquet_partitions

OPTIONS = Options(published="2020-01-01")
SRC = Path(newsfacts.__file__).resolve().parents[1]


def _single_process(paths: list[str], options: Options = OPTIONS) -> dict[str, ArticleFacts | Failure]:
    """The reference: ``Extractor.run`` in this process, keyed by article id."""
    return {r.id: r for r in Extractor(options).run(read_articles(paths, published=options.published))}


def _by_id(results: Iterator[ArticleFacts | Failure]) -> dict[str, ArticleFacts | Failure]:
    out: dict[str, ArticleFacts | Failure] = {}
    for result in results:
        assert result.id not in out, f"{result.id} came back twice"
        out[result.id] = result
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_scale_local_cluster_matches_single_process(polnear_train_texts: list[Path], tmp_path: Path) -> None:
    """2 worker processes on 50 articles (7 partitions) give exactly the single-process facts."""
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    paths = [str(p) for p in polnear_train_texts[:50]] + [str(empty), str(tmp_path / "missing.txt")]
    expected = _single_process(paths)
    got = _by_id(extract_corpus(paths, OPTIONS, workers=2, partition_size=8))
    assert got.keys() == expected.keys()
    assert sum(isinstance(r, ArticleFacts) for r in got.values()) == 50
    assert got == expected
    assert got[str(empty)].message.startswith("[E102]")
    assert got[str(tmp_path / "missing.txt")].message.startswith("[E106]")


@pytest.fixture(scope="module")
def threaded_cluster() -> Iterator[str]:
    """One in-process worker thread: cheap to start, and it sees this process's monkeypatches."""
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def _articles(n: int, consumed: list[int]) -> Iterator[Article]:
    """``n`` short English articles, counting in ``consumed[0]`` how many were read."""
    for i in range(n):
        consumed[0] += 1
        yield Article(id=f"a{i}", text=f"Officials in Baghdad said on Monday that report number {i} was late.")


def test_scale_input_streamed_with_bounded_partitions_in_flight(threaded_cluster: str) -> None:
    """The client never reads more than the in-flight partitions ahead of what it has yielded."""
    consumed, yielded, lead = [0], 0, []
    size = 3
    for _ in extract_items(_articles(40, consumed), OPTIONS, scheduler=threaded_cluster, partition_size=size):
        yielded += 1
        lead.append(consumed[0] - yielded)
    assert yielded == 40
    # one worker: IN_FLIGHT_PER_WORKER partitions queued, plus the one read when a result arrives
    assert max(lead) <= (scale.IN_FLIGHT_PER_WORKER + 1) * size


def test_scale_failed_task_fails_its_articles_and_run_goes_on(threaded_cluster: str, monkeypatch) -> None:
    """A task error becomes one E301 Failure per article of that partition; other partitions finish."""
    real = scale.extract_partition

    def flaky(items: list[Article], name: str) -> list[ArticleFacts | Failure]:
        if any(a.id == "a4" for a in items):
            raise RuntimeError("worker exploded")
        return real(items, name)

    monkeypatch.setattr(scale, "extract_partition", flaky)
    results = _by_id(extract_items(_articles(9, [0]), OPTIONS, scheduler=threaded_cluster, partition_size=3))
    failed = sorted(i for i, r in results.items() if isinstance(r, Failure))
    assert failed == ["a3", "a4", "a5"]
    assert "RuntimeError: worker exploded" in results["a4"].message
    assert results["a4"].code == "E301"
    assert all(isinstance(results[f"a{i}"], ArticleFacts) for i in (0, 1, 2, 6, 7, 8))


def test_scale_plugin_name_depends_on_options() -> None:
    assert plugin_name(OPTIONS) == plugin_name(Options(published="2020-01-01"))
    assert plugin_name(OPTIONS) != plugin_name(Options(published="2020-01-02"))


@pytest.mark.parametrize(("kwargs", "bad"), [({"partition_size": 0}, "partition_size"), ({"workers": 0}, "workers")])
def test_scale_rejects_bad_sizes(kwargs: dict[str, int], bad: str) -> None:
    with pytest.raises(ValueError, match=bad):
        extract_corpus(["x.txt"], OPTIONS, **kwargs)


def test_scale_parquet_partitions_round_trip(polnear_train_texts: list[Path], tmp_path: Path) -> None:
    """One row per article, the contract JSON restores the record; failures in their own table."""
    paths = [str(p) for p in polnear_train_texts[:5]] + [str(tmp_path / "missing.txt")]
    results = list(Extractor(OPTIONS).run(read_articles(paths, published=OPTIONS.published)))
    summary = write_parquet_partitions(results, tmp_path / "out", rows_per_file=2)
    assert (summary.articles, summary.failures) == (5, 1)
    assert [Path(f).relative_to(tmp_path / "out").as_posix() for f in summary.files] == [
        "facts/part-00000.parquet", "facts/part-00001.parquet", "facts/part-00002.parquet", "failures/part-00000.parquet",
    ]
    table = pq.read_table(tmp_path / "out" / "facts").to_pylist()
    expected = {r.id: r for r in results if isinstance(r, ArticleFacts)}
    assert {row["id"] for row in table} == expected.keys()
    for row in table:
        facts = expected[row["id"]]
        assert ArticleFacts.from_json(json.loads(row["facts"])) == facts
        assert (row["sha256"], row["published"], row["n_entities"]) == (facts.sha256, facts.published, len(facts.entities))
    failures = pq.read_table(tmp_path / "out" / "failures").to_pylist()
    assert failures == [{"id": paths[-1], "message": f"[E106] No such file or directory: {paths[-1]}"}]


WORKER_CONFIG = SRC.parent / "docs" / "dask-workers.yaml"


def _start(args: list[str], **extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])), **extra}
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def real_cluster(tmp_path: Path) -> Iterator[str]:
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, as on a real cluster, the
    workers configured with docs/dask-workers.yaml as docs/cluster.md says."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "dask"]
    config = tmp_path / "dask-config"
    config.mkdir()
    (config / WORKER_CONFIG.name).write_text(WORKER_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    procs = [_start([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"])]
    try:
        for _ in range(2):
            procs.append(_start([*dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                                 "--no-dashboard", "--nworkers", "1"], DASK_CONFIG=str(config)))
        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout=5) as client:
                    client.wait_for_workers(2, timeout=60)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _worker_settings(dask_worker) -> tuple:  # noqa: ANN001 - distributed.Worker
    """What ``local_cluster_config`` / docs/dask-workers.yaml set, as a worker process sees it."""
    import dask

    return (os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS"),
            dask.config.get("distributed.worker.profile.enabled"), dask.config.get("distributed.admin.tick.interval"),
            dask.config.get("distributed.admin.low-level-log-length"))


@pytest.mark.slow
def test_scale_external_scheduler_and_workers(real_cluster: str, polnear_train_texts: list[Path]) -> None:
    """``scheduler=tcp://...``: an existing cluster started with the dask CLI gives the same facts."""
    paths = [str(p) for p in polnear_train_texts[50:56]]
    got = _by_id(extract_corpus(paths, OPTIONS, scheduler=real_cluster, partition_size=2))
    assert got == _single_process(paths)
    name = plugin_name(OPTIONS)
    with Client(real_cluster) as client:
        loaded = client.run(lambda dask_worker: name in dask_worker.plugins)
        settings = client.run(_worker_settings)
    assert list(loaded.values()) == [True, True]
    assert list(settings.values()) == [(None, "1", False, "1s", 10)] * 2


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-c", "from newsfacts.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, timeout=300)


def test_scale_cli_corpus_extract_writes_parquet(polnear_train_texts: list[Path], tmp_path: Path) -> None:
    """``newsfacts corpus-extract ... --parquet DIR``: facts and failures tables, summary on stderr."""
    paths = [str(p) for p in polnear_train_texts[:3]]
    proc = _cli("corpus-extract", *paths, str(tmp_path / "missing.txt"), "--workers", "1", "--published", "2020-01-01",
                "--parquet", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "newsfacts: 3 articles extracted, 1 failed (E106: 1)" in proc.stderr
    rows = pq.read_table(tmp_path / "out" / "facts").to_pylist()
    assert sorted(row["id"] for row in rows) == sorted(paths)
    assert all(row["published"] == "2020-01-01" for row in rows)


def test_scale_cli_missing_model_is_usage_error() -> None:
    proc = _cli("corpus-extract", "x.txt", "--model", "en_core_web_nonexistent")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "newsfacts: [E201] spaCy model 'en_core_web_nonexistent' is not installed: pip install en-core-web-nonexistent"


def test_scale_batches_capped_by_characters_same_facts(polnear_train_texts: list[Path], monkeypatch) -> None:
    """``Extractor.run`` cuts a parse batch at ``BATCH_CHARS`` (memory) without changing any fact."""
    import newsfacts.extractor as extractor_module

    paths = [str(p) for p in polnear_train_texts[:8]]
    whole = list(Extractor(OPTIONS).run(read_articles(paths, published=OPTIONS.published)))
    sizes: list[int] = []
    real_annotate = extractor_module.annotate

    def counting(nlp, texts, **kwargs):  # noqa: ANN001, ANN202 - spy on the parse batches
        texts = list(texts)
        sizes.append(sum(map(len, texts)))
        return real_annotate(nlp, texts, **kwargs)

    monkeypatch.setattr(extractor_module, "annotate", counting)
    monkeypatch.setattr(extractor_module, "BATCH_CHARS", 8000)
    capped = list(Extractor(OPTIONS).run(read_articles(paths, published=OPTIONS.published)))
    assert capped == whole
    assert len(sizes) > 1
    longest = max(len(Path(p).read_text(encoding="utf-8")) for p in paths)
    assert max(sizes) < 8000 + longest


def test_scale_progress_line_on_stderr(threaded_cluster: str, capsys) -> None:
    """``progress=True``: a live count of articles and failures on stderr, nothing on stdout."""
    items = [*_articles(3, [0]), Failure(id="bad", message="[E102] Empty article: bad")]
    results = list(extract_items(items, OPTIONS, scheduler=threaded_cluster, partition_size=2, progress=True))
    assert len(results) == 4
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "[dask] 3 articles, 1 failed" in captured.err.split("\r")[-1]


def test_scale_local_cluster_workers_environment() -> None:
    """Workers of ``start_local_cluster``: one thread, BLAS/OpenMP single-threaded, glibc's dynamic mmap
    threshold left on (no ``MALLOC_TRIM_THRESHOLD_``), no statistical profiler."""

    with scale.start_local_cluster(1) as cluster, Client(cluster) as client:
        assert list(client.run(_worker_settings).values()) == [(None, "1", False, "1s", 10)]
        assert list(client.run(lambda dask_worker: dask_worker.state.nthreads).values()) == [1]
        # the scheduler's per-worker log of sent messages (each holding a partition's articles)
        logs = client.run_on_scheduler(lambda dask_scheduler: [b.recent_message_log.maxlen
                                                              for b in dask_scheduler.stream_comms.values()])
        assert logs == [scale.LOG_LENGTH]


def test_scale_cli_partition_size_default_is_scale_default() -> None:
    from newsfacts.cli.scale import PARTITION_SIZE

    assert PARTITION_SIZE == scale.PARTITION_SIZE
