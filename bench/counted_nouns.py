"""Build ``newsfacts/data/counted_nouns.tsv``: the nouns that news counts, learned from PolNeAR train.

A noun counts as "counted" when, in a plural use, it governs a number ("2,500 troops", "three
governors"): the parse's ``nummod`` child, not a year. Units (percent, dollars, miles), time units
(days, years) and measure nouns (number, figure) are left out: they say how much, not of what. The
list lets the quantity extractor resolve an anaphoric measure noun ("The numbers are still where
they were, which is about 2,500") to the thing the article was counting ("its troops").

Usage (from the project root; parses the train split unless given a DocBin of it):
    PYTHONPATH=src python bench/counted_nouns.py [--docbin TRAIN.spacy]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLNEAR_TRAIN = ROOT.parent / "shared" / "eval" / "polnear" / "train"
OUT = ROOT / "src" / "newsfacts" / "data" / "counted_nouns.tsv"

MIN_HITS = 3
"""A noun must govern a number at least 3 times in train (1 or 2 are mostly parse noise)."""

GENERIC = {
    "other", "thing", "way", "time", "third", "row", "type", "instance", "reason", "side", "name", "word",
    "course", "choice", "issue", "view", "night", "quarter", "term", "session", "cycle", "generation",
}  # fmt: skip
"""Counted, but as ordinals, times, periods or generic words ("three times", "two terms", "in
many ways"): never what "the number" stands for (general knowledge, kept out by hand)."""

_YEAR = re.compile(r"^(1[89]|20)\d\d$")


def main(argv: list[str]) -> None:
    """Count plural nouns with a number modifier in PolNeAR train and write the list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docbin", type=Path, help="parsed train articles (spaCy DocBin)")
    args = parser.parse_args(argv)

    from newsfacts.extract._quant_lexicon import units
    from newsfacts.extract.quantities import MEASURE_NOUNS, TIME_UNIT_NOUNS

    if args.docbin:
        import spacy
        from spacy.tokens import DocBin

        docs = DocBin().from_disk(args.docbin).get_docs(spacy.blank("en").vocab)
    else:
        from newsfacts.nlp import annotate, load

        texts = sorted((POLNEAR_TRAIN / "text").glob("*.txt"))
        docs = annotate(load(), (p.read_text(encoding="utf-8") for p in texts))
    excluded = set(units()) | MEASURE_NOUNS | TIME_UNIT_NOUNS | GENERIC
    hits: Counter[str] = Counter()
    for doc in docs:
        for token in doc:
            if token.tag_ != "NNS" or not token.is_alpha:
                continue
            numbers = [c for c in token.children if c.dep_ == "nummod" and c.like_num and not _YEAR.match(c.text)]
            lemma = token.lemma_.lower()
            if numbers and lemma not in excluded and token.lower_ not in excluded:
                hits[lemma] += 1
    kept = sorted((lemma, n) for lemma, n in hits.items() if n >= MIN_HITS)
    header = (
        "# nouns that news counts: lemma, times a plural use governs a number in train. Source: PolNeAR v1.0 "
        "train split (Newell et al., LREC 2018; counts derived by bench/counted_nouns.py); license: MIT (this list).\n"
    )
    OUT.write_text(header + "".join(f"{lemma}\t{n}\n" for lemma, n in kept), encoding="utf-8")
    print(f"{len(kept)} counted nouns (>= {MIN_HITS} hits) written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
