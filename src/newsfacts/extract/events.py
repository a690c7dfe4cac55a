"""Events: TimeML event mentions with their participants and time anchor.

A token is an event trigger by its lemma and part of speech: ``data/event_lexicon.tsv`` counts how
often each lemma/POS pair is an ``<EVENT>`` in the train part of TimeBank (built by
``bench/build_event_lexicon.py``); a pair that is an event in at least half of its uses triggers
(a noun may have a row per number: "the sale of the unit" is an act, "sales rose" a revenue figure);
a participle before a noun ("the holding company", "a closely held firm") and a noun modifying a
noun ("loan-loss reserves") are modifiers, not events (5 % and 1 % of them are in TimeBank train); an unseen verb or adjective triggers unless words of its
part of speech in its dependency relation rarely are events (most predicative adjectives are not);
an unseen noun triggers when a date is attached to it ("the talks on July 26").
Participants are the entities named by the trigger's subject, object and prepositional objects.
The time anchor is a timex attached to the trigger (or to the verb a nominal or non-finite trigger
depends on); "the fourth anniversary of the victory" dates the victory four years before the
anniversary; otherwise the tense says before (PAST_REF), at (the publication date) or after
(FUTURE_REF) the publication.

Follows TimeML 1.2.1 EVENT guidelines (Saurí et al. 2006): the span is the head word only
("pulled" in "pulled back"); the particle is kept in ``trigger`` ("pull back").
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Token

from ..model import Event, Timex
from .context import Context
from .timegrammar import words

NEEDS: tuple[str, ...] = ("entities", "timexes")
GIVES = "events"

EVENT_RATIO = 0.5
"""A lemma/POS pair triggers when at least half of its TimeBank train uses are events (the majority
decision). With the lexicon built on the first 130 train files and scored on the other 42, 0.4, 0.5
and 0.6 gave span F1 0.764, 0.768 and 0.771: differences within noise, so the plain majority."""

_TRIGGER_POS = {"VERB", "NOUN", "ADJ", "AUX", "PROPN"}
_PARTICIPANT_DEPS = {"nsubj", "nsubjpass", "dobj", "iobj", "agent", "attr", "dative", "poss"}
_ARGUMENT_PREPS = {"with", "in", "of", "from", "at", "for", "to", "against"}
_INHERIT_DEPS = {"xcomp", "pcomp", "pobj", "dobj", "nsubj", "nsubjpass", "prep", "acl", "advcl", "attr", "appos",
                 "compound", "amod", "conj", "oprd"}
_NON_VERBAL_RATIO = 0.2
"""A verb relation rarer than this as an event in train overrides the lemma (amod 0.08, prep 0.12)."""
_MIN_RELATION_USES = 10
_STOP_DEPS = {"ccomp", "relcl", "parataxis"}
_ORDER_PREPS = {"after", "before", "since", "until", "till", "following", "prior"}
"""Prepositions that order their object relative to the head's time instead of placing it there."""
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_DAY = re.compile(r"^(\d{4})(-\d{2}-\d{2})?$")


