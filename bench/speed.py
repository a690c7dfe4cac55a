"""Speed: throughput and memory of newsfacts against raw spaCy, in one process and on Dask.

On the PolNeAR train articles (``../shared/eval/polnear/train/text``), in one run:

- ``run_raw_spacy``: ``nlp.pipe`` over the texts (same model, same batch size): the rival, the speed
  newsfacts cannot beat since it parses with it;
- ``run_pipeline``: the newsfacts pipeline in one process, what ``newsfacts extract`` does (read the
  files, check, parse, extract, dump JSON);
- ``run_dask``: ``scale.extract_corpus`` on a LocalCluster of 1 and then 2 worker processes;
- ``run_stream``: a generated corpus (the real articles repeated under new ids) streamed through
  2 workers into Parquet partitions, printing memory at intervals to show it stays flat.

Each stage's model load happens before its clock starts. Peak RSS is measured inside each process
(``ru_maxrss`` of the process itself: the worker, not the nanny). Targets (issue 9): pipeline / raw
>= 0.8, 2 workers / 1 worker >= 1.8 on 2 cores, peak RSS <= 1 GiB per worker.

Usage:
    python bench/speed.py                      # all 840 articles, 5,000-article stream
    python bench/speed.py --limit 200 --stream-n 100000
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

PUBLISHED = "2016-01-01"
"""PolNeAR text files carry no date field (it is only in the file name); one date serves for timing."""

MIB = 1024 * 1024
TARGET_PIPELINE_RATIO = 0.8
TARGET_SCALING = 1.8
TARGET_WORKER_RSS = 1024 * MIB


def _peak_rss() -> int:
    """Peak resident memory of this process in bytes (Linux reports ``ru_maxrss`` in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _current_rss() -> int:
    """Current resident memory of this process in bytes."""
    import psutil

    return psutil.Process().memory_info().rss


def _options() -> Options:
    return Options(model=DEFAULT_MODEL, published=PUBLISHED)


def run_raw_spacy(paths: list[str], batch_size: int) -> dict[str, float]:
    """The rival: ``nlp.pipe`` over the texts, docs dropped as they come (no extraction, no JSON)."""
    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    nlp = load(DEFAULT_MODEL)
    nlp("Warm up.")
    start, cpu = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        pass
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "peak_rss": _peak_rss()}


def run_pipeline(paths: list[str], batch_size: int) -> dict[str, float]:
    """The newsfacts pipeline in one process: read, check, parse, extract and dump JSON lines."""
    options = Options(model=DEFAULT_MODEL, published=PUBLISHED, batch_size=batch_size)
    extractor = Extractor(options)
    extractor("Warm up the model and the language identifier with one sentence.")
    start, cpu = time.perf_counter(), time.process_time()
    chars = 0
    for result in extractor.run(read_articles(paths, published=PUBLISHED)):
        if isinstance(result, ArticleFacts):
            chars += len(result.dumps())
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "peak_rss": _peak_rss(),
            "json_chars": chars}


