"""Time expressions and events on TimeBank (TBAQ-cleaned, TempEval-3): newsfacts against a baseline.

Split: ``../shared/eval/timebank/train`` is the only split there is, so the last 20 % of its files by
name are the dev part reported here (``--split train`` reports on the first 80 %, the part rules and
the event lexicon were developed on). Each document is parsed once; newsfacts runs with
``published`` = the document creation time. Time expressions are scored by
``../shared/eval/score_timex.py`` (strict and relaxed span P/R/F1, value F1, type accuracy); event
mentions are scored here against the ``<EVENT>`` tags, strict (same span) and relaxed (overlap,
one-to-one). The baseline ``run_dateparser`` takes spaCy's DATE/TIME entities and normalizes them with
dateparser (relative to the creation time), the "parse to a datetime" approach.

``seconds`` and ``cpu_seconds`` in the summary are the wall clock and the CPU time of the newsfacts run
(parse and extraction); on a shared machine the CPU time is the figure to compare.

Usage: python bench/time.py [--split dev|train] [--out DIR] [--gate]

``--gate`` exits 1 when a dev figure falls below its floor in ``bench/time_floors.json`` or the data
digest differs (floors only go down by editing that file, with a reason).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsfacts import __version__
from newsfacts.model import Article
from newsfacts.nlp import DEFAULT_MODEL, annotate, load, model_id
from newsfacts.pipeline import extract_doc

EVAL = ROOT.parent / "shared" / "eval"
TML = EVAL / "timebank" / "train"
DEV_FRACTION = 0.2
"""The issue's hold-out: the last 20 % of the 216 files by name (44 documents)."""


