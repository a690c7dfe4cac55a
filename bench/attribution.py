"""Attribution benchmark: newsfacts quotes + claims against PolNeAR gold, with textacy as the rival.

Runs the pipeline on a PolNeAR split, maps every quote and claim to the scorer's format (content =
``span``, source = ``speaker``/``source`` span, cue = ``cue`` span), writes the predictions as JSONL
and scores them with ``../shared/eval/score_attribution.py``; textacy's ``direct_quotations`` runs on
the same parsed documents as the baseline.

Usage (from the project root):
    PYTHONPATH=src python bench/attribution.py [--split dev] [--out bench/out]
        [--docbin DOCS.spacy --names NAMES.txt]   # reuse parsed articles (a DocBin, names in order)
        [--cache DIR]   # read DIR/<split>.spacy + .names if present, else parse and write them there
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
POLNEAR = EVAL / "polnear"
SCORER = EVAL / "score_attribution.py"

Prediction = dict[str, object]


def main(argv: list[str]) -> dict[str, object]:
    """Score newsfacts and the rival on one split; print the header, the table and a JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--docbin", type=Path, help="parsed articles of the split (spaCy DocBin)")
    parser.add_argument("--names", type=Path, help="article names matching --docbin, one a line")
    parser.add_argument("--cache", type=Path, help="folder of parsed splits: read <split>.spacy/.names, or write them")
    args = parser.parse_args(argv)

    import newsfacts
    from newsfacts.dates import parse_published
    from newsfacts.model import Article
    from newsfacts.nlp import annotate, load, model_id
    from newsfacts.pipeline import extract_doc

    gold_dir = POLNEAR / args.split
    paths = sorted((gold_dir / "text").glob("*.txt"))
    names = [p.stem for p in paths]
    texts = {p.stem: p.read_text(encoding="utf-8") for p in paths}
    published = _publication_dates()
    nlp = load()
    if args.cache and not args.docbin:
        args.docbin, args.names = args.cache / f"{args.split}.spacy", args.cache / f"{args.split}.names"
        if not args.docbin.exists():
            _write_cache(nlp, [texts[n] for n in names], names, args.docbin, args.names)
    if args.docbin:
        from spacy.tokens import DocBin

        names = args.names.read_text(encoding="utf-8").split("\n")
        docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))
    else:
        docs = list(annotate(nlp, (texts[n] for n in names)))
    sys.stdout.write(
        f"attribution | split polnear/{args.split} | {len(docs)} documents | model {model_id(nlp)} | "
        f"newsfacts {newsfacts.__version__}\n"
    )

    ours: dict[str, list[Prediction]] = {}
    quotes_only: dict[str, list[Prediction]] = {}
    claims_only: dict[str, list[Prediction]] = {}
    for name, doc in zip(names, docs):
        day = published.get(name)
        article = Article(id=name, text=doc.text, published=day)
        facts = extract_doc(doc, article, parse_published(day))
        quotes_only[name] = [_row(q.span, q.speaker, q.cue) for q in facts.quotes]
        claims_only[name] = [_row(c.span, c.source, c.cue) for c in facts.claims]
        ours[name] = quotes_only[name] + claims_only[name]

    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, object]] = {}
    for label, preds in (("newsfacts", ours), ("  quotes only", quotes_only), ("  claims only", claims_only)):
        results[label.strip()] = _score(
            gold_dir, args.out / f"attribution-{args.split}-{label.strip().replace(' ', '-')}.jsonl", preds
        )
    rival = run_textacy(names, docs)
    if rival is not None:
        results["textacy"] = _score(gold_dir, args.out / f"attribution-{args.split}-textacy.jsonl", rival)

    _table(results)
    if rival is None:
        sys.stdout.write("textacy: not installed (pip install 'newsfacts[bench]'), row skipped\n")
    summary = {
        "bench": "attribution",
        "split": args.split,
        "docs": len(docs),
        **{name: _summary(res) for name, res in results.items() if name in ("newsfacts", "textacy")},
    }
    sys.stdout.write(json.dumps(summary) + "\n")
    return summary


