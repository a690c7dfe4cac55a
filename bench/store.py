"""Store benchmark: ingest throughput (facts/s) and question latency (p50/p95) at corpus size.

Real extractions of PolNeAR train articles (``../shared/eval/polnear``, every k-th file so all
publishers and years are in) are made once with the installed pipeline (cached in
``bench/out/polnear-train-<n>.jsonl``), then replicated to ``--articles`` articles: three quarters are
originals, the seed's text with 30% of its words (outside entity mentions) swapped for other words of
the same length and every fact's text re-read from it, each its own story; a quarter are wire copies
of a recent original at another outlet, which MinHash groups into that original's story. Every
article has its own id, url, date, publisher and sha256. Ingest goes through ``Store.write`` exactly
as ``newsfacts ingest`` does (MinHash story bands included); only the writes are timed.

Usage:
    python bench/store.py [--articles 100000] [--seed-articles 60] [--repeat 30]
                          [--postgres postgresql://...]   (or env NEWSFACTS_TEST_POSTGRES)
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsfacts import Article, Extractor, Options, __version__  # noqa: E402
from newsfacts.model import FACT_KINDS, ArticleFacts, Mention, Span, text_sha256  # noqa: E402
from newsfacts.store import open_store, queries  # noqa: E402

POLNEAR = ROOT.parent / "shared" / "eval" / "polnear"
OUT = ROOT / "bench" / "out"
PUBLISHERS = ("breitbart", "foxnews", "huffingtonpost", "nytimes", "politico", "washingtonpost", "wsj", "reuters", "apnews")
TARGET_FACTS_PER_S = 50_000
TARGET_P95_MS = 100.0

_QUOTE = re.compile(r"[“\"]([^”\"\n]{15,400})[”\"]")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?(?:\s?(?:percent|%|million|billion))?")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_VERB = re.compile(r"\b(announced|said|voted|won|lost|met|attacked|ended|launched|signed|called|denied)\b")


# -- seed extractions ------------------------------------------------------------------------------
def seed_extractions(n: int) -> tuple[list[ArticleFacts], str]:
    """``n`` real extractions of PolNeAR train articles spread over the publishers (cached), and the model id.

    The cache ``bench/out/polnear-train-<n>.jsonl`` is made once with the installed pipeline (all fact
    kinds); delete it to re-extract after the extractors change.
    """
    cache = OUT / f"polnear-train-{n}.jsonl"
    if cache.exists():
        with cache.open(encoding="utf-8") as f:
            return [ArticleFacts.from_json(json.loads(line)) for line in f if line.strip()], _model_id()
    meta = _polnear_meta()
    paths = sorted((POLNEAR / "train" / "text").glob("*.txt"))
    if not paths:
        sys.exit(f"bench/store.py: no PolNeAR articles under {POLNEAR}")
    step = max(1, len(paths) // n)
    chosen = paths[::step][:n]  # every k-th file: all publishers and years, not the first n of one
    articles = []
    for p in chosen:
        publisher, day, title = meta.get(p.stem, (p.stem.split("_")[0], p.stem.split("_")[1], p.stem))
        articles.append(Article(id=f"polnear/{p.name}", text=p.read_text(encoding="utf-8"), published=day,
                                source=publisher, title=title))
    extractor = Extractor(Options(check_language=False))
    facts = [f for f in extractor.run(articles) if isinstance(f, ArticleFacts)]
    OUT.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(f.dumps() + "\n" for f in facts), encoding="utf-8")
    return facts, extractor.model


def _model_id() -> str:
    return Extractor(Options()).model


def _polnear_meta() -> dict[str, tuple[str, str, str]]:
    """``file stem -> (publisher, publication date, title)`` from PolNeAR's metadata.tsv."""
    meta = {}
    for line in (POLNEAR / "metadata.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) > 7:
            meta[cols[1]] = (cols[4], cols[5], cols[7])
    return meta


# -- replication -----------------------------------------------------------------------------------
SYNDICATED = 0.25
"""Share of articles that are wire copies of an earlier article (same text, another outlet, a day or
two later): MinHash groups these into stories; every other article is its own story."""

REWORDED = 0.3
"""Share of the eligible words replaced in each original replica, enough that two replicas of one seed
share few shingles (estimated Jaccard < 0.1, far below the LSH threshold of about 0.77)."""

_WORD = re.compile(r"[A-Za-z]{4,}")


@dataclasses.dataclass(frozen=True)
class _Template:
    """A seed with the words that may be replaced (letters only, outside entity mentions)."""

    facts: ArticleFacts
    words: tuple[tuple[int, int], ...]


def _templates(seeds: list[ArticleFacts]) -> tuple[list[_Template], dict[int, list[str]]]:
    """Each seed's replaceable words, and the seeds' vocabulary by word length (lower-case)."""
    templates, vocab = [], {}
    for seed in seeds:
        protected = sorted((s, e) for ent in seed.entities for s, e in ent.mentions)
        words = []
        for m in _WORD.finditer(seed.text):
            if not any(s < m.end() and m.start() < e for s, e in protected):
                words.append((m.start(), m.end()))
                vocab.setdefault(m.end() - m.start(), set()).add(m.group().lower())
        templates.append(_Template(seed, tuple(words)))
    return templates, {n: sorted(ws) for n, ws in vocab.items()}


def _resliced(fact: Any, text: str) -> Any:
    """``fact`` with its own ``text`` and those of its spans (speaker, cue, counts ...) read from ``text``."""
    changes: dict[str, Any] = {"text": text[fact.span[0]:fact.span[1]]}
    for name in ("speaker", "source", "cue", "addressee", "channel", "counts"):
        part = getattr(fact, name, None)
        if isinstance(part, (Span, Mention)):
            changes[name] = dataclasses.replace(part, text=text[part.span[0]:part.span[1]])
    return dataclasses.replace(fact, **changes)


def _reworded(template: _Template, vocab: dict[int, list[str]], rng: random.Random) -> ArticleFacts:
    """The seed with ``REWORDED`` of its eligible words swapped for same-length words of the corpus
    (so every span and offset stays valid) and every fact's text read again from the new text."""
    seed = template.facts
    chosen = sorted(rng.sample(template.words, int(len(template.words) * REWORDED)))
    pieces, last = [], 0
    for start, end in chosen:
        old = seed.text[start:end]
        new = rng.choice(vocab[end - start])
        pieces += [seed.text[last:start], new.capitalize() if old[0].isupper() else new]
        last = end
    pieces.append(seed.text[last:])
    text = "".join(pieces)
    kinds = {k: tuple(_resliced(f, text) for f in getattr(seed, k)) for k in FACT_KINDS if k != "entities"}
    return dataclasses.replace(seed, text=text, **kinds)


def replicas(seeds: list[ArticleFacts], n: int, seed: int = 8) -> Iterator[ArticleFacts]:
    """``n`` articles made from ``seeds``: reworded originals, and ``SYNDICATED`` wire copies of them.

    Every article has its own id, url, date, publisher and sha256. Originals cycle over the seeds with
    a fresh rewording each (their own story); a copy repeats a recent original's text and facts at
    another outlet one to three days later, with its own dateline, so it joins that original's story.
    """
    rng = random.Random(seed)
    templates, vocab = _templates(seeds)
    recent: list[tuple[ArticleFacts, dt.date]] = []
    start = dt.date(2015, 1, 1)
    for i in range(n):
        publisher = PUBLISHERS[rng.randrange(len(PUBLISHERS))]
        if recent and rng.random() < SYNDICATED:
            original, day = recent[rng.randrange(len(recent))]
            day += dt.timedelta(days=rng.randint(1, 3))
            text = f"{original.text}\n\n(Distributed by {publisher}, copy {i}.)"
            record = dataclasses.replace(original, text=text)
        else:
            record = _reworded(templates[i % len(templates)], vocab, rng)
            day = start + dt.timedelta(days=rng.randrange(3650))
            recent = (recent + [(record, day)])[-200:]
            text = record.text
        yield dataclasses.replace(record, id=f"replica-{i}", sha256=text_sha256(text), published=day.isoformat(),
                                  url=f"https://{publisher}.example/{i}", source=publisher,
                                  title=f"{record.title or record.id} ({i})")


def fact_count(facts: ArticleFacts) -> int:
    return sum(len(getattr(facts, kind)) for kind in FACT_KINDS)


# -- measuring -------------------------------------------------------------------------------------
def ingest(url: str, seeds: list[ArticleFacts], n: int, batch: int) -> dict[str, float]:
    """Write ``n`` replicas in batches of ``batch``; facts/s and articles/s of the writes, the final
    ``optimize`` and the closing checkpoint (DuckDB writes part of a batch's blocks then) alone.

    Making the replicas (rewording, re-reading fact texts) happens between the timed writes: it
    stands for extraction, which ``newsfacts ingest`` does before writing too.
    """
    seconds = cpu_seconds = 0.0
    total = ingested = 0
    store = open_store(url)
    try:
        pending: list[ArticleFacts] = []
        for record in [*replicas(seeds, n), None]:
            if record is not None:
                pending.append(record)
                total += fact_count(record)
            if pending and (record is None or len(pending) >= batch):
                start, cpu = time.perf_counter(), time.process_time()
                ingested += store.write(pending, batch_size=batch).ingested
                seconds += time.perf_counter() - start
                cpu_seconds += time.process_time() - cpu
                pending = []
        start, cpu = time.perf_counter(), time.process_time()
        optimized = store.optimize()  # as `newsfacts ingest` does at the end of a run
        seconds += time.perf_counter() - start
        cpu_seconds += time.process_time() - cpu
        optimize_s = time.perf_counter() - start
        stories = store.fetch("SELECT count(DISTINCT story) AS n FROM articles")[0]["n"]
    finally:
        start, cpu = time.perf_counter(), time.process_time()
        store.close()  # DuckDB checkpoints what its WAL still holds: part of the ingest's cost
        seconds += time.perf_counter() - start
        cpu_seconds += time.process_time() - cpu
    if url.startswith("postgresql"):  # after a bulk load, as PostgreSQL's docs advise (autovacuum would, later)
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ANALYZE")
    return {"articles": ingested, "stories": int(stories), "facts": total, "seconds": round(seconds, 1),
            "optimize_seconds": round(optimize_s, 1), "optimized": optimized,
            "cpu_seconds": round(cpu_seconds, 1), "facts_per_s": round(total / seconds),
            "facts_per_cpu_s": round(total / cpu_seconds), "articles_per_s": round(n / seconds)}


def questions(store: Any, seeds: list[ArticleFacts], rng: random.Random) -> dict[str, Callable[[], Any]]:
    """Each question with parameters drawn from the data, as a zero-argument call."""
    people = [e.name for s in seeds for e in s.entities if e.type == "PERSON"]
    orgs = [e.name for s in seeds for e in s.entities if e.type == "ORG"]
    ids = [e.id for s in seeds for e in s.entities]
    words = [w for s in seeds for q in s.quantities if q.counts for w in q.counts.text.split() if len(w) > 3] or ["percent"]
    quote_words = [w for s in seeds for q in s.quotes for w in q.text.split() if len(w) > 5] or ["campaign"]
    shas = [r["sha256"] for r in store.fetch("SELECT sha256 FROM articles WHERE aid % 97 = 0 LIMIT 1000")]
    pick = rng.choice
    return {
        "quotes --speaker": lambda: queries.quotes(store, speaker=pick(people)),
        "quotes --about --since": lambda: queries.quotes(store, about=pick(quote_words), since="2023-01-01", limit=50),
        "claims --source": lambda: queries.claims(store, source=pick(orgs or people)),
        "numbers --about": lambda: queries.numbers(store, about=pick(words)),
        "timeline": lambda: queries.timeline(store, pick(people)),
        "entities --top 50": lambda: queries.entities(store, top=50),
        "entities --type PERSON": lambda: queries.entities(store, top=20, type="PERSON"),
        "entity": lambda: queries.entity(store, pick(ids)),
        "article": lambda: queries.article(store, pick(shas)),
        "search": lambda: queries.search(store, pick(quote_words), kinds=("quotes", "claims"), limit=20),
        "search articles": lambda: queries.search(store, pick(quote_words), kinds=("articles",), limit=20),
        "failures": lambda: queries.failures(store, limit=100),
    }


def latencies(url: str, seeds: list[ArticleFacts], repeat: int) -> dict[str, dict[str, float]]:
    """p50/p95 (ms) and mean row count of each question over ``repeat`` runs (after one warm-up)."""
    rng = random.Random(5)
    results = {}
    with open_store(url, read_only=True) as store:
        for name, ask in questions(store, seeds, rng).items():
            ask()
            times, cpus, sizes = [], [], []
            for _ in range(repeat):
                start, cpu = time.perf_counter(), time.process_time()
                out = ask()
                times.append((time.perf_counter() - start) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                sizes.append(len(out) if isinstance(out, list) else int(out is not None))
            results[name] = {"p50_ms": _pct(times, 0.5), "p95_ms": _pct(times, 0.95),
                             "cpu_p50_ms": _pct(cpus, 0.5), "cpu_p95_ms": _pct(cpus, 0.95),
                             "rows": round(statistics.mean(sizes), 1)}
    return results


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _reset_postgres(url: str) -> str:
    """A fresh schema ``bench_store`` on the server; the URL that selects it."""
    import psycopg
    from urllib.parse import quote

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS bench_store CASCADE")
        conn.execute("CREATE SCHEMA bench_store")
    return f"{url}{'&' if '?' in url else '?'}options={quote('-csearch_path=bench_store')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed-articles", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--postgres", default=os.environ.get("NEWSFACTS_TEST_POSTGRES"))
    parser.add_argument("--postgres-articles", type=int, default=None, help="articles for Postgres (default: --articles)")
    parser.add_argument("--backends", default="duckdb,postgres", help="which backends to measure (comma-separated)")
    args = parser.parse_args()

    seeds, model = seed_extractions(args.seed_articles)
    per_article = statistics.mean(fact_count(s) for s in seeds)
    print(f"bench/store.py  split=polnear/train  seed_docs={len(seeds)}  articles={args.articles}  model={model}  "
          f"newsfacts={__version__}  syndicated={SYNDICATED:.0%}  "
          f"facts/article={per_article:.1f}  cpus={os.cpu_count()}  load={os.getloadavg()[0]:.1f}")

    summary: dict[str, Any] = {"articles": args.articles, "seed_docs": len(seeds), "model": model,
                               "syndicated": SYNDICATED}
    wanted = set(args.backends.split(","))
    backends = [("duckdb", str(OUT / "bench_store.duckdb"), args.articles)] if "duckdb" in wanted else []
    if "postgres" in wanted and args.postgres:
        backends.append(("postgres", _reset_postgres(args.postgres), args.postgres_articles or args.articles))
    elif "postgres" in wanted:
        print("postgres: skipped (set NEWSFACTS_TEST_POSTGRES or --postgres; .ci/start-postgres.sh starts one)")
    for name, url, n in backends:
        if name == "duckdb":
            OUT.mkdir(parents=True, exist_ok=True)
            for suffix in ("", ".wal"):
                Path(url + suffix).unlink(missing_ok=True)
        written = ingest(url, seeds, n, args.batch)
        print(f"\n{name}: ingest {written['articles']} articles ({written['stories']} stories), {written['facts']} facts in {written['seconds']} s = "
              f"{written['facts_per_s']} facts/s ({written['articles_per_s']} articles/s); "
              f"client CPU {written['cpu_seconds']} s = {written['facts_per_cpu_s']} facts per CPU-second; "
              f"of which optimize ({', '.join(written['optimized']) or 'statistics only'}) {written['optimize_seconds']} s")
        timings = latencies(url, seeds, args.repeat)
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs while timing)")
        print(f"{'question':<26}{'p50 ms':>10}{'p95 ms':>10}{'cpu p50':>10}{'cpu p95':>10}{'rows':>8}")
        for question, t in timings.items():
            print(f"{question:<26}{t['p50_ms']:>10.1f}{t['p95_ms']:>10.1f}{t['cpu_p50_ms']:>10.1f}{t['cpu_p95_ms']:>10.1f}"
                  f"{t['rows']:>8.1f}")
        print("(cpu = this process's CPU time: DuckDB runs in-process, so it approximates the latency on an idle machine; "
              "for PostgreSQL it excludes the server's work)")
        worst = max(t["p95_ms"] for t in timings.values())
        summary[name] = {"ingest": written, "questions": timings, "worst_p95_ms": worst,
                         "meets_ingest_target": written["facts_per_s"] >= TARGET_FACTS_PER_S if name == "duckdb" else None,
                         "meets_latency_target": worst < TARGET_P95_MS, "articles": n}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