def _scorer():
    if "score_timex" in sys.modules:
        return sys.modules["score_timex"]
    spec = importlib.util.spec_from_file_location("score_timex", EVAL / "score_timex.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["score_timex"] = module
    spec.loader.exec_module(module)
    return module


def split_files(split: str) -> list[Path]:
    """The .tml files of ``split``: ``dev`` is the last 20 % by name, ``train`` the rest."""
    files = sorted(TML.glob("*.tml"))
    cut = int(len(files) * (1 - DEV_FRACTION))
    return files[cut:] if split == "dev" else files[:cut]


def read_events(path: Path) -> tuple[str, list[tuple[int, int]]]:
    """The document text (as score_timex.py builds it) and the spans of its <EVENT> tags."""
    root = ET.parse(path).getroot()
    text_elem = root.find(".//TEXT")
    parts: list[str] = []
    spans: list[tuple[int, int]] = []

    def walk(elem: ET.Element, pos: int) -> int:
        if elem.text:
            parts.append(elem.text)
            pos += len(elem.text)
        for child in elem:
            start = pos
            pos = walk(child, pos)
            if child.tag == "EVENT" and pos > start:
                spans.append((start, pos))
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        return pos

    assert text_elem is not None
    walk(text_elem, 0)
    return "".join(parts), spans


def _dct(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def span_prf(gold: list[list[tuple[int, int]]], pred: list[list[tuple[int, int]]]) -> dict[str, dict[str, float]]:
    """Strict (equal spans) and relaxed (overlap, one-to-one by largest overlap) P/R/F1."""
    scorer = _scorer()
    strict = relaxed = n_gold = n_pred = 0
    for g, p in zip(gold, pred):
        n_gold += len(g)
        n_pred += len(p)
        strict += len(set(g) & set(p))
        gt = [scorer.Timex(s, e, None, None) for s, e in g]
        pt = [scorer.Timex(s, e, None, None) for s, e in p]
        relaxed += len(scorer.relaxed_pairs(gt, pt))
    return {"strict": scorer.prf(strict, n_pred, n_gold), "relaxed": scorer.prf(relaxed, n_pred, n_gold)}


def run_newsfacts(nlp, docs, corpus) -> tuple[list[dict], list[list[tuple[int, int]]]]:
    """newsfacts' timexes (score_timex JSONL rows) and event spans, per document."""
    rows, events = [], []
    for (doc_id, text), doc in zip(docs, annotate(nlp, [t for _, t in docs])):
        published = _dct(corpus[doc_id].dct)
        facts = extract_doc(doc, Article(id=doc_id, text=text), published)
        rows.append({"doc": doc_id, "timexes": [
            {"span": list(t.span), "type": t.type, "value": t.value, "mod": t.mod} for t in facts.timexes]})
        events.append([tuple(e.span) for e in facts.events])
    return rows, events


def run_dateparser(nlp, docs, corpus) -> list[dict] | None:
    """Baseline: spaCy DATE/TIME entities, values from dateparser relative to the creation time.

    dateparser's period (year, month, week, day, time) sets the granularity of the value, so "last
    year" is ``1997``, not a day; what it cannot express (durations, sets, quarters) stays wrong.
    """
    try:
        from dateparser.date import DateDataParser
    except ImportError:
        return None
    formats = {"year": "%Y", "month": "%Y-%m", "week": "%G-W%V", "day": "%Y-%m-%d", "time": "%Y-%m-%dT%H:%M"}
    rows = []
    for (doc_id, text), doc in zip(docs, annotate(nlp, [t for _, t in docs])):
        published = _dct(corpus[doc_id].dct)
        settings = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
        if published:
            settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time(12))
        parser = DateDataParser(languages=["en"], settings=settings)
        out = []
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            data = parser.get_date_data(ent.text)
            value = None
            if data.date_obj is not None:
                value = data.date_obj.strftime(formats.get(data.period or "day", "%Y-%m-%d"))
            out.append({"span": [ent.start_char, ent.end_char], "type": ent.label_, "value": value})
        rows.append({"doc": doc_id, "timexes": out})
    return rows


def _score_rows(rows: list[dict], files: list[Path], workdir: Path, name: str) -> dict:
    scorer = _scorer()
    gold_dir = workdir / "gold"
    gold_dir.mkdir(exist_ok=True)
    for f in files:
        target = gold_dir / f.name
        if not target.exists():
            target.symlink_to(f)
    pred = workdir / f"{name}.jsonl"
    pred.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return scorer.score(gold_dir, pred)


FLOORS = ROOT / "bench" / "time_floors.json"


def data_digest(files: list[Path]) -> str:
    """sha256 over the split's file names and bytes: the gate only compares like with like."""
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()


def gate(summary: dict, digest: str) -> list[str]:
    """Figures below their pinned floors (and a changed data digest), as messages."""
    pinned = json.loads(FLOORS.read_text(encoding="utf-8"))
    problems = [f"data digest {digest[:12]} != pinned {pinned['digest'][:12]}"] if pinned["digest"] != digest else []
    problems += [f"{key} {summary[key]:.4f} < floor {floor}" for key, floor in pinned["floors"].items()
                 if summary[key] < floor]
    return problems


def _row(name: str, kind: str, prf: dict[str, float]) -> str:
    return f"{name:12s} {kind:14s} {prf['p']:6.3f} {prf['r']:6.3f} {prf['f1']:6.3f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--out", type=Path, default=None, help="keep predictions here")
    parser.add_argument("--gate", action="store_true", help="fail below the floors of bench/time_floors.json")
    args = parser.parse_args(argv)
    files = split_files(args.split)
    scorer = _scorer()
    corpus = {f.stem: scorer.read_tml(f) for f in files}
    docs = [(f.stem, corpus[f.stem].text) for f in files]
    gold_events = [read_events(f)[1] for f in files]
    nlp = load(DEFAULT_MODEL)
    print(f"bench/time.py split=timebank/{args.split} ({'last' if args.split == 'dev' else 'first'} "
          f"{'20' if args.split == 'dev' else '80'} % of train by name) docs={len(files)} "
          f"model={model_id(nlp)} newsfacts={__version__}")
    workdir = args.out or Path(tempfile.mkdtemp(prefix="nf-time-"))
    workdir.mkdir(parents=True, exist_ok=True)
    t0, c0 = time.perf_counter(), time.process_time()
    rows, events = run_newsfacts(nlp, docs, corpus)
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    ours = _score_rows(rows, files, workdir, "newsfacts")
    ev = span_prf(gold_events, events)
    base_rows = run_dateparser(nlp, docs, corpus)
    base = _score_rows(base_rows, files, workdir, "dateparser") if base_rows is not None else None

    print(f"{'system':12s} {'kind':14s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for name, r in (("newsfacts", ours), ("dateparser", base)):
        if r is None:
            print(f"{'dateparser':12s} skipped: pip install dateparser (extra 'bench')")
            continue
        print(_row(name, "timex strict", r["strict"]))
        print(_row(name, "timex relaxed", r["relaxed"]))
        print(_row(name, "timex value", r["value"]))
        print(f"{name:12s} {'type accuracy':14s} {r['type_accuracy']:20.3f}")
    print(_row("newsfacts", "event strict", ev["strict"]))
    print(_row("newsfacts", "event relaxed", ev["relaxed"]))
    summary = {
        "split": f"timebank/{args.split}", "docs": len(files), "model": model_id(nlp), "version": __version__,
        "timex_strict_f1": round(ours["strict"]["f1"], 4), "timex_relaxed_f1": round(ours["relaxed"]["f1"], 4),
        "timex_value_f1": round(ours["value"]["f1"], 4), "timex_type_accuracy": round(ours["type_accuracy"], 4),
        "event_strict_f1": round(ev["strict"]["f1"], 4), "event_relaxed_f1": round(ev["relaxed"]["f1"], 4),
        "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
        "baseline_dateparser": None if base is None else {
            "timex_strict_f1": round(base["strict"]["f1"], 4), "timex_relaxed_f1": round(base["relaxed"]["f1"], 4),
            "timex_value_f1": round(base["value"]["f1"], 4), "timex_type_accuracy": round(base["type_accuracy"], 4)},
    }
    print(json.dumps(summary))
    if args.gate:
        problems = gate(summary, data_digest(files)) if args.split == "dev" else ["--gate needs --split dev"]
        for problem in problems:
            print(f"GATE FAIL {problem}", file=sys.stderr)
        if problems:
            sys.exit(1)


if __name__ == "__main__":
    main()
