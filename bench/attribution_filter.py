"""Train ``newsfacts/data/attribution_filter.tsv``: which unquoted attribution candidates to keep.

Runs the rules (``quotes.candidate_attributions``) on PolNeAR train, labels every candidate the filter
judges (unquoted, with a cue verb) by whether its content matches a gold content the scorer's way
(character overlap covering at least half of each, against the first annotator's file), and fits an
L2 logistic regression over the features of ``extract._attribution_filter``. Features seen fewer than
``MIN_COUNT`` times are left out. The threshold is chosen by 5-fold cross-validation over documents:
every candidate gets an out-of-fold probability, and for each threshold of a grid the candidates under
it are dropped, the rest go through the same steps as at run time (``quotes.finish``) and
``score_attribution.py`` scores the result against every annotator's file; the threshold with the best
content F1 wins. The weights and the threshold are written as plain numbers; the runtime needs no model
library.

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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "eval" / "polnear" / "train"
SCORER = ROOT.parent / "shared" / "eval" / "score_attribution.py"
OUT = ROOT / "src" / "newsfacts" / "data" / "attribution_filter.tsv"

MIN_COUNT = 5
"""A feature must fire on at least 5 training candidates to get a weight."""
C = 0.1
"""Inverse L2 strength. Cross-validated content F1 on train barely moves with it (0.1, 0.5 and 2 within
0.001); the strongest regularization tried is kept."""
FOLDS = 5
GRID = [round(0.2 + 0.025 * i, 3) for i in range(17)]
"""Thresholds tried: 0.2 to 0.6."""


@dataclass
class _Article:
    """One training article: its text, gold relations per annotator, and its candidates."""

    text: str
    gold: list[list[dict[str, object]]]
    candidates: list[object] = field(default_factory=list)
    rows: list[int | None] = field(default_factory=list)  # index into the judged rows, None if not judged


def main(argv: list[str]) -> None:
    """Collect candidates, cross-validate the threshold, fit on all of train, write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="folder holding train.spacy and train.names")
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    articles, rows, labels, groups = collect(args.cache)
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
    scores = {t: content_f1(articles, oof, t) for t in [0.0, *GRID]}
    threshold = max(GRID, key=lambda t: scores[t])
    model = LogisticRegression(C=args.c, max_iter=2000).fit(x, labels)
    weights = dict(zip(vec.get_feature_names_out(), model.coef_[0]))
    lines = [
        (
            "# attribution filter: logistic regression weights over extract/_attribution_filter.py features, then"
            " __bias__ and __threshold__. Source: PolNeAR v1.0 train (Newell et al., LREC 2018), fitted by"
            " bench/attribution_filter.py; license: MIT (these numbers)."
        ),
        *(f"{name}\t{w:.4f}" for name, w in sorted(weights.items()) if abs(w) >= 1e-4),
        f"__bias__\t{model.intercept_[0]:.4f}",
        f"__threshold__\t{threshold:.3f}",
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    grid = " ".join(f"{t:.3f}:{scores[t]:.4f}" for t in GRID)
    sys.stdout.write(
        f"attribution filter | polnear/train | {len(rows)} judged candidates, {sum(labels)} matching gold | C {args.c}\n"
        f"cross-validated content F1 by threshold: {grid}\n"
        f"threshold {threshold:.3f}: content F1 {scores[threshold]:.4f} (all kept {scores[0.0]:.4f})\n"
    )


def content_f1(articles: list[_Article], probs: list[float], threshold: float) -> float:
    """The split's content F1 (scorer's relaxed match, annotators averaged) with candidates under ``threshold`` dropped."""
    from newsfacts.extract import quotes as quotes_mod

    scorer = _scorer()
    total: Counter[str] = Counter()
    for art in articles:
        kept = [a for a, r in zip(art.candidates, art.rows) if r is None or probs[r] >= threshold]
        pred = [{"content": a.content, "source": a.source, "cue": a.cue} for a in quotes_mod.finish(kept)]  # type: ignore[attr-defined]
        per = [scorer.score_doc(art.text, gold, pred) for gold in art.gold]  # type: ignore[attr-defined]
        for key in ("match", "pred", "gold"):
            total[key] += sum(c[key] for c in per) / len(per)
    return 2 * total["match"] / (total["pred"] + total["gold"]) if total["pred"] + total["gold"] else 0.0


def collect(cache: Path | None) -> tuple[list[_Article], list[dict[str, float]], list[int], list[int]]:
    """The training articles with their candidates, and the features, labels and document numbers of the
    candidates the filter judges."""
    from newsfacts.dates import parse_published
    from newsfacts.extract import _attribution_filter as filt
    from newsfacts.extract import quotes as quotes_mod
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
    articles: list[_Article] = []
    rows: list[dict[str, float]] = []
    labels: list[int] = []
    groups: list[int] = []
    for number, (name, doc) in enumerate(zip(names, docs)):
        anns = sorted((TRAIN / "attributions").glob(f"{name}_*.ann"))
        if not anns:
            continue
        art = _Article(text=doc.text, gold=[scorer.parse_ann(a) for a in anns])  # type: ignore[attr-defined]
        day = published.get(name)
        ctx = Context(article=Article(id=name, text=doc.text, published=day), published=parse_published(day))
        for module in before:
            ctx = dataclasses.replace(ctx, **{module.GIVES: tuple(getattr(module, module.GIVES)(doc, ctx))})
        text = ctx.text_of(doc)
        for att in quotes_mod.candidate_attributions(doc, ctx):
            art.candidates.append(att)
            if not filt.filtered(doc, att):
                art.rows.append(None)
                continue
            art.rows.append(len(rows))
            rows.append(filt.features(doc, text, att, precision))
            labels.append(int(any(scorer.relaxed_match(att.content, g["content"]) for g in art.gold[0])))  # type: ignore[attr-defined]
            groups.append(number)
        articles.append(art)
    return articles, rows, labels, groups


def _scorer() -> object:
    spec = importlib.util.spec_from_file_location("score_attribution", SCORER)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


if __name__ == "__main__":
    main(sys.argv[1:])
