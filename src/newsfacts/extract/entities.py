"""Entities: people, organizations and places, with titles, roles and aliases, clustered per article.

Starts from spaCy's NER and repairs what it gets systematically wrong in news: titles swallowed into
names ("President Obama"), name suffixes split off ("John Smith, Jr." with "Jr." as a place),
possessives and leading "the", demonyms tagged as places, well-known groups missed or mistyped
(an armed group's acronym read as a place, "Islamic State" as "Islamic"). Gazetteers in ``data/`` (pycountry countries and
US states, well-known aliases and acronyms, titles, demonyms) add and type names; a name recognized
once is recognized everywhere in the article ("one sense per discourse", Gale, Church & Yarowsky 1992).

Mentions are clustered: same gazetteer entry or normalized name; acronyms defined in the text ("the
Islamic State (ISIS)") or matching an organization's initials; apposed organizations; a surname
or first name alone joins the full name it abbreviates (when two people share a surname, the one
mentioned most so far, then the most recent, whose courtesy title agrees). Role nouns and pronouns are then linked by ``coref`` so that quotes can find the speaker of
"the press secretary explained" through ``Context.entity_at``.

Each entity's ``id`` is a cross-article key made from its coarse type and canonical name only
(``person:donald-trump``: first and last name and suffix, titles and middle names dropped;
``org:u-s-department-of-defense`` from the gazetteer), so parallel corpus jobs agree without a
shared registry. Titles (formal, AP style: "Maj. Gen.", "Sen.") and roles (premodifiers and
appositions: "Pentagon spokesman", "commander of the Combined Joint Task Force") are collected per
person.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from ..model import Entity
from . import coref
from .context import Context
from .marks import quoted_regions

NEEDS: tuple[str, ...] = ()
GIVES = "entities"

_KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
_KEY_PREFIX = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "norp"}
"""Coarse id prefixes: spaCy's GPE/LOC/FAC confusions must not split one place into two ids."""

MAX_NAME_TOKENS = 10
"""Longest gazetteer alias in tokens ("U.S. Department of Health and Human Services" is 7)."""

MAX_ROLE_TOKENS = 24
"""Longest apposition kept as a role: longer ones are clauses, not roles."""

_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}
_PARTICLES = {"de", "da", "di", "du", "del", "della", "van", "von", "der", "den", "la", "le", "bin", "ibn", "al", "el"}
_ACRONYM_STOPWORDS = {"of", "the", "and", "for", "&", "on", "in", "to", "a"}
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_UPPER = re.compile(r"[^\W\d_a-z]", re.UNICODE)
_LOWER = re.compile(r"[a-z]")
_COMMA_SUFFIX = re.compile(r",\s*((?:Jr|Sr)\.?|II|III|IV)$")
_TRAILING_PUNCT = re.compile(r"(?:[\s,;:\"“”]|''|``)+$")
_SUFFIX_AFTER = re.compile(r"^(?:,?\s(?:Jr|Sr)\.?(?![\w])|\s(?:II|III|IV)(?![\w]))")
_ACRONYM_DEF = re.compile(r"\s?\(\s?([A-Z][A-Za-z&.\-]{1,9})\s?\)")
_QUOTED_NICKNAME = re.compile(r"\s[\"“‘'][A-Z][\w.-]*[\"”’']\s")
_NICKNAME_NAME = re.compile(r"[A-Z][\w.’'-]*(?:\s[A-Z][\w.’'-]*)*\s[\"“][A-Z][\w.-]*[\"”]\s[A-Z][\w’'-]+")
_DATELINE = re.compile(
    r"(?m)^([A-Z][A-Z.'’-]+(?:\s[A-Z][A-Z.'’-]+){0,3})(?:,\s([A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?))?(?:\s\([A-Z]+\))?\s(?:-|—|–|―|--)\s"
)
_PARTY_TAG = re.compile(r"\((?:D|R|I|Ind|Dem|Rep)-[A-Z][^()\n]{0,30}\)")
_DATELINE_NOT_PLACES = {"THE", "A", "AN", "AND", "BUT", "OR", "IN", "ON", "AT", "UPDATE", "CORRECTION", "EDITOR'S", "EDITORS"}
_HEADLINE_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with", "from", "into"}
_ROLE_PREFIXES = re.compile(r"^(?:former|then-|acting|retired|Former|Acting|Retired)\s*")


@dataclass(slots=True)
class _Mention:
    """A working mention: character span, type, gazetteer canonical name, title span before it."""

    start: int
    end: int
    type: str
    known: str | None = None
    title: tuple[int, int] | None = None


@dataclass(slots=True)
class _ClusterInfo:
    """What one cluster collects before it becomes an ``Entity``."""

    type: str
    known: str | None
    titles: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Titles:
    """The title table: a regex of title chains and, per title, (role noun, gender, kind)."""

    chain_before: re.Pattern[str]
    chain_at_start: re.Pattern[str]
    info: dict[str, tuple[str | None, str | None, str]]


# ---------------------------------------------------------------- public helpers


def _fold(name: str) -> str:
    """Case- and apostrophe-insensitive form for comparing names ("De Blasio" ~ "de Blasio", "O’Neill" ~ "O'Neill")."""
    return name.lower().replace("’", "'")


