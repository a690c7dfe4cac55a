"""Train ``newsfacts/data/attribution_filter.tsv``: which unquoted attribution candidates to keep.

Runs the rules (``quotes.candidate_attributions``) on PolNeAR train, labels every candidate the filter
judges (unquoted, with a cue verb) by whether its content matches a gold content the scorer's way (character overlap covering at least
half of each, against the first annotator's file), and fits an L2 logistic regression over the
features of ``extract._attribution_filter``. Features seen fewer than ``MIN_COUNT`` times are left out.
The threshold is chosen by 5-fold cross-validation over documents: dropping a candidate of
out-of-fold probability p is worth it when it raises the content F1 counted over the whole split
(every candidate, those the filter does not judge included, and every gold relation). The weights and the threshold are
written as plain numbers; the runtime needs no model library.

Usage (from the project root; needs scikit-learn, in the ``bench`` extra):
    PYTHONPATH=src python bench/attribution_filter.py [--cache DIR]   # DIR/train.spacy + .names, as bench/attribution.py
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import importlib.util
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "eval" / "polnear" / "train"
SCORER = ROOT.parent / "shared" / "eval" / "score_attribution.py"
OUT = ROOT / "src" / "newsfacts" / "data" / "attribution_filter.tsv"

MIN_COUNT = 5
"""A feature must fire on at least 5 training candidates to get a weight."""
C = 0.1
"""Inverse L2 strength. Cross-validated content F1 on train (counted as below): 0.7144 at 0.1, 0.7137 at 0.5
and at 2."""
FOLDS = 5


def main(argv: list[str]) -> None:
    """Collect candidates, cross-validate the threshold, fit on all of train, write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="folder holding train.spacy and train.names")
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    rows, labels, groups, fixed = collect(args.cache)
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for row in rows for name in row)
    rows = [{k: v for k, v in row.items() if counts[k] >= MIN_COUNT} for row in rows]
    vec = DictVectorizer()
    x = vec.fit_transform(rows)
    oof = [0.0] * len(rows)
    for fold in range(FOLDS):
        train = [i for i, g in enumerate(groups) if g % FOLDS != fold]
        test = [i for i, g in enumerate(groups) if g % FOLDS == fold]
        model = LogisticRegression(C=args.c, max_iter=2000)
        model.fit(x[train], [labels[i] for i in train])
        for i, p in zip(test, model.predict_proba(x[test])[:, 1]):
            oof[i] = float(p)
    threshold, best = choose_threshold(oof, labels, fixed)
    model = LogisticRegression(C=args.c, max_iter=2000).fit(x, labels)
    weights = dict(zip(vec.get_feature_names_out(), model.coef_[0]))
    lines = [
        "# attribution filter: logistic regression weights over extract/_attribution_filter.py features, then"
        " __bias__ and __threshold__. Source: PolNeAR v1.0 train (Newell et al., LREC 2018), fitted by"
        " bench/attribution_filter.py; license: MIT (these numbers).",
        *(f"{name}\t{w:.4f}" for name, w in sorted(weights.items()) if abs(w) >= 1e-4),
        f"__bias__\t{model.intercept_[0]:.4f}",
        f"__threshold__\t{threshold:.3f}",
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write(
        f"attribution filter | polnear/train | {len(rows)} judged candidates, {sum(labels)} matching gold | "
        f"C {args.c} | cross-validated threshold {threshold:.3f}: content F1 {best[0]:.4f} (all kept {best[1]:.4f})\n"
    )


def collect(cache: Path | None) -> tuple[list[dict[str, float]], list[int], list[int], tuple[float, float, float]]:
    """Features and labels of the candidates the filter judges, their document numbers, and the fixed counts.

    The fixed counts are (matches among the other candidates, the other candidates, gold relations):
    the part of the F1 the filter does not touch (quotations, "according to", noun and layout cues).
    """
    from newsfacts.extract import quotes as quotes_mod
    from newsfacts.dates import parse_published
    from newsfacts.extract import _attribution_filter as filt
    from newsfacts.extract.context import Context
    from newsfacts.model import Article
    from newsfacts.nlp import annotate, load
    from newsfacts.pipeline import EXTRACTORS

    scorer = _scorer()
    nlp = load()
    paths = sorted((TRAIN / "text").glob("*.txt"))
    if cache is not None and (cache / "train.spacy").exists():
        from spacy.tokens import DocBin

        names = (cache / "train.names").read_text(encoding="utf-8").split("\n")
        docs = list(DocBin().from_disk(cache / "train.spacy").get_docs(nlp.vocab))
    else:
        names = [p.stem for p in paths]
        docs = list(annotate(nlp, (p.read_text(encoding="utf-8") for p in paths)))
    with (TRAIN.parent / "metadata.tsv").open(encoding="utf-8") as f:
        published = {row["filename"]: row["publication_date"] for row in csv.DictReader(f, delimiter="\t")}
    before = EXTRACTORS[: EXTRACTORS.index(quotes_mod)]
    precision = quotes_mod.cue_precision()
    rows: list[dict[str, float]] = []
    labels: list[int] = []
    groups: list[int] = []
    kept_match = kept = gold_total = 0.0
    for number, (name, doc) in enumerate(zip(names, docs)):
        anns = sorted((TRAIN / "attributions").glob(f"{name}_*.ann"))
        if not anns:
            continue
        gold = scorer.parse_ann(anns[0])
        gold_total += len(gold)
        day = published.get(name)
        ctx = Context(article=Article(id=name, text=doc.text, published=day), published=parse_published(day))
        for module in before:
            ctx = dataclasses.replace(ctx, **{module.GIVES: tuple(getattr(module, module.GIVES)(doc, ctx))})
        text = ctx.text_of(doc)
        for att in quotes_mod.candidate_attributions(doc, ctx):
            hit = any(scorer.relaxed_match(att.content, g["content"]) for g in gold)
            if not filt.filtered(doc, att):
                kept += 1
                kept_match += hit
                continue
            rows.append(filt.features(doc, text, att, precision))
            labels.append(int(hit))
            groups.append(number)
    return rows, labels, groups, (kept_match, kept, gold_total)


def choose_threshold(
    probs: list[float], labels: list[int], fixed: tuple[float, float, float]
) -> tuple[float, tuple[float, float]]:
    """The threshold that maximizes the split's content F1 when candidates under it are dropped."""
    base_match, base_pred, gold = fixed
    order = sorted(zip(probs, labels))
    match = base_match + sum(labels)
    pred = base_pred + len(labels)
    f1 = lambda m, p: 2 * m / (p + gold) if p + gold else 0.0  # noqa: E731
    all_kept = f1(match, pred)
    best, threshold = all_kept, 0.0
    for p, label in order:  # drop candidates one by one, lowest probability first
        match -= label
        pred -= 1
        if f1(match, pred) > best:
            best, threshold = f1(match, pred), p + 1e-6
    return threshold, (best, all_kept)


def _scorer() -> object:
    spec = importlib.util.spec_from_file_location("score_attribution", SCORER)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


if __name__ == "__main__":
    main(sys.argv[1:])