@cache
def _lexicon() -> dict[tuple[str, str], tuple[int, int]]:
    """``(lemma, POS) -> (event uses, all uses)`` from data/event_lexicon.tsv."""
    table: dict[tuple[str, str], tuple[int, int]] = {}
    text = resources.files("newsfacts.data").joinpath("event_lexicon.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        lemma, pos, events, uses = line.split("\t")
        table[(lemma, pos)] = (int(events), int(uses))
    return table


def events(doc: Doc, ctx: Context) -> list[Event]:
    """Event mentions of the article, in document order.

    Args:
        doc: the parsed article.
        ctx: the article context with its entities and timexes.

    Returns:
        One ``Event`` per trigger token: ``trigger`` is the lemma (with a verb particle),
        ``participants`` entity ids, ``when`` a TIMEX3 value or None (no publication date).

    Example:
        "The U.S. went back to Iraq in 2014." -> Event(text="went", trigger="go back",
        participants=("gpe:u.s", "gpe:iraq"), when="2014").
    """
    timex_of = _timex_tokens(doc, ctx.timexes)
    in_timex = {i for i in timex_of}
    anchors = {i: t for i, t in timex_of.items()}
    found: list[Event] = []
    sent_of: list[tuple[int, int]] = []
    for sent in doc.sents:  # one pass: Token.sent rescans the doc for every token
        sent_of.extend([(sent.start_char, sent.end_char)] * len(sent))
    for token in doc:
        if token.i in in_timex or not _is_trigger(token, anchors):
            continue
        found.append(
            Event(
                span=(token.idx, token.idx + len(token.text)),
                text=token.text,
                trigger=_trigger(token),
                participants=_participants(token, ctx),
                when=_when(token, anchors, ctx),
                sentence=sent_of[token.i],
            )
        )
    return found


def _timex_tokens(doc: Doc, timexes: tuple[Timex, ...]) -> dict[int, Timex]:
    """Token index -> the DATE/TIME timex covering it."""
    out: dict[int, Timex] = {}
    for timex in timexes:
        span = doc.char_span(timex.span[0], timex.span[1], alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            out[tok.i] = timex
    return out


def _is_trigger(token: Token, anchors: dict[int, Timex]) -> bool:
    """Whether ``token`` is an event mention (lexicon, then the POS default)."""
    if token.pos_ not in _TRIGGER_POS or not token.is_alpha:
        return False
    if token.pos_ == "AUX" and token.dep_ in ("aux", "auxpass"):
        return False
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lemma_.lower() == "anniversary":
        return True  # an anniversary is always the anniversary of a happening
    if token.pos_ == "VERB" and _non_verbal_use(token, anchors):
        return False
    if token.pos_ == "NOUN" and token.dep_ == "compound":
        return False  # a noun modifying a noun names a kind of thing: "loan-loss reserves", "the sale price"
    lemma = token.lemma_.lower()
    counts = _lexicon().get((lemma, f"{token.pos_}:{token.tag_}")) or _lexicon().get((lemma, token.pos_))
    if counts is not None:
        return counts[0] >= EVENT_RATIO * counts[1]
    backoff = _lexicon().get(("*", f"{token.pos_}/{token.dep_}"))
    if backoff is not None and token.pos_ in ("VERB", "ADJ"):
        return backoff[0] >= EVENT_RATIO * backoff[1]
    if token.pos_ == "VERB":
        return True
    if token.pos_ == "ADJ":  # no backoff row for its relation: a predicative one may be a state
        return token.dep_ == "acomp"
    if token.pos_ in ("NOUN", "PROPN"):
        return any(c.dep_ == "prep" and any(g.i in anchors and anchors[g.i].type in ("DATE", "TIME")
                                            for g in c.children) for c in token.children)
    return False


def _non_verbal_use(token: Token, anchors: dict[int, Timex]) -> bool:
    """A verb form doing another word class's job, which TimeBank rarely tags: a participle before a
    noun ("a closely held firm", "the holding company"), one used as a preposition ("including",
    "compared with", not the reporting "according to"), the "ended" of a fiscal period
    ("the quarter ended Sept. 30") and "going to" as a future marker (TimeML tags the verb after it).
    The relations are those whose ``* VERB/dep`` train row is an event in under a fifth of its uses."""
    if _going_to(token):
        return True
    if token.dep_ == "acl" and token.lemma_ in ("end", "begin", "start") and token.head.lower_ in words()["unit"] and any(
            c.i in anchors for c in token.subtree if c.i != token.i):
        return True  # "the quarter ended Sept. 30" names a period: part of the time expression
    if token.lower_ == "according":
        return False  # "according to X" reports what X said: a REPORTING event in TimeML
    backoff = _lexicon().get(("*", f"VERB/{token.dep_}"))
    return backoff is not None and backoff[1] >= _MIN_RELATION_USES and backoff[0] < _NON_VERBAL_RATIO * backoff[1]


def _going_to(token: Token) -> bool:
    """Whether ``token`` is the "going" of the future "be going to VERB"."""
    return token.lemma_ == "go" and token.tag_ == "VBG" and any(
        c.dep_ == "xcomp" and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children) for c in token.children)


def _trigger(token: Token) -> str:
    particle = [c.lower_ for c in token.children if c.dep_ == "prt"]
    return " ".join([token.lemma_.lower(), *particle])


def _participants(token: Token, ctx: Context) -> tuple[str, ...]:
    """Entity ids of the trigger's arguments (subject, objects, prepositional objects, possessor), and of
    the entity a common-noun subject or object is attached to ("officials in Kenya said")."""
    heads: list[Token] = []
    for child in token.children:
        if child.dep_ in _PARTICIPANT_DEPS:
            heads.append(child)
            if child.dep_ in ("dobj", "nsubj", "nsubjpass") and ctx.entity_at(child.idx, child.idx + len(child.text)) is None:
                # "signed the treaty with France", "officials in Kenya said": the entity the argument belongs to
                heads.extend(g for p in child.children if p.dep_ == "prep" and p.lower_ in _ARGUMENT_PREPS
                             for g in p.children if g.dep_ == "pobj")
        elif child.dep_ == "prep":
            heads.extend(g for g in child.children if g.dep_ == "pobj")
    if token.dep_ in ("amod", "compound") and token.head.pos_ in ("NOUN", "PROPN"):
        heads.append(token.head)
    ids: list[str] = []
    for head in heads:
        for tok in (head, *[c for c in head.children if c.dep_ in ("compound", "conj")]):
            entity = ctx.entity_at(tok.idx, tok.idx + len(tok.text))
            if entity is not None and entity.id not in ids:
                ids.append(entity.id)
    return tuple(ids)


def _own_timex(token: Token, anchors: dict[int, Timex]) -> Timex | None:
    """A DATE/TIME timex syntactically attached to ``token`` (directly or through a preposition)."""
    for child in token.children:
        if child.i in anchors and anchors[child.i].type in ("DATE", "TIME"):
            return anchors[child.i]
        if child.dep_ == "prep":
            for grand in child.children:
                if grand.i in anchors and anchors[grand.i].type in ("DATE", "TIME"):
                    return anchors[grand.i]
    return None


def _when(token: Token, anchors: dict[int, Timex], ctx: Context) -> str | None:
    """The time anchor: an attached timex, an anniversary, the timex of the verb a nominal,
    non-finite or subjectless conjoined trigger depends on (not across "after"/"before"), else the tense."""
    current = token
    for _ in range(6):
        timex = _own_timex(current, anchors)
        if timex is not None:
            return _anniversary(token, current, timex.value)
        if current.head.i == current.i or current.dep_ in _STOP_DEPS or current.lower_ in _ORDER_PREPS:
            break  # "after the attack, X withdrew in 2021": the attack is not in 2021
        if _finite(current) and not _shares_subject(current):
            break
        if current is not token and current.pos_ in ("VERB", "AUX") and current.dep_ not in ("xcomp", "pcomp", "advcl"):
            break
        if current.dep_ not in _INHERIT_DEPS:
            break
        current = current.head
    return _by_tense(current if _finite(current) else token, ctx.published)


def _shares_subject(token: Token) -> bool:
    """A conjoined verb without a subject of its own ("marched on Saturday and clashed with police")
    shares the time of the verb it is conjoined to."""
    return token.dep_ == "conj" and token.head.pos_ in ("VERB", "AUX") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children)