@lru_cache(maxsize=8192)
def normalized_name(text: str) -> str:
    """The comparable form of a name: no leading "the", no possessive, no comma before a suffix.

    Example:
        >>> normalized_name("the Washington Post's")
        'Washington Post'
        >>> normalized_name("John Smith, Jr.")
        'John Smith Jr.'
    """
    name = _LEADING_THE.sub("", " ".join(text.split()))
    name = _POSSESSIVE.sub("", name).strip()
    name = _COMMA_SUFFIX.sub(r" \1", name)
    return _TRAILING_PUNCT.sub("", name)


def entity_key(entity_type: str, name: str) -> str:
    """A stable cross-article id from a coarse type and a canonical name.

    Example:
        >>> entity_key("PERSON", "Jane Doe"), entity_key("GPE", "Iraq")
        ('person:jane-doe', 'place:iraq')
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:  # a name in a non-Latin script: a digest keeps two such names apart
        slug = "u" + hashlib.sha1(unicodedata.normalize("NFC", name).encode("utf-8")).hexdigest()[:12]
    return f"{_KEY_PREFIX.get(entity_type.upper(), entity_type.lower())}:{slug}"


def person_key(name: str) -> str:
    """The cross-article key of a person's name: first name, last name and suffix only.

    Titles, middle names and initials are dropped, so "Donald J. Trump" and "President Donald Trump"
    agree; a known person (``aliases.tsv`` PERSON rows) keeps the gazetteer's canonical name.

    Example:
        >>> person_key("Donald J. Trump")
        'person:donald-trump'
    """
    known = _gazetteer().get(normalized_name(name))
    if known and known[0] == "PERSON":
        return entity_key("PERSON", known[1])
    first, last, suffix = _person_parts(_strip_title(normalized_name(name)))
    return entity_key("PERSON", " ".join(p for p in (_formal_first(first), last, suffix) if p))


def _formal_first(first: str | None) -> str | None:
    """The formal form of a first name for keys ("Bill" -> "William"), from ``data/nicknames.tsv``."""
    return _nicknames().get(first, first) if first else first


# ---------------------------------------------------------------- the extractor


def entities(doc: Doc, ctx: Context) -> list[Entity]:
    """People, organizations and places of the article, clustered, in order of first mention.

    Args:
        doc: the parsed article.
        ctx: the extraction context (entities need nothing upstream).

    Returns:
        One ``Entity`` per cluster; ``mentions`` include coreferent role nouns and pronouns.

    Example:
        "Army spokeswoman Jane Doe said ... the press secretary explained." -> one PERSON
        ``person:jane-doe`` with roles ``("Army spokeswoman", "press secretary")``.
    """
    text = ctx.text_of(doc)
    if not text.strip():
        return []
    mentions = _name_mentions(doc, text)
    if not mentions:
        return []
    _fix_types(mentions, text)
    clusters = _cluster(doc, text, mentions)
    return _assemble(doc, text, mentions, clusters)


# ---------------------------------------------------------------- gazetteers


def _data_rows(name: str) -> Iterator[list[str]]:
    text = resources.files("newsfacts").joinpath("data", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@cache
def _gazetteer() -> dict[str, tuple[str, str]]:
    """``alias -> (type, canonical name)`` from countries.tsv (pycountry) then aliases.tsv (wins)."""
    table: dict[str, tuple[str, str]] = {}
    for name in ("countries.tsv", "aliases.tsv"):
        for kind, canonical, aliases in _data_rows(name):
            for alias in aliases.split("|"):
                table[alias] = (kind, canonical)
    return table


@cache
def _nicknames() -> dict[str, str]:
    """``diminutive -> formal first name`` ("Bobby" -> "Robert")."""
    return {nick: formal for nick, formal in _data_rows("nicknames.tsv")}


@cache
def _demonyms() -> dict[str, str]:
    """``demonym -> singular demonym`` ("Iraqis" -> "Iraqi"): the NORP key of a group name."""
    table: dict[str, str] = {}
    place_first: dict[str, str] = {}
    for demonym, place in _data_rows("demonyms.tsv"):
        key = place if place != "-" else demonym.rstrip("s")
        first = place_first.setdefault(key, demonym) if place != "-" else demonym
        table[demonym] = first if place != "-" else demonym
    for demonym in list(table):
        if demonym.endswith("s") and demonym[:-1] in table:
            table[demonym] = table[demonym[:-1]]
    return table


@cache
def _titles() -> _Titles:
    """The title table and regexes matching a chain of titles right before a name or at its start."""
    info: dict[str, tuple[str | None, str | None, str]] = {}
    for title, role, gender, kind in _data_rows("titles.tsv"):
        info[title] = (None if role == "-" else role, None if gender == "-" else gender, kind)
    alternation = "|".join(re.escape(t) for t in sorted(info, key=len, reverse=True))
    chain = rf"(?:{alternation})(?:\s+(?:{alternation}))*"
    before = re.compile(rf"(?:^|(?<=[\s(\"“—-]))({chain})\s+$")
    at_start = re.compile(rf"^({chain})\s+(?=\S)")
    return _Titles(before, at_start, info)


def _strip_title(name: str) -> str:
    match = _titles().chain_at_start.match(name)
    return name[match.end() :] if match and match.end() < len(name) else name


# ---------------------------------------------------------------- mentions


def _name_mentions(doc: Doc, text: str) -> list[_Mention]:
    """Named mentions: spaCy's entities repaired, gazetteer names, in-text acronyms, propagated names."""
    found: list[_Mention] = []
    headlines = _title_case_lines(text)
    for ent in doc.ents:
        if ent.label_ not in _KEPT_LABELS:
            continue
        h = bisect.bisect_right(headlines, (ent.start_char, len(text))) - 1
        if h >= 0 and ent.end_char <= headlines[h][1]:
            continue
        for lo, hi, label in _ent_parts(ent):
            mention = _trimmed(text, ent[lo].idx, ent[hi - 1].idx + len(ent[hi - 1].text), label)
            if mention is not None:
                found.append(mention)
    found = _join_suffixes(text, found)
    found = _join_nicknames(text, found)
    mostly_caps = _mostly_caps(text)
    found = _outside_party_tags(text, found)
    datelines = _dateline_places(text)
    if datelines:
        found = _override(found, datelines)
    index = _token_index(doc, text)
    found = _merge_gazetteer(found, _outside_party_tags(text, _gazetteer_matches(index, mostly_caps)))
    found = _add_acronym_definitions(text, found)
    found = _propagate(doc, index, found, headlines)
    return _outside_party_tags(text, found)


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Spans of headline-style lines ("Obama Sees 'Personal Insult' if Black Voters Stay Home").

    spaCy's NER reads every capitalized word there as a name; their entities are dropped and the
    names the body recognizes are found in them again by propagation and the gazetteer.
    """
    lines: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        words = re.findall(r"[A-Za-z][\w'’-]*", line)
        if len(words) >= 4 and len(line) < 200:
            lowered = [w for w in words if w[0].islower() and len(w) > 3 and w not in _HEADLINE_SMALL_WORDS]
            if len(lowered) <= len(words) // 10:
                lines.append((start, start + len(line)))
        start += len(line) + 1
    return lines


def _not_name_start(tok: Token) -> bool:
    """A token spaCy put at the start of a PERSON that is no part of a name ("Crooked", "- ", "Floridians")."""
    return (
        tok.pos_ in ("ADJ", "DET", "VERB", "INTJ", "PUNCT")
        or tok.tag_ in ("VBG", "NN", "NNS")
        or tok.lower_ in ("a", "an", "rip")
        or tok.text in _demonyms()
    )


def _ent_parts(ent: Span) -> list[tuple[int, int, str]]:
    """Token ranges ``(lo, hi, label)`` of an entity after splitting what spaCy glued together.

    Leading adjectives and determiners of a person ("Crooked", "a") go; a name stops before a verb
    (title-case headlines: "Obama Says ..."); a possessive splits two names ("the Green Party's Jill
    Stein" -> ORG + PERSON, a two- or three-word capitalized tail being a person's name).
    """
    label = ent.label_
    n = len(ent)
    lo = 0
    while label == "PERSON" and lo < n - 1 and _not_name_start(ent[lo]):
        lo += 1
    hi = n
    for k in range(lo + 1, n):
        if ent[k].pos_ in ("VERB", "AUX") and ent[k].tag_ in ("VBZ", "VBD", "VBP", "MD"):
            hi = k
            break
    parts: list[tuple[int, int, str]] = []
    if label in ("ORG", "FAC"):
        for k in range(lo + 1, hi - 1):
            if ent[k].lower_ in ("in", "on", "at") and _gazetteer().get(ent[k + 1 : hi].text, ("",))[0] in ("GPE", "LOC"):
                return [(lo, k, label), (k + 1, hi, "GPE")]
            if ent[k].text in ("-", "/") and ent[k - 1].text[:1].isupper() and ent[k + 1].text[:1].isupper():
                left, right = ent[lo:k].text, ent[k + 1 : hi].text
                if left in _gazetteer() or right in _gazetteer():
                    return [(lo, k, label), (k + 1, hi, label)]
    for k in range(lo + 1, hi - 1):
        if ent[k].tag_ == "POS":
            tail = [t for t in ent[k + 1 : hi]]
            if tail and all(t.text[:1].isupper() for t in tail):
                tail_label = "PERSON" if 2 <= len(tail) <= 3 and label in ("ORG", "GPE", "NORP") else label
                parts.append((lo, k, label))
                parts.append((k + 1, hi, tail_label))
                return parts
            return [(lo, k, label)]
    return [(lo, hi, label)]


def _trimmed(text: str, start: int, end: int, label: str) -> _Mention | None:
    """An entity span without leading "the", titles (for people), possessive and trailing commas."""
    span = text[start:end]
    lead = _LEADING_THE.match(span)
    if lead:
        start += lead.end()
    span = text[start:end]
    tail = _POSSESSIVE.search(span)
    if tail and tail.start() > 0:
        end = start + tail.start()
    span = text[start:end]
    tail = _TRAILING_PUNCT.search(span)
    if tail:
        end = start + tail.start()
    title: tuple[int, int] | None = None
    if label == "PERSON":
        match = _titles().chain_at_start.match(text[start:end])
        if match:
            title = (start, start + len(match.group(1)))
            start += match.end()
    span = text[start:end]
    if not span.strip() or span in _SUFFIXES or span in _titles().info or not any(c.isalnum() for c in span):
        return None
    return _Mention(start, end, label, title=title)


def _join_suffixes(text: str, found: list[_Mention]) -> list[_Mention]:
    """Attach "Jr."/"Sr."/"III" to the PERSON before it and drop the suffix's own (mis)labelled entity."""
    found.sort(key=lambda m: m.start)
    out: list[_Mention] = []
    swallowed_until = -1
    for mention in found:
        if mention.start < swallowed_until:
            continue
        if mention.type == "PERSON":
            match = _SUFFIX_AFTER.match(text[mention.end : mention.end + 6])
            if match:
                mention.end += match.end()
                swallowed_until = mention.end
        out.append(mention)
    return out


def _join_nicknames(text: str, found: list[_Mention]) -> list[_Mention]:
    """Rejoin a person's name split at a quoted nickname: ``Robert C. "Bobby" Scott`` is one mention."""
    out: list[_Mention] = []
    swallowed_until = -1
    for mention in found:
        if mention.start < swallowed_until:
            continue
        if mention.type == "PERSON":
            match = _NICKNAME_NAME.match(text, mention.start, min(len(text), mention.end + 40))
            if match and match.end() > mention.end and "\n" not in match.group():
                mention.end = match.end()
                swallowed_until = mention.end
        out.append(mention)
    return out


def _outside_party_tags(text: str, found: list[_Mention]) -> list[_Mention]:
    """Drop mentions inside party-state tags ("Sen. Ted Cruz (R-Tex.)"): the state there is no mention."""
    tags = [m.span() for m in _PARTY_TAG.finditer(text)]
    if not tags:
        return found
    starts = [s for s, _ in tags]
    kept = []
    for m in found:
        k = bisect.bisect_right(starts, m.start) - 1
        if k >= 0 and m.end <= tags[k][1]:
            continue
        kept.append(m)
    return kept


def _override(found: list[_Mention], winners: list[_Mention]) -> list[_Mention]:
    """``winners`` (sorted, disjoint) replace every mention they overlap."""
    starts = [w.start for w in winners]
    kept = []
    for m in found:
        k = bisect.bisect_left(starts, m.end) - 1
        if k >= 0 and winners[k].end > m.start:
            continue
        kept.append(m)
    return sorted(kept + winners, key=lambda m: m.start)


def _dateline_places(text: str) -> list[_Mention]:
    """Places of datelines ("NEWPORT NEWS, Va. -", "WASHINGTON (AP) --") at paragraph starts."""
    places: list[_Mention] = []
    for match in _DATELINE.finditer(text):
        if match.group(1).split()[0] in _DATELINE_NOT_PLACES:
            continue
        for group in (1, 2):
            if match.group(group):
                known = _gazetteer().get(match.group(group))
                places.append(_Mention(match.start(group), match.end(group), "GPE", known=known[1] if known else None))
    return places


def _mostly_caps(text: str) -> bool:
    """True for all-caps text, where acronym aliases ("US", "WHO") would match ordinary words."""
    sample = text[:5000]
    upper, lower = len(_UPPER.findall(sample)), len(_LOWER.findall(sample))
    return upper + lower > 0 and upper > 0.6 * (upper + lower)


@dataclass(frozen=True, slots=True)
class _TokenIndex:
    """Token offsets and which tokens may start a name, read from the Doc once per article."""

    text: str
    starts: list[int]
    ends: list[int]
    name_start: list[bool]


def _token_index(doc: Doc, text: str) -> _TokenIndex:
    """Offsets from one ``Doc.to_array`` call: creating a Token object per token costs more than the rest."""
    if not len(doc):
        return _TokenIndex(text, [], [], [])
    rows = doc.to_array(["IDX", "LENGTH"]).tolist()
    starts = [r[0] for r in rows]
    ends = [r[0] + r[1] for r in rows]
    name_start = [text[s].isupper() or text[s].isdigit() or text[s : s + 3].lower() in ("al ", "al-") for s in starts]
    return _TokenIndex(text, starts, ends, name_start)


def _token_runs(index: _TokenIndex, max_tokens: int) -> Iterator[tuple[int, int, str]]:
    """Every ``(start, end, text)`` run of 1..max_tokens tokens starting at a capitalized token, longest first."""
    text, starts, ends = index.text, index.starts, index.ends
    n = len(starts)
    for i in range(n):
        if not index.name_start[i]:
            continue
        start = starts[i]
        for j in range(min(n, i + max_tokens) - 1, i - 1, -1):
            yield start, ends[j], text[start : ends[j]]


def _gazetteer_matches(index: _TokenIndex, mostly_caps: bool) -> list[_Mention]:
    """Non-overlapping longest matches of gazetteer aliases, left to right (linear: <= 10 lookups per token)."""
    table = _gazetteer()
    matches: list[_Mention] = []
    next_free = 0
    for start, end, span in _token_runs(index, MAX_NAME_TOKENS):
        if start < next_free:
            continue
        hit = table.get(span)
        if hit is None or "\n" in span:
            continue
        if mostly_caps and span.isupper() and len(span.replace(".", "")) <= 4:
            continue
        matches.append(_Mention(start, end, hit[0], known=hit[1]))
        next_free = end
    return matches


def _merge_gazetteer(found: list[_Mention], matches: list[_Mention]) -> list[_Mention]:
    """Gazetteer names replace the spaCy entities they cover and type the ones they equal.

    A spaCy entity strictly containing a gazetteer name wins ("Iraqi Security Forces" over "Iraqi"
    when unknown); an equal span takes the gazetteer's canonical name and type, except that a PERSON
    keeps its type against a place of the same name ("Jordan").
    """
    found.sort(key=lambda m: m.start)
    starts = [m.start for m in found]
    drop: set[int] = set()
    extra: list[_Mention] = []
    for g in matches:
        k = bisect.bisect_left(starts, g.start)
        lo = k - 1 if k > 0 and found[k - 1].end > g.start else k
        overlapping = []
        while lo < len(found) and found[lo].start < g.end:
            if found[lo].end > g.start:
                overlapping.append(lo)
            lo += 1
        if not overlapping:
            extra.append(g)
            continue
        if len(overlapping) == 1:
            m = found[overlapping[0]]
            if (m.start, m.end) == (g.start, g.end):
                if not (m.type == "PERSON" and g.type in ("GPE", "LOC")):
                    m.type, m.known = g.type, g.known
                continue
            if m.start <= g.start and g.end <= m.end:
                continue
        if all(g.start <= found[i].start and found[i].end <= g.end for i in overlapping) or all(
            (g.end - g.start) > (found[i].end - found[i].start) for i in overlapping
        ):
            drop.update(overlapping)
            extra.append(g)
    kept = [m for i, m in enumerate(found) if i not in drop] + extra
    kept.sort(key=lambda m: m.start)
    return kept


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in _ACRONYM_STOPWORDS]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


