"""Store benchmark: ingest throughput (facts/s) and question latency (p50/p95) at corpus size.

Real extractions of PolNeAR train articles (``../shared/eval/polnear``) are made once with the
default model (cached in ``bench/out/store_seed.jsonl``), then cloned to ``--articles`` articles with
new ids, urls, dates, publishers and texts (so every clone has its own sha256). Fact kinds the
current pipeline does not extract yet are synthesized from the article text for load only (quoted
stretches as quotes, "said" sentences as claims, numbers, years, reporting verbs), and the header
says which kinds were real. Ingest goes through ``Store.write`` exactly as ``newsfacts ingest`` does
(MinHash story bands included).

Usage:
    python bench/store.py [--articles 100000] [--seed-articles 50] [--repeat 30]
                          [--postgres postgresql://...]   (or env NEWSFACTS_TEST_POSTGRES)
"""

from __future__ import annotations

import argparse
import dataclasses
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
from newsfacts.model import FACT_KINDS, ArticleFacts, Claim, Event, Mention, Quantity, Quote, Span, Timex, text_sha256  # noqa: E402
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
    """``n`` real extractions of PolNeAR train articles (cached), and the model id."""
    cache = OUT / "store_seed.jsonl"
    extractor = Extractor(Options(check_language=False))
    if cache.exists():
        facts = [ArticleFacts.from_json(json.loads(line)) for line in cache.read_text(encoding="utf-8").splitlines()]
        if len(facts) >= n:
            return facts[:n], _model_id()
    dates = _polnear_dates()
    paths = sorted((POLNEAR / "train" / "text").glob("*.txt"))[:n]
    if not paths:
        sys.exit(f"bench/store.py: no PolNeAR articles under {POLNEAR}")
    articles = [Article(id=p.stem, text=p.read_text(encoding="utf-8"), published=dates.get(p.stem), source=p.stem.split("_")[0])
                for p in paths]
    facts = [f for f in extractor.run(articles) if isinstance(f, ArticleFacts)]
    OUT.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(f.dumps() + "\n" for f in facts), encoding="utf-8")
    return facts, extractor.model


def _model_id() -> str:
    return Extractor(Options()).model