def _in_fresh_process(func, *args):  # noqa: ANN001, ANN202 - a bench helper
    """Run ``func`` in a new process, so its peak RSS and its model load are its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(func, *args).result()


def _worker_peak_rss(dask_worker) -> int:  # noqa: ANN001 - distributed.Worker
    return _peak_rss()


def _worker_rss(dask_worker) -> int:  # noqa: ANN001 - distributed.Worker
    return _current_rss()


def _worker_cpu(dask_worker) -> float:  # noqa: ANN001 - distributed.Worker
    return time.process_time()


def _cluster_cpu(client) -> float:  # noqa: ANN001 - distributed.Client
    """CPU seconds used so far by the workers and this (client) process."""
    return sum(client.run(_worker_cpu).values()) + time.process_time()


def _warm(client, options: Options) -> None:  # noqa: ANN001 - distributed.Client
    """Load the model on every worker before timing (extract_corpus re-registers the same plugin;
    the model stays cached in the worker process)."""
    from newsfacts.scale import ExtractorPlugin, plugin_name

    client.register_plugin(ExtractorPlugin(options), name=plugin_name(options))


def run_dask(paths: list[str], workers: int, partition_size: int) -> dict[str, float]:
    """``extract_corpus`` on a LocalCluster of ``workers`` processes (1 thread each)."""
    from distributed import Client, LocalCluster

    from newsfacts.scale import extract_corpus

    options = _options()
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        _warm(client, options)
        start, cpu = time.perf_counter(), _cluster_cpu(client)
        n = 0
        for result in extract_corpus(paths, options, scheduler=cluster.scheduler_address, partition_size=partition_size):
            n += isinstance(result, ArticleFacts)
        seconds = time.perf_counter() - start
        cpu = _cluster_cpu(client) - cpu
        peaks = list(client.run(_worker_peak_rss).values())
    return {"seconds": seconds, "cpu": cpu, "peak_rss": max(peaks), "worker_peaks": peaks, "articles": n}


def _generated(texts: list[str], n: int) -> Iterator[Article]:
    """``n`` articles: the real texts repeated in order, each under a new id."""
    for i in range(n):
        yield Article(id=f"gen-{i:06d}", text=texts[i % len(texts)], published=PUBLISHED, source="generated")


def run_stream(paths: list[str], n: int, workers: int, partition_size: int) -> dict[str, object]:
    """Stream ``n`` generated articles through ``workers`` workers into Parquet, sampling memory."""
    from distributed import Client, LocalCluster

    from newsfacts.scale import extract_items, write_parquet_partitions

    options = _options()
    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    every = max(partition_size, n // 10)
    samples: list[dict[str, int]] = []
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        _warm(client, options)

        def sampled(results: Iterator) -> Iterator:  # noqa: ANN001 - results of extract_items
            for i, result in enumerate(results, 1):
                yield result
                if i % every == 0 or i == n:
                    workers_rss = sorted(client.run(_worker_rss).values())
                    samples.append({"articles": i, "client": _current_rss(), "workers": workers_rss})
                    print(f"  stream {i:>7}/{n}: client {_current_rss() / MIB:6.0f} MiB, workers "
                          + ", ".join(f"{r / MIB:.0f}" for r in workers_rss) + " MiB", flush=True)

        start, cpu = time.perf_counter(), _cluster_cpu(client)
        with tempfile.TemporaryDirectory() as out:
            results = extract_items(_generated(texts, n), options, scheduler=cluster.scheduler_address,
                                    partition_size=partition_size, progress=False)
            summary = write_parquet_partitions(sampled(results), out)
        seconds = time.perf_counter() - start
        cpu = _cluster_cpu(client) - cpu
        peaks = list(client.run(_worker_peak_rss).values())
    first, last = samples[min(1, len(samples) - 1)], samples[-1]
    return {
        "seconds": seconds,
        "cpu": cpu,
        "articles": summary.articles,
        "parquet_files": len(summary.files),
        "peak_rss": max(peaks),
        "client_growth": last["client"] - first["client"],
        "worker_growth": max(last["workers"]) - max(first["workers"]),
        "samples": samples,
    }


def _row(name: str, articles: int, words: int, result: dict) -> dict[str, float]:
    rate, wrate = articles / result["seconds"], words / result["seconds"]
    cpu_rate = articles / result["cpu"]
    print(f"{name:<34} {articles:>8} {result['seconds']:>9.1f} {rate:>10.2f} {wrate:>10.0f} {result['cpu']:>9.1f} "
          f"{cpu_rate:>11.2f} {result['peak_rss'] / MIB:>10.0f}")
    return {"articles_per_s": round(rate, 3), "words_per_s": round(wrate, 1), "seconds": round(result["seconds"], 2),
            "cpu_seconds": round(result["cpu"], 2), "articles_per_cpu_s": round(cpu_rate, 3),
            "peak_rss_mib": round(result["peak_rss"] / MIB, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N train articles (default: all)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="nlp.pipe batch size (both runs)")
    parser.add_argument("--partition-size", type=int, default=64, help="articles per Dask task")
    parser.add_argument("--stream-n", type=int, default=5000, help="articles in the generated stream (0: skip)")
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
    print(f"{'run':<34} {'articles':>8} {'seconds':>9} {'articles/s':>10} {'words/s':>10} {'cpu s':>9} "
          f"{'art/cpu s':>11} {'peak MiB':>10}")
    rows = {
        "raw_spacy": _row("raw nlp.pipe (rival)", n, words, _in_fresh_process(run_raw_spacy, paths, args.batch_size)),
        "pipeline": _row("newsfacts pipeline, 1 process", n, words, _in_fresh_process(run_pipeline, paths, args.batch_size)),
    }
    dask1 = run_dask(paths, 1, args.partition_size)
    rows["dask_1"] = _row("dask, 1 worker", n, words, dask1)
    dask2 = run_dask(paths, 2, args.partition_size)
    rows["dask_2"] = _row("dask, 2 workers", n, words, dask2)
    worker_peak = max(dask1["peak_rss"], dask2["peak_rss"])
    stream: dict[str, object] = {}
    if args.stream_n > 0:
        streamed = run_stream(paths, args.stream_n, 2, args.partition_size)
        stream_words = sum(counts[i % n] for i in range(args.stream_n))
        rows["stream_2"] = _row(f"dask, 2 workers, {args.stream_n} streamed", args.stream_n, stream_words, streamed)
        worker_peak = max(worker_peak, streamed["peak_rss"])
        stream = {"n": args.stream_n, "parquet_files": streamed["parquet_files"],
                  "client_rss_growth_mib": round(streamed["client_growth"] / MIB, 1),
                  "worker_rss_growth_mib": round(streamed["worker_growth"] / MIB, 1)}
        print(f"stream memory growth after the first sample: client {stream['client_rss_growth_mib']:+.0f} MiB, "
              f"largest worker {stream['worker_rss_growth_mib']:+.0f} MiB")

    pipeline_ratio = rows["pipeline"]["articles_per_s"] / rows["raw_spacy"]["articles_per_s"]
    pipeline_cpu_ratio = rows["pipeline"]["articles_per_cpu_s"] / rows["raw_spacy"]["articles_per_cpu_s"]
    scaling = rows["dask_2"]["articles_per_s"] / rows["dask_1"]["articles_per_s"]
    print(f"pipeline / raw nlp.pipe: {pipeline_ratio:.2f} wall, {pipeline_cpu_ratio:.2f} CPU (target >= {TARGET_PIPELINE_RATIO}); "
          f"2 workers / 1 worker: {scaling:.2f} (target >= {TARGET_SCALING}); "
          f"peak RSS per worker: {worker_peak / MIB:.0f} MiB (target <= {TARGET_WORKER_RSS // MIB})")
    summary = {
        "bench": "speed", "split": "polnear/train", "docs": n, "words": words, "model": model_id(load(DEFAULT_MODEL)),
        "newsfacts": newsfacts.__version__, "batch_size": args.batch_size, "partition_size": args.partition_size,
        "cpus": os.cpu_count(), "runs": rows, "pipeline_over_raw": round(pipeline_ratio, 3),
        "pipeline_over_raw_cpu": round(pipeline_cpu_ratio, 3), "load_after": round(os.getloadavg()[0], 2),
        "dask2_over_dask1": round(scaling, 3), "peak_worker_rss_mib": round(worker_peak / MIB, 1), "stream": stream,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