def _acronym_matches(acronym: str, name: str) -> bool:
    """True when an acronym's capitals are the initials of a name ("DHS" ~ "Department of Homeland Security")."""
    letters = "".join(c for c in acronym if c.isupper())
    return len(letters) >= 2 and letters == _initials(name)


def _add_acronym_definitions(text: str, found: list[_Mention]) -> list[_Mention]:
    """"the Islamic State (ISIS)": add the acronym as a mention typed and named like the long form."""
    by_end = {m.end: m for m in found}
    by_start = {m.start: m for m in found}
    extra: list[_Mention] = []
    for match in _ACRONYM_DEF.finditer(text):
        long = by_end.get(match.start())
        if long is None or long.type == "PERSON":
            continue
        acronym = match.group(1)
        long_text = normalized_name(text[long.start : long.end])
        if not (_acronym_matches(acronym, long_text) or (long.known and _gazetteer().get(acronym, ("", ""))[1] == long.known)):
            continue
        s, e = match.start(1), match.end(1)
        if s not in by_start:
            extra.append(_Mention(s, e, long.type, known=long.known or f"={long_text}"))
        elif by_start[s].known is None:
            by_start[s].type, by_start[s].known = long.type, long.known or f"={long_text}"
        if long.known is None:
            long.known = f"={long_text}"
    return sorted(found + extra, key=lambda m: m.start)


