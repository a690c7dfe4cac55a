"""Entity benchmark: NER P/R/F1, clustering B-cubed F1 and title accuracy on 20 hand-annotated PolNeAR
dev articles (and 5 held-out ones never used for tuning), plus cross-article person ids over all
PolNeAR dev articles.

Usage: ``python bench/entities.py [--json-only]`` from the project root (reads ``../shared/eval/polnear``
and ``bench/data/entities_dev.json``, ``entities_heldout.json``, ``entities_people_dev.json``; guide in
``bench/data/README.md``). The rival ``run_spacy`` is plain spaCy NER grouped by identical name (the
pre-issue-7 extractor), run in the same process on the same parses.

Scoring (per article, inside the annotated window ``[0, limit)``):
- NER: exact span and coarse type (PERSON, ORG, PLACE = GPE/LOC/FAC); NORP predictions are not
  scored (not annotated); pronoun and role-noun mentions are not named mentions and are left out.
- B-cubed (Bagga & Baldwin 1998) over the gold mentions: a gold mention the system missed is a
  singleton on the system side; system mentions outside the gold are ignored.
- Titles: for each gold person entity, the predicted cluster holding most of its mentions; accurate
  when its title set equals the gold set (courtesy titles Mr./Ms. are not titles).
- Cross-article: each person of ``entities_people_dev.json`` present in >= 2 dev articles; the id of
  the entity whose mention is exactly an occurrence of one of its forms (the majority over them); "single" when all its articles agree, "merged" when
  one id is given to two different people.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsfacts import __version__  # noqa: E402
from newsfacts.extract.context import Context  # noqa: E402
from newsfacts.extract.entities import entities  # noqa: E402
from newsfacts.model import Article, Entity  # noqa: E402
from newsfacts.nlp import load, model_id  # noqa: E402

POLNEAR_DEV = ROOT.parent / "shared" / "eval" / "polnear" / "dev" / "text"
GOLD = ROOT / "bench" / "data" / "entities_dev.json"
HELDOUT = ROOT / "bench" / "data" / "entities_heldout.json"
PEOPLE = ROOT / "bench" / "data" / "entities_people_dev.json"
COARSE = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
PRONOUNS = {"he", "him", "his", "himself", "she", "her", "hers", "herself"}

System = Callable[[object, Article], list[Entity]]


def run_newsfacts(doc: object, article: Article) -> list[Entity]:
    """newsfacts' entity extractor."""
    return entities(doc, Context(article=article))  # type: ignore[arg-type]


def run_spacy(doc: object, article: Article) -> list[Entity]:
    """Baseline: spaCy NER, mentions grouped by identical normalized name and type, no titles."""
    groups: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for ent in doc.ents:  # type: ignore[attr-defined]
        if ent.label_ not in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"):
            continue
        name = re.sub(r"['’]s?$", "", re.sub(r"^the\s+", "", " ".join(ent.text.split()), flags=re.I)).strip()
        if name:
            groups.setdefault((ent.label_, name), []).append((ent.start_char, ent.end_char))
    return [
        Entity(id=f"{label.lower()}:{name.lower()}", name=name, type=label, mentions=tuple(spans))
        for (label, name), spans in groups.items()
    ]


def _named(text: str, span: tuple[int, int]) -> bool:
    surface = text[span[0] : span[1]]
    return (
        bool(surface)
        and (surface[0].isupper() or surface[0].isdigit())
        and surface.lower() not in PRONOUNS
        and not surface.startswith(("The ", "the "))  # role-noun mentions ("The mayor") are not names
    )


