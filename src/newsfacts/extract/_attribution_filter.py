"""A learned filter over unquoted attribution candidates: keep the ones PolNeAR would annotate.

The rules of ``quotes.attributions`` propose a relation wherever a cue has a content; many of the
unquoted ones are not what PolNeAR annotators mark (a weak cue read literally, "called" as a name, a
relative clause describing someone's view). A logistic regression over a handful of parse features
(cue lemma and its train precision, how the content hangs from the cue, who the source is, tense,
negation, modality, where the cue sits) scores each candidate; candidates under the threshold are
dropped. Only relations with a cue verb are judged: quotations (their marks are evidence enough),
"according to" and the cue nouns, adjectives and layout cues stay as the rules found them.

Measured on PolNeAR train, 5-fold cross-validation over documents with the real scorer: content F1
0.6943 with every candidate kept, 0.7063 with the filter at its threshold (0.4). The filter is what
lets weak cues ("see", "support", "offer", train precision 0.2 to 0.5) in: alone they cost more
precision than they bring recall.

The weights are learned on PolNeAR train by ``bench/attribution_filter.py`` and shipped as
``data/attribution_filter.tsv``: plain numbers, read once, no model library at run time.

Guideline followed: PolNeAR (Newell, Margolin & Ruths, LREC 2018) for what counts as an attribution.
"""

from __future__ import annotations

import math
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

if TYPE_CHECKING:
    from .quotes import Attribution

Features = dict[str, float]

_TENSES = {"VBD", "VBZ", "VBP", "VB", "VBG", "VBN"}
_MODALS = {"would", "could", "might", "may", "will", "can", "should", "must", "'ll", "’ll"}
_PERSON_PRONOUNS = {"he", "she", "i", "we", "they", "you"}
_CONTENT_OPENERS = {"that", "to", "whether", "if", "how", "what", "why", "when", "where", "who"}


@cache
def _model() -> tuple[dict[str, float], float, float]:
    """Feature weights, bias and threshold from ``data/attribution_filter.tsv``."""
    text = files("newsfacts").joinpath("data/attribution_filter.tsv").read_text(encoding="utf-8")
    weights: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, value = line.rsplit("\t", 1)
        weights[name] = float(value)
    return weights, weights.pop("__bias__", 0.0), weights.pop("__threshold__", 0.0)