def _propagate(doc: Doc, index: _TokenIndex, found: list[_Mention], headlines: list[tuple[int, int]]) -> list[_Mention]:
    """Recognize every other occurrence of a name the article already names (and people's surnames).

    In headline lines every word is capitalized, so there a known name needs no free-standing check.
    """
    text = index.text
    names: dict[str, _Mention] = {}
    for m in found:
        span = text[m.start : m.end]
        if len(span) >= 2 and any(c.isupper() for c in span) and "\n" not in span:
            names.setdefault(span, m)
    for m in found:
        if m.type != "PERSON":
            continue
        words = normalized_name(text[m.start : m.end]).split()
        first, last, _ = _person_parts(" ".join(words))
        if first and last:
            for variant in {last, last.replace("’", "'"), last.replace("'", "’"), last.upper() if len(last) >= 3 else last}:
                names.setdefault(variant, _Mention(0, 0, "PERSON"))
    for m in list(found):
        span = normalized_name(text[m.start : m.end])
        if m.type == "ORG" and m.known is None and len(span.split()) >= 3:
            acronym = _initials(span)
            if len(acronym) >= 3 and acronym not in _gazetteer():
                names.setdefault(acronym, _Mention(0, 0, "ORG"))  # joined to the long form by _join_acronym
    if not names:
        return found
    longest = max(len(n.split()) for n in names) + 3
    covered = sorted((m.start, m.end) for m in found)
    cov_starts = [s for s, _ in covered]
    extra: list[_Mention] = []
    next_free = 0
    for start, end, span in _token_runs(index, min(longest, MAX_NAME_TOKENS)):
        if start < next_free:
            continue
        source = names.get(span)
        if source is None:
            continue
        k = bisect.bisect_right(cov_starts, end) - 1
        if k >= 0 and covered[k][1] > start:
            continue
        h = bisect.bisect_right(headlines, (start, len(text))) - 1
        in_headline = h >= 0 and end <= headlines[h][1]
        if not in_headline and not _free_standing(doc, start, end):
            continue
        extra.append(_Mention(start, end, source.type, known=source.known))
        next_free = end
    return sorted(found + extra, key=lambda m: m.start)


