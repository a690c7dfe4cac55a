"""Speed: throughput and memory of newsfacts against raw spaCy, in one process and on Dask.

On the PolNeAR train articles (``../shared/eval/polnear/train/text``), in one run:

- ``run_raw_spacy``: ``nlp.pipe`` over the texts with the model as spaCy ships it (same batch size):
  the rival; then the same with ``newsfacts.nlp.load`` (the parse-only part of newsfacts, whose
  attribute ruler is indexed and lemmatizer memoized: same annotations, less time);
- ``run_pipeline``: the newsfacts pipeline in one process, what ``newsfacts extract`` does (read the
  files, check, parse, extract, dump JSON);
- ``run_dask``: what ``newsfacts corpus-extract --workers N --parquet DIR`` does (``extract_corpus`` into
  ``write_parquet_partitions``) on the LocalCluster it starts (``scale.start_local_cluster``), N = 1, 2;
- ``run_stream``: a generated corpus streamed through 2 workers into Parquet, sampling the RSS of the
  workers and of the parent every ``--stream-every`` articles and printing the curve (start, middle,
  end, max) to show that memory stays flat.

The stream: ``--stream-n 100000`` real 4.5k-character articles would take ~3.5 hours at ~8 articles/s
on 2 cores, so ``--stream-chars N`` builds each generated article from consecutive real PolNeAR
paragraphs (lines of at least 80 characters) from a varying start, until it has N characters, under
its own id (``gen-000000``, ...): 100,000 distinct texts of real news prose, generated lazily. What
grows with a corpus (the client's queue, the Parquet buffers, spaCy's string store and caches in the
workers) grows with the number of articles, not their length, so short articles test flat memory as
well as long ones, ~15 times faster. Without ``--stream-chars`` the whole real articles are repeated.

Timing: each stage's start-up (model load, warm-up, cluster start) is measured apart from the
steady state (``start s``) and only the steady state is timed. Wall clock and CPU seconds are both
printed: on a shared machine the wall clock moves with the other jobs, CPU seconds per article
hardly. For Dask runs, ``work cpu`` is the worker processes (all their threads, psutil) and ``par
cpu`` the parent (this process: input, scheduler, nannies, client, Parquet writing); ``util`` is
worker CPU / (wall x workers), below ~0.95 on a quiet machine the workers waited. Peak RSS is
measured inside each process (``ru_maxrss`` of the worker itself, not the nanny).

Targets (issue 9): pipeline / raw >= 0.8, 2 workers / 1 worker >= 1.8 on 2 cores, peak RSS <= 1 GiB
per worker. Besides the wall-clock 2/1 ratio the bench prints its CPU-bound ceiling on this machine
(2.0 less the parent's share and any extra CPU per article with two workers, see ``_ratios``).

Usage:
    python bench/speed.py                                   # all 840 articles, 5,000-article stream
    python bench/speed.py --limit 200 --stream-n 0          # the table only
    nice -n 10 python bench/speed.py --skip-runs --stream-n 100000 --stream-chars 300   # flat memory
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "eval" / "polnear" / "train" / "text"
sys.path.insert(0, str(ROOT / "src"))

import newsfacts  # noqa: E402
from newsfacts import Extractor, Options, read_articles  # noqa: E402
from newsfacts.model import Article, ArticleFacts  # noqa: E402
from newsfacts.nlp import BATCH_SIZE, DEFAULT_MODEL, load, model_id  # noqa: E402
from newsfacts.scale import PARTITION_SIZE  # noqa: E402

PUBLISHED = "2016-01-01"
"""PolNeAR text files carry no date field (it is only in the file name); one date serves for timing."""

MIB = 1024 * 1024
TARGET_PIPELINE_RATIO = 0.8
TARGET_SCALING = 1.8
TARGET_WORKER_RSS = 1024 * MIB
STREAM_MIN_PARAGRAPH = 80
"""Characters a line needs to count as a paragraph of the generated stream (not a byline or title)."""
STREAM_STEP = 7919
"""Paragraph step between consecutive generated articles (a prime: neighbours start far apart)."""


def _peak_rss() -> int:
    """Peak resident memory of this process in bytes (Linux reports ``ru_maxrss`` in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _current_rss() -> int:
    """Current resident memory of this process in bytes."""
    import psutil

    return psutil.Process().memory_info().rss


def _options() -> Options:
    return Options(model=DEFAULT_MODEL, published=PUBLISHED)


def run_raw_spacy(paths: list[str], batch_size: int, stock: bool = True) -> dict[str, float]:
    """The rival: ``nlp.pipe`` over the texts, docs dropped as they come (no extraction, no JSON).

    ``stock``: the model package as spaCy ships it (``<package>.load()``), what a user of raw spaCy
    runs. Otherwise ``newsfacts.nlp.load``, which indexes the attribute ruler (same annotations,
    less time): the parse-only part of the newsfacts pipeline.
    """
    import importlib

    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    startup = time.perf_counter()
    nlp = importlib.import_module(DEFAULT_MODEL).load() if stock else load(DEFAULT_MODEL)
    nlp("Warm up.")
    startup = time.perf_counter() - startup
    start, cpu = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        pass
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "peak_rss": _peak_rss(),
            "startup": startup}