def probability(features: Features) -> float:
    """The model's probability that a candidate with these features is a PolNeAR attribution."""
    weights, bias, _ = _model()
    z = bias + sum(weights.get(name, 0.0) * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def keep(doc: Doc, text: str, att: Attribution, cue_precision: dict[str, tuple[float, float]]) -> bool:
    """Whether an unquoted candidate scores at least the shipped threshold (quotations always stay)."""
    cue = _judged_cue(doc, att)
    if cue is None:
        return True
    return probability(features(doc, text, att, cue_precision, cue=cue)) >= _model()[2]


def features(
    doc: Doc, text: str, att: Attribution, cue_precision: dict[str, tuple[float, float]], cue: Token | None = None
) -> Features:
    """Sparse features of one candidate: names of binary features (value 1) and a few numbers.

    Args:
        doc: the parsed article.
        text: the article text.
        att: the candidate relation.
        cue_precision: cue lemma -> (train precision, precision with a person or group subject).
        cue: the cue's head token, when the caller has it already.

    Returns:
        Feature name -> value.

    Example:
        "Doe said that taxes rise" gives, among others, ``cue=say``, ``dep=ccomp``, ``src=person``,
        ``tag=VBD``, ``open=that``.
    """
    out: Features = {"kind=" + att.kind: 1.0, "class=" + att.cue_class: 1.0}
    cue = cue if cue is not None else _cue_token(doc, att)
    if cue is None:
        out["cue=none"] = 1.0
    else:
        lemma = cue.lemma_.lower()
        out["cue=" + lemma] = 1.0
        out["cuepos=" + cue.pos_] = 1.0
        out["cuedep=" + cue.dep_] = 1.0
        if cue.tag_ in _TENSES:
            out["tag=" + cue.tag_] = 1.0
        prec, agent = cue_precision.get(lemma, (-1.0, -1.0))
        if prec < 0:
            out["prec=unknown"] = 1.0
        else:
            out["prec"] = prec
            out["prec_bin=" + str(int(prec * 5))] = 1.0
            if agent > 0:
                out["agentprec"] = agent
        children = list(cue.children)
        if any(c.dep_ == "neg" for c in children):
            out["neg"] = 1.0
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in children):
            out["modal"] = 1.0
        if cue.dep_ in ("relcl", "acl") or cue.head.dep_ in ("relcl", "acl"):
            out["in_relcl"] = 1.0
        out["cue_before"] = 1.0 if cue.idx < att.content[0] else 0.0
        dep = _content_dep(doc, cue, att)
        out["dep=" + dep] = 1.0
        out[f"cue={lemma}|dep={dep}"] = 1.0
        head = _content_head(doc, att)
        if head is not None:
            what = head.ent_type_ or head.pos_
            out["head=" + what] = 1.0
            out[f"dep={dep}|head={what}"] = 1.0
        if cue.i == cue.sent.start or (cue.i - cue.sent.start) <= 1:
            out["cue_sent_start"] = 1.0
    source = _source_type(doc, text, att)
    out["src=" + source] = 1.0
    if source in ("noun", "noun_plural") and att.source_head is not None:
        out["srcword=" + text[att.source_head[0] : att.source_head[1]].lower()] = 1.0
    stretch = text[att.content[0] : att.content[1]]
    if any(mark in stretch for mark in '“”"'):
        out["has_quote"] = 1.0
    if cue is not None:
        gap = att.content[0] - (cue.idx + len(cue)) if cue.idx < att.content[0] else cue.idx - att.content[1]
        out["gap_bin=" + str(min(5, int(math.log2(max(gap, 0) + 1))))] = 1.0
    if cue is not None:
        out[f"cue={cue.lemma_.lower()}|src={source}"] = 1.0
    out[f"class={att.cue_class}|src={source}"] = 1.0
    if att.entity is not None:
        out["ent=" + att.entity.split(":", 1)[0]] = 1.0
    first = text[att.content[0] : att.content[1]].split(maxsplit=1)
    word = first[0].lower().strip("“\"'‘") if first else ""
    out["open=" + (word if word in _CONTENT_OPENERS else "other")] = 1.0
    n = len(text[att.content[0] : att.content[1]].split())
    out["len_bin=" + str(min(6, int(math.log2(n + 1))))] = 1.0
    out["multipart"] = 1.0 if len(att.parts) > 1 else 0.0
    if att.addressee is not None:
        out["addressee"] = 1.0
    if att.channel is not None:
        out["channel"] = 1.0
    if att.sentence[0] == 0 or text[max(0, att.sentence[0] - 1) : att.sentence[0]] == "\n" and att.sentence[0] < 300:
        out["first_lines"] = 1.0
    if att.content[0] <= att.sentence[0] + 1 and att.content[1] >= att.sentence[1] - 2:
        out["whole_sentence"] = 1.0
    return out


def filtered(doc: Doc, att: Attribution) -> bool:
    """Whether the filter judges this candidate: unquoted, with a cue verb (not "according to", a noun or the layout)."""
    return _judged_cue(doc, att) is not None


def _judged_cue(doc: Doc, att: Attribution) -> Token | None:
    """The cue verb of a candidate the filter judges, else None."""
    if att.quoted or att.cue_class == "according":
        return None
    cue = _cue_token(doc, att)
    return cue if cue is not None and cue.pos_ in ("VERB", "AUX") else None


def _cue_token(doc: Doc, att: Attribution) -> Token | None:
    if att.cue is None:
        return None
    span = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _content_head(doc: Doc, att: Attribution) -> Token | None:
    """The syntactic head of the content's first part (its root token)."""
    span = doc.char_span(att.parts[0][0], att.parts[0][1], alignment_mode="expand") if att.parts else None
    return span.root if span is not None and len(span) else None


def _content_dep(doc: Doc, cue: Token, att: Attribution) -> str:
    """How the content hangs from the cue: the relation of the content token that the cue governs."""
    start, end = att.content
    for child in cue.children:
        if start <= child.idx < end:
            return child.dep_
        if child.dep_ == "prep" and any(start <= g.idx < end for g in child.children):
            return "prep_" + child.lower_
    if start <= cue.head.idx < end:
        return "head"
    return "other"


def _source_type(doc: Doc, text: str, att: Attribution) -> str:
    if att.source_head is None:
        return "none"
    span = doc.char_span(att.source_head[0], att.source_head[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return "other"
    head = span.root
    if head.lower_ in _PERSON_PRONOUNS:
        return "pron_person"
    if head.pos_ == "PRON":
        return "pron_other"
    if head.ent_type_:
        return "ent_" + head.ent_type_
    if head.pos_ == "PROPN":
        return "propn"
    return "noun_plural" if head.tag_ == "NNS" else "noun"