def _finite(token: Token) -> bool:
    """A verb with its own tense ("will not pull out", "said"): it takes no time from another clause."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    return token.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(c.dep_ in ("aux", "auxpass") and c.lower_ != "to"
                                                             for c in token.children)


def _anniversary(token: Token, anchor_head: Token, value: str) -> str:
    """Date an event named as "the Nth anniversary of EVENT" N years before the anniversary's time."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() == "anniversary":
        anniversary = head.head
        ordinals = words()["ordinal"]
        for child in anniversary.children:
            n = ordinals.get(child.lower_)
            if child.dep_ == "amod" and n and n.isdigit():
                match = _DAY.match(value)
                if match and int(match.group(1)) > int(n):
                    year, rest = int(match.group(1)) - int(n), match.group(2) or ""
                    if rest and not _valid_day(year, rest):
                        rest = rest[:3]  # February 29 in a common year: keep the month
                    return f"{year:04d}{rest}"
    return value


def _valid_day(year: int, month_day: str) -> bool:
    """Whether ``-MM-DD`` exists in ``year``."""
    try:
        dt.date(year, int(month_day[1:3]), int(month_day[4:6]))
    except ValueError:
        return False
    return True


def _by_tense(token: Token, published: dt.date | None) -> str | None:
    """Before, at or after the publication: PAST_REF, the publication date, FUTURE_REF."""
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in _FUTURE_AUX for c in aux) or _going_to(verb):
        return "FUTURE_REF"
    if verb.tag_ == "VBD" or any(c.tag_ == "VBD" or c.lemma_ == "have" for c in aux):
        return "PAST_REF"
    return published.isoformat() if isinstance(published, dt.date) else "PRESENT_REF"