def _write_cache(nlp: object, texts: list[str], names: list[str], docbin: Path, names_path: Path) -> None:
    """Parse the split once and store it (a DocBin and its article names) for later runs."""
    from spacy.tokens import DocBin

    from newsfacts.nlp import annotate

    store = DocBin(store_user_data=True)
    for doc in annotate(nlp, texts):  # type: ignore[arg-type]
        store.add(doc)
    docbin.parent.mkdir(parents=True, exist_ok=True)
    store.to_disk(docbin)
    names_path.write_text("\n".join(names), encoding="utf-8")


def run_textacy(names: list[str], docs: list) -> dict[str, list[Prediction]] | None:
    """textacy's ``direct_quotations`` (Krestel et al. 2008 style rules) on the same parsed documents."""
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    out: dict[str, list[Prediction]] = {}
    for name, doc in zip(names, docs):
        rows = []
        try:
            triples = list(direct_quotations(doc))
        except (ValueError, IndexError, AttributeError):  # textacy trips over some layouts; count as none
            triples = []
        for triple in triples:
            content = (triple.content.start_char, triple.content.end_char)
            speaker = _tokens_span(triple.speaker)
            cue = _tokens_span(triple.cue)
            rows.append({"content": list(content), "source": speaker, "cue": cue})
        out[name] = rows
    return out


def _tokens_span(tokens: list) -> list[int] | None:
    if not tokens:
        return None
    return [min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens)]


def _row(span: tuple[int, int], mention: object, cue: object) -> Prediction:
    return {
        "content": list(span),
        "source": list(mention.span) if mention is not None else None,  # type: ignore[attr-defined]
        "cue": list(cue.span) if cue is not None else None,  # type: ignore[attr-defined]
    }


def _publication_dates() -> dict[str, str]:
    with (POLNEAR / "metadata.tsv").open(encoding="utf-8") as f:
        return {row["filename"]: row["publication_date"] for row in csv.DictReader(f, delimiter="\t")}


def _score(gold_dir: Path, path: Path, preds: dict[str, list[Prediction]]) -> dict[str, object]:
    with path.open("w", encoding="utf-8") as f:
        for name, rows in preds.items():
            f.write(json.dumps({"doc": name, "attributions": rows}) + "\n")
    done = subprocess.run(
        [sys.executable, str(SCORER), str(gold_dir), str(path), "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def _table(results: dict[str, dict[str, object]]) -> None:
    head = (
        f"{'system':16s} {'content P':>9s} {'R':>6s} {'F1':>6s} | {'strict F1':>9s} | "
        f"{'e2e P':>6s} {'R':>6s} {'F1':>6s} | {'source acc':>10s} | {'direct R':>8s}\n"
    )
    sys.stdout.write(head + "-" * (len(head) - 1) + "\n")
    fmt: Callable[[float], str] = lambda x: f"{x:6.3f}"
    for name, r in results.items():
        c, s, e = r["content_relaxed"], r["content_strict"], r["end_to_end"]  # type: ignore[index]
        sys.stdout.write(
            f"{name:16s} {c['p']:9.3f} {fmt(c['r'])} {fmt(c['f1'])} | {s['f1']:9.3f} | {fmt(e['p'])} {fmt(e['r'])} "
            f"{fmt(e['f1'])} | {r['source_accuracy_on_matched']:10.3f} | {r['direct_quote_recall']:8.3f}\n"
        )


def _summary(r: dict[str, object]) -> dict[str, float]:
    return {
        "content_f1": round(r["content_relaxed"]["f1"], 4),  # type: ignore[index]
        "content_strict_f1": round(r["content_strict"]["f1"], 4),  # type: ignore[index]
        "end_to_end_f1": round(r["end_to_end"]["f1"], 4),  # type: ignore[index]
        "source_accuracy": round(r["source_accuracy_on_matched"], 4),  # type: ignore[arg-type]
        "direct_quote_recall": round(r["direct_quote_recall"], 4),  # type: ignore[arg-type]
    }


if __name__ == "__main__":
    main(sys.argv[1:])
