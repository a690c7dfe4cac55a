"""Corpus-scale extraction on Dask: the same per-article function mapped over partitions of articles.

The client reads the inputs lazily (``read_articles``), cuts them into partitions of
``partition_size`` articles and keeps only a bounded number of partitions in flight, so memory stays
flat whatever the corpus size. Each Dask worker loads the spaCy model once, in a worker plugin, and
runs ``Extractor.run`` (the very code of a single-process run) over the partitions it receives.
A partition whose task fails comes back as one ``Failure`` per article; the run goes on.

Example:
    >>> from newsfacts import Options
    >>> from newsfacts.scale import extract_corpus, write_parquet_partitions
    >>> results = extract_corpus(["corpus.jsonl"], Options(), workers=2)
    >>> summary = write_parquet_partitions(results, "out/")   # out/facts/part-00000.parquet, ...

On a real cluster (``dask scheduler`` + ``dask worker``), pass ``scheduler="tcp://HOST:8786"``;
see docs/cluster.md.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from distributed import as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from . import Extractor, Options, read_articles
from .model import FACT_KINDS, Article, ArticleFacts, Failure

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster, Worker

PARTITION_SIZE = 32
"""Articles per task by default: one ``nlp.pipe`` batch (``nlp.BATCH_SIZE``), so a worker parses as a
single process does. Small enough that the last round of tasks leaves no worker idle for long (with
64, 200 articles on 2 workers ended 64 + 64 against 64 + 8: at best 1.56x one worker), large enough
that the scheduler's per-task cost (a few ms) is lost in ~5 s of parsing."""

IN_FLIGHT_PER_WORKER = 2
"""Partitions queued per worker: one running and one ready, so a worker never waits for the client,
while at most ``2 * workers * partition_size`` articles are held in memory at any time."""

PLUGIN_PREFIX = "newsfacts-extractor"

FAILED_TASK = "[E301] Extraction failed for {path}: {reason}"
"""errors.Messages.E301, repeated here because scale.py imports only the public API and model.py."""

ROWS_PER_FILE = 1000
"""Articles per Parquet file: ~5 MB of contract JSON, large enough for columnar reads, small
enough that a writer holds little in memory."""


LOG_LENGTH = 10
"""``distributed.admin.low-level-log-length`` of the LocalCluster: messages, transitions and events
kept for debugging (``local_cluster_config`` says why not Dask's 1000)."""

WARM_UP_TEXT = "Officials said on Monday in Geneva that 12 people had left, according to a statement."
"""Extracted once when a worker starts, so the lazy loads of a first article (language identifier,
word lists, compiled patterns) happen at start-up instead of inside the first task."""


def local_cluster_config() -> dict[str, Any]:
    """Dask settings for the LocalCluster newsfacts starts: what a CPU-bound parsing worker needs.

    - No ``MALLOC_TRIM_THRESHOLD_`` in the worker environment. Dask's nanny sets it (to 65536) to give
      memory back to the OS sooner; setting it also switches off glibc's dynamic mmap threshold, so
      every array thinc allocates above 128 KiB is a fresh ``mmap`` whose pages fault in on first
      touch. Measured on 100 PolNeAR articles in one worker: 582k page faults and 4.4 s of system
      time with it, 183k and 1.6 s without; worker memory stays flat without it (bench/speed.py).
    - No statistical profiler on the workers: it samples the task thread every 10 ms for a
      dashboard this cluster does not start.
    - The event-loop watchdog ticks every second instead of every 20 ms: each tick takes the GIL
      from the parsing thread. On 60 articles this halved the CPU of the worker's event-loop thread
      (0.56 to 0.33 s) and of the parent process (0.83 to 0.41 s).
    - The scheduler keeps the last 10 messages it sent each worker, not 1000. Every message under
      1 MB is kept for debugging, and a ``compute-task`` message carries its partition's articles:
      a generated 100k-article stream grew the parent from 171 to 316 MiB before the 1000-message
      cap held it, and 1000 partitions of 32 news articles are ~150 MB per worker.

    Returns:
        Keys for ``dask.config.set``, applied while the cluster starts (the nanny reads its
        environment then, and passes the configuration to the worker processes). Workers started
        with ``dask worker`` take the same settings from a Dask YAML file (docs/cluster.md).

    Example:
        >>> with dask.config.set(local_cluster_config()): cluster = LocalCluster(n_workers=2)
    """
    return {
        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,  # None: the nanny leaves it unset
        "distributed.worker.profile.enabled": False,
        "distributed.admin.tick.interval": "1s",
        "distributed.admin.low-level-log-length": LOG_LENGTH,
    }


def start_local_cluster(workers: int) -> LocalCluster:
    """A LocalCluster of ``workers`` processes with one thread each, configured for parsing.

    Parsing holds the GIL, so one thread per process; ``local_cluster_config`` says what else is set.

    Example:
        >>> with start_local_cluster(2) as cluster, Client(cluster) as client: ...
    """
    import dask
    from distributed import LocalCluster

    with dask.config.set(local_cluster_config()):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)


