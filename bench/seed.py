"""Score the example article's extraction against its hand-made gold, per fact kind.

Usage: python bench/seed.py [--json]

Matching (the gold gives texts, not offsets): a quote (any of its parts: the gold lists the stretches
of a split quote separately) or a claim matches when the predicted text and the
gold text overlap by at least half of each (after trimming quotation marks and spaces); a quantity
when the gold value is the predicted value (or inside its range); a timex when the texts overlap as for quotes (TimeML leaves "on" out of
"on Thursday"), its value scored over the matches; an entity when the gold name is the predicted name or one of its aliases; an event when
a predicted event's `when` equals the gold date (one-to-one). Attributes are scored over the matches:
speaker/source entity (its name or an alias equals the gold name) and cue text.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import newsfacts  # noqa: E402
from newsfacts.model import ArticleFacts, Quote  # noqa: E402

SEED = ROOT.parent / "shared" / "seed"
TEXT = ROOT / "examples" / "iraq-combat-mission-2021-12-09.txt"
GOLD = SEED / "iraq-combat-mission-2021-12-09.gold.json"
TRIM = "\"“”'‘’ \n\t,."


def _words(text: str) -> set[str]:
    """Content words of a description, plural -s dropped: "U.S. troops in Iraq" -> {"troop", "iraq"}."""
    stop = {"the", "and", "its", "his", "her", "their", "for", "with", "from", "into", "held", "by", "of", "in", "at"}
    words = (w.lower() for w in re.findall(r"[A-Za-z]{3,}", text))
    return {w[:-1] if w.endswith("s") and not w.endswith("ss") else w for w in words if w not in stop}


def _bare(name: str) -> str:
    """A name without a leading article: "The United States" and "United States" name one entity."""
    return re.sub(r"^(?:the|The)\s+", "", name)


def _overlap(a: str, b: str) -> bool:
    """One text contains the other and the shorter is at least half the longer (marks trimmed)."""
    a, b = a.strip(TRIM), b.strip(TRIM)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short in long and len(short) >= 0.5 * len(long)


def _names(facts: ArticleFacts, entity_id: str | None) -> set[str]:
    for entity in facts.entities:
        if entity.id == entity_id:
            return {entity.name, *entity.aliases}
    return set()


def _match(gold: list, pred: list, same) -> list[tuple[dict, object]]:
    pairs, used = [], set()
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and same(g, p):
                pairs.append((g, p))
                used.add(i)
                break
    return pairs


def _prf(n_match: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = n_match / n_pred if n_pred else 0.0
    r = n_match / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(facts: ArticleFacts, gold: dict) -> dict[str, dict[str, float]]:
    """P/R/F1 per fact kind, plus attribute accuracies over the matches."""
    report: dict[str, dict[str, float]] = {}

    def add(kind: str, pairs, n_pred: int, n_gold: int, **attrs: float) -> None:
        p, r, f = _prf(len(pairs), n_pred, n_gold)
        report[kind] = {"p": p, "r": r, "f1": f, "gold": n_gold, "pred": n_pred, **attrs}

    def acc(pairs, ok) -> float:
        return sum(1 for g, p in pairs if ok(g, p)) / len(pairs) if pairs else 0.0

    # The gold lists a split quote's stretches as separate quotes: match them against parts.
    parts = [_QuotePart(facts.text[s:e], q) for q in facts.quotes for s, e in q.parts]
    pairs = _match(gold["quotes"], parts, lambda g, p: _overlap(g["text"], p.text) or _overlap(g["text"], p.quote.text))
    pairs = [(g, p.quote) for g, p in pairs]
    add("quotes", pairs, len(parts), len(gold["quotes"]),
        speaker=acc(pairs, lambda g, p: p.speaker is not None and g["speaker"] in _names(facts, p.speaker.entity)),
        cue=acc(pairs, lambda g, p: p.cue is not None and p.cue.text == g["cue"]))
    pairs = _match(gold["attributed_claims"], list(facts.claims), lambda g, p: _overlap(g["text"], p.text))
    add("claims", pairs, len(facts.claims), len(gold["attributed_claims"]),
        source=acc(pairs, lambda g, p: p.source is not None and (
            g["source"] in _names(facts, p.source.entity) or g["source"] in p.source.text)))
    pairs = _match(gold["quantities"], list(facts.quantities), lambda g, p: _value_ok(g["value"], p.value))
    add("quantities", pairs, len(facts.quantities), len(gold["quantities"]),
        change=acc(pairs, lambda g, p: (p.change == "~") == bool(g.get("approximate"))),
        counts=acc(pairs, lambda g, p: p.counts is not None and bool(_words(g["counts"]) & _words(p.counts.text))),
        source=acc(pairs, lambda g, p: bool(p.source) and g.get("source", "") in _names(facts, p.source)))
    pairs = _match(gold["timexes"], list(facts.timexes), lambda g, p: _overlap(g["text"], p.text))
    add("timexes", pairs, len(facts.timexes), len(gold["timexes"]),
        value=acc(pairs, lambda g, p: g["value"] == p.value and g.get("mod") == p.mod))
    pairs = _match(gold["entities"], list(facts.entities), lambda g, p: g["name"] in {p.name, *p.aliases})
    add("entities", pairs, len(facts.entities), len(gold["entities"]),
        aliases=acc(pairs, lambda g, p: {_bare(a) for a in g.get("aliases", [])} <= {_bare(a) for a in (p.name, *p.aliases)}))
    pairs = _match(gold["events"], list(facts.events), lambda g, p: g["when"] == p.when)
    add("events", pairs, len(facts.events), len(gold["events"]))
    return report


@dataclass(frozen=True)
class _QuotePart:
    text: str
    quote: Quote


def _value_ok(gold_value: float, value) -> bool:
    if isinstance(value, (list, tuple)):
        return value[0] <= gold_value <= value[1]
    return abs(value - gold_value) <= 1e-3 * max(1.0, abs(gold_value))


def main() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    extractor = newsfacts.Extractor(newsfacts.Options(published=gold["published"]))
    facts = extractor(newsfacts.Article(id=TEXT.name, text=TEXT.read_text(encoding="utf-8")))
    report = score(facts, gold)
    print(f"seed: 1 document, model {extractor.model}, newsfacts {newsfacts.__version__}")
    print(f"{'kind':<12}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'pred':>6}  attributes (accuracy over matches)")
    for kind, row in report.items():
        attrs = "  ".join(f"{k}={v:.2f}" for k, v in row.items() if k not in {"p", "r", "f1", "gold", "pred"})
        print(f"{kind:<12}{row['p']:>7.2f}{row['r']:>7.2f}{row['f1']:>7.2f}{row['gold']:>6}{row['pred']:>6}  {attrs}")
    print(json.dumps({"bench": "seed", "scores": report}))


if __name__ == "__main__":
    main()