def score_article(gold: dict, text: str, predicted: list[Entity]) -> dict[str, float]:
    """Counts for one article: NER tp/fp/fn, B-cubed sums, title hits."""
    limit = gold["limit"]
    gold_mentions: dict[tuple[int, int], tuple[str, int]] = {}
    for k, ent in enumerate(gold["entities"]):
        for s, e in ent["mentions"]:
            gold_mentions[(s, e)] = (ent["type"], k)
    pred_mentions: dict[tuple[int, int], tuple[str, int]] = {}
    for k, ent in enumerate(predicted):
        coarse = COARSE.get(ent.type)
        for span in ent.mentions:
            if span[1] <= limit and _named(text, span):
                pred_mentions[span] = (coarse or ent.type, k)
    scored_pred = {sp: v for sp, v in pred_mentions.items() if v[0] in ("PERSON", "ORG", "PLACE")}
    tp = sum(1 for sp, (t, _) in scored_pred.items() if sp in gold_mentions and gold_mentions[sp][0] == t)
    fp = len(scored_pred) - tp
    fn = len(gold_mentions) - tp
    # B-cubed over gold mentions
    gold_of = {sp: k for sp, (_, k) in gold_mentions.items()}
    pred_of = {sp: k for sp, (_, k) in pred_mentions.items() if sp in gold_mentions}
    gold_sets: dict[int, set] = defaultdict(set)
    pred_sets: dict[int, set] = defaultdict(set)
    for sp, k in gold_of.items():
        gold_sets[k].add(sp)
    for sp, k in pred_of.items():
        pred_sets[k].add(sp)
    b_p = b_r = 0.0
    for sp, k in gold_of.items():
        p_set = pred_sets[pred_of[sp]] if sp in pred_of else {sp}
        common = len(gold_sets[k] & p_set)
        b_p += common / len(p_set)
        b_r += common / len(gold_sets[k])
    # titles
    t_ok = t_n = 0
    for k, ent in enumerate(gold["entities"]):
        if ent["type"] != "PERSON":
            continue
        votes = Counter(pred_mentions[tuple(sp)][1] for sp in ent["mentions"] if tuple(sp) in pred_mentions)
        titles: set[str] = set()
        if votes:
            titles = set(predicted[votes.most_common(1)[0][0]].titles)
        t_n += 1
        t_ok += titles == set(ent["titles"])
    return {"tp": tp, "fp": fp, "fn": fn, "b_p": b_p, "b_r": b_r, "b_n": len(gold_of), "t_ok": t_ok, "t_n": t_n}


