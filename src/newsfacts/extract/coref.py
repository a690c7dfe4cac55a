"""Role-noun and pronoun coreference for people: "the press secretary", "he" -> the person meant.

A small salience model in the spirit of Lappin & Leass (1994, "An algorithm for pronominal anaphora
resolution"): candidates are the people mentioned in the same or the two previous sentences, filtered
by gender agreement, ranked by sentence recency, then grammatical subject, then closeness. A definite
role noun ("the spokesman", "the senator") is linked only to a person whose title or role in the
article belongs to the same role group ("Pentagon spokesman" ~ "the press secretary"), the most recent
one. Pronouns inside quotations are left alone: there "he" is rarely the person being quoted.

Shared with the quotes extractor through the entity mentions (``Context.entity_at``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Token

PRONOUN_GENDER = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
"""Third-person singular personal pronouns and their grammatical gender."""

SENTENCE_WINDOW = 2
"""How many sentences back a pronoun looks for its antecedent: news pronouns almost always refer to
a person named in the same or the previous sentence (Lappin & Leass use the same small window)."""

MAX_CANDIDATES = 40
"""Mentions inspected backwards per pronoun at most: keeps a 10,000-name list article linear."""

_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_ROLE_MODIFIER_POS = {"ADJ", "NOUN", "PROPN"}


@dataclass(slots=True)
class Person:
    """What coreference knows about one person cluster of the article."""

    gender: str | None = None
    groups: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class PersonMention:
    """A mention already attributed to a person cluster (names first, then resolved ones)."""

    start: int
    end: int
    cluster: int
    subject: bool
    sentence: int


@cache
def role_nouns() -> dict[str, tuple[str, str | None]]:
    """``role noun -> (group, gender)`` from ``data/role_nouns.tsv`` (loaded once)."""
    table: dict[str, tuple[str, str | None]] = {}
    text = resources.files("newsfacts").joinpath("data", "role_nouns.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        noun, group, gender = line.split("\t")
        table[noun] = (group, None if gender == "-" else gender)
    return table


def role_groups(text: str) -> set[str]:
    """The role groups named in a role or title text ("Pentagon spokesman" -> {"spokesperson"}).

    Example:
        >>> sorted(role_groups("Republican presidential nominee"))
        ['candidate']
    """
    nouns = role_nouns()
    words = re.findall(r"[a-z][a-z-]*", text.lower())
    found = {nouns[w][0] for w in words if w in nouns}
    found |= {nouns[f"{a} {b}"][0] for a, b in zip(words, words[1:]) if f"{a} {b}" in nouns}
    return found


def role_gender(text: str) -> str | None:
    """The gender a role text implies ("spokeswoman" -> "f"), if any."""
    nouns = role_nouns()
    for word in re.findall(r"[a-z][a-z-]*", text.lower()):
        if word in nouns and nouns[word][1]:
            return nouns[word][1]
    return None


def token_lowers(doc: Doc) -> list[int]:
    """The LOWER hash of every token, read in one call (no Token objects for the scans below)."""
    return doc.to_array("LOWER").tolist() if len(doc) else []


def role_noun_mentions(
    doc: Doc, text: str, taken: Iterable[tuple[int, int]], lowers: list[int] | None = None
) -> list[tuple[int, int, str]]:
    """Definite singular role-noun phrases ``(start, end, role text)`` not inside a name mention.

    "the press secretary explained" -> ``(s, e, "press secretary")``; a role noun directly followed by
    a proper name ("the Army spokeswoman Jane Doe") is a premodifier, not a mention of its own.

    Example:
        "The U.S. mission will now be to advise, the press secretary explained." -> "the press secretary"
    """
    nouns = role_nouns()
    strings = doc.vocab.strings
    first_words = {strings.add(noun.split()[0]) for noun in nouns}
    lowers = token_lowers(doc) if lowers is None else lowers
    blocked = sorted(taken)
    starts = [s for s, _ in blocked]
    found: list[tuple[int, int, str]] = []
    n = len(doc)
    i = 0
    while i < n:
        if lowers[i] not in first_words:
            i += 1
            continue
        tok = doc[i]
        head_end = i + 1
        if i + 1 < n and f"{tok.lower_} {doc[i + 1].lower_}" in nouns and doc[i + 1].text.islower():
            head_end = i + 2
        elif tok.lower_ not in nouns:
            i += 1
            continue
        head = doc[head_end - 1]
        if not head.text.islower() or head.tag_ not in ("NN", "NNP") or head.pos_ not in ("NOUN", "PROPN"):
            i += 1
            continue
        if head_end < n and doc[head_end].pos_ == "PROPN" and doc[head_end].text[:1].isupper():
            i = head_end
            continue
        j = i - 1
        while j >= 0 and doc[j].pos_ in _ROLE_MODIFIER_POS and not doc[j + 1].is_sent_start:
            j -= 1
        if j < 0 or doc[j].lower_ != "the":
            i = head_end
            continue
        start, end = doc[j].idx, head.idx + len(head.text)
        k = bisect.bisect_right(starts, end) - 1
        if k >= 0 and blocked[k][1] > start:
            i = head_end
            continue
        found.append((start, end, text[doc[j + 1].idx : end]))
        i = head_end
    return found


def resolve(
    doc: Doc,
    people: dict[int, Person],
    named: list[PersonMention],
    roles: list[tuple[int, int, str]],
    quoted: list[tuple[int, int]],
    lowers: list[int] | None = None,
    text: str | None = None,
) -> list[tuple[int, int, int, str]]:
    """Link role-noun phrases and pronouns to person clusters, in document order.

    Args:
        doc: the parsed article.
        people: person cluster id -> gender and role groups (updated as links are made).
        named: the name mentions of people, sorted by start.
        roles: candidate role-noun phrases from ``role_noun_mentions``.
        quoted: quoted regions (``marks.quoted_regions``); pronouns inside them are skipped.
        lowers: ``token_lowers(doc)`` when the caller has it already.
        text: the article text; with it, a role phrase set off after a name ("Martin Indyk, the
            president of ...") is that person's, whatever the earlier roles.

    Returns:
        ``(start, end, cluster, role text or "")`` for every linked mention.
    """
    events: list[tuple[int, int, str]] = [(s, e, r) for s, e, r in roles]
    quoted_starts = [s for s, _ in quoted]
    pronoun_hashes = {doc.vocab.strings.add(p) for p in PRONOUN_GENDER}
    lowers = token_lowers(doc) if lowers is None else lowers
    for i, lower in enumerate(lowers):
        if lower not in pronoun_hashes:
            continue
        tok = doc[i]
        if tok.pos_ != "PRON":
            continue
        q = bisect.bisect_right(quoted_starts, tok.idx) - 1
        if q >= 0 and quoted[q][0] <= tok.idx < quoted[q][1]:
            continue
        events.append((tok.idx, tok.idx + len(tok.text), ""))
    events.sort()
    sent_starts = sentence_starts(doc)
    mentions = list(named)
    starts = [m.start for m in mentions]
    linked: list[tuple[int, int, int, str]] = []
    for start, end, role in events:
        tok = _token_at(doc, start)
        if tok is None:
            continue
        sent = bisect.bisect_right(sent_starts, tok.i) - 1
        cut = bisect.bisect_left(starts, start)
        if role:
            cluster = _apposed(mentions, cut, start, text) if text is not None else None
            if cluster is None:
                cluster = _role_antecedent(mentions, cut, people, role)
        else:
            cluster = _pronoun_antecedent(mentions, cut, people, PRONOUN_GENDER[tok.lower_], sent)
        if cluster is None:
            continue
        person = people[cluster]
        if role:
            person.groups |= role_groups(role)
            person.gender = person.gender or role_gender(role)
        else:
            person.gender = person.gender or PRONOUN_GENDER[tok.lower_]
        mention = PersonMention(start, end, cluster, tok.dep_ in _SUBJECT_DEPS, sent)
        mentions.insert(cut, mention)
        starts.insert(cut, start)
        linked.append((start, end, cluster, role))
    return linked


def _apposed(mentions: list[PersonMention], cut: int, start: int, text: str) -> int | None:
    """The person named right before an appositive role phrase ("Martin Indyk, the president ...")."""
    if cut and text[mentions[cut - 1].end : start].strip() == ",":
        return mentions[cut - 1].cluster
    return None


def _role_antecedent(mentions: list[PersonMention], cut: int, people: dict[int, Person], role: str) -> int | None:
    """The most recent person (before the phrase) whose titles or roles share the phrase's role group."""
    groups = role_groups(role)
    gender = role_gender(role)
    seen: set[int] = set()
    for m in reversed(mentions[max(0, cut - 4 * MAX_CANDIDATES) : cut]):
        if m.cluster in seen:
            continue
        seen.add(m.cluster)
        person = people[m.cluster]
        if groups & person.groups and (gender is None or person.gender in (None, gender)):
            return m.cluster
    return None


def _pronoun_antecedent(
    mentions: list[PersonMention], cut: int, people: dict[int, Person], gender: str, sent: int
) -> int | None:
    """The best gender-compatible person of the last sentences: recent sentence, then subject, then close."""
    best: tuple[int, int, int] | None = None
    best_cluster: int | None = None
    for k in range(cut - 1, max(-1, cut - 1 - MAX_CANDIDATES), -1):
        m = mentions[k]
        distance = sent - m.sentence
        if distance > SENTENCE_WINDOW:
            break
        if people[m.cluster].gender not in (None, gender):
            continue
        rank = (distance, 0 if m.subject else 1, cut - k)
        if best is None or rank < best:
            best, best_cluster = rank, m.cluster
    return best_cluster


def _token_at(doc: Doc, start: int) -> Token | None:
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def sentence_starts(doc: Doc) -> list[int]:
    """Token index of each sentence start (one entry for an unparsed doc), read in one array call."""
    if len(doc) and (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        flags = doc.to_array("SENT_START").tolist()
        starts = [i for i, flag in enumerate(flags) if flag == 1]
        return starts if starts and starts[0] == 0 else [0, *starts]
    return [0]