class ExtractorPlugin(WorkerPlugin):
    """Loads the model once per worker and keeps the ``Extractor`` that every task on it uses.

    Registered under a name derived from the options, so workers that join the cluster later get it
    too, and two runs with different options do not share an extractor.
    """

    def __init__(self, options: Options) -> None:
        self.options = options
        self.extractor: Extractor | None = None

    def setup(self, worker: Worker) -> None:
        """Build the extractor and load its spaCy model (once per worker process)."""
        extractor = Extractor(self.options)
        list(extractor.run([Article(id="warm-up", text=WARM_UP_TEXT)]))  # load now, not in the first task
        self.extractor = extractor

    def teardown(self, worker: Worker) -> None:
        """Drop the extractor (the model is freed with the worker process)."""
        self.extractor = None


def plugin_name(options: Options) -> str:
    """The worker-plugin name for ``options``: stable across processes (not Python's salted hash)."""
    digest = hashlib.sha1(repr(options).encode("utf-8")).hexdigest()[:12]
    return f"{PLUGIN_PREFIX}-{digest}"


def extract_partition(items: list[Article], name: str) -> list[ArticleFacts | Failure]:
    """Extract one partition on a worker with the extractor of the plugin ``name``.

    This is the per-article function of the single-process run (``Extractor.run``) applied to a
    list, so a Dask run gives the same facts as ``newsfacts extract``.
    """
    plugin = get_worker().plugins[name]
    extractor = plugin.extractor
    if extractor is None:  # the plugin's setup has not run on this worker yet
        plugin.setup(get_worker())
        extractor = plugin.extractor
    return list(extractor.run(items))


def extract_corpus(
    paths: Sequence[str],
    options: Options,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    partition_size: int = PARTITION_SIZE,
    progress: bool = False,
) -> Iterator[ArticleFacts | Failure]:
    """Extract every article of ``paths`` on Dask, yielding results as partitions complete.

    Args:
        paths: inputs as for ``read_articles`` (files, directories, ``.jsonl`` corpora, ``-``).
        options: model and limits; ``options.published`` is the default publication date.
        workers: worker processes of the LocalCluster started when ``scheduler`` is None.
        scheduler: address of a running scheduler (``tcp://HOST:8786``); ``workers`` is then ignored.
        partition_size: articles per task.
        progress: a live count on stderr (commands pass ``sys.stderr.isatty()``; off by default so
            a caller with its own progress bar does not get two).

    Returns:
        An iterator of ``ArticleFacts`` and ``Failure`` records (unreadable inputs, rejected articles,
        failed tasks), in completion order, not input order. Closing it shuts the LocalCluster down.

    Example:
        >>> for result in extract_corpus(["corpus/"], Options(published="2021-12-09"), workers=2): ...
    """
    items = read_articles(paths, published=options.published)
    return extract_items(items, options, workers=workers, scheduler=scheduler, partition_size=partition_size,
                         progress=progress)


def extract_items(
    items: Iterable[Article | Failure],
    options: Options,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    partition_size: int = PARTITION_SIZE,
    progress: bool = False,
) -> Iterator[ArticleFacts | Failure]:
    """``extract_corpus`` over articles already read (a generated corpus, the articles a store lacks).

    Args:
        items: articles, and ``Failure`` records passed through as they come.
        workers, scheduler, partition_size, progress: as for ``extract_corpus``.

    Example:
        >>> articles = (Article(id=f"a{i}", text=t) for i, t in enumerate(texts))
        >>> results = extract_items(articles, Options(published="2021-12-09"), workers=2)
    """
    if partition_size < 1:
        raise ValueError(f"partition_size must be at least 1, not {partition_size}")
    if scheduler is None and workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    return _on_cluster(items, options, workers, scheduler, partition_size, _Progress(sys.stderr) if progress else None)


def _on_cluster(
    items: Iterable[Article | Failure],
    options: Options,
    workers: int,
    scheduler: str | None,
    partition_size: int,
    progress: _Progress | None,
) -> Iterator[ArticleFacts | Failure]:
    """Connect to ``scheduler`` or start a LocalCluster, run, and shut the LocalCluster down."""
    from distributed import Client

    if scheduler is not None:
        with Client(scheduler) as client:
            yield from _run(client, items, options, partition_size, progress)
        return
    with start_local_cluster(workers) as cluster, Client(cluster) as client:
        yield from _run(client, items, options, partition_size, progress)


