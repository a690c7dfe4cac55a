"""Quotations: direct, split, mixed and indirect, each with its speaker, cue, addressee and channel.

The attribution relations of an article are found once, by ``attributions`` (shared with
``extract.claims``), from two sources of evidence:

- the parse: a cue verb from ``data/cue_verbs.tsv`` (learned from PolNeAR train) with its subject as
  the source and its clausal complement (or object, or the clause it interrupts, "X, he said, Y"; or
  the person asked with the request, "asked them to ...") as the content, running to the end of the
  cue's clause; a cue noun with its clause ("the claim that ...", "her pledge to ..."); "according
  to X" / "per X";
- the quotation marks (``marks.quoted_regions``): a content touching a quoted stretch grows to cover
  it; a quoted stretch right after an attribution sentence continues that quote (a split quote); a
  paragraph that is only a quote continues the last speaker; a quote paragraph signed with a dash
  (below it, or after it on its line) is the signer's;
- the layout: "Name: ..." headlines and colon leads.

A relation nested in another one's content ("X said [Y wants Z]") is dropped, as PolNeAR annotates
the report, and so is a second relation over the same stretch of content ("declined to say X": one
relation, from the first cue); raising cues ("seemed to"), passive subjects ("is expected to") and "Asked about ..."
participles name no source.

The unquoted relations with a cue verb then pass a learned filter (``_attribution_filter``: a logistic
regression over parse features, fitted on PolNeAR train by ``bench/attribution_filter.py``), which drops
the uses of weak cues ("see", "support", "offer") that PolNeAR would not annotate.

Speakers are resolved to entities through the entity clusters first (``EntityIndex``, the same answer
as ``ctx.entity_at`` by bisection), then by rule: a pronoun goes to the
previous speaker or the most recent person, a role noun ("the spokesman") to the person introduced
with that role ("Army spokeswoman Jane Doe"), else to the previous speaker.

Guideline followed: PolNeAR (Newell, Margolin & Ruths, LREC 2018) for what an attribution is and
where its content starts and ends (indirect content is the complement clause; beliefs and
intentions count). Everything here is linear in the article's length (bisect lookups, one pass over
tokens and quoted regions), so a 5,000-quote article costs no more per quote than a short one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import Entity, Mention, Quote, Span
from . import _attribution_filter as _filter
from .context import Context
from .marks import quoted_regions

NEEDS: tuple[str, ...] = ("entities", "timexes")
GIVES = "quotes"

Offsets = tuple[int, int]

_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_CLOSING_MARKS = {'"', "”", "''", "’’"}
_RAISING = {"seem", "appear"}
"""Cues whose subject is not who holds the view ("Trump seemed to suggest ..."): PolNeAR train gives
these a source in 12 of 194 attributions; the view is the writer's."""
_CLIMB = {"xcomp", "advcl", "conj", "pcomp"}
"""A cue verb without a subject of its own takes the subject of the verb it hangs from: "declined to
say", "said ..., adding that", "said and added"."""
_CONTENT_PREPS = {"about", "for", "against", "of", "at", "as"}
"""Prepositions whose object is the content of a cue ("called for X", "warned of X"); "to" and "on"
are left out because after a speech verb they mostly name the addressee or the day."""
_TO_CUES = {"refer", "point", "allude"}
"""Cues whose "to" phrase is what they talk about ("pointed to the cost", "referring to Obama"); after other
speech verbs "to" names the addressee."""
_PRONOUNS_PERSON = {"he", "she", "i", "him", "her"}
_PRONOUNS_GROUP = {"they", "we"}
_RELATIVE = {"who", "that", "which"}
_ADDRESSEE_VERBS = {"tell", "ask", "inform", "remind", "assure", "warn", "urge", "email", "write"}
_CONTINUATION_PARAGRAPHS = 2
"""A speakerless quote paragraph continues the last speaker when that quote is at most two
paragraphs back: the usual layout of a long quote broken by the paper's paragraphing."""
_MIN_QUOTE_WORDS = 4
"""Quoted stretches shorter than this with no cue of their own are scare quotes or titles."""
_MIN_CONTENT_WORDS = 1
"""Shortest unquoted content. PolNeAR annotates one-word objects of cues too ("endorsed Clinton", "praised
Obama"): train content F1 0.6864 with two words at least, 0.6874 with one; a lone pronoun ("defended it")
is still left out, it says nothing."""
_LOOKBACK = 30
"""Earlier person mentions (or speakers) looked at for a pronoun: a bound that keeps resolution linear."""
_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s")
_GENDER_OF = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}
_HEADLINE_CHARS = 160
"""Longest line read as a headline ("Source: what they say"); PolNeAR titles are under 150 characters."""
_HEADLINE_LEAD = 40
"""The colon of a headline attribution comes within its first 40 characters (a name or a short noun phrase)."""
_SPLIT_GAP = 300
"""Characters of attribution text that may sit between two parts of one split quote (a speaker with a
long apposition: '"X," Doe, the ... who ..., said on Monday. "Y."'). Train: 200 -> 300 adds ten joined
quotes (direct recall 0.952 -> 0.953); longer gaps change nothing more."""
_LEAD_TOKENS = 6
"""Longest verbless lead ("Former secretary of state Hillary Clinton") before a colon that opens a quote."""
_BYLINE_CHARS = 120
"""Longest dash line read as the signature of the quote paragraph above it ("- Sanders.")."""
_SPEAKER_WINDOW = 40
"""Tokens read on either side of an uncued quotation for its voicing subject (bounded: linear time)."""
_ORPHAN_WORDS = 6
"""Shortest unclaimed quotation kept as a quote of its own. Measured on PolNeAR train (content F1 / direct
recall): none 0.684/0.941, 4 words 0.684/0.955, 6 words 0.6855/0.953, 8 words 0.6857/0.951, 10 words
0.6857/0.951; shorter ones are mostly titles and scare quotes. 6 keeps F1 on its plateau with the most
direct quotes."""
_RESUME_WORDS = 20
"""At most this many words of narration (time, place, occasion, an apposition on the speaker) after the
cue of a quote broken off by a comma, before the quote resumes after a comma. Train: 10 -> 20 joins six
more quotes (direct recall 0.953 -> 0.954); 30 changes nothing more."""


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution relation before it becomes a Quote or a Claim (shared with ``claims``).

    ``kind`` is a quote kind (direct, split, mixed, indirect) or a claim kind (according_to,
    reported, belief, intention); ``cue_class`` is the class of the cue verb (speech, belief,
    intention, report, according).
    """

    content: Offsets
    parts: tuple[Offsets, ...]
    kind: str
    cue_class: str
    source: Offsets | None
    source_head: Offsets | None
    cue: Offsets | None
    addressee: Offsets | None
    channel: Offsets | None
    sentence: Offsets
    attribution: Offsets
    quoted: bool
    entity: str | None = None


_CLAUSE_ONLY_BELOW = 0.5
"""Cues whose train precision is below this are weak: with nobody holding them ("were offered") they are no
attribution, and they do not take a quotation before them as what they report. Only the weakest of them,
under ``_OBJECTS_FROM``, need a clause: "she believes that ..." is an attribution, "she believes in God"
rarely is."""


_OBJECTS_FROM = 0.3
"""A weak cue takes its object as content ("offered a defense of X", "supported the bill") from this train
precision on, and the learned filter decides whether the relation stays. Cross-validated content F1 on train
(bench/attribution_filter.py): 0.7150 at 0.3, 0.7144 at 0 (every cue), 0.7046 at 0.5 (objects only for the
strong cues, as before the filter)."""


@cache
def cue_verbs() -> dict[str, str]:
    """Cue verb lemma -> class (speech, belief, intention, report), from ``data/cue_verbs.tsv``."""
    return {lemma: row[0] for lemma, row in _cue_table().items()}


@cache
def _cue_table() -> dict[str, tuple[str, float, float]]:
    text = files("newsfacts").joinpath("data/cue_verbs.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {row[0]: (row[1], float(row[4]) if int(row[3]) else 1.0, float(row[5])) for row in rows}


def _clause_only(verb: Token, below: float = _CLAUSE_ONLY_BELOW) -> bool:
    """A weak cue needs a clause, unless a person or group holds it and the cue is strong with such subjects."""
    entry = _cue_table().get(verb.lemma_.lower())
    if entry is None or entry[1] >= below:
        return False
    if entry[2] < _AGENT_PRECISION:
        return True
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is None or not (
        subject.ent_type_ in ("PERSON", "ORG", "NORP") or subject.lower_ in ("he", "she", "they")
    )


_AGENT_PRECISION = 0.65
"""A weak cue takes its object too ("Doe offered a defense of ...", "the union attacked the plan") when its
train precision with a person, group or pronoun subject (column 6 of cue_verbs.tsv) reaches this.
Train content F1: 0.6855 without, 0.6856 at 0.7, 0.6864 at 0.65, 0.6863 at 0.6, 0.6859 at 0.5."""


@cache
def cue_nouns() -> dict[str, str]:
    """Cue noun -> class ("claim" -> speech, "fear" -> belief), from ``data/cue_nouns.tsv``."""
    text = files("newsfacts").joinpath("data/cue_nouns.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {row[0]: row[1] for row in rows}


@cache
def owned_cue_nouns() -> frozenset[str]:
    """Cue nouns that report a relation only with a holder ("her plan to ...", "Doe's idea that ..."): third
    column "owner" of ``data/cue_nouns.tsv``.

    Without one ("the plan to widen the road") the source is not named and often not what the article
    attributes. Measured on train: cross-validated content F1 0.7060 -> 0.7063 with "plan", "decision",
    "proposal", "refusal", "commitment", "willingness", "idea", "notion" added this way, source accuracy
    unchanged (0.903); added without the owner condition, 0.7070 but source accuracy 0.903 -> 0.901.
    """
    text = files("newsfacts").joinpath("data/cue_nouns.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return frozenset(row[0] for row in rows if len(row) > 2 and row[2] == "owner")


@cache
def attitude_adjectives() -> dict[str, str]:
    """Adjective -> class ("eager" -> intention), from ``data/attitude_adjectives.tsv``."""
    text = files("newsfacts").joinpath("data/attitude_adjectives.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {row[0]: row[1] for row in rows}


@cache
def _word_list(name: str) -> frozenset[str]:
    text = files("newsfacts").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def role_nouns() -> frozenset[str]:
    """Nouns that name a person by role ("spokesman", "secretary"), from ``data/role_nouns.txt``."""
    return _word_list("role_nouns.txt")


def channel_nouns() -> frozenset[str]:
    """Nouns that name the channel of a statement ("statement", "interview"), from ``data/channels.txt``."""
    return _word_list("channels.txt")


def quotes(doc: Doc, ctx: Context) -> list[Quote]:
    """The quotations of an article: direct, split, mixed, and indirect speech of a person.

    Args:
        doc: the parsed article.
        ctx: the article, its entities and time expressions.

    Returns:
        Quotes in document order; indirect speech whose source is not a person (an organization,
        "officials", a poll) is left to ``claims``.

    Example:
        ``"It is over," Doe told reporters. "We stay."`` gives one split quote with two parts,
        speaker "Doe", cue "told", addressee "reporters".
    """
    text = ctx.text_of(doc)
    when = TimeIndex(ctx)
    found = []
    for att in attributions(doc, ctx):
        if att.quoted or (att.kind == "indirect" and _is_person_source(doc, text, att)):
            found.append(_to_quote(text, when, att))
    return found


def _to_quote(text: str, when: TimeIndex, att: Attribution) -> Quote:
    start, end = att.content
    speaker = Mention(att.source, text[att.source[0] : att.source[1]], att.entity) if att.source else None
    return Quote(
        span=(start, end),
        text=text[start:end],
        parts=att.parts,
        kind=att.kind,  # type: ignore[arg-type]
        speaker=speaker,
        cue=_span(text, att.cue),
        addressee=_span(text, att.addressee),
        channel=_span(text, att.channel),
        when=when.at(*att.attribution),
        sentence=att.sentence,
    )


def _span(text: str, offsets: Offsets | None) -> Span | None:
    return Span(offsets, text[offsets[0] : offsets[1]]) if offsets else None


def _is_person_source(doc: Doc, text: str, att: Attribution) -> bool:
    """A person speaks: the source resolves to a PERSON, or is a singular pronoun or role noun."""
    if att.source_head is None:
        return False
    if att.entity is not None:
        return att.entity.startswith("person:")
    head = text[att.source_head[0] : att.source_head[1]].lower()
    return head in _PRONOUNS_PERSON or (
        _lemma_at(doc, att.source_head) in role_nouns() and not _plural(doc, att.source_head)
    )


# --- the shared attribution finder ------------------------------------------------------------


def attributions(doc: Doc, ctx: Context) -> list[Attribution]:
    """Every attribution relation of the article (quotes and claims), in document order.

    The candidates of ``candidate_attributions`` that the learned filter keeps (all quotations, and
    the unquoted relations that ``_attribution_filter`` scores as PolNeAR-like).

    Args:
        doc: the parsed article.
        ctx: the article and its entities (for speaker resolution).

    Returns:
        Relations whose content, source and cue are character spans; ``quotes`` and ``claims`` split
        them between them.

    Example:
        ``City officials have said that the plant could close.`` gives one relation: content
        "that the plant could close", source "City officials", cue "said", kind indirect.
    """
    text = ctx.text_of(doc)
    precision = cue_precision()
    return finish([att for att in candidate_attributions(doc, ctx) if _filter.keep(doc, text, att, precision)])


def finish(kept: list[Attribution]) -> list[Attribution]:
    """The last steps after the filter: mixed quotations nested in a kept report go, then duplicates."""
    return _distinct(_outermost(kept, mixed=True))


@cache
def cue_precision() -> dict[str, tuple[float, float]]:
    """Cue verb lemma -> (train precision, precision with a person, group or pronoun subject)."""
    return {lemma: (row[1], row[2]) for lemma, row in _cue_table().items()}


def candidate_attributions(doc: Doc, ctx: Context) -> list[Attribution]:
    """Every attribution relation the rules find, before the learned filter (arguments and result as
    ``attributions``; bench/attribution_filter.py trains the filter on these candidates)."""
    text = ctx.text_of(doc)
    regions = quoted_regions(text)
    region_of = _token_regions(doc, regions)
    breaks = [m.start() for m in re.finditer("\n", text)]
    found: list[Attribution] = []
    markup = _markup_tokens(doc, text)
    for token in doc:
        if region_of[token.i] >= 0 or token.i in markup:
            continue  # cues inside a quotation belong to the quoted speaker's own reports
        att = (
            _from_according(doc, token)
            or _from_verb(doc, token, region_of, regions)
            or _from_noun(doc, token)
            or _from_noun_prep(doc, token)
            or _from_adjective(doc, token)
        )
        if att is not None:
            att = _in_paragraph(att, text, breaks)
        if att is not None:
            found.append(att)
    found.extend(_headlines(doc, text, breaks))
    found.extend(_colon_leads(doc, text, regions, found))
    found.extend(_bylines(doc, text, regions, _Lines(breaks, len(text))))
    found = _dedupe(found)
    found = _with_regions(doc, text, found, regions, _Lines(breaks, len(text)))
    found = [
        a
        for a in found
        if a.quoted or (_words(text, a.content) >= _MIN_CONTENT_WORDS and not _lone_pronoun(doc, a.content))
    ]
    resolver = _Resolver(doc, text, ctx, regions)
    resolved = []
    for att in found:
        resolved.append(replace(att, entity=resolver.resolve(att)))
        resolver.remember(resolved[-1])
    return _outermost(resolved)


_MARKUP = re.compile(r"<[a-zA-Z/][^<>\n]{0,300}>")
"""An HTML-like tag left in the text (``<tweet author="..." datetime="...">``): its words are no narration."""


def _markup_tokens(doc: Doc, text: str) -> set[int]:
    """Indices of the tokens inside markup tags (one regex pass; tags are short)."""
    out: set[int] = set()
    for match in _MARKUP.finditer(text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def _lone_pronoun(doc: Doc, content: Offsets) -> bool:
    """A content that is one pronoun or determiner ("it", "this"): nothing said."""
    span = doc.char_span(content[0], content[1], alignment_mode="expand")
    return span is not None and len(span) == 1 and span[0].pos_ in ("PRON", "DET")


def _outermost(found: list[Attribution], *, mixed: bool = False) -> list[Attribution]:
    """Without the unquoted relations nested in another one's content: "X said [Y wants to Z]".

    PolNeAR annotates the report and rarely the attitude inside it: on train, an unquoted relation whose
    cue and content lie inside another relation's content matches gold 22 % of the time, below what
    keeps F1 rising. It stays when the outer one is a split quotation (its content spans the
    attribution between the parts) or has the same source. One sweep in document order, keeping the
    earlier relation that reaches furthest.

    With ``mixed`` (the pass after the learned filter), a mixed quotation nested that way goes too ("she
    said that he believed the judge was 'biased'": the report is annotated, not the belief it quotes);
    train content F1 0.7005 -> 0.7021, direct-quote recall unchanged. Direct quotations always stay.
    """
    order = sorted(range(len(found)), key=lambda n: (found[n].content[0], -found[n].content[1]))
    dropped: set[int] = set()
    reach: Attribution | None = None
    for n in order:
        att = found[n]
        if (
            reach is not None
            and (not att.quoted or (mixed and att.kind == "mixed"))
            and att.cue is not None
            and att.content != reach.content
            and att.content[1] <= reach.content[1]
            and reach.content[0] <= att.cue[0] < reach.content[1]
            and reach.kind != "split"
            and att.source != reach.source
        ):
            dropped.add(n)
            continue
        if reach is None or att.content[1] > reach.content[1]:
            reach = att
    return [att for n, att in enumerate(found) if n not in dropped]


_RECENT = 8
"""Earlier kept relations a content is compared with in ``_distinct`` (a bound that keeps it linear)."""


def _distinct(found: list[Attribution]) -> list[Attribution]:
    """One relation per stretch of content: of two whose contents cover at least half of each other, the one
    starting first stays.

    A chain of cues gives the same content twice ("declined to say whether X": declined and say; "pledged to
    oppose X"); PolNeAR annotates it once, from the first cue, and a second copy is a sure false positive.
    Train content F1 0.7021 -> 0.707, direct-quote recall 0.9566 -> 0.9563. One sweep in content order,
    each relation compared with the last few kept ones.
    """
    order = sorted(range(len(found)), key=lambda n: (found[n].content[0], -found[n].content[1], n))
    kept: list[int] = []
    for n in order:
        a = found[n].content
        if any(_half_each(a, found[k].content) for k in kept[-_RECENT:]):
            continue
        kept.append(n)
    return [found[n] for n in sorted(kept)]


def _half_each(a: Offsets, b: Offsets) -> bool:
    """The two spans overlap by at least half of each (the scorer's notion of the same content)."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap > 0 and 2 * overlap >= a[1] - a[0] and 2 * overlap >= b[1] - b[0]


def _headlines(doc: Doc, text: str, breaks: list[int]) -> list[Attribution]:
    """ "Graham: Trump's Rhetoric Destroying GOP's Chance": a short line whose verbless lead names who says it.

    PolNeAR marks these headline attributions with the colon as cue; a line qualifies when it is at
    most ``_HEADLINE_CHARS`` long and what precedes the colon is a short noun phrase with a name or noun.
    """
    found = []
    starts = [0] + [b + 1 for b in breaks]
    for k, start in enumerate(starts):
        end = breaks[k] if k < len(breaks) else len(text)
        if not 0 < end - start <= _HEADLINE_CHARS:
            continue
        colon = text.find(":", start, min(end, start + _HEADLINE_LEAD))
        if colon == -1 or not text[start].isupper() or len(text[colon + 1 : end].split()) < 3:
            continue
        lead = doc.char_span(start, colon, alignment_mode="contract")
        lead = _after_from(lead) if lead is not None else None
        if lead is None or not len(lead) or len(lead) > 5 or lead.text.lower() in _word_list("line_labels.txt"):
            continue
        if any(t.pos_ in ("VERB", "AUX", "NUM") for t in lead) or not any(t.pos_ in ("PROPN", "NOUN") for t in lead):
            continue
        content = (colon + 1 + len(text[colon + 1 : end]) - len(text[colon + 1 : end].lstrip()), end)
        content = (content[0], content[0] + len(text[content[0] : content[1]].rstrip()))
        if content[1] <= content[0]:
            continue
        found.append(
            _layout_attribution(
                content,
                source=(lead.start_char, lead.end_char),
                head=lead.root,
                cue=(colon, colon + 1),
                sentence=(start, end),
                attribution=(start, colon + 1),
            )
        )
    return found


def _colon_leads(doc: Doc, text: str, regions: list[Offsets], found: list[Attribution]) -> list[Attribution]:
    """``- Philip Bump: “...”`` / ``From the report: "..."``: a verbless name before a colon owns the quote.

    Transcripts, roundups and quoted tweets introduce a quotation by its speaker and a colon alone;
    PolNeAR marks the colon as the cue. The lead is at most ``_LEAD_TOKENS`` tokens back to the line
    start, a sentence end or a dash, holds a noun or a name and no verb; a leading "from" is dropped.
    """
    colons = {a.cue[0] for a in found if a.cue is not None}
    out = []
    for region in regions:
        if _words(text, region) < _MIN_QUOTE_WORDS:
            continue
        window = max(0, region[0] - 8)
        colon = window + len(text[window : region[0]].rstrip(" \t“\"'‘«\xa0")) - 1
        if colon < 0 or text[colon] != ":" or colon in colons:
            continue
        token = doc.char_span(colon, colon + 1)
        if token is None:
            continue
        j = token.start - 1
        while j >= 0 and token.start - j <= _LEAD_TOKENS and "\n" not in doc[j].text_with_ws:
            if doc[j].text in (".", "?", "!", ";", "-", "—", "–", "]", ")", "[") or doc[j].is_space:
                break
            j -= 1
        if token.start - j > _LEAD_TOKENS:
            continue
        lead = _after_from(doc[j + 1 : token.start])
        if not len(lead) or lead.text.lower() in _word_list("line_labels.txt"):
            continue
        if any(t.pos_ in ("VERB", "AUX", "NUM", "PRON") for t in lead) or not any(
            t.pos_ in ("PROPN", "NOUN") for t in lead
        ):
            continue
        sent = doc.char_span(region[0], region[1], alignment_mode="expand")
        out.append(
            _layout_attribution(
                region,
                source=(lead.start_char, lead.end_char),
                head=lead.root,
                cue=(colon, colon + 1),
                sentence=(lead.start_char, sent.end_char if sent is not None else region[1]),
                attribution=(lead.start_char, colon + 1),
            )
        )
    return out


def _bylines(doc: Doc, text: str, regions: list[Offsets], lines: _Lines) -> list[Attribution]:
    """A quote paragraph signed with a dash: ``"I will look into it."`` / ``- Hillary Clinton.``

    Fact-check and roundup layouts credit a quotation with a dash line below it, or with a dash and
    the name after the closing mark on the same line (``“...” ― Jane Doe``); PolNeAR marks the dash
    as the cue and the name (up to the first comma) as the source.
    """
    out = []
    for region in regions:
        start = lines.start_of(region[0])
        end = lines.end_of(region[1])
        if region[0] - start > 4 or text[start : region[0]].strip(" \t“\"„«'‘”"):
            continue  # not a paragraph that opens with the quotation
        same = _SIGNATURE.match(text, region[1], min(end, region[1] + _BYLINE_CHARS))
        if same is not None and same.end() == end:  # the signature runs to the line end
            dash, line_end, name_at = same.start(1), end, same.start(2)
        else:
            if end == len(text) or end - region[1] > 4 or text[region[1] : end].strip(" ”\"’'.,"):
                continue  # the quotation does not end its paragraph (and no long rescans of the line)
            dash = end
            while dash < len(text) and text[dash] in "\n \t":
                dash += 1
            line_end = lines.end_of(dash)
            line = text[dash:line_end]
            if not line or line[0] not in _DASHES or len(line) > _BYLINE_CHARS:
                continue
            name_at = dash + len(line) - len(line[1:].lstrip())
        name = text[name_at:line_end].split(",")[0].rstrip(" .")
        if not name or not name[0].isupper() or len(name.split()) > _LEAD_TOKENS:
            continue
        source = doc.char_span(name_at, name_at + len(name), alignment_mode="expand")
        if source is None or any(t.pos_ in ("VERB", "AUX") for t in source):
            continue
        out.append(
            _layout_attribution(
                region,
                source=(source.start_char, source.end_char),
                head=source.root,
                cue=(dash, dash + 1),
                sentence=(start, line_end),
                attribution=(dash, line_end),
            )
        )
    return out


_DASHES = "-—–―"
_SIGNATURE = re.compile(r"[”\"’'.,]{0,2}[ \t\xa0]*([-—–―])-?[ \t\xa0]*([A-Z][^\n]*)")
"""After a closing mark, on the same line: a dash and a capitalized name (``” ― Jane Doe``)."""


def _after_from(lead: SpacySpan) -> SpacySpan:
    """The source of a lead without its "From" ("From the report:" -> "the report")."""
    preps = [t.i for t in lead if t.lower_ == "from"]
    return lead.doc[preps[-1] + 1 : lead.end] if preps else lead


def _in_paragraph(att: Attribution, text: str, breaks: list[int]) -> Attribution | None:
    """The relation clipped to its cue's paragraph: a parse that reaches over a line break is not trusted.

    A paragraph that ends in a colon ("Cruz continued:") lends its cue to the next paragraph.
    """
    if att.cue is None:
        return att
    size = len(text)
    i = bisect.bisect_left(breaks, att.cue[0])
    lo = breaks[i - 1] + 1 if i > 0 else 0
    hi = breaks[i] if i < len(breaks) else size
    cue_lo, cue_hi = lo, hi
    if text[lo:hi].rstrip().endswith(":") and att.content[0] >= hi:
        lo = hi
        while i < len(breaks) and breaks[i] <= lo + 1 and not text[lo : breaks[i]].strip():
            lo = breaks[i] + 1
            i += 1
        hi = breaks[i] if i < len(breaks) else size
    s, e = max(att.content[0], lo), min(att.content[1], hi)
    if e <= s:
        return None
    if (s, e) == att.content:
        return att
    parts = tuple((max(a, lo), min(b, hi)) for a, b in att.parts if min(b, hi) > max(a, lo))
    source = att.source if att.source is None or cue_lo <= att.source[0] < cue_hi else None
    return replace(
        att, content=(s, e), parts=parts or ((s, e),), source=source, source_head=att.source_head if source else None
    )


def _token_regions(doc: Doc, regions: list[Offsets]) -> list[int]:
    """For each token, the index of the quoted region holding it, or -1 (one linear sweep)."""
    out = [-1] * len(doc)
    if not regions or not len(doc):
        return out
    r = 0
    for i, idx in enumerate(doc.to_array("IDX").tolist()):  # plain ints: no Token objects made
        while r < len(regions) and regions[r][1] <= idx:
            r += 1
        if r < len(regions) and regions[r][0] <= idx < regions[r][1]:
            out[i] = r
    return out


def _from_according(doc: Doc, token: Token) -> Attribution | None:
    """ "according to X, ..." and "..., per X": the rest of the sentence is the content."""
    low = token.lower_
    if low == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        to = doc[token.i + 1]
        objects = [c for c in to.children if c.dep_ == "pobj"]
        cue = (token.idx, to.idx + len(to))
        phrase_start, phrase_end = token.i, max(to.right_edge.i, token.right_edge.i)
    elif low == "in" and token.dep_ == "prep" and token.i + 1 < len(doc):
        found = _finding_source(token)
        if found is None:
            return None
        objects = [found]
        cue = _tok_span(token)
        phrase_start, phrase_end = token.i, token.right_edge.i
        if token.head.pos_ in ("NOUN", "PROPN") or token.head.i > token.right_edge.i + 1 and token.i > token.head.i:
            return None  # "his lead in the poll": a noun's modifier, not the clause's source
    elif low == "per" and token.dep_ == "prep":
        objects = [c for c in token.children if c.dep_ == "pobj"]
        if not objects or not (objects[0].ent_type_ in ("ORG", "PERSON", "GPE", "NORP") or objects[0].pos_ == "PROPN"):
            return None
        cue = (token.idx, token.idx + len(token))
        phrase_start, phrase_end = token.i, token.right_edge.i
    else:
        return None
    if not objects:
        return None
    source_tok = objects[0]
    sent = token.sent
    lo, hi = sent.start, sent.end
    if low == "in":  # "in the poll" attributes the clause it modifies, not the whole sentence
        lo, hi = token.head.left_edge.i, token.head.right_edge.i + 1
    before = _trim(doc, lo, phrase_start)
    after = _trim(doc, phrase_end + 1, hi)
    content = after if _size(after) >= _size(before) else before
    if content is None:
        return None
    source = _np_span(doc, source_tok)
    return Attribution(
        content=content,
        parts=(content,),
        kind="according_to",
        cue_class="according",
        source=source,
        source_head=_tok_span(source_tok),
        cue=cue,
        addressee=None,
        channel=None,
        sentence=(sent.start_char, sent.end_char),
        attribution=(doc[phrase_start].idx, _tok_end(doc[phrase_end])),
        quoted=False,
    )


@cache
def finding_nouns() -> dict[str, str]:
    """Noun -> "self" or "owner": "in the poll" names its source, "in their view" its possessor
    (``data/finding_nouns.tsv``)."""
    text = files("newsfacts").joinpath("data/finding_nouns.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {row[0]: row[1] for row in rows}


def _finding_source(prep: Token) -> Token | None:
    """The source of "in a new Fox poll" (the poll) or "in their view" (their), else None."""
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    owner = finding_nouns().get(pobj.lower_) or finding_nouns().get(pobj.lemma_.lower())
    if owner == "self":
        # "in a new Fox poll", "in the CBS survey": one poll; "slid in the polls" names none
        specific = pobj.tag_ == "NN" or any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in pobj.children)
        return pobj if specific and prep.head.pos_ in ("VERB", "AUX") else None
    if owner == "owner":
        return next((c for c in pobj.children if c.dep_ == "poss"), None)
    return None


def _from_noun(doc: Doc, token: Token) -> Attribution | None:
    """ "Trump's claim that the election is rigged", "her pledge to stay": a cue noun, its possessor, its clause."""
    if token.pos_ != "NOUN" or token.lemma_.lower() not in cue_nouns():
        return None
    intention = cue_nouns()[token.lemma_.lower()] == "intention"
    clause = next(
        (
            c
            for c in token.rights
            if (c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children))
            or (intention and c.dep_ == "acl" and c.tag_ == "VB" and any(m.lower_ == "to" for m in c.children))
        ),
        None,
    )
    if clause is None:
        return None
    content = _trim(doc, clause.left_edge.i, _clause_end(clause))
    if content is None:
        return None
    owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN", "PRON")), None)
    if owner is None:
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in ("by", "from") and prep.i < clause.i:
                owner = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if owner is None and token.lemma_.lower() in owned_cue_nouns():
        return None  # "the plan to ...", "the idea that ...": whose plan or idea is not said
    sent = token.sent
    return Attribution(
        content=content,
        parts=(content,),
        kind="indirect",
        cue_class=cue_nouns()[token.lemma_.lower()],
        source=_np_span(doc, owner) if owner is not None else None,  # "the claim that ...": nobody named
        source_head=_tok_span(owner) if owner is not None else None,
        cue=_tok_span(token),
        addressee=None,
        channel=None,
        sentence=(sent.start_char, sent.end_char),
        attribution=(sent.start_char, content[0]),
        quoted=False,
    )


@cache
def cue_noun_preps() -> frozenset[tuple[str, str]]:
    """(noun, preposition) pairs whose object a cue noun reports ("criticism of"), ``data/cue_noun_preps.tsv``."""
    text = files("newsfacts").joinpath("data/cue_noun_preps.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return frozenset((row[0], row[1]) for row in rows)


def _from_noun_prep(doc: Doc, token: Token) -> Attribution | None:
    """ "her criticism of the plan", "raised questions about the deal": a cue noun and the object of its preposition.

    The source is the noun's possessor or "by" agent, else the subject of the verb that takes the noun
    as its object ("Doe expressed concern about ..."), else nobody named.
    """
    if token.pos_ != "NOUN":
        return None
    prep = next((c for c in token.rights if c.dep_ == "prep"), None)
    if prep is None or (token.lemma_.lower(), prep.lower_) not in cue_noun_preps():
        return None
    obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    if obj is None:
        return None
    content = _trim(doc, obj.left_edge.i, _before_relative(doc, obj.left_edge.i, obj.right_edge.i + 1))
    if content is None:
        return None
    owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN", "PRON")), None)
    if owner is None:
        agent = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        owner = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    cue_start = token.idx
    if owner is None and token.dep_ == "dobj" and token.head.pos_ == "VERB":
        owner = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
        cue_start = token.head.idx  # "expressed concern about": the light verb is part of the cue
    sent = token.sent
    return Attribution(
        content=content,
        parts=(content,),
        kind="indirect",
        cue_class="speech",
        source=_np_span(doc, owner) if owner is not None else None,
        source_head=_tok_span(owner) if owner is not None else None,
        cue=(cue_start, _tok_end(prep)),
        addressee=None,
        channel=None,
        sentence=(sent.start_char, sent.end_char),
        attribution=(sent.start_char, content[0]),
        quoted=False,
    )


def _from_adjective(doc: Doc, token: Token) -> Attribution | None:
    """ "Doe is eager to run", "Roe was critical of the plan": an attitude adjective, its subject, its complement."""
    if token.pos_ != "ADJ" or token.dep_ != "acomp" or token.lemma_.lower() not in attitude_adjectives():
        return None
    head = token.head
    complement = next(
        (
            c
            for c in token.rights
            if c.dep_ in ("ccomp", "xcomp")
            or (c.dep_ == "prep" and c.lower_ in ("of", "about", "on", "toward", "towards"))
        ),
        None,
    )
    subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if complement is None or subject is None:
        return None
    cue_end = complement if complement.dep_ == "prep" else token
    if complement.dep_ == "prep":
        objects = [c for c in complement.children if c.dep_ in ("pobj", "pcomp")]
        if not objects:
            return None
        complement = objects[0]
    end = _clause_end(complement)
    if end == complement.right_edge.i + 1:
        end = _clause_tail(token, complement)
    content = _trim(doc, complement.left_edge.i, end)
    if content is None:
        return None
    sent = token.sent
    return Attribution(
        content=content,
        parts=(content,),
        kind="indirect",
        cue_class=attitude_adjectives()[token.lemma_.lower()],
        source=_np_span(doc, subject),
        source_head=_tok_span(subject),
        cue=(head.idx, _tok_end(cue_end)) if head.i < token.i else _tok_span(token),
        addressee=None,
        channel=None,
        sentence=(sent.start_char, sent.end_char),
        attribution=(sent.start_char, content[0]),
        quoted=False,
    )


def _from_verb(doc: Doc, token: Token, region_of: list[int], regions: list[Offsets]) -> Attribution | None:
    """A cue verb with a source and a content: "X said that ...", "'...,' X said", "X, he said, ..."."""
    if token.pos_ not in ("VERB", "AUX") or token.tag_ == "VBN" and token.dep_ == "amod":
        return None
    cls = cue_verbs().get(token.lemma_.lower())
    if cls is None:
        if (
            token.pos_ != "VERB"
            or _misread_name(token)
            or not (
                _right_after_quote(doc, token, region_of)
                or _folded_speaker(token) is not None
                or _colon_before_quote(doc, token, region_of, regions)
                or (_puts_it(token) and _following_quote(doc, token, region_of, regions) is not None)
            )
        ):
            return None
        # '"...," he surmised.' / 'Article 5 affirms: "..."': the layout makes the verb a cue (a capitalized
        # "verb" after a quote is a name the tagger misread: '"...," Tulsa police Chief Doe said')
        cls = "speech"
    if _light_verb_of_cue_noun(token):
        return None  # "expressed concern about X": the noun's relation reports it
    sent = token.sent
    whole = _whole_clause(doc, token)
    if whole is not None:
        return Attribution(
            content=whole,
            parts=(whole,),
            kind="indirect",
            cue_class=cls,
            source=None,
            source_head=None,
            cue=_tok_span(token),
            addressee=None,
            channel=None,
            sentence=(sent.start_char, sent.end_char),
            attribution=_tok_span(token),
            quoted=False,
        )
    clause_only = _clause_only(token)
    content, parts = _content(doc, token, cls, region_of, regions, clause_only=_clause_only(token, _OBJECTS_FROM))
    before = _preceding_quote(doc, token, region_of, regions)
    if before is not None and clause_only and cls == "speech" and _right_after_quote(doc, token, region_of):
        clause_only = False  # '"...," read one sign': the layout makes even a weak cue report the quote
    if before is not None and cls == "speech" and not clause_only:
        if content is None or (content[1] <= before[0] and not _overlaps(content, before)):
            content, parts = before, (before,)
        elif content[0] > token.idx and not _overlaps(content, before) and _quoted_at(regions, content[0]):
            if _right_after(doc, token, content):
                content, parts = (before[0], content[1]), (before,) + parts
            elif _verb_between(doc, token, content[0]):
                # '"X," Doe said before adding: "Y."': the quotation after is the second verb's
                content, parts = before, (before,)
        elif (
            content[0] > token.idx
            and not _overlaps(content, before)
            and not any(c.dep_ == "ccomp" and c.i > token.i for c in token.children)
        ):
            # '"Absolutely not," he said of the plan': what follows the cue is its topic, not its words
            content, parts = before, (before,)
    if content is None or _resumed_by_participle(doc, token, content, region_of, regions):
        return None
    if len(parts) == 1 and content[0] < token.idx < content[1]:
        # a one-part content cannot hold its own cue: split it around the attribution
        content, parts = _around(doc, token, content)
        if content is None:
            return None
    folded = _folded_speaker(token)
    source_tok = folded[1] if folded is not None else _source_token(token)
    if source_tok is None and len(parts) == 1 and content[1] <= token.idx:
        speaker = _speaker_after_quote(doc, content, region_of, regions)
        if speaker is not None:
            source_tok, content, parts = speaker[0], speaker[1], (speaker[1],)
        else:
            source_tok = _inverted_subject(token)
    source = _np_span(doc, source_tok) if source_tok is not None else None
    if folded is not None and source_tok is not None:
        source = (doc[folded[0]].idx, _tok_end(source_tok))
    if source is not None and (any(_overlaps(source, part) for part in parts) or region_of[source_tok.i] >= 0):
        source, source_tok = None, None  # the "subject" is inside what was said: a misparse
    if source is None and clause_only and token.lemma_.lower() not in _RAISING:
        return None  # a weak cue ("painted", "hopes") with nobody holding the thought: not an attribution
    cue_end = token
    for child in token.children:  # particles and a following preposition of a phrasal cue
        if child.dep_ == "prt" and child.i == cue_end.i + 1:
            cue_end = child
    aux = [c for c in token.children if c.dep_ in ("aux", "neg") and c.i < token.i and c.i >= token.i - 3]
    cue_start = aux[0] if aux and aux[0].lower_ in ("has", "have", "had") else token
    rest = _attribution_stretch(doc, token, content)
    return Attribution(
        content=content,
        parts=parts,
        kind="indirect",
        cue_class=cls,
        source=source,
        source_head=_tok_span(source_tok) if source_tok is not None else None,
        cue=(cue_start.idx, _tok_end(cue_end)),
        addressee=_addressee(doc, token, content),
        channel=_channel(doc, token, content),
        sentence=(sent.start_char, sent.end_char),
        attribution=rest,
        quoted=False,
    )


def _light_verb_of_cue_noun(verb: Token) -> bool:
    """The verb's object is a cue noun with its preposition ("expressed concern about", "raised questions about")."""
    for child in verb.children:
        if child.dep_ == "dobj" and child.pos_ == "NOUN":
            prep = next((c for c in child.rights if c.dep_ == "prep"), None)
            if prep is not None and (child.lemma_.lower(), prep.lower_) in cue_noun_preps():
                return not any(c.dep_ in ("ccomp", "xcomp") for c in verb.children)
    return False


def _whole_clause(doc: Doc, verb: Token) -> Offsets | None:
    """ "Ben Carson appears to be slipping", "Obama is expected to join Clinton": a view nobody is named for.

    A raising cue ("seem", "appear") or an agentless passive one ("is expected to", "is accused of",
    "is known as") reports how its subject is seen, not what the subject says; PolNeAR's content is
    then the whole clause, subject and cue included (train: 51 of 60 "expected", 45 of 47 "seemed").
    An expletive or relative subject ("it appears that ...", "who is expected to") is left to the
    ordinary rules, and so are passive speech cues ("was told that"), whose subject is the addressee.
    """
    lemma = verb.lemma_.lower()
    if lemma in _RAISING:
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
    elif (
        verb.tag_ == "VBN"
        and lemma not in _ADDRESSEE_VERBS
        and any(c.dep_ == "auxpass" for c in verb.children)
        and not any(c.dep_ == "agent" for c in verb.children)
    ):
        subjects = [c for c in verb.children if c.dep_ == "nsubjpass" and c.i < verb.i]
    else:
        return None
    if not subjects or subjects[0].lower_ in _RELATIVE | {"it", "there", "what"}:
        return None
    complement = next(
        (
            c
            for c in verb.rights
            if c.dep_ in _WHOLE_COMPLEMENTS or (c.dep_ == "prep" and c.lower_ in ("as", "of", "for", "like"))
        ),
        None,
    )
    if complement is None:
        return None
    end = _clause_end(complement)
    if end == complement.right_edge.i + 1:
        end = _clause_tail(verb, complement)
    return _trim(doc, subjects[0].left_edge.i, end)


_WHOLE_COMPLEMENTS = {"xcomp", "acomp", "attr", "oprd", "ccomp"}
"""What a raising or passive cue takes as its complement ("seems [to be slipping]", "seemed [lost]")."""


def _quoted_at(regions: list[Offsets], pos: int) -> bool:
    """Whether offset ``pos`` is inside a quoted region, or its opening mark (bisection)."""
    i = bisect.bisect_right(regions, (pos + 2, pos + 2)) - 1
    return i >= 0 and regions[i][0] - 2 <= pos < regions[i][1]


def _puts_it(verb: Token) -> bool:
    """ "as the prosecutor put it, “...”": the idiom makes "put" a speech cue."""
    return verb.lemma_.lower() == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children)


def _around(doc: Doc, verb: Token, content: Offsets) -> tuple[Offsets | None, tuple[Offsets, ...]]:
    """The content on both sides of an attribution that the parse put inside it."""
    first = doc.char_span(content[0], content[1], alignment_mode="expand")
    if first is None:
        return None, ()
    resume = verb.i + 1
    for child in verb.rights:  # "said Cruz": an inverted subject belongs to the attribution
        if child.dep_ in _SUBJECTS:
            resume = max(resume, child.right_edge.i + 1)
    left = _trim(doc, first.start, _attribution_start(verb))
    right = _trim(doc, resume, first.end) if resume < first.end else None
    parts = tuple(p for p in (left, right) if p is not None)
    if not parts:
        return None, ()
    return (parts[0][0], parts[-1][1]), parts


def _right_after(doc: Doc, verb: Token, content: Offsets) -> bool:
    """The content starts right after the attribution (``"X," he said, "Y."``, ``"X," he told the host,
    "Y."``), not after more narration: only the cue's own phrases (subject, addressee) lie between."""
    end = verb.i + 1
    while end < len(doc) and doc[end].idx < content[0] and end - verb.i <= 6:
        token = doc[end]
        if token.dep_ not in _SUBJECTS and not token.is_punct and not _hangs_from(token, verb):
            return False
        end += 1
    return end < len(doc) and doc[end].idx >= content[0] - 1


def _resumed_by_participle(
    doc: Doc, verb: Token, content: Offsets, region_of: list[int], regions: list[Offsets]
) -> bool:
    """'"X," Doe said, referring to the plan, "and Y."': a lower-case quotation after a participle resumes
    the quote of the cue the participle hangs from; it is not the participle's own content."""
    if verb.tag_ != "VBG" or verb.head.i == verb.i or verb.head.lemma_.lower() not in cue_verbs():
        return False
    if content[0] < verb.idx or not _quoted_at(regions, content[0]):
        return False
    j = verb.i + 1
    while j < len(doc) and (doc[j].idx < content[0] or doc[j].is_punct) and j - verb.i <= _FOLD_TOKENS:
        j += 1  # token by token, never ``doc.text`` (it rebuilds the article string on every access)
    if j >= len(doc) or not doc[j].text[:1].islower():
        return False
    before = _preceding_quote(doc, verb.head, region_of, regions)
    if before is None or before[1] >= verb.head.idx:
        return False
    k = verb.head.i - 1
    while k > 0 and doc[k].idx >= before[1]:
        k -= 1
    return doc[k].text.endswith(",")


def _misread_name(token: Token) -> bool:
    """A capitalized "verb" inside a sentence, before a noun: a name the tagger misread ("Tulsa police")."""
    doc = token.doc
    return (
        token.text[:1].isupper()
        and not token.is_sent_start
        and token.i + 1 < len(doc)
        and doc[token.i + 1].pos_ in ("NOUN", "PROPN")
    )


def _hangs_from(token: Token, verb: Token) -> bool:
    """``token`` is the verb's child or grandchild (a word of its addressee or subject phrase)."""
    return token.head.i == verb.i or (token.head.head.i == verb.i and token.head.dep_ in ("dobj", "dative", "nsubj"))


def _right_after_quote(doc: Doc, verb: Token, region_of: list[int]) -> bool:
    """The verb follows a closing quotation with only its subject and punctuation between."""
    subject = {t.i for c in verb.children if c.dep_ in _SUBJECTS for t in c.subtree}
    i = verb.i - 1
    while i >= 0 and verb.i - i <= 6:
        if region_of[i] >= 0:
            return (
                doc[i + 1 : verb.i].text.count(",")
                + doc[i + 1 : verb.i].text.count("?")
                + doc[i + 1 : verb.i].text.count("!")
                >= 1
                or doc[i].is_punct
            )
        if not (doc[i].is_punct or i in subject):
            return False
        i -= 1
    return False


def _content(
    doc: Doc, verb: Token, cls: str, region_of: list[int], regions: list[Offsets], *, clause_only: bool = False
) -> tuple[Offsets | None, tuple[Offsets, ...]]:
    """The content of a cue verb: its clausal complement, else the clause it interrupts, else its object."""
    children = list(verb.children)
    clauses = [
        c
        for c in children
        if (c.dep_ == "ccomp" or (c.dep_ == "xcomp" and cls in ("intention", "belief", "report")))
        and not (c.i < verb.i and _newline_between(c, verb))  # a parse that ran over a paragraph break
    ]
    if (
        len(clauses) > 1
        and clauses[0].i < verb.i
        and region_of[clauses[0].i] >= 0
        and _preceding_quote(doc, verb, region_of, regions) is None
    ):
        # '"I never said that," Doe said, after Roe said the mayor had ...': the quotation before
        # belongs to the earlier cue; the clause after is what this cue reports
        clauses = clauses[1:]
    if len(clauses) > 1 and clauses[0].i < verb.i < clauses[-1].i and region_of[clauses[0].i] < 0:
        # "Doe has ripped Roe because it pays: He said he has raised ...": the parse hung the clause
        # before on the cue too; an unquoted clause before loses to the clause after
        clauses = [c for c in clauses if c.i > verb.i]
    for child in clauses:
        if (
            child.i < verb.i
            and cls == "speech"
            and (region_of[child.i] < 0 or _preceding_quote(doc, verb, region_of, regions) is None)
        ):
            # "Asked if ..., Trump replied, “...”" / '"X." Garin added, "Y."': the quotation after
            # the cue is what was said, not a clause before it that the parse hung on the cue; not
            # when another verb comes first ("X, Doe said, adding, “...”": that quote is the adding's)
            follow = _following_quote(doc, verb, region_of, regions)
            if follow is not None and not _verb_between(doc, verb, follow[0]):
                return follow, (follow,)
        end = _clause_end(child)
        if child.i > verb.i and end == child.right_edge.i + 1:
            end = _clause_tail(verb, child)
        span = _trim(doc, child.left_edge.i, _before_relative(doc, child.left_edge.i, end))
        if span is not None:
            return span, (span,)
    for child in children:
        # "called for the rules to be scrapped": what the cue asks for is the for-infinitive clause
        if (
            child.dep_ == "advcl"
            and child.i > verb.i
            and any(m.dep_ == "mark" and m.lower_ == "for" and m.i == verb.i + 1 for m in child.children)
        ):
            end = _clause_end(child)
            span = _trim(doc, verb.i + 2, end if end > child.right_edge.i else _clause_tail(verb, child))
            if span is not None:
                return span, (span,)
    if not clause_only:
        told = _told_to(doc, verb, region_of)
        if told is not None:
            return told, (told,)
    held = _held_before(doc, verb)
    if held is not None:
        return held, (held,)
    if clause_only:  # a quotation after a colon is as good as a clause: "Cruz continued: “...”"
        follow = _following_quote(doc, verb, region_of, regions)
        colon = follow is not None and ":" in "".join(t.text_with_ws for t in doc[verb.i : verb.i + 8])
        return (follow, (follow,)) if colon and follow is not None else (None, ())
    if _interrupts(verb):
        # "X, he said, Y" / "X, he said." : the head clause minus the attribution
        head = verb.head
        left = _trim(doc, head.left_edge.i, _attribution_start(verb))
        stop = next(  # "email has helped her, she said – although she laughed ...": the aside after a dash is narration
            (c.i for c in head.rights if c.i > verb.right_edge.i and c.text in (";", "—", "–")),
            head.right_edge.i + 1,
        )
        right = _trim(doc, verb.right_edge.i + 1, stop)
        parts = tuple(p for p in (left, right) if p is not None and _size(p) > 0)
        if parts and _has_subject_or_quote(head, region_of):
            return (parts[0][0], parts[-1][1]), parts
    # "Doe said: “...”" — the quotation right after the cue's clause ("cautioned “...”" for a speech cue)
    follow = _following_quote(doc, verb, region_of, regions, bare=cls == "speech")
    if follow is not None:
        return follow, (follow,)
    addressed = verb.lemma_.lower() in _ADDRESSEE_VERBS  # "told The Washington Post": the object is who was told
    for child in children:
        if (
            child.dep_ in ("dobj", "attr")
            and not addressed
            and child.i > verb.i
            and (child.pos_ != "PRON" or _predicated(child, children))
            and child.ent_type_ not in ("DATE", "TIME")
        ):
            end = child.right_edge.i + 1
            for sibling in children:  # "hailed X as 'fantastic'"
                if sibling.i > child.i and (
                    sibling.dep_ == "oprd" or (sibling.dep_ == "prep" and sibling.lower_ == "as")
                ):
                    end = max(end, sibling.right_edge.i + 1)
            end = max(end, _clause_tail(verb, child))  # "praised X for Y", "described X during Z as W"
            span = _trim(doc, child.left_edge.i, _before_relative(doc, child.left_edge.i, end))
            # a one-word object is no content ("sought reelection"), except a name ("endorsed Clinton"):
            # cross-validated content F1 on train 0.7056 -> 0.7060 with names let in for the filter to judge
            if span is not None and (end - child.left_edge.i >= 2 or child.pos_ == "PROPN"):
                return span, (span,)
    for child in children:
        if (
            child.dep_ == "prep"
            and (child.lower_ in _CONTENT_PREPS or (child.lower_ == "to" and verb.lemma_.lower() in _TO_CUES))
            and child.i > verb.i
        ):
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects and objects[0].ent_type_ not in ("DATE", "TIME") and objects[0].pos_ != "PRON":
                end = objects[0].right_edge.i + 1
                end = max(end, _clause_tail(verb, child))  # "talked about X in a new way"
                span = _trim(doc, objects[0].left_edge.i, _before_relative(doc, objects[0].left_edge.i, end))
                if span is not None:
                    return span, (span,)
    return None, ()


def _held_before(doc: Doc, verb: Token) -> Offsets | None:
    """What a passive cue with its agent reports: "the plan was criticized by the union", "the deal brokered by X".

    The agent is the source (``_source_token``), the passive subject or the noun the participle
    modifies is the content; PolNeAR marks these (train: about 160 such gold relations had no
    candidate). The learned filter judges each use (the content's relation to the cue is one of its
    features). Cross-validated content F1 on train (bench/attribution_filter.py): 0.7050 -> 0.7056.
    A relative clause read the same way ("the bill that X signed": its antecedent as content) was
    tried and left out: no change.
    """
    if verb.tag_ != "VBN" or not any(c.dep_ == "agent" for c in verb.children):
        return None
    if any(c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as") for c in verb.rights):
        return None  # "was criticized by X as a giveaway": what X called it is the content
    patients = [c for c in verb.children if c.dep_ == "nsubjpass" and c.i < verb.i]
    if patients:
        if patients[0].pos_ == "PRON":
            return None  # "which was reported by ...": a pronoun alone is no content
        return _trim(doc, patients[0].left_edge.i, patients[0].right_edge.i + 1)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and verb.head.i < verb.i:
        return _trim(doc, verb.head.left_edge.i, verb.left_edge.i)
    return None


def _predicated(obj: Token, siblings: list[Token]) -> bool:
    """A pronoun object with a predicate after it ("called it a disgrace", "described him as rude"): the
    pair is the content, though the pronoun alone would not be."""
    return any(s.i > obj.i and (s.dep_ == "oprd" or (s.dep_ == "prep" and s.lower_ == "as")) for s in siblings)


def _told_to(doc: Doc, verb: Token, region_of: list[int]) -> Offsets | None:
    """ "asked them not to protest", "calling on the court to review": who is told, and what to do.

    A speech cue with an infinitive complement after it reports a request; PolNeAR's content takes the
    person asked with the request (the object, or the object of "on"), up to the end of the cue's clause.
    """
    xcomp = next((c for c in verb.rights if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
    if xcomp is None or region_of[xcomp.i] >= 0:
        return None  # none, or inside a quotation (the quotation itself is the content)
    start = xcomp.left_edge.i
    for child in verb.rights:
        if child.i >= xcomp.i:
            break
        if child.dep_ in ("dobj", "dative"):
            start = min(start, child.left_edge.i)
        elif child.dep_ == "prep" and child.lower_ == "on":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                start = min(start, objects[0].left_edge.i)
    end = _clause_end(xcomp)
    if end == xcomp.right_edge.i + 1:
        end = _clause_tail(verb, xcomp)
    return _trim(doc, start, end)


def _speaker_after_quote(
    doc: Doc, content: Offsets, region_of: list[int], regions: list[Offsets]
) -> tuple[Token, Offsets] | None:
    """'"...," an official, who was not authorized to speak, told Fox.': the speaker the parse folded into the quote.

    When a content before a subjectless cue is a quotation followed by a comma and a noun phrase, the
    parser has made the speaker part of the quoted clause; the noun phrase is the source and the
    quotation alone the content.
    """
    first = doc.char_span(content[0], content[1], alignment_mode="expand")
    if first is None or region_of[first.start] < 0 and (first.start + 1 >= len(doc) or region_of[first.start + 1] < 0):
        return None
    region = regions[region_of[first.start] if region_of[first.start] >= 0 else region_of[first.start + 1]]
    if not region[1] < content[1]:
        return None
    near = doc.char_span(region[1] - 1, min(content[1], region[1] + 3), alignment_mode="expand")
    if near is None or "," not in near.text:
        return None
    after = doc.char_span(region[1], content[1], alignment_mode="expand")
    if after is None:
        return None
    head = next(
        (t for t in after if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("attr", "appos", "nsubj", "dobj", "npadvmod")),
        None,
    )
    if head is None or not (head.pos_ == "PROPN" or head.lemma_.lower() in role_nouns()):
        return None
    return head, region


def _inverted_subject(verb: Token) -> Token | None:
    """'"...," said David Brock, a confidant who heads ...': the name right after the cue, when the parse
    gave it to a later verb."""
    doc = verb.doc
    i = verb.i + 1
    while i < len(doc) and doc[i].dep_ == "compound" and doc[i].pos_ == "PROPN" and i - verb.i < 5:
        i += 1
    if i >= len(doc) or doc[i].pos_ != "PROPN" or i == verb.i + 1 and doc[i].dep_ == "compound":
        return None
    return doc[i] if i + 1 >= len(doc) or doc[i + 1].text in (",", ".", "(") else None


def _before_relative(doc: Doc, start: int, end: int) -> int:
    """End of a content without a closing ", which ..." / ", who ..." clause: the writer's aside, not the
    source's words ("expressed concern about X, which is now ...")."""
    for i in range(start + 1, end):
        token = doc[i]
        if token.dep_ == "relcl" and token.left_edge.i > start + 1 and token.right_edge.i >= end - 2:
            first = doc[token.left_edge.i]
            if first.lower_ in ("which", "who") and doc[token.left_edge.i - 1].text == ",":
                return token.left_edge.i - 1
    return end


def _verb_between(doc: Doc, verb: Token, pos: int) -> bool:
    """Another verb stands between the cue and character offset ``pos`` (a few tokens at most)."""
    i = verb.i + 1
    while i < len(doc) and doc[i].idx < pos and i - verb.i <= 8:
        if doc[i].pos_ == "VERB":
            return True
        i += 1
    return False


def _clause_tail(verb: Token, content: Token) -> int:
    """End of a complement clause with what the parse hung on the cue verb after it.

    "say they will shift their support unless he disavows it": the parser often attaches a trailing
    "unless"/"while"/", with ..." phrase or a second "and that ..." clause to the cue verb rather than
    to the complement; PolNeAR's content runs on to the end of the cue's clause. It stops before a
    further report of the source: a participle after a comma ("..., adding that"), a coordinated verb
    ("and vowed to ..."), "according to", or a semicolon, colon or dash.
    """
    stop = verb.right_edge.i + 1
    for child in verb.rights:
        if child.i <= content.right_edge.i:
            continue
        if (
            (
                child.dep_ in ("advcl", "conj", "xcomp", "parataxis", "acl")
                and child.tag_ == "VBG"
                and child.lemma_.lower() in cue_verbs()
            )
            or (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"))
            or (child.dep_ == "prep" and child.lower_ == "according")
            or child.text in (";", ":", "—", "–", "-")
            or _contrast_aside(child)
        ):
            stop = child.left_edge.i
            break
    return max(content.right_edge.i + 1, stop)


def _contrast_aside(child: Token) -> bool:
    """ ", while 95 members favored Roe", ", when the group launched": a clause after a comma, opened by a
    contrast or time subordinator with its own subject, set beside the report rather than inside it."""
    if child.dep_ != "advcl" or not any(c.dep_ in _SUBJECTS for c in child.children):
        return False
    first = child.doc[child.left_edge.i]
    before = child.doc[child.left_edge.i - 1] if child.left_edge.i > 0 else None
    return first.lower_ in _ASIDE_MARKS and before is not None and before.text == ","


_ASIDE_MARKS = {"while", "whereas", "when", "although", "though", "even", "as"}
"""Subordinators that open a writer's aside after a report (PolNeAR train: content F1 +0.001 when the
content stops before them, the more so with the concessive and temporal ones included)."""


def _clause_end(head: Token) -> int:
    """End (exclusive token index) of a content clause, without a trailing ", referring to ..." aside.

    A participle clause after a comma at the end of the content ("..., noting her comments") is a
    further report by the same source, not part of what was said.
    """
    end = head.right_edge.i + 1
    for child in reversed(list(head.rights)):
        if _contrast_aside(child) and child.i > head.i:
            end = min(end, child.left_edge.i - 1)
            continue
        if (
            child.dep_ in ("advcl", "conj", "parataxis", "acl")
            and child.tag_ == "VBG"
            and child.i > head.i
            and child.lemma_.lower() in cue_verbs()
        ):
            before = _prev_token(child)
            if before is not None and before.text == ",":
                end = min(end, before.i)
                continue
        if (
            child.dep_ == "conj"
            and child.lemma_.lower() in cue_verbs()
            and not any(c.dep_ in _SUBJECTS for c in child.children)
        ):
            # "said that X and vowed to Y": the second verb is the source's, not part of X
            before = _prev_token(child)
            while before is not None and (before.dep_ == "cc" or before.is_punct) and before.i > head.i:
                before = before.doc[before.i - 1]
            if before is not None and before.i > head.i:
                end = min(end, before.i + 1)
                continue
        break
    return end


def _prev_token(token: Token) -> Token | None:
    """The token before the left edge of ``token``'s subtree."""
    i = token.left_edge.i - 1
    return token.doc[i] if i >= 0 else None


def _interrupts(verb: Token) -> bool:
    """The cue hangs from the clause it reports, after its start: "X, the Pentagon announced"."""
    head = verb.head
    if head.i == verb.i or head.pos_ not in ("VERB", "AUX"):
        return False
    if head.i > verb.i:
        return _parenthetical(verb)
    if verb.dep_ in ("parataxis", "ccomp"):
        return True
    if verb.dep_ == "advcl":
        marks = [c for c in verb.children if c.dep_ == "mark" and c.i < verb.i]
        subject = any(c.dep_ in _SUBJECTS for c in verb.children)
        if marks and marks[0].lower_ == "as" and subject:
            # "..., as Doe noted." / "as the Ledger reported, ...": the clause is what was noted
            return not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children)
        return subject and not marks
    return False


def _parenthetical(verb: Token) -> bool:
    """ "This plan, he said, will fail": an attribution set off by commas before its clause's verb.

    The clause started before the attribution (its subject or an opening phrase) and resumes after
    it; PolNeAR takes both sides as one content.
    """
    if verb.dep_ not in ("parataxis", "ccomp", "advcl") or not any(c.dep_ in _SUBJECTS for c in verb.children):
        return False
    doc = verb.doc
    start, end = _attribution_start(verb), verb.right_edge.i
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if doc[end].is_punct else (doc[end + 1] if end + 1 < len(doc) else None)
    return (
        before is not None
        and before.text in (",", "—", "–")
        and after is not None
        and after.text in (",", "—", "–")
        and verb.head.left_edge.i < start
    )


def _attribution_start(verb: Token) -> int:
    """First token of the attribution: the subject's left edge (children misattached before it are content)."""
    doc = verb.doc
    subjects = [
        c
        for c in verb.children
        if c.dep_ in _SUBJECTS
        and c.i < verb.i
        and not any(doc[k].text in _CLOSING_MARKS for k in range(c.i + 1, verb.i))  # '"... amendment," said Cruz'
    ]
    if subjects:
        start = subjects[0].left_edge.i
        if start > 0 and doc[start - 1].lower_ == "as" and doc[start - 1].head.i == verb.i:
            return start - 1  # "..., as Doe noted": the subordinator belongs to the attribution
        return start
    folded = _folded_speaker(verb)
    if folded is not None:
        return folded[0]
    head = verb.head
    if verb.dep_ == "acl" and head.i < verb.i and head.pos_ in ("PROPN", "NOUN"):
        # '"...," Nate Silver, the polling guru, tweeted': the parse made the cue a clause of its speaker
        start = head.i
        for child in head.lefts:
            if child.dep_ in ("compound", "det", "amod", "nmod", "poss", "nummod", "case"):
                start = min(start, child.left_edge.i)
        return start
    return verb.i


def _folded_speaker(verb: Token) -> tuple[int, Token] | None:
    """'"...," Ramos, 58, told AFP' / '"Go home," Doe barked and ...': the speaker the parse hung elsewhere.

    A cue without a subject of its own, preceded by a short noun phrase (a name, a pronoun or a role
    noun, with an apposition set off by commas) that follows a closing quotation mark after a comma,
    "?" or "!": the layout of a quote with its attribution after it, whatever the parse made of the
    name (a conjunct of the quoted clause, a compound of the cue). Returns the phrase's first token
    and its head (the last word before its first comma).
    """
    if any(c.dep_ in _SUBJECTS for c in verb.children):
        return None
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and verb.i - i <= _FOLD_TOKENS and doc[i].text not in _CLOSING_MARKS:
        if (doc[i].pos_ not in _FOLD_POS and not _misread_name(doc[i])) or "\n" in doc[i].text_with_ws:
            return None
        i -= 1
    if i < 1 or doc[i].text not in _CLOSING_MARKS or doc[i - 1].text not in (",", "?", "!"):
        return None
    start = i + 1
    while start < verb.i and doc[start].is_punct:
        start += 1
    end = start
    while end < verb.i and doc[end].text != ",":
        end += 1
    if end == start:
        return None
    head = doc[end - 1]
    if head.pos_ == "PROPN" or head.lower_ in _PRONOUNS_PERSON | _PRONOUNS_GROUP or head.lemma_.lower() in role_nouns():
        return start, head
    return None


_FOLD_TOKENS = 12
"""Longest speaker phrase (name and apposition) read back from a cue to a closing quotation mark."""
_FOLD_POS = {"PROPN", "NOUN", "DET", "ADJ", "NUM", "PUNCT", "PRON", "ADP", "CCONJ", "PART", "SPACE"}
"""Parts of speech of a speaker phrase with its apposition ("Ramos, 58,", "Doe, the group's leader,")."""


def _has_subject_or_quote(head: Token, region_of: list[int]) -> bool:
    """The interrupted clause is a real clause (has a subject) or is quoted."""
    return region_of[head.i] >= 0 or any(c.dep_ in _SUBJECTS or c.dep_ == "expl" for c in head.children)


def _preceding_quote(doc: Doc, verb: Token, region_of: list[int], regions: list[Offsets]) -> Offsets | None:
    """The quoted region that closes right before the attribution: '"...," said the official.'"""
    i = _attribution_start(verb) - 1
    steps = 0
    while i >= 0 and region_of[i] < 0 and steps < 3:
        if "\n" in doc[i].text_with_ws or not (doc[i].is_punct or doc[i].is_space) or doc[i].text in (".", ";"):
            return None  # a no-break space between the closing mark and the speaker is still adjacent
        i -= 1
        steps += 1
    if i < 0 or region_of[i] < 0:
        return None
    region = regions[region_of[i]]
    gap = "".join(t.text_with_ws for t in doc[i + 1 : _attribution_start(verb)])
    # '"... vote,'" said Doe': the comma may sit before a nested quote's closing mark
    closing = doc[i].text + (doc[i - 1].text if i > 0 and doc[i].text in ("'", "’") else "")
    if "," in gap or "—" in gap or any(ch in closing for ch in ",?!"):
        return region
    # '“... that are missing.” Trump said.': a full stop inside the marks, and the attribution is all
    # its sentence holds
    alone = verb.i + 1 < len(doc) and doc[verb.i + 1].text == "." and verb.i - _attribution_start(verb) <= 4
    return region if "." in doc[i].text and alone else None


def _colon_before_quote(doc: Doc, verb: Token, region_of: list[int], regions: list[Offsets]) -> bool:
    """The verb's clause ends in a colon that opens a quotation: 'She went on to say: "..."'."""
    if not any(c.dep_ in _SUBJECTS for c in verb.children) and verb.dep_ not in _CLIMB:
        return False
    for i in range(verb.i + 1, min(len(doc), verb.i + 8)):
        token = doc[i]
        if region_of[i] >= 0 or token.text in (".", "?", "!") or "\n" in token.text_with_ws:
            return False
        if token.text == ":":
            j = i + 1
            while j < len(doc) and doc[j].is_punct and region_of[j] < 0 and j - i <= 2:
                j += 1
            return j < len(doc) and region_of[j] >= 0
    return False


def _following_quote(
    doc: Doc, verb: Token, region_of: list[int], regions: list[Offsets], *, bare: bool = False
) -> Offsets | None:
    """The quoted region that opens right after the cue's clause: "He tells the crowd: “...”".

    With ``bare``, a quotation that opens right after the verb (or its particle) with no comma or
    colon counts too: "Kasich cautioned “let's not get ahead of ourselves”".
    """
    end = verb.i + 1
    while end < len(doc) and region_of[end] < 0 and end - verb.i <= 8:
        if doc[end].text in (".", "?", "!") or ("\n" in doc[end].text_with_ws and not _colon_line_end(doc, end)):
            return None
        end += 1
    if end < len(doc) and region_of[end] >= 0:
        region = regions[region_of[end]]
        gap = "".join(t.text_with_ws for t in doc[verb.i + 1 : end])
        tight = bare and all(t.is_punct or t.is_space or t.dep_ == "prt" for t in doc[verb.i + 1 : end])
        if not (":" in gap or "," in gap or tight) or region[0] < verb.idx:
            return None
        if "\n" in gap and not gap.split("\n", 1)[0].rstrip().endswith(":"):
            return None
        return region
    return None


def _colon_line_end(doc: Doc, i: int) -> bool:
    """Token ``i`` ends a paragraph that closes with a colon: 'Cruz continued:' and the quote below it."""
    j = i
    while j >= 0 and doc[j].is_space:
        j -= 1
    return j >= 0 and doc[j].text == ":"


def _source_token(verb: Token) -> Token | None:
    """The subject of the cue, climbing through xcomp/advcl/conj; a relative pronoun is the source as written.

    "who tweeted" keeps "who" (PolNeAR marks it; the resolver follows it to its noun). "led voters to
    say" takes the object of the governing verb (object control), "were likely to say" its subject.
    """
    if verb.lemma_.lower() in _RAISING:
        return None
    current = verb
    for _ in range(4):
        for child in current.children:
            if child.dep_ == "agent":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
        subjects = [c for c in current.children if c.dep_ in _SUBJECTS and not _newline_between(c, current)]
        if subjects:
            nearest = min(subjects, key=lambda c: abs(c.i - current.i))
            # "Trump is expected to visit", "who has been asked to manage": the passive subject is the
            # one expected or asked, not who expects or asks
            return None if nearest.dep_ == "nsubjpass" and current.i == verb.i else nearest
        if current.i == verb.i and verb.tag_ == "VBN" and (verb.dep_ == "advcl" or verb.i < verb.head.i):
            return None  # "Asked about the plan, Doe said ...": whoever asked is not named
        if current.dep_ == "acl" and current.head.lemma_.lower() in channel_nouns():
            # "Trump issued a statement saying ...", "he said in a statement referencing ...": the
            # statement's author is the source
            governor = current.head.head
            if governor.pos_ == "ADP" and governor.head.i != governor.i:
                governor = governor.head
            if governor.pos_ in ("VERB", "AUX"):
                current = governor
                continue
        if current.dep_ in ("relcl", "acl"):
            return current.head if current.head.pos_ in ("NOUN", "PROPN", "PRON") else None
        if current.dep_ == "xcomp":
            objects = [c for c in current.head.children if c.dep_ == "dobj" and c.i < current.i]
            if objects and current.head.lemma_ not in ("say", "tell"):
                return objects[0]
        if current.dep_ == "conj" and current.head.dep_ == "ccomp" and current.head.head.lemma_.lower() in cue_verbs():
            # "said the count was wrong and vowed to appeal": "vowed" shares the subject of "said"
            current = current.head.head
            continue
        if current.dep_ in _CLIMB | {"acomp", "attr", "prep"} and current.head.i != current.i:
            current = current.head
            continue
        return None
    return None


def _newline_between(a: Token, b: Token) -> bool:
    """A paragraph break lies between two tokens (a parse that crossed it is not trusted)."""
    lo, hi = sorted((a.i, b.i))
    doc = a.doc
    return any("\n" in doc[k].text_with_ws for k in range(lo, hi))


def _np_span(doc: Doc, head: Token) -> Offsets:
    """The noun phrase of a source as written: its subtree without relative clauses or appositions.

    Keeps premodifiers ("Army spokeswoman Jane Doe") and an "of"/"from" complement ("the
    statement from the Joint Task Force", "Joel Pollak of Breitbart").
    """
    start, end = head.i, head.i
    for child in head.lefts:
        if child.dep_ not in ("punct", "cc", "preconj", "ccomp", "parataxis", "advcl", "nsubj", "csubj"):
            start = min(start, child.left_edge.i)  # a clause the parse hung before the noun is not part of it
    for child in head.rights:
        if child.i != end + 1:
            break
        if child.dep_ in ("compound", "flat", "nummod"):
            end = child.i
        elif child.dep_ == "prep" and child.lower_ in ("of", "from", "at", "by"):
            end = child.right_edge.i
        else:
            break
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    return doc[start].idx, _tok_end(doc[end])


def _layout_attribution(
    content: Offsets, *, source: Offsets, head: Token, cue: Offsets, sentence: Offsets, attribution: Offsets
) -> Attribution:
    """An attribution read off the layout (a name before a colon, a signed line): unquoted speech."""
    return Attribution(
        content=content,
        parts=(content,),
        kind="indirect",
        cue_class="speech",
        source=source,
        source_head=_tok_span(head),
        cue=cue,
        addressee=None,
        channel=None,
        sentence=sentence,
        attribution=attribution,
        quoted=False,
    )


def _tok_span(token: Token) -> Offsets:
    return token.idx, token.idx + len(token)


def _tok_end(token: Token) -> int:
    return token.idx + len(token)


def _trim(doc: Doc, start: int, end: int) -> Offsets | None:
    """Character span of tokens ``[start, end)`` without edge punctuation, spaces and "and/but"."""
    while start < end and (
        doc[start].is_punct
        and doc[start].text not in "“\"'‘"
        or doc[start].is_space
        or doc[start].lower_ in ("and", "but")
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_punct
        and doc[end - 1].text not in "”\"'’"
        or doc[end - 1].is_space
        or doc[end - 1].lower_ in _DANGLING
    ):
        end -= 1
    if end <= start:
        return None
    return doc[start].idx, _tok_end(doc[end - 1])


_DANGLING = {"and", "but", "or", "although", "though", "while", "because"}
"""A conjunction left at the end of a content whose next clause belongs to the narration."""


def _size(span: Offsets | None) -> int:
    return 0 if span is None else span[1] - span[0]


def _overlaps(a: Offsets, b: Offsets) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _attribution_stretch(doc: Doc, verb: Token, content: Offsets) -> Offsets:
    """The attribution side of the sentence (source, cue, time), without the content."""
    sent = verb.sent
    s, e = sent.start_char, sent.end_char
    if content[0] >= verb.idx:
        return s, max(s, content[0])
    if content[1] <= verb.idx:
        return min(e, content[1]), e
    return verb.idx, _tok_end(verb)


def _addressee(doc: Doc, verb: Token, content: Offsets) -> Offsets | None:
    """Who was addressed: the object of "told"/"asked", or "to X" after a speech verb."""
    for child in verb.children:
        if child.dep_ in ("dobj", "dative", "iobj") and verb.lemma_.lower() in _ADDRESSEE_VERBS:
            span = _np_span(doc, child)
            if not _overlaps(span, content):
                return span
        if child.dep_ in ("prep", "dative") and child.lower_ == "to":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects and objects[0].ent_type_ not in ("DATE", "TIME"):
                span = _np_span(doc, objects[0])
                if not _overlaps(span, content):
                    return span
    return None


def _channel(doc: Doc, verb: Token, content: Offsets) -> Offsets | None:
    """How it was said: "in a statement", "on Twitter", "in an interview with CNN"."""
    nouns = channel_nouns()
    for child in verb.children:
        if child.dep_ != "prep" or child.lower_ not in ("in", "on", "during", "via", "through"):
            continue
        objects = [c for c in child.children if c.dep_ == "pobj"]
        if not objects:
            continue
        obj = objects[0]
        if obj.lemma_.lower() in nouns or obj.lower_ in nouns:
            end = obj.i
            for right in obj.rights:  # "an interview with CNN"
                if right.dep_ == "prep" and right.lower_ in ("with", "on", "to"):
                    end = right.right_edge.i
                    break
            span = (child.idx, _tok_end(doc[end]))
            if not _overlaps(span, content):
                return span
    return None


# --- quotation marks ----------------------------------------------------------------------------


def _dedupe(found: list[Attribution]) -> list[Attribution]:
    """One relation per cue, and no two relations with the same content (the outer cue wins)."""
    found.sort(key=lambda a: (a.content[0], -a.content[1]))
    out: list[Attribution] = []
    seen: set[Offsets] = set()
    for att in found:
        if att.content in seen:
            continue
        seen.add(att.content)
        out.append(att)
    return out


def _with_regions(
    doc: Doc, text: str, found: list[Attribution], regions: list[Offsets], lines: _Lines
) -> list[Attribution]:
    """Grow contents over the quoted regions they touch, then attach unclaimed regions.

    Each region belongs to at most one relation: of those whose content touches it, the one whose
    cue is nearest. A region claimed by no cue becomes the next part of a split quote when it follows
    the previous quote's attribution in the same paragraph, or a quote of the last speaker when it
    opens its paragraph and that speaker spoke at most two paragraphs back.
    """
    starts = [r[0] for r in regions]
    touched: list[list[int]] = []
    owner: dict[int, tuple[int, int]] = {}  # region -> (cue distance, relation index)
    for n, att in enumerate(found):
        s, e = att.content
        i = max(0, bisect.bisect_right(starts, s) - 1)
        mine = []
        while i < len(regions) and regions[i][0] <= e + 1:
            region = regions[i]
            if _overlaps((region[0] - 1, region[1] + 1), (s, e)) and not _crosses(att, region):
                mine.append(i)
                distance = _cue_distance(att, region)
                if i not in owner or distance < owner[i][0]:
                    owner[i] = (distance, n)
            i += 1
        touched.append(mine)
    grown: list[Attribution] = []
    claimed = [i in owner for i in range(len(regions))]
    for n, att in enumerate(found):
        mine = [i for i in touched[n] if owner[i][1] == n]
        if touched[n] and not mine:
            if att.cue is not None and att.cue[1] <= att.content[0] and not _quoted_at(regions, att.content[0]):
                grown.append(att)  # "said X, which he called “Y”": the quotation is the nearer cue's, X stays
            continue  # its quotation belongs to a nearer cue
        if not mine:
            grown.append(att)
            continue
        s, e = att.content
        first, last = regions[mine[0]], regions[mine[-1]]
        new_s, new_e = min(s, first[0]), max(e, last[1])
        if _quote_then_narration(text, att, first, last, new_s, new_e):
            mine = [i for i in mine if regions[i][1] <= last[1]]
            new_e = last[1]
        quoted_parts = tuple(regions[i] for i in mine)
        if _unquoted_words(text, (new_s, new_e), quoted_parts, att.cue):
            kind, parts = "mixed", quoted_parts
        else:
            kind, parts = ("split" if len(att.parts) > 1 or len(mine) > 1 else "direct"), quoted_parts
            new_s, new_e = first[0], last[1]
        grown.append(replace(att, content=(new_s, new_e), parts=parts, kind=kind, quoted=True))
    grown.sort(key=lambda a: a.content[0])
    return _attach_unclaimed(doc, text, grown, regions, claimed, lines)


def _quote_then_narration(text: str, att: Attribution, first: Offsets, last: Offsets, start: int, end: int) -> bool:
    """'Doe said: "X," but in fact ...' / 'said, "X," promising ...': the content opens with the quotation
    right after the cue and goes on after a comma that closes it; what follows is the writer's narration."""
    if att.cue is None or att.cue[1] > first[0] or first[0] - start > 2 or end <= last[1] + 1:
        return False
    if not re.fullmatch(r"[\s,:]*[“\"']?", text[att.cue[1] : first[0]]):
        return False
    return bool(re.match(r"[”\"'’]?,|,[”\"'’]", text[last[1] - 1 : last[1] + 2]))


def _cue_distance(att: Attribution, region: Offsets) -> int:
    if att.cue is None:
        return 10**9
    return min(abs(att.cue[0] - region[1]), abs(region[0] - att.cue[1]))


def _crosses(att: Attribution, region: Offsets) -> bool:
    """The region holds the attribution's own source or cue: it cannot be its content."""
    return any(x is not None and _overlaps(x, region) for x in (att.cue, att.source))


def _unquoted_words(text: str, span: Offsets, parts: tuple[Offsets, ...], cue: Offsets | None = None) -> bool:
    """Whether the span has words outside its quoted parts (a mixed quote); the attribution between two
    parts ('"X," he told the host, "Y."') is not such a word."""
    pos = span[0]
    for s, e in parts:
        between = cue is not None and pos > span[0] and pos <= cue[0] and cue[1] <= s
        if not between and any(ch.isalnum() for ch in text[pos:s]):
            return True
        pos = max(pos, e)
    return any(ch.isalnum() for ch in text[pos : span[1]])


def _attach_unclaimed(
    doc: Doc, text: str, found: list[Attribution], regions: list[Offsets], claimed: list[bool], lines: _Lines
) -> list[Attribution]:
    """Merge the relations with the quoted regions no cue claimed, in one pass over both lists."""
    out: list[Attribution] = []
    r = 0
    last_quote: int | None = None  # index in ``out`` of the most recent quote with a source
    for n in range(len(found) + 1):
        limit = found[n].content[0] if n < len(found) else len(text) + 1
        while r < len(regions) and regions[r][0] < limit:
            region = regions[r]
            r += 1
            if claimed[r - 1]:
                continue
            if last_quote is None or lines.paragraphs_between(out[last_quote].content[1], region[0]) > 2:
                alone = _voiced(doc, text, region, lines)
                if alone is not None:
                    out.append(alone)
                    last_quote = len(out) - 1
                else:
                    orphan = _orphan(doc, text, region)
                    if orphan is not None:
                        out.append(orphan)
                continue
            prev = out[last_quote]
            merged = _continue(doc, text, prev, region)
            opens = lines.opens_line(text, region)
            gap = lines.paragraphs_between(prev.content[1], region[0])
            if merged is not None:
                out[last_quote] = merged
            elif opens and gap == 1 and _ends_paragraph(text, prev, lines) and _runs_on(text, prev, lines):
                # the next paragraph goes on quoting: one quotation over both (PolNeAR joins them)
                kind = "mixed" if prev.kind == "mixed" else "split"
                out[last_quote] = replace(
                    prev, content=(prev.content[0], region[1]), parts=prev.parts + (region,), kind=kind
                )
            elif (
                gap <= _CONTINUATION_PARAGRAPHS
                and _words(text, region) >= _MIN_QUOTE_WORDS
                and (opens or (_utterance(text, region) and not _names_outlet(text, prev, region)))
            ):
                speaker = None if opens else _sentence_speaker(doc, region)
                out.append(
                    replace(
                        prev,
                        content=region,
                        parts=(region,),
                        kind="direct",
                        cue=speaker[2] if speaker else None,
                        addressee=None,
                        channel=None,
                        sentence=_sentence_of(doc, region),
                        attribution=region,
                        source=speaker[0] if speaker else prev.source,
                        source_head=speaker[1] if speaker else prev.source_head,
                    )
                )
                last_quote = len(out) - 1
            else:
                orphan = _orphan(doc, text, region)
                if orphan is not None:
                    out.append(orphan)
        if n == len(found):
            break
        out.append(found[n])
        if found[n].quoted and found[n].source is not None:
            last_quote = len(out) - 1
    return out


def _orphan(doc: Doc, text: str, region: Offsets) -> Attribution | None:
    """A quoted stretch of at least ``_ORPHAN_WORDS`` words that no cue, layout or earlier speaker claims.

    PolNeAR annotates such quotations as attributions all the same (a slogan "ran on the slogan ...",
    a sign, a phrase someone used); the speaker is the subject of the nearest verb of its sentence when
    there is one, else nobody named.
    """
    if _words(text, region) < _ORPHAN_WORDS or _title_case(text, region):
        return None
    speaker = _sentence_speaker(doc, region)
    return Attribution(
        content=region,
        parts=(region,),
        kind="direct",
        cue_class="speech",
        source=speaker[0] if speaker else None,
        source_head=speaker[1] if speaker else None,
        cue=speaker[2] if speaker else None,
        addressee=None,
        channel=None,
        sentence=_sentence_of(doc, region),
        attribution=region,
        quoted=True,
    )


def _title_case(text: str, region: Offsets) -> bool:
    """ "Songs From The Big Valley Floor": most words capitalized, as in the title of a work or a headline."""
    words = [w for w in text[region[0] : region[1]].split() if w[:1].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _voiced(doc: Doc, text: str, region: Offsets, lines: _Lines) -> Attribution | None:
    """An uncued quoted sentence away from any earlier speaker, voiced by its own sentence's subject."""
    if _words(text, region) < _MIN_QUOTE_WORDS or not _utterance(text, region) or lines.opens_line(text, region):
        return None
    speaker = _sentence_speaker(doc, region)
    if speaker is None:
        return None
    sentence = _sentence_of(doc, region)
    return Attribution(
        content=region,
        parts=(region,),
        kind="direct",
        cue_class="speech",
        source=speaker[0],
        source_head=speaker[1],
        cue=speaker[2],
        addressee=None,
        channel=None,
        sentence=sentence,
        attribution=region,
        quoted=True,
    )


def _names_outlet(text: str, prev: Attribution, region: Offsets) -> bool:
    """The region is a title in the attribution ('told ABC's "Good Morning America."'): in its
    addressee or channel, or right after a possessive."""
    if any(x is not None and _overlaps((x[0], x[1] + 2), region) for x in (prev.addressee, prev.channel)):
        return True
    return bool(re.search(r"['’]s\s*[\"“]?\s*$", text[max(0, region[0] - 6) : region[0]]))


def _utterance(text: str, region: Offsets) -> bool:
    """A quoted stretch that reads as a spoken sentence, not a title or a scare quote: it opens with a
    capital and closes on sentence punctuation inside its marks ("We will win.", "Why now?")."""
    body = text[region[0] : region[1]].strip()
    return bool(body) and body[0].isupper() and body[-1] in ".?!,"


def _sentence_speaker(doc: Doc, region: Offsets) -> tuple[Offsets, Offsets, Offsets] | None:
    """The person who voices an uncued quotation inside a sentence: the subject of the nearest verb
    outside the quotation ("the crowd chanted and Lena Park barked “...”"), as (source, head, verb)."""
    span = doc.char_span(region[0], region[1], alignment_mode="expand")
    if span is None:
        return None
    best: tuple[int, Token] | None = None
    lo = max(span[0].sent.start, span.start - _SPEAKER_WINDOW)
    hi = min(span[-1].sent.end, span.end + _SPEAKER_WINDOW)
    for token in doc[lo:hi]:
        if region[0] <= token.idx < region[1] or token.dep_ != "nsubj" or token.head.pos_ != "VERB":
            continue
        if not (token.pos_ == "PROPN" or token.ent_type_ == "PERSON" or token.lower_ in _PRONOUNS_PERSON):
            continue
        distance = min(abs(token.idx - region[0]), abs(token.idx - region[1]))
        if best is None or distance < best[0]:
            best = (distance, token)
    if best is None:
        return None
    token = best[1]
    return _np_span(doc, token), _tok_span(token), _tok_span(token.head)


class _Lines:
    """Line breaks of the article, for paragraph questions answered by bisection (never by rescanning)."""

    def __init__(self, breaks: list[int], size: int) -> None:
        self.breaks = breaks
        self.size = size

    def start_of(self, pos: int) -> int:
        i = bisect.bisect_left(self.breaks, pos)
        return self.breaks[i - 1] + 1 if i > 0 else 0

    def end_of(self, pos: int) -> int:
        i = bisect.bisect_left(self.breaks, pos)
        return self.breaks[i] if i < len(self.breaks) else self.size

    def opens_line(self, text: str, region: Offsets) -> bool:
        """The region opens its paragraph (only the opening mark before it on the line)."""
        start = self.start_of(region[0])
        return region[0] - start <= 4 and not text[start : region[0]].strip(" \t“\"„«'‘")

    def paragraphs_between(self, start: int, end: int) -> int:
        """Paragraph breaks between two offsets (a run of blank lines is one break), counted up to 3."""
        i = bisect.bisect_left(self.breaks, start)
        count, last = 0, -2
        while i < len(self.breaks) and self.breaks[i] < end and count <= _CONTINUATION_PARAGRAPHS:
            if self.breaks[i] != last + 1:
                count += 1
            last = self.breaks[i]
            i += 1
        return count


def _continue(doc: Doc, text: str, prev: Attribution, region: Offsets) -> Attribution | None:
    """``"X," Doe said. "Y."``: the region continues ``prev`` when only its attribution lies between."""
    if prev.cue is None or not prev.quoted or prev.cue[0] < prev.content[1] or prev.cue[1] > region[0]:
        return None
    if _crosses(prev, region) or (prev.channel is not None and _overlaps(prev.channel, region)):
        return None  # a title inside the attribution ("on CNN's “State of the Union”")
    if not 0 < region[0] - prev.content[1] <= _SPLIT_GAP:
        return None
    gap = text[prev.content[1] : region[0]]
    if "\n" in gap:
        return None
    ends = [m.end() for m in _SENTENCE_END.finditer(gap) if not _ABBREVIATION.search(gap, 0, m.start() + 1)]
    tail = gap[ends[-1] :] if ends else ""
    if re.sub(r"[\s“\"'‘]", "", tail):
        return None  # a sentence of narration lies between: not the same quotation
    after_cue = doc.char_span(prev.cue[1], region[0], alignment_mode="expand")
    if after_cue is not None and any(t.is_sent_start and t.idx < region[0] - 2 for t in after_cue[1:]):
        return None  # '"X," Doe said, pointing at it. Roe shook her head. "Y."': another sentence between
    joint = text[min(_attribution_end(prev), region[0]) : region[0]]
    narration = region[0] - _attribution_end(prev) > 4 or not any(p in joint for p in ",:;—")
    if not tail and narration and not _resumes(text, prev, region):
        return None  # inside the attribution's own sentence but after more narration ("who waited in a “long line”")
    parts = prev.parts + (region,)
    kind = "mixed" if prev.kind == "mixed" else "split"
    return replace(prev, content=(prev.content[0], region[1]), parts=parts, kind=kind)


_SENTENCE_END = re.compile(r"[.?!;][\"”’]?\s")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|St|Jr|Sr|Prof|Rev|Adm|Maj|Cmdr|Pres|Sec)|\b[A-Z])\.$"
)
"""A title or an initial before a full stop ("Mr. Obama said", "George H. Bush"): not a sentence end."""


def _resumes(text: str, prev: Attribution, region: Offsets) -> bool:
    """``"X," he told the paper in October, "Y."``: a quote broken off by a comma resumes after a comma.

    The first part ends in a comma inside its marks and the second opens right after a comma that
    closes a short stretch of narration (the attribution with its time and place): the interrupted
    sentence goes on, so it is one quotation whatever the attribution holds.
    """
    last = prev.parts[-1]
    inside = text[max(last[0], last[1] - 2) : last[1] + 1]
    if "," not in inside or _words(text, region) < _MIN_QUOTE_WORDS:
        return False
    between = text[_attribution_end(prev) : region[0]]
    return len(between.split()) <= _RESUME_WORDS and bool(re.search(r",\s*[“\"]?\s*$", between))


def _attribution_end(att: Attribution) -> int:
    """Where the attribution's own words (source, cue, addressee, channel) end."""
    return max(x[1] for x in (att.source, att.cue, att.addressee, att.channel, att.content) if x is not None)


def _runs_on(text: str, att: Attribution, lines: _Lines) -> bool:
    """The quote may take in the next paragraph: its last part is unclosed (a multi-paragraph quote) or
    sits in the paragraph of its cue (the attributed paragraph, which PolNeAR joins to the next one)."""
    last = att.parts[-1][1]
    if last >= len(text) or text[last] == "\n":
        return True
    return att.cue is not None and lines.start_of(att.cue[0]) == lines.start_of(last)


def _ends_paragraph(text: str, att: Attribution, lines: _Lines) -> bool:
    """Nothing but the attribution follows the quote in its paragraph."""
    end = _attribution_end(att)
    rest = text[end : lines.end_of(end)].strip()
    if not rest.strip(" .,\"”’'"):
        return True
    # an apposition on the speaker ("said Lamar Smith, a Republican from Texas who chairs ...")
    return rest[0] == "," and not re.search(r"[.?!;][\s\"”’]", rest[:-1]) and not re.search('["“”]', rest)


def _words(text: str, region: Offsets) -> int:
    return len(text[region[0] : region[1]].split())


def _sentence_of(doc: Doc, region: Offsets) -> Offsets:
    span = doc.char_span(region[0], region[1], alignment_mode="expand")
    if span is None:
        return region
    sents = [span[0].sent, span[-1].sent]
    return sents[0].start_char, sents[1].end_char


# --- speakers -------------------------------------------------------------------------------------


class _Resolver:
    """Resolves source mentions to entity ids: entities first, then pronoun and role-noun rules.

    Lookups are bisections over lists built once per article, so resolution is linear overall.
    """

    def __init__(self, doc: Doc, text: str, ctx: Context, regions: list[Offsets]) -> None:
        self.doc = doc
        self.text = text
        self.ctx = ctx
        self.by_id: dict[str, Entity] = {e.id: e for e in ctx.entities}
        self.entities = EntityIndex(ctx)
        quoted = _QuotedIndex(regions)
        person_mentions = sorted(
            (s, e, ent) for ent in ctx.entities if ent.type == "PERSON" for s, e in ent.mentions if not quoted.holds(s)
        )
        names = [(s, e, ent) for s, e, ent in person_mentions if text[s:e][:1].isupper()]
        self.person_starts = [s for s, _, _ in names]
        self.person_ents = [ent for _, _, ent in names]
        self.role_index: dict[str, tuple[list[int], list[Entity]]] = {}
        for s, e, ent in names:
            for role in self._roles_at(s, e, ent):
                starts, ents = self.role_index.setdefault(role, ([], []))
                starts.append(s)
                ents.append(ent)
        self.speakers: list[tuple[int, str]] = []
        self.gender: dict[str, str] = {}
        self.full_name: dict[str, str] = {}
        for ent in ctx.entities:  # "Smith" after "John Smith": the surname names the same person
            words = ent.name.split()
            if ent.type == "PERSON" and len(words) > 1:
                self.full_name.setdefault(words[-1].rstrip(",."), ent.id)
                if words[-1].rstrip(".").lower() in ("jr", "sr", "ii", "iii") and len(words) > 2:
                    self.full_name.setdefault(words[-2].rstrip(",."), ent.id)
        for s, e, ent in names:  # "Mr. Obama", "Mrs. Clinton": honorifics tell which pronoun fits
            honorific = _HONORIFIC.search(text, max(0, s - 6), e)
            if honorific is not None and honorific.end() <= s + 5:
                self.gender.setdefault(self._canonical(ent.id, ent.name), _GENDER_OF[honorific.group(1).lower()])

    def _roles_at(self, start: int, end: int, ent: Entity) -> set[str]:
        """Role nouns attached to a person mention: premodifiers, appositions, and the entity's roles."""
        nouns = role_nouns()
        found = {w for r in ent.roles + ent.titles for w in r.lower().split() if w in nouns}
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return found
        head = span.root
        for tok in list(head.lefts) + list(head.rights):
            if tok.dep_ in ("compound", "appos", "amod", "nmod") and tok.lemma_.lower() in nouns:
                found.add(tok.lemma_.lower())
            if tok.dep_ == "appos":
                found.update(t.lemma_.lower() for t in tok.subtree if t.lemma_.lower() in nouns)
        if head.dep_ == "appos" and head.head.lemma_.lower() in nouns:
            found.add(head.head.lemma_.lower())
        i = span.start - 1
        while i >= 0 and i >= span.start - 4 and self.doc[i].pos_ in ("NOUN", "PROPN", "ADJ"):
            if self.doc[i].lemma_.lower() in nouns:
                found.add(self.doc[i].lemma_.lower())
            i -= 1
        return found

    def _antecedent(self, att: Attribution) -> Attribution:
        """For "who said ...": the noun the relative clause hangs from, as the mention to resolve."""
        span = self.doc.char_span(att.source_head[0], att.source_head[1], alignment_mode="expand")  # type: ignore[index]
        if span is None or span.root.head.dep_ != "relcl":
            return replace(att, source_head=None)
        noun = span.root.head.head
        return replace(att, source=_np_span(self.doc, noun), source_head=_tok_span(noun))

    def remember(self, att: Attribution) -> None:
        """Record a resolved speaker, the antecedent of a later "he" or "the spokesman"."""
        if att.entity is not None and att.source is not None:
            ent = self.by_id.get(att.entity)
            if ent is None or ent.type == "PERSON":
                bisect.insort(self.speakers, (att.source[0], att.entity))  # sources come nearly in order

    def _canonical(self, entity_id: str, name: str) -> str:
        return self.full_name.get(name, entity_id)

    def _fits(self, entity_id: str, gender: str | None) -> bool:
        return gender is None or self.gender.get(entity_id, gender) == gender

    def _last_speaker(self, before: int, gender: str | None = None) -> tuple[int, str] | None:
        """The most recent earlier speaker compatible with the pronoun's gender (a few back at most)."""
        i = bisect.bisect_left(self.speakers, (before, "")) - 1
        for k in range(i, max(-1, i - _LOOKBACK), -1):
            if self._fits(self.speakers[k][1], gender):
                return self.speakers[k]
        return None

    def _last_person(self, before: int, gender: str | None = None) -> tuple[int, str] | None:
        """The most recent person named outside quotes before ``before`` and compatible with the gender."""
        i = bisect.bisect_left(self.person_starts, before) - 1
        for k in range(i, max(-1, i - _LOOKBACK), -1):
            ent = self.person_ents[k]
            entity_id = self._canonical(ent.id, ent.name)
            if self._fits(entity_id, gender):
                return self.person_starts[k], entity_id
        return None

    def _pronoun(self, at: int, word: str) -> str | None:
        """ "he"/"she": the last speaker, unless another compatible person was named since."""
        gender = "f" if word in ("she", "her") else "m" if word in ("he", "him") else None
        speaker = self._last_speaker(at, gender)
        person = self._last_person(at, gender)
        if speaker is not None and (person is None or person[0] <= speaker[0]):
            found = speaker[1]
        elif person is not None:
            found = person[1]
        else:
            return None
        return found

    def resolve(self, att: Attribution) -> str | None:
        """The entity id of the attribution's source mention, or None when it names no entity."""
        relative = (
            att.source_head is not None and self.text[att.source_head[0] : att.source_head[1]].lower() in _RELATIVE
        )
        if relative:
            att = self._antecedent(att)
        source, head_span = att.source, att.source_head
        if source is None or head_span is None:
            return None
        head_ent = self.entities.at(*head_span)
        if head_ent is not None:
            return self._canonical(head_ent.id, head_ent.name) if head_ent.type == "PERSON" else head_ent.id
        head = self.text[head_span[0] : head_span[1]].lower()
        at = source[0]
        if head in _PRONOUNS_PERSON:
            return self._pronoun(at, head)
        if head in _PRONOUNS_GROUP:
            return None
        lemma = _lemma_at(self.doc, head_span)
        if lemma in role_nouns() and not _plural(self.doc, head_span):
            starts, ents = self.role_index.get(lemma, ([], []))
            i = bisect.bisect_left(starts, at) - 1
            if i >= 0:
                return self._canonical(ents[i].id, ents[i].name)
            return self._pronoun(at, "")
        whole = self.entities.at(*source)
        return whole.id if whole is not None else None


def _plural(doc: Doc, span: Offsets) -> bool:
    chunk = doc.char_span(span[0], span[1], alignment_mode="expand")
    return chunk is not None and chunk.root.tag_ in ("NNS", "NNPS")


def _lemma_at(doc: Doc, span: Offsets) -> str:
    chunk: SpacySpan | None = doc.char_span(span[0], span[1], alignment_mode="expand")
    return chunk.root.lemma_.lower() if chunk is not None else ""


class EntityIndex:
    """``Context.entity_at`` by bisection: the entity of the tightest mention overlapping a span.

    Same answer as ``ctx.entity_at``, in O(log n) per lookup instead of a scan of every mention, so
    that an article with thousands of quotes stays linear.
    """

    _MAX_MENTION = 300
    """Longest mention looked back over, in characters (names and role phrases are far shorter)."""

    def __init__(self, ctx: Context) -> None:
        mentions = sorted((s, e, ent) for ent in ctx.entities for s, e in ent.mentions)
        self.starts = [s for s, _, _ in mentions]
        self.mentions = mentions

    def at(self, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping ``[start, end)``, preferring the tightest mention."""
        i = bisect.bisect_left(self.starts, end) - 1
        best: tuple[int, Entity] | None = None
        while i >= 0 and self.starts[i] > start - self._MAX_MENTION:
            s, e, ent = self.mentions[i]
            if s < end and start < e and (best is None or e - s < best[0]):
                best = (e - s, ent)
            i -= 1
        return best[1] if best else None


class TimeIndex:
    """``Context.when_at`` by bisection: the first DATE/TIME timex inside a span, else the publication date."""

    def __init__(self, ctx: Context) -> None:
        timexes = sorted((t.span, t.value) for t in ctx.timexes if t.type in ("DATE", "TIME"))
        self.starts = [span[0] for span, _ in timexes]
        self.timexes = timexes
        self.default = ctx.published.isoformat() if ctx.published else None

    def at(self, start: int, end: int) -> str | None:
        """The value of the first DATE/TIME timex inside ``[start, end)``, else the publication date."""
        i = bisect.bisect_left(self.starts, start)
        while i < len(self.timexes) and self.timexes[i][0][0] < end:
            (_, e), value = self.timexes[i]
            if e <= end:
                return value
            i += 1
        return self.default


class _QuotedIndex:
    """Membership of a character offset in the quoted regions, by bisection."""

    def __init__(self, regions: list[Offsets]) -> None:
        self.regions = regions
        self.starts = [r[0] for r in regions]

    def holds(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.regions[i][1]