def run_pipeline(paths: list[str], batch_size: int) -> dict[str, float]:
    """The newsfacts pipeline in one process: read, check, parse, extract and dump JSON lines."""
    options = Options(model=DEFAULT_MODEL, published=PUBLISHED, batch_size=batch_size)
    startup = time.perf_counter()
    extractor = Extractor(options)
    extractor("Warm up the model and the language identifier with one sentence.")
    startup = time.perf_counter() - startup
    start, cpu = time.perf_counter(), time.process_time()
    chars = 0
    for result in extractor.run(read_articles(paths, published=PUBLISHED)):
        if isinstance(result, ArticleFacts):
            chars += len(result.dumps())
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "peak_rss": _peak_rss(),
            "json_chars": chars, "startup": startup}


def _in_fresh_process(func, *args):  # noqa: ANN001, ANN202 - a bench helper
    """Run ``func`` in a new process, so its peak RSS and its model load are its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(func, *args).result()


def _worker_peak_rss(dask_worker) -> int:  # noqa: ANN001 - distributed.Worker
    return _peak_rss()


def _worker_rss(dask_worker) -> int:  # noqa: ANN001 - distributed.Worker
    return _current_rss()


def _worker_pid(dask_worker) -> int:  # noqa: ANN001 - distributed.Worker
    return os.getpid()


def _cpu_seconds(process) -> float:  # noqa: ANN001 - psutil.Process
    """User + system CPU seconds of a process, all its threads."""
    times = process.cpu_times()
    return times.user + times.system


class _ClusterClock:
    """Wall clock and CPU seconds of a LocalCluster run, split into workers and the parent process.

    The parent is this process: it reads the input, hosts the scheduler, the nannies and the client,
    and writes the Parquet files; the workers are the processes that parse and extract. On a shared
    machine the CPU seconds hardly move while wall time does, so both are reported.
    """

    def __init__(self, client) -> None:  # noqa: ANN001 - distributed.Client
        import psutil

        self.workers = [psutil.Process(pid) for pid in client.run(_worker_pid).values()]
        self.parent = psutil.Process()

    def __enter__(self) -> _ClusterClock:
        self.wall0 = time.perf_counter()
        self.workers0 = [_cpu_seconds(p) for p in self.workers]
        self.parent0 = _cpu_seconds(self.parent)
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.wall0
        self.worker_cpu = [_cpu_seconds(p) - c for p, c in zip(self.workers, self.workers0)]
        self.parent_cpu = _cpu_seconds(self.parent) - self.parent0


def _started(workers: int, options: Options):  # noqa: ANN202 - (cluster, client, start-up seconds)
    """A LocalCluster as ``newsfacts corpus-extract --workers N`` starts it, with the model loaded.

    Returns the start-up time (processes, model load, warm-up) separately, so that the measured
    window is the steady state.
    """
    from distributed import Client

    from newsfacts.scale import ExtractorPlugin, plugin_name, start_local_cluster

    start = time.perf_counter()
    cluster = start_local_cluster(workers)
    client = Client(cluster)
    client.register_plugin(ExtractorPlugin(options), name=plugin_name(options))
    return cluster, client, time.perf_counter() - start


def run_dask(paths: list[str], workers: int, partition_size: int) -> dict[str, object]:
    """``corpus-extract --workers N --parquet``: ``extract_corpus`` into Parquet partitions.

    The model is loaded (and warmed up) on every worker before the clock starts; extract_corpus
    re-registers the same plugin, which keeps the loaded extractor.
    """
    from newsfacts.scale import extract_corpus, write_parquet_partitions

    options = _options()
    cluster, client, startup = _started(workers, options)
    with cluster, client, tempfile.TemporaryDirectory() as out:
        with _ClusterClock(client) as clock:
            results = extract_corpus(paths, options, scheduler=cluster.scheduler_address, partition_size=partition_size)
            summary = write_parquet_partitions(results, out)
        peaks = list(client.run(_worker_peak_rss).values())
    return {"seconds": clock.seconds, "cpu": sum(clock.worker_cpu) + clock.parent_cpu, "worker_cpu": clock.worker_cpu,
            "parent_cpu": clock.parent_cpu, "startup": startup, "peak_rss": max(peaks), "worker_peaks": peaks,
            "articles": summary.articles, "workers": workers}


def _paragraphs(paths: list[str]) -> list[str]:
    """The paragraphs of the articles (blank-line or line separated), long enough to be prose."""
    out: list[str] = []
    for path in paths:
        for para in Path(path).read_text(encoding="utf-8").splitlines():
            if len(para.strip()) >= STREAM_MIN_PARAGRAPH:
                out.append(para.strip())
    return out


def _generated(paths: list[str], n: int, chars: int | None) -> Iterator[Article]:
    """``n`` articles under new ids, made lazily (the stream is never held in memory).

    With ``chars`` None, the real texts repeated in order. Otherwise each article is consecutive
    real paragraphs from a varying start (a step coprime with the paragraph count, so neighbours
    differ) until it has at least ``chars`` characters.
    """
    if chars is None:
        texts = [Path(p).read_text(encoding="utf-8") for p in paths]
        for i in range(n):
            yield Article(id=f"gen-{i:06d}", text=texts[i % len(texts)], published=PUBLISHED, source="generated")
        return
    paragraphs = _paragraphs(paths)
    count = len(paragraphs)
    for i in range(n):
        start = (i * STREAM_STEP) % count
        parts: list[str] = []
        size = 0
        j = start
        while size < chars:
            parts.append(paragraphs[j % count])
            size += len(parts[-1]) + 2
            j += 1
        yield Article(id=f"gen-{i:06d}", text="\n\n".join(parts), published=PUBLISHED, source="generated")


def run_stream(paths: list[str], n: int, chars: int | None, workers: int, partition_size: int,
               every: int) -> dict[str, object]:
    """Stream ``n`` generated articles through ``workers`` workers into Parquet, sampling memory."""
    from newsfacts.scale import extract_items, write_parquet_partitions

    options = _options()
    samples: list[dict[str, object]] = []
    words = [0]
    cluster, client, startup = _started(workers, options)
    with cluster, client:

        def sample(i: int) -> None:
            workers_rss = sorted(client.run(_worker_rss).values())
            samples.append({"articles": i, "client": _current_rss(), "workers": workers_rss})
            print(f"  stream {i:>7}/{n}: client {_current_rss() / MIB:6.0f} MiB, workers "
                  + ", ".join(f"{r / MIB:.0f}" for r in workers_rss) + f" MiB  ({time.perf_counter() - t0:.0f} s)",
                  flush=True)

        def sampled(results: Iterator) -> Iterator:  # noqa: ANN001 - results of extract_items
            for i, result in enumerate(results, 1):
                yield result
                if i % every == 0 or i == n:
                    sample(i)

        def counted(articles: Iterator[Article]) -> Iterator[Article]:
            for article in articles:
                words[0] += len(article.text.split())
                yield article

        t0 = time.perf_counter()
        sample(0)
        with _ClusterClock(client) as clock, tempfile.TemporaryDirectory() as out:
            results = extract_items(counted(_generated(paths, n, chars)), options, scheduler=cluster.scheduler_address,
                                    partition_size=partition_size, progress=False)
            summary = write_parquet_partitions(sampled(results), out)
        peaks = list(client.run(_worker_peak_rss).values())
    return {"seconds": clock.seconds, "cpu": sum(clock.worker_cpu) + clock.parent_cpu, "worker_cpu": clock.worker_cpu,
            "parent_cpu": clock.parent_cpu, "startup": startup, "articles": summary.articles, "words": words[0],
            "parquet_files": len(summary.files), "peak_rss": max(peaks), "samples": samples, "workers": workers}


def _curve(samples: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    """RSS at the first sample after start, the middle one, the last one, and the maximum (MiB)."""
    run = [s for s in samples if s["articles"]] or samples
    picks = {"start": run[0], "middle": run[len(run) // 2], "end": run[-1]}
    out: dict[str, dict[str, float]] = {}
    for who in ("client", "worker"):
        value = (lambda s: s["client"]) if who == "client" else (lambda s: max(s["workers"]))
        out[who] = {k: round(value(s) / MIB, 1) for k, s in picks.items()}
        out[who]["max"] = round(max(value(s) for s in run) / MIB, 1)
        out[who]["at_articles"] = {k: s["articles"] for k, s in picks.items()}
    return out


HEADER = (f"{'run':<34} {'articles':>8} {'start s':>7} {'seconds':>8} {'art/s':>7} {'words/s':>8} "
          f"{'work cpu':>8} {'par cpu':>7} {'cpu/art':>7} {'util':>5} {'peak MiB':>8}")


def _row(name: str, articles: int, words: int, result: dict) -> dict[str, float]:
    """One table line: wall-clock rate of the steady state, CPU seconds (workers, parent) per article.

    ``util`` is worker CPU / (wall x workers): below ~0.95 the workers waited (for the client, or for
    the other jobs of a shared machine).
    """
    worker_cpu = sum(result.get("worker_cpu", [result["cpu"]]))
    parent_cpu = result.get("parent_cpu", 0.0)
    workers = result.get("workers", 1)
    rate, wrate = articles / result["seconds"], words / result["seconds"]
    per_article = (worker_cpu + parent_cpu) / articles
    util = worker_cpu / (result["seconds"] * workers)
    print(f"{name:<34} {articles:>8} {result['startup']:>7.1f} {result['seconds']:>8.1f} {rate:>7.2f} {wrate:>8.0f} "
          f"{worker_cpu:>8.1f} {parent_cpu:>7.1f} {per_article:>7.3f} {util:>5.2f} {result['peak_rss'] / MIB:>8.0f}")
    return {"articles_per_s": round(rate, 3), "words_per_s": round(wrate, 1), "seconds": round(result["seconds"], 2),
            "startup_seconds": round(result["startup"], 2), "worker_cpu_seconds": round(worker_cpu, 2),
            "parent_cpu_seconds": round(parent_cpu, 2), "cpu_seconds_per_article": round(per_article, 4),
            "worker_cpu_per_article": round(worker_cpu / articles, 4), "parent_cpu_per_article": round(parent_cpu / articles, 4),
            "worker_utilization": round(util, 3), "peak_rss_mib": round(result["peak_rss"] / MIB, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N train articles (default: all)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="nlp.pipe batch size (both runs)")
    parser.add_argument("--partition-size", type=int, default=PARTITION_SIZE, help="articles per Dask task")
    parser.add_argument("--stream-n", type=int, default=5000, help="articles in the generated stream (0: skip)")
    parser.add_argument("--stream-chars", type=int, default=None,
                        help="characters per generated article, from real paragraphs (default: whole real articles)")
    parser.add_argument("--stream-every", type=int, default=None, help="articles between memory samples (default: n/20)")
    parser.add_argument("--skip-runs", action="store_true", help="only the stream (no raw/pipeline/Dask table runs)")
    args = parser.parse_args(argv)

    paths = [str(p) for p in sorted(TRAIN.glob("*.txt"))[: args.limit]]
    if not paths:
        print(f"speed: no articles under {TRAIN}", file=sys.stderr)
        return 1
    counts = [len(Path(p).read_text(encoding="utf-8").split()) for p in paths]
    words = sum(counts)
    n = len(paths)
    print(f"speed: polnear/train docs={n} words={words} model={model_id(load(DEFAULT_MODEL))} "
          f"newsfacts {newsfacts.__version__} batch_size={args.batch_size} partition_size={args.partition_size} "
          f"cpus={os.cpu_count()} load={os.getloadavg()[0]:.2f}")
    print(HEADER)
    rows: dict[str, dict[str, float]] = {}
    results: dict[str, dict] = {}
    if not args.skip_runs:
        results["raw_spacy"] = _in_fresh_process(run_raw_spacy, paths, args.batch_size)
        rows["raw_spacy"] = _row("raw nlp.pipe (rival)", n, words, results["raw_spacy"])
        results["parse_only"] = _in_fresh_process(run_raw_spacy, paths, args.batch_size, False)
        rows["parse_only"] = _row("newsfacts nlp.load, parse only", n, words, results["parse_only"])
        results["pipeline"] = _in_fresh_process(run_pipeline, paths, args.batch_size)
        rows["pipeline"] = _row("newsfacts pipeline, 1 process", n, words, results["pipeline"])
        for workers in (1, 2):
            results[f"dask_{workers}"] = run_dask(paths, workers, args.partition_size)
            rows[f"dask_{workers}"] = _row(f"dask, {workers} worker{'s' * (workers > 1)}", n, words,
                                           results[f"dask_{workers}"])
    stream: dict[str, object] = {}
    if args.stream_n > 0:
        every = args.stream_every or max(args.partition_size, args.stream_n // 20)
        streamed = run_stream(paths, args.stream_n, args.stream_chars, 2, args.partition_size, every)
        label = f"{args.stream_chars} chars" if args.stream_chars else "real articles"
        rows["stream_2"] = _row(f"dask, 2 workers, {args.stream_n} streamed", args.stream_n, streamed["words"], streamed)
        results["stream_2"] = streamed
        curve = _curve(streamed["samples"])
        stream = {"n": args.stream_n, "articles": label, "parquet_files": streamed["parquet_files"], "rss_mib": curve}
        for who in ("worker", "client"):
            c = curve[who]
            print(f"stream RSS, {'largest worker' if who == 'worker' else 'parent (client)'}: start {c['start']:.0f} MiB "
                  f"(at {c['at_articles']['start']}), middle {c['middle']:.0f} (at {c['at_articles']['middle']}), "
                  f"end {c['end']:.0f} (at {c['at_articles']['end']}), max {c['max']:.0f} MiB ({label})")

    summary: dict[str, object] = {
        "bench": "speed", "split": "polnear/train", "docs": n, "words": words, "model": model_id(load(DEFAULT_MODEL)),
        "newsfacts": newsfacts.__version__, "batch_size": args.batch_size, "partition_size": args.partition_size,
        "cpus": os.cpu_count(), "runs": rows, "stream": stream,
    }
    if not args.skip_runs:
        summary.update(_ratios(rows, results))
    summary["peak_worker_rss_mib"] = round(max(r["peak_rss"] for k, r in results.items() if k.startswith(("dask", "stream")))
                                           / MIB, 1)
    summary["load_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(summary))
    return 0


def _ratios(rows: dict[str, dict[str, float]], results: dict[str, dict]) -> dict[str, float]:
    """The target ratios, by wall clock and by CPU seconds, printed and returned for the JSON line.

    - pipeline / raw: articles per second, and articles per CPU second.
    - 2 workers / 1 worker by wall clock: the figure the target is about (on a quiet machine).
    - its CPU-bound ceiling on this machine: one worker has a core to itself (the parent runs on the
      other), so it does 1 / w1 articles per second (w1: worker CPU seconds per article); two
      workers and the parent share the cores, so at best cores / (w1 + p2) (p2: parent CPU seconds
      per article of the 2-worker run): 2.0 less the parent's share. w2 / w1 (worker CPU per article,
      2 workers against 1) is printed apart: above 1, the two workers slow each other down (shared
      caches, or a shared machine); wall clock on a shared machine can only be lower.
    """
    pipe, raw = rows["pipeline"], rows["raw_spacy"]
    one, two = rows["dask_1"], rows["dask_2"]
    cores = os.cpu_count() or 1
    ratio = pipe["articles_per_s"] / raw["articles_per_s"]
    cpu_ratio = raw["worker_cpu_per_article"] / pipe["worker_cpu_per_article"]
    scaling = two["articles_per_s"] / one["articles_per_s"]
    w1 = one["worker_cpu_per_article"]
    ceiling = min(float(cores), 1.0 * cores / (w1 + two["parent_cpu_per_article"]) * w1)
    contention = two["worker_cpu_per_article"] / w1
    parent_share = two["parent_cpu_per_article"] / (two["worker_cpu_per_article"] + two["parent_cpu_per_article"])
    overhead = one["worker_cpu_per_article"] / pipe["worker_cpu_per_article"]
    print(f"pipeline / raw nlp.pipe: {ratio:.2f} wall, {cpu_ratio:.2f} CPU (target >= {TARGET_PIPELINE_RATIO})")
    print(f"2 workers / 1 worker: {scaling:.2f} wall (target >= {TARGET_SCALING}); CPU-bound ceiling on {cores} cores "
          f"{ceiling:.2f} (parent = {parent_share:.1%} of the CPU of the 2-worker run); worker CPU per article "
          f"2 workers / 1 worker: {contention:.2f}")
    print(f"Dask worker CPU per article / single-process CPU per article: {overhead:.2f}")
    worker_peak = max(results[k]["peak_rss"] for k in results if k.startswith(("dask", "stream")))
    print(f"peak RSS per worker: {worker_peak / MIB:.0f} MiB (target <= {TARGET_WORKER_RSS // MIB})")
    return {"pipeline_over_raw": round(ratio, 3), "pipeline_over_raw_cpu": round(cpu_ratio, 3),
            "dask2_over_dask1": round(scaling, 3), "dask2_over_dask1_cpu_ceiling": round(ceiling, 3),
            "worker_cpu_per_article_2_over_1": round(contention, 3),
            "parent_cpu_share_dask2": round(parent_share, 4), "dask1_worker_cpu_over_pipeline_cpu": round(overhead, 3)}


if __name__ == "__main__":
    sys.exit(main())