def _run(
    client: Client,
    items: Iterable[Article | Failure],
    options: Options,
    partition_size: int,
    progress: _Progress | None,
) -> Iterator[ArticleFacts | Failure]:
    """Submit partitions with backpressure and yield their results as they complete."""
    name = plugin_name(options)
    client.register_plugin(ExtractorPlugin(options), name=name)
    n_workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
    limit = IN_FLIGHT_PER_WORKER * n_workers
    source = iter(items)
    pending: dict[Future, list[str]] = {}
    queue = as_completed()

    def submit_next() -> tuple[list[Failure], bool]:
        """Read up to one partition and submit it: the read failures met on the way, and whether
        a partition was submitted (False once the input is exhausted)."""
        failures: list[Failure] = []
        articles: list[Article] = []
        for item in source:
            if isinstance(item, Failure):
                failures.append(item)
                continue
            articles.append(item)
            if len(articles) >= partition_size:
                break
        if articles:
            future = client.submit(extract_partition, articles, name, pure=False)
            pending[future] = [a.id for a in articles]
            queue.add(future)
        return failures, bool(articles)

    def report(results: list[ArticleFacts] | list[Failure]) -> Iterator[ArticleFacts | Failure]:
        if progress is not None:
            progress.update(results)
        yield from results

    try:
        more = True
        while more and len(pending) < limit:
            failures, more = submit_next()
            yield from report(failures)
        for future in queue:
            results = _partition_results(future, pending.pop(future))
            if more:
                failures, more = submit_next()
                yield from report(failures)
            yield from report(results)
    finally:
        for future in pending:
            future.cancel()
        if progress is not None:
            progress.close()


def _partition_results(future: Future, ids: list[str]) -> list[ArticleFacts | Failure]:
    """The results of a finished partition, or one ``Failure`` per article when its task failed."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a failed task (error, killed worker) fails its articles only
        reason = f"{type(exc).__name__}: {exc}"
        return [Failure(id=i, message=FAILED_TASK.format(path=i, reason=reason)) for i in ids]
    finally:
        future.release()


class _Progress:
    """A one-line live count on stderr: articles done, failed, and the rate."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.start = time.monotonic()
        self.ok = 0
        self.failed = 0

    def update(self, results: list[ArticleFacts | Failure]) -> None:
        for result in results:
            if isinstance(result, Failure):
                self.failed += 1
            else:
                self.ok += 1
        elapsed = time.monotonic() - self.start
        rate = (self.ok + self.failed) / elapsed if elapsed > 0 else 0.0
        self.stream.write(f"\r[dask] {self.ok} articles, {self.failed} failed | {rate:.1f} articles/s | {elapsed:.0f}s")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


@dataclass(frozen=True, slots=True)
class ParquetSummary:
    """What ``write_parquet_partitions`` wrote: file paths and row counts."""

    files: tuple[str, ...]
    articles: int
    failures: int


def write_parquet_partitions(
    results: Iterable[ArticleFacts | Failure],
    out_dir: str | os.PathLike[str],
    *,
    rows_per_file: int = ROWS_PER_FILE,
) -> ParquetSummary:
    """Stream results into Parquet files: ``facts/part-NNNNN.parquet`` and ``failures/part-NNNNN.parquet``.

    One row per article: ``id``, ``sha256``, ``url``, ``title``, ``published``, ``source``,
    ``language``, one count column per fact kind (``n_entities``, ...), ``errors`` and ``facts`` (the
    article's contract JSON as a string, ``ArticleFacts.from_json(json.loads(facts))`` restores it).
    Failures get ``id`` and ``message``. At most ``rows_per_file`` rows are held in memory.

    Example:
        >>> write_parquet_partitions(extract_corpus(["corpus/"], Options()), "out/")
        >>> # duckdb: SELECT id, n_entities FROM read_parquet('out/facts/*.parquet')
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if rows_per_file < 1:
        raise ValueError(f"rows_per_file must be at least 1, not {rows_per_file}")
    root = Path(out_dir)
    facts_schema = pa.schema(
        [(name, pa.string()) for name in ("id", "sha256", "url", "title", "published", "source", "language")]
        + [(f"n_{kind}", pa.int32()) for kind in FACT_KINDS]
        + [("errors", pa.list_(pa.string())), ("facts", pa.string())]
    )
    failures_schema = pa.schema([("id", pa.string()), ("message", pa.string())])
    written: list[str] = []
    counts = {"facts": 0, "failures": 0}
    buffers: dict[str, list[dict[str, Any]]] = {"facts": [], "failures": []}
    schemas = {"facts": facts_schema, "failures": failures_schema}

    def flush(table: str) -> None:
        rows = buffers[table]
        if not rows:
            return
        folder = root / table
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"part-{len([f for f in written if f.startswith(str(folder))]):05d}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=schemas[table]), path)
        written.append(str(path))
        counts[table] += len(rows)
        buffers[table] = []

    for result in results:
        if isinstance(result, Failure):
            buffers["failures"].append({"id": result.id, "message": result.message})
            table = "failures"
        else:
            buffers["facts"].append(_facts_row(result))
            table = "facts"
        if len(buffers[table]) >= rows_per_file:
            flush(table)
    flush("facts")
    flush("failures")
    return ParquetSummary(files=tuple(written), articles=counts["facts"], failures=counts["failures"])


def _facts_row(facts: ArticleFacts) -> dict[str, Any]:
    """One Parquet row of an article: metadata, fact counts and the contract JSON."""
    row: dict[str, Any] = {
        "id": facts.id,
        "sha256": facts.sha256,
        "url": facts.url,
        "title": facts.title,
        "published": facts.published,
        "source": facts.source,
        "language": facts.language,
        "errors": list(facts.errors),
        "facts": facts.dumps(),
    }
    for kind in FACT_KINDS:
        row[f"n_{kind}"] = len(getattr(facts, kind))
    return row

