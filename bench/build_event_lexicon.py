"""Build ``src/newsfacts/data/event_lexicon.tsv`` from the TRAIN part of TimeBank (never the dev part).

For every token of the first 80 % of ``../shared/eval/timebank/train`` (by file name; the last 20 % is
the dev part that bench/time.py reports on) this counts, per lemma and coarse part of speech, how
often the token is tagged ``<EVENT>``. ``extract/events.py`` reads the table: a lemma/POS pair that is
an event in most of its uses is a trigger, one that rarely is (auxiliary "have", "percent") is not;
a noun may have a row per number (``sale NOUN:NN``) when singular and plural decide differently;
an unseen lemma falls back to the rows ``*  POS/dep`` (how often a word of that part of speech in
that dependency relation is an event: a participle used as an adjective rarely is), then to the
part-of-speech default (verbs are events).

Usage: python bench/build_event_lexicon.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfacts.extract.events import EVENT_RATIO
from newsfacts.nlp import DEFAULT_MODEL, annotate, load, model_id

OUT = ROOT / "src" / "newsfacts" / "data" / "event_lexicon.tsv"
POS_KEPT = ("VERB", "NOUN", "ADJ", "AUX", "PROPN", "ADV", "NUM", "ADP")
MIN_BACKOFF = 5
"""A part-of-speech/dependency backoff row needs a few uses to say anything."""
MIN_COUNT = 2
MIN_NUMBER = 3
"""A singular/plural row needs three uses (cross-validated on train: 2, 3 and 5 give the same F1)."""
"""Pairs seen once carry no evidence beyond the POS default; leaving them out keeps the file small."""


def _number_differs(key: tuple[str, str], events: Counter[tuple[str, str]], total: Counter[tuple[str, str]]) -> bool:
    """Keep a ``lemma NOUN:NN`` / ``NOUN:NNS`` row when that number decides otherwise than the lemma as a
    whole: "sale" (the act of selling) is an event, "sales" (revenue) mostly is not."""
    coarse = (key[0], "NOUN")
    ratio = events[key] / total[key]
    return (ratio >= EVENT_RATIO) != (events[coarse] >= EVENT_RATIO * total[coarse] and total[coarse] >= MIN_COUNT)


def _informative(pos: str, ratio: float) -> bool:
    """Keep a pair only when it can differ from the POS default (verbs events, predicative adjectives
    states, the rest not): every adjective row is kept, as its default depends on its position."""
    if pos == "ADJ":
        return True
    return ratio < 0.8 if pos == "VERB" else ratio >= 0.2


def main() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_time", ROOT / "bench" / "time.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_time"] = bench
    spec.loader.exec_module(bench)
    files = bench.split_files("train")
    texts, golds = [], []
    for f in files:
        text, spans = bench.read_events(f)
        texts.append(text)
        golds.append(set(spans))
    nlp = load(DEFAULT_MODEL)
    events: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    by_dep: Counter[str] = Counter()
    by_dep_events: Counter[str] = Counter()
    for doc, gold in zip(annotate(nlp, texts), golds):
        starts = {s for s, _ in gold}
        for tok in doc:
            if tok.pos_ not in POS_KEPT:
                continue
            key = (tok.lemma_.lower(), tok.pos_)
            total[key] += 1
            by_dep[f"{tok.pos_}/{tok.dep_}"] += 1
            if tok.pos_ == "NOUN":
                total[(key[0], f"NOUN:{tok.tag_}")] += 1
            if tok.idx in starts:
                events[key] += 1
                if tok.pos_ == "NOUN":
                    events[(key[0], f"NOUN:{tok.tag_}")] += 1
                by_dep_events[f"{tok.pos_}/{tok.dep_}"] += 1
    rows = sorted((k for k, n in total.items() if ":" not in k[1] and n >= MIN_COUNT and _informative(k[1], events[k] / n)),
                  key=lambda k: (k[1], k[0]))
    rows += sorted((k for k, n in total.items() if ":" in k[1] and n >= MIN_NUMBER and _number_differs(k, events, total)),
                   key=lambda k: (k[1], k[0]))
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(f"# TimeML event triggers counted on TimeBank/AQUAINT (TBAQ-cleaned, TempEval-3) train part: first "
                 f"{len(files)} files by name, parsed with {model_id(nlp)}; built by bench/build_event_lexicon.py. "
                 "Counts derived from the TimeBank 1.2 annotations (LDC, research use); lemma<TAB>pos<TAB>events<TAB>uses\n")
        fh.writelines(f"{lemma}\t{pos}\t{events[(lemma, pos)]}\t{total[(lemma, pos)]}\n" for lemma, pos in rows)
        fh.writelines(f"*\t{pos_dep}\t{by_dep_events[pos_dep]}\t{by_dep[pos_dep]}\n" for pos_dep in sorted(k for k, n in by_dep.items() if n >= MIN_BACKOFF))
    print(f"wrote {len(rows)} rows to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