def _free_standing(doc: Doc, start: int, end: int) -> bool:
    """A propagated name must not be part of a longer unrecognized name ("Ivanka Trump", "Trump Tower")."""
    span = doc.char_span(start, end)
    if span is None:
        return False
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if (
        before is not None
        and before.pos_ == "PROPN"
        and before.text[:1].isupper()
        and not before.is_sent_start
        and before.text not in _titles().info
    ):
        return False
    if after is not None and after.pos_ == "PROPN" and after.text[:1].isupper():
        return False
    first = span[0]
    return not (len(span) == 1 and first.is_sent_start and first.is_stop)


def _fix_types(mentions: list[_Mention], text: str) -> None:
    """Demonyms are NORP, a person's name is PERSON wherever spaCy typed it otherwise."""
    demonyms = _demonyms()
    person_names: set[str] = set()
    for m in mentions:
        if m.type == "PERSON":
            name = normalized_name(text[m.start : m.end])
            first, last, _ = _person_parts(name)
            if first and last:
                person_names.update((_fold(name), _fold(last)))
    for m in mentions:
        span = normalized_name(text[m.start : m.end])
        if m.known is None and span in demonyms and m.type in ("GPE", "LOC", "ORG", "PERSON"):
            m.type = "NORP"
        elif m.known is None and m.type != "PERSON" and _fold(span) in person_names:
            m.type = "PERSON"