def _polnear_dates() -> dict[str, str]:
    dates = {}
    for line in (POLNEAR / "metadata.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) > 5:
            dates[cols[1]] = cols[5]
    return dates


# -- synthetic fill for kinds not extracted yet (load only) ---------------------------------------------
def fill_missing(facts: ArticleFacts, missing: set[str]) -> ArticleFacts:
    """The record with each kind in ``missing`` synthesized from its text (for load, not accuracy)."""
    text = facts.text
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    people = [(s, e, ent) for ent in facts.entities if ent.type in ("PERSON", "ORG") for s, e in ent.mentions]

    def sentence_of(pos: int) -> tuple[int, int] | None:
        return next(((s, e) for s, e in sentences if s <= pos < e), None)

    def nearest(pos: int) -> tuple[int, int, Any] | None:
        return min(people, key=lambda p: abs(p[0] - pos)) if people else None

    fields: dict[str, Any] = {}
    if "quotes" in missing:
        quotes = []
        for m in _QUOTE.finditer(text):
            span = (m.start(1), m.end(1))
            who = nearest(span[0])
            speaker = Mention(span=(who[0], who[1]), text=text[who[0]:who[1]], entity=who[2].id) if who else None
            verb = _VERB.search(text, span[1], span[1] + 60)
            cue = Span((verb.start(), verb.end()), verb.group()) if verb else None
            quotes.append(Quote(span=span, text=text[span[0]:span[1]], parts=(span,), kind="direct", speaker=speaker,
                                cue=cue, when=facts.published, sentence=sentence_of(span[0])))
        fields["quotes"] = tuple(quotes)
    if "claims" in missing:
        claims = []
        for s, e in sentences:
            verb = _VERB.search(text, s, e)
            if verb is None or verb.group() != "said" or "“" in text[s:e] or '"' in text[s:e]:
                continue
            who = nearest(verb.start())
            source = Mention(span=(who[0], who[1]), text=text[who[0]:who[1]], entity=who[2].id) if who else None
            claims.append(Claim(span=(verb.end() + 1, e), text=text[verb.end() + 1:e], kind="statement", source=source,
                                cue=Span((verb.start(), verb.end()), verb.group()), sentence=(s, e)))
        fields["claims"] = tuple(c for c in claims if c.text)
    if "quantities" in missing:
        quantities = []
        for m in _NUMBER.finditer(text):
            if _YEAR.fullmatch(m.group()):
                continue
            digits = re.sub(r"[^\d.]", "", m.group().split()[0])
            try:
                value = float(digits)
            except ValueError:
                continue
            tail = re.match(r"\s+((?:\w+\s+){0,2}\w+)", text[m.end():m.end() + 40])
            counts = Span((m.end() + tail.start(1), m.end() + tail.end(1)), tail.group(1)) if tail else None
            who = nearest(m.start())
            quantities.append(Quantity(span=(m.start(), m.end()), text=m.group(), value=value, counts=counts,
                                       source=who[2].id if who else None, when=facts.published, sentence=sentence_of(m.start())))
        fields["quantities"] = tuple(quantities)
    if "timexes" in missing:
        fields["timexes"] = tuple(Timex(span=(m.start(), m.end()), text=m.group(), type="DATE", value=m.group(),
                                        sentence=sentence_of(m.start())) for m in _YEAR.finditer(text))
    if "events" in missing:
        events = []
        for m in _VERB.finditer(text):
            sentence = sentence_of(m.start())
            inside = tuple(dict.fromkeys(ent.id for s, e, ent in people if sentence and sentence[0] <= s < sentence[1]))
            events.append(Event(span=(m.start(), m.end()), text=m.group(), trigger=m.group(), participants=inside,
                                when=facts.published, sentence=sentence))
        fields["events"] = tuple(events)
    return dataclasses.replace(facts, **fields)


def clones(seeds: list[ArticleFacts], n: int) -> Iterator[ArticleFacts]:
    """``n`` articles cloned from ``seeds``: each with its own id, url, date, publisher and sha256."""
    rng = random.Random(8)
    for i in range(n):
        seed = seeds[i % len(seeds)]
        text = f"{seed.text}\n\n(copy {i})"
        day = f"{rng.randint(2016, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        publisher = PUBLISHERS[rng.randrange(len(PUBLISHERS))]
        yield dataclasses.replace(seed, id=f"clone-{i}", text=text, sha256=text_sha256(text), published=day,
                                  url=f"https://{publisher}.example/{i}", source=publisher)


def fact_count(facts: ArticleFacts) -> int:
    return sum(len(getattr(facts, kind)) for kind in FACT_KINDS)


# -- measuring -------------------------------------------------------------------------------------
def ingest(url: str, seeds: list[ArticleFacts], n: int, batch: int) -> dict[str, float]:
    """Write ``n`` cloned articles; facts/s and articles/s."""
    per_seed = [fact_count(s) for s in seeds]
    total = sum(per_seed[i % len(seeds)] for i in range(n))
    start, cpu = time.perf_counter(), time.process_time()
    with open_store(url) as store:
        result = store.write(clones(seeds, n), batch_size=batch)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    return {"articles": result.ingested, "facts": total, "seconds": round(seconds, 1), "cpu_seconds": round(cpu_seconds, 1),
            "facts_per_s": round(total / seconds), "facts_per_cpu_s": round(total / cpu_seconds),
            "articles_per_s": round(n / seconds)}


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
    parser.add_argument("--seed-articles", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--postgres", default=os.environ.get("NEWSFACTS_TEST_POSTGRES"))
    parser.add_argument("--postgres-articles", type=int, default=None, help="articles for Postgres (default: --articles)")
    args = parser.parse_args()

    seeds, model = seed_extractions(args.seed_articles)
    real = [k for k in FACT_KINDS if any(getattr(s, k) for s in seeds)]
    missing = {k for k in FACT_KINDS if k not in real}
    seeds = [fill_missing(s, missing) for s in seeds]
    per_article = statistics.mean(fact_count(s) for s in seeds)
    print(f"bench/store.py  split=polnear/train  seed_docs={len(seeds)}  articles={args.articles}  model={model}  "
          f"newsfacts={__version__}  real_kinds={','.join(real)}  synthesized_kinds={','.join(sorted(missing)) or '-'}  "
          f"facts/article={per_article:.1f}  cpus={os.cpu_count()}  load={os.getloadavg()[0]:.1f}")

    summary: dict[str, Any] = {"articles": args.articles, "seed_docs": len(seeds), "model": model,
                               "real_kinds": real, "synthesized_kinds": sorted(missing)}
    backends = [("duckdb", str(OUT / "bench_store.duckdb"), args.articles)]
    if args.postgres:
        backends.append(("postgres", _reset_postgres(args.postgres), args.postgres_articles or args.articles))
    else:
        print("postgres: skipped (set NEWSFACTS_TEST_POSTGRES or --postgres; .ci/start-postgres.sh starts one)")
    for name, url, n in backends:
        if name == "duckdb":
            OUT.mkdir(parents=True, exist_ok=True)
            for suffix in ("", ".wal"):
                Path(url + suffix).unlink(missing_ok=True)
        written = ingest(url, seeds, n, args.batch)
        print(f"\n{name}: ingest {written['articles']} articles, {written['facts']} facts in {written['seconds']} s = "
              f"{written['facts_per_s']} facts/s ({written['articles_per_s']} articles/s); "
              f"client CPU {written['cpu_seconds']} s = {written['facts_per_cpu_s']} facts per CPU-second")
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