def _prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cross_article(docs: list[tuple[str, object]], system: System) -> dict[str, object]:
    """People in >= 2 dev articles: share with one id across their articles, and ids merging two people."""
    people = json.loads(PEOPLE.read_text(encoding="utf-8"))["people"]
    seen: dict[str, dict[str, str]] = defaultdict(dict)
    id_people: dict[str, set[str]] = defaultdict(set)
    for name, doc in docs:
        text = doc.text  # type: ignore[attr-defined]
        predicted = system(doc, Article(id=name, text=text))
        covering = [(s, e, ent.id) for ent in predicted for s, e in ent.mentions]
        for person in people:
            ids: Counter[str] = Counter()
            found = False
            for form in person["forms"]:
                # an occurrence followed by another capitalized word is part of a longer name ("Trump Place")
                for match in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?![\w-])(?!\s+[A-Z])", text):
                    found = True
                    ids.update(pid for s, e, pid in covering if (s, e) == match.span())
                if found:
                    break
            if found and not ids:
                ids["(none)"] += 1
            if ids:
                pid = ids.most_common(1)[0][0]
                seen[person["name"]][name] = pid
                if pid != "(none)":
                    id_people[pid].add(person["name"])
    multi = {p: arts for p, arts in seen.items() if len(arts) >= 2}
    single = [p for p, arts in multi.items() if len(set(arts.values())) == 1 and "(none)" not in arts.values()]
    merged = sorted(pid for pid, names in id_people.items() if len(names) > 1)
    split = {p: sorted(set(arts.values())) for p, arts in multi.items() if p not in single}
    return {"people": len(multi), "single_id": len(single), "share": len(single) / len(multi) if multi else 0.0, "merged_ids": merged, "split": split}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json-only", action="store_true", help="print only the JSON summary line")
    args = parser.parse_args()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    nlp = load()
    files = sorted(POLNEAR_DEV.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    started = time.perf_counter()
    docs = list(zip((f.name for f in files), nlp.pipe(texts, batch_size=16)))
    parse_seconds = time.perf_counter() - started
    by_name = dict(docs)
    out = print if not args.json_only else (lambda *a, **k: None)
    out(f"entities bench | split polnear/dev | annotated {len(gold)} docs, cross-article {len(docs)} docs | model {model_id(nlp)} | newsfacts {__version__}")
    summary: dict[str, object] = {"split": "polnear/dev", "docs": len(gold), "model": model_id(nlp), "version": __version__}
    for set_name, path in (("dev20", GOLD), ("heldout5", HELDOUT)):
        articles = json.loads(path.read_text(encoding="utf-8"))["articles"]
        out(f"[{set_name}: {len(articles)} annotated articles, {path.name}]")
        out(f"{'system':<12}{'NER P':>8}{'NER R':>8}{'NER F1':>8}{'B3 P':>8}{'B3 R':>8}{'B3 F1':>8}{'title acc':>11}{'ms/doc':>9}")
        for label, system in (("newsfacts", run_newsfacts), ("spacy", run_spacy)):
            totals: Counter[str] = Counter()
            started = time.perf_counter()
            for article in articles:
                doc = by_name[article["file"]]
                predicted = system(doc, Article(id=article["file"], text=doc.text))  # type: ignore[attr-defined]
                totals.update(score_article(article, doc.text, predicted))  # type: ignore[attr-defined]
            per_doc = 1000 * (time.perf_counter() - started) / len(articles)
            p, r, f = _prf(totals["tp"], totals["fp"], totals["fn"])
            bp, br = totals["b_p"] / totals["b_n"], totals["b_r"] / totals["b_n"]
            bf = 2 * bp * br / (bp + br) if bp + br else 0.0
            title_acc = totals["t_ok"] / totals["t_n"] if totals["t_n"] else 0.0
            out(f"{label:<12}{p:>8.3f}{r:>8.3f}{f:>8.3f}{bp:>8.3f}{br:>8.3f}{bf:>8.3f}{title_acc:>11.3f}{per_doc:>9.1f}")
            row = {"ner_p": round(p, 4), "ner_r": round(r, 4), "ner_f1": round(f, 4), "b3_f1": round(bf, 4), "title_acc": round(title_acc, 4)}
            summary[label if set_name == "dev20" else f"{label}_{set_name}"] = row
    out("")
    out(f"{'cross-article':<14}{'people>=2':>10}{'one id':>8}{'share':>8}{'merged':>8}")
    for label, system in (("newsfacts", run_newsfacts), ("spacy", run_spacy)):
        cross = cross_article(docs, system)
        out(f"{label:<14}{cross['people']:>10}{cross['single_id']:>8}{cross['share']:>8.3f}{len(cross['merged_ids']):>8}")  # type: ignore[arg-type]
        if label == "newsfacts":
            for person, ids in sorted(cross["split"].items()):  # type: ignore[union-attr]
                out(f"  split: {person}: {', '.join(ids)}")
            for pid in cross["merged_ids"]:  # type: ignore[union-attr]
                out(f"  merged: {pid}")
        summary[f"{label}_cross"] = {k: cross[k] for k in ("people", "single_id", "share")} | {"merged": len(cross["merged_ids"])}  # type: ignore[index]
    started = time.perf_counter()
    for name, doc in docs:
        run_newsfacts(doc, Article(id=name, text=doc.text))  # type: ignore[attr-defined]
    entity_ms = 1000 * (time.perf_counter() - started)
    summary["parse_ms_per_doc"] = round(1000 * parse_seconds / len(docs), 2)
    summary["entities_ms_per_doc_all_dev"] = round(entity_ms / len(docs), 2)
    out(f"\nspeed: spaCy parse {summary['parse_ms_per_doc']} ms/doc, entities {summary['entities_ms_per_doc_all_dev']} ms/doc over {len(docs)} dev docs")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