# ---------------------------------------------------------------- people's names


def _person_parts(name: str) -> tuple[str | None, str, str | None]:
    """``(first, last, suffix)`` of a person's name; ``first`` is None for a surname alone.

    Example:
        >>> _person_parts("Bill de Blasio")
        ('Bill', 'de Blasio', None)
    """
    name = _QUOTED_NICKNAME.sub(" ", name)
    words = [w for w in name.replace(",", " ").split() if w]
    suffix = None
    if len(words) > 1 and words[-1] in _SUFFIXES:
        word = words.pop()
        suffix = word if word in ("II", "III", "IV") else word.rstrip(".") + "."
    if not words:
        return None, name, suffix
    if len(words) == 1 or words[0].lower() in _PARTICLES:
        return None, " ".join(words), suffix
    cut = len(words) - 1
    for i in range(1, len(words) - 1):
        if words[i].lower() in _PARTICLES:
            cut = i
            break
    return words[0], " ".join(words[cut:]), suffix


# ---------------------------------------------------------------- clustering


class _UnionFind:
    """Disjoint sets over mention indices (path halving)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _cluster(doc: Doc, text: str, mentions: list[_Mention]) -> _UnionFind:
    """Group mentions: same key; acronyms and appositions of organizations; surnames to full names."""
    uf = _UnionFind(len(mentions))
    by_key: dict[tuple[str, ...], int] = {}
    initials: dict[str, int] = {}
    full_by_last: dict[str, list[int]] = {}
    full_by_first: dict[str, set[tuple[str, ...]]] = {}
    key_of: list[tuple[str, ...]] = []
    fallback: dict[int, str] = {}
    for i, m in enumerate(mentions):
        name = normalized_name(text[m.start : m.end])
        if m.type == "PERSON" and m.known is not None and not m.known.startswith("="):
            first, last, suffix = _person_parts(m.known)
            if _person_parts(name)[0] is None:
                key = ("person?", _fold(last))
                fallback[i] = m.known
            else:
                key = ("known", m.known)
                full_by_last.setdefault(_fold(last), []).append(i)
                if first:
                    full_by_first.setdefault(_fold(first), set()).add(key)
        elif m.known is not None:
            key = ("known", m.known)
        elif m.type == "PERSON":
            first, last, suffix = _person_parts(name)
            if first:
                key = ("person", _fold(_formal_first(first) or ""), _fold(last), suffix or "")
                full_by_last.setdefault(_fold(last), []).append(i)
                full_by_first.setdefault(_fold(first), set()).add(key)
            else:
                key = ("person?", _fold(last))
        else:
            key = (_KEY_PREFIX[m.type], (_demonyms().get(name, name) if m.type == "NORP" else name).lower())
            if m.type == "ORG" and len(name.split()) >= 2:
                initials.setdefault(_initials(name), i)
        key_of.append(key)
        if key[0] == "person?":
            continue
        if key in by_key:
            uf.union(by_key[key], i)
        else:
            by_key[key] = i
    _join_short_names(text, mentions, uf, key_of, by_key, full_by_last, full_by_first, fallback)
    for i, m in enumerate(mentions):
        if key_of[i][0] == "org" and m.known is None:
            _join_acronym(uf, i, text[m.start : m.end], initials)
    _join_appositions(doc, text, mentions, uf)
    return uf


def _join_short_names(
    text: str,
    mentions: list[_Mention],
    uf: _UnionFind,
    key_of: list[tuple[str, ...]],
    by_key: dict[tuple[str, ...], int],
    full_by_last: dict[str, list[int]],
    full_by_first: dict[str, set[tuple[str, ...]]],
    fallback: dict[int, str],
) -> None:
    """A surname alone joins the full name it abbreviates; a first name alone its only full name.

    Among people sharing the surname: the one mentioned most so far (news keep the bare surname for
    the principal and first names for relatives), then the most recent, whose courtesy title agrees
    ("Mr. Obama" is not "Michelle Obama"); before any full name, a well-known person of the gazetteer,
    else the first full name after. Linear: candidates are indexed by surname.
    """
    info = _titles().info
    gender_of: dict[tuple[str, ...], str] = {}
    last_seen: dict[tuple[str, ...], int] = {}
    count: Counter[tuple[str, ...]] = Counter()
    title_gender: dict[int, str | None] = {}
    for i, m in enumerate(mentions):
        if m.type == "PERSON":
            span = _title_before(text, m)
            parts = _title_parts(text[span[0] : span[1]], info) if span else []
            title_gender[i] = next((g for _, (_, g, _) in parts if g), None)
    for i, m in enumerate(mentions):
        key = key_of[i]
        gender = title_gender.get(i)
        if key[0] == "person" or (key[0] == "known" and m.type == "PERSON"):
            last_seen[key] = i
            count[key] += 1
            if gender:
                gender_of.setdefault(key, gender)
            continue
        if key[0] != "person?":
            continue
        candidates = list(dict.fromkeys(key_of[c] for c in full_by_last.get(key[1], [])))
        candidates = [k for k in candidates if gender is None or gender_of.get(k) in (None, gender)]
        famous = ("known", fallback[i]) if i in fallback else None
        if famous is not None and famous in last_seen and famous not in candidates:
            candidates.append(famous)
        before = [k for k in candidates if k in last_seen]
        target: tuple[str, ...] | None = None
        if before:
            target = max(before, key=lambda k: (count[k], last_seen[k]))
        elif famous is not None:
            target = famous
        elif candidates:
            target = candidates[0]
        else:
            firsts = full_by_first.get(key[1], set())
            target = next(iter(firsts)) if len(firsts) == 1 else key
        if target != famous:
            m.known = None
        if target not in by_key:
            by_key[target] = i
        uf.union(by_key[target], i)
        last_seen[target] = i
        count[target] += 1
        if gender:
            gender_of.setdefault(target, gender)


def _join_acronym(uf: _UnionFind, i: int, span: str, initials: dict[str, int]) -> None:
    """An unknown all-caps ORG joins the article's organization whose initials it spells."""
    if 2 <= len(span) <= 8 and span.replace(".", "").replace("&", "").isupper():
        letters = "".join(c for c in span if c.isupper())
        if letters in initials:
            uf.union(initials[letters], i)


def _join_appositions(doc: Doc, text: str, mentions: list[_Mention], uf: _UnionFind) -> None:
    """"the Joint Task Force, Operation Northern Shield": apposed organizations are one."""
    for i, (a, b) in enumerate(zip(mentions, mentions[1:])):
        if a.type != "ORG" or b.type != "ORG" or text[a.end : b.start].strip() != ",":
            continue
        second = doc.char_span(b.start, b.end)
        first = doc.char_span(a.start, a.end)
        if second is None or first is None:
            continue
        root = second.root
        if root.dep_ == "appos" and first.start <= root.head.i < first.end:
            uf.union(i, i + 1)


# ---------------------------------------------------------------- titles, roles, output


def _title_before(text: str, mention: _Mention) -> tuple[int, int] | None:
    """The span of a title chain written right before a name ("Maj. Gen. John Smith")."""
    if mention.title is not None:
        return mention.title
    window_start = max(0, mention.start - 60)
    match = _titles().chain_before.search(text[window_start : mention.start])
    if match is None:
        return None
    return window_start + match.start(1), window_start + match.end(1)


def _roles(doc: Doc, start: int, end: int) -> list[str]:
    """Roles of a person from a premodifier ("Army spokeswoman Jane Doe") and an apposition after it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return []
    roles: list[str] = []
    j = span.start - 1
    last_noun = None
    while j >= 0 and doc[j].pos_ in ("NOUN", "ADJ", "PROPN") and not doc[j].is_punct and not doc[j + 1].is_sent_start:
        if last_noun is None:
            last_noun = doc[j]
        j -= 1
    if last_noun is not None and last_noun.pos_ == "NOUN" and last_noun.text.islower() and j + 1 <= last_noun.i:
        role = _ROLE_PREFIXES.sub("", doc[j + 1 : last_noun.i + 1].text)
        if role:
            roles.append(role)
    after = span.end
    if after + 1 < len(doc) and doc[after].text == ",":
        for tok in doc[after + 1 : min(len(doc), after + 4)]:
            if tok.dep_ == "appos" and span.start <= tok.head.i < span.end and tok.pos_ == "NOUN":
                left, right = tok.left_edge.i, tok.right_edge.i
                while left <= right and doc[left].pos_ in ("DET", "PUNCT"):
                    left += 1
                while right >= left and doc[right].is_punct:
                    right -= 1
                if left <= right and right - left < MAX_ROLE_TOKENS:
                    roles.append(_ROLE_PREFIXES.sub("", doc[left : right + 1].text))
                break
    return roles


def _assemble(doc: Doc, text: str, mentions: list[_Mention], uf: _UnionFind) -> list[Entity]:
    """Build the entities: canonical name and id, titles and roles, coreferent role nouns and pronouns."""
    groups: dict[int, list[int]] = {}
    for i in range(len(mentions)):
        groups.setdefault(uf.find(i), []).append(i)
    titles = _titles()
    sent_starts = coref.sentence_starts(doc)
    lowers = coref.token_lowers(doc)
    info: dict[int, _ClusterInfo] = {}
    people: dict[int, coref.Person] = {}
    named: list[coref.PersonMention] = []
    for root, members in groups.items():
        types = Counter(mentions[i].type for i in members)
        known = next((mentions[i].known for i in members if mentions[i].known), None)
        kind = _cluster_type(types, [mentions[i] for i in members])
        entry = _ClusterInfo(kind, known)
        info[root] = entry
        if kind != "PERSON":
            continue
        person = coref.Person()
        people[root] = person
        for i in members:
            m = mentions[i]
            title = _title_before(text, m)
            if title is not None:
                chain = text[title[0] : title[1]]
                entry.aliases.append(text[title[0] : m.end])
                for part, (role_noun, gender, title_kind) in _title_parts(chain, titles.info):
                    person.gender = person.gender or gender
                    if title_kind == "formal":
                        entry.titles.append(part)
                        if role_noun:
                            person.groups |= coref.role_groups(role_noun) | {role_noun}
            for role in _roles(doc, m.start, m.end):
                entry.roles.append(role)
                person.groups |= coref.role_groups(role)
                person.gender = person.gender or coref.role_gender(role)
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and len(span):
                root_tok = span.root
                sent = bisect.bisect_right(sent_starts, root_tok.i) - 1
                named.append(coref.PersonMention(m.start, m.end, root, root_tok.dep_ in ("nsubj", "nsubjpass"), sent))
    named.sort(key=lambda p: p.start)
    taken = [(m.start, m.end) for m in mentions]
    extra: dict[int, list[tuple[int, int, str]]] = {}
    if people:
        roles = coref.role_noun_mentions(doc, text, taken, lowers)
        taken.sort()
        taken_starts = [s for s, _ in taken]
        for s, e, cluster, role in coref.resolve(doc, people, named, roles, quoted_regions(text), lowers, text):
            k = bisect.bisect_right(taken_starts, s) - 1
            if k >= 0 and taken[k][1] > s:
                continue  # a pronoun inside a name ("HE'S" in an all-caps line)
            extra.setdefault(cluster, []).append((s, e, role))
    out: list[Entity] = []
    for root, members in groups.items():
        entry = info[root]
        out.append(_entity(text, [mentions[i] for i in members], entry, extra.get(root, [])))
    out.sort(key=lambda e: e.mentions[0])
    return out


def _title_parts(chain: str, table: dict[str, tuple[str | None, str | None, str]]) -> list[tuple[str, tuple[str | None, str | None, str]]]:
    """Split a title chain ("Mr. President") into known titles, longest first from the left."""
    parts: list[tuple[str, tuple[str | None, str | None, str]]] = []
    rest = chain.strip()
    ordered = sorted(table, key=len, reverse=True)
    while rest:
        for title in ordered:
            if rest.startswith(title) and (len(rest) == len(title) or rest[len(title)].isspace()):
                parts.append((title, table[title]))
                rest = rest[len(title) :].strip()
                break
        else:
            break
    return parts


def _cluster_type(types: Counter[str], members: list[_Mention]) -> str:
    """Gazetteer type first, then PERSON when a full name is among the mentions, else the majority."""
    for m in members:
        if m.known and not m.known.startswith("="):
            return m.type
    if types.get("PERSON"):
        return "PERSON" if types["PERSON"] * 2 >= sum(types.values()) or len(members) == 1 else types.most_common(1)[0][0]
    return types.most_common(1)[0][0]


def _entity(text: str, members: list[_Mention], entry: _ClusterInfo, extra: list[tuple[int, int, str]]) -> Entity:
    """One output entity: name, id, aliases, titles, roles, every mention span in order."""
    kind = entry.type
    known = entry.known
    surfaces = [normalized_name(text[m.start : m.end]) for m in members]
    if kind == "PERSON":
        gazetteer_person = known if isinstance(known, str) and not known.startswith("=") else None
        full = [s for s in surfaces if _person_parts(s)[0]]
        name = gazetteer_person or (max(full, key=len) if full else max(surfaces, key=len))
        key = person_key(name) if full or gazetteer_person else entity_key("PERSON", _person_parts(name)[1])
    else:
        if isinstance(known, str) and known.startswith("="):
            name = known[1:]
            key = entity_key(kind, name)
        elif isinstance(known, str):
            name = known
            key = entity_key(kind, known)
        else:
            counts = Counter(surfaces)
            name = max(counts, key=lambda s: (counts[s], len(s)))
            if kind == "NORP":
                name = _demonyms().get(name, name)
            key = entity_key(kind, name)
    aliases: list[str] = []
    seen = {name}
    candidates = [text[m.start : m.end] for m in members] + entry.aliases
    if kind == "PERSON":
        candidates += [parts[1] for parts in map(_person_parts, surfaces) if parts[0]]
    candidates += [text[s:e] for s, e, role in extra if role]
    for alias in candidates:
        alias = " ".join(alias.split())
        if alias and alias not in seen:
            seen.add(alias)
            aliases.append(alias)
    spans = sorted({(m.start, m.end) for m in members} | {(s, e) for s, e, _ in extra})
    roles = list(dict.fromkeys(entry.roles + [r for _, _, r in extra if r]))
    return Entity(
        id=key,
        name=name,
        type=kind,
        aliases=tuple(aliases),
        titles=tuple(dict.fromkeys(entry.titles)),
        mentions=tuple(spans),
        roles=tuple(roles),
    )
