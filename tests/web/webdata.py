"""Records the web tests store: the seed article with facts built from its hand-made gold, dated
troop-count reports from several sources (for the number chart), and an article full of XSS payloads.

The web layer renders what the store holds, so these records are built by hand (with spans found in
the text) rather than extracted: the pages are tested independently of the extractors' quality. Real
extractions (PolNeAR articles, the paste page, POST /api/articles) are added by the tests themselves.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsfacts.extract.entities import entity_key
from newsfacts.model import (
    ArticleFacts,
    Claim,
    Entity,
    Mention,
    Quantity,
    Quote,
    Span,
    Timex,
    text_sha256,
)

SEED_ID = "examples/iraq-combat-mission-2021-12-09.txt"
"""A file path with a slash: article ids may contain slashes."""

KIRBY = entity_key("PERSON", "John Kirby")

XSS_ID = "xss/<script>alert('id')</script>.txt"
XSS_TEXT = (
    "Officials said the report was <script>alert('script')</script> incomplete.\n\n"
    "“<img src=x onerror=alert('img')> is not acceptable,” said Jane <b>Doe</b> on Monday. "
    "She linked to <a href=\"javascript:alert('link')\">the file</a> and wrote </textarea><script>alert('ta')</script>.\n\n"
    "About 40 \" onmouseover=alert('attr') \" people were there, according to <svg onload=alert('svg')>."
)
XSS_NAME = "Jane <b>Doe</b>"


_SENTENCE_END = re.compile(r"(?<!\bU\.S)(?<!\bMaj)(?<!\bGen)(?<!\bJr)[.?!][”\"]?(?=\s+[“\"A-Z])|\n+")


def _paragraph(text: str, start: int) -> tuple[int, int]:
    """The sentence holding ``start`` (a plain splitter that knows this article's abbreviations)."""
    s, e = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            s = m.end()
        elif m.start() >= start:
            e = m.end() if not m.group().startswith("\n") else m.start()
            break
    while s < e and text[s].isspace():
        s += 1
    return (s, e)


def _line(text: str, start: int) -> tuple[int, int]:
    """The paragraph (line) holding ``start``: where a quote's speaker and cue are looked for."""
    s = text.rfind("\n", 0, start) + 1
    e = text.find("\n", start)
    return (s, len(text) if e < 0 else e)


def _find(text: str, needle: str, occurrence: int = 1, start: int = 0) -> tuple[int, int]:
    at = start - 1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    return (at, at + len(needle))


def _mentions(text: str, names: dict[str, list[str]]) -> dict[str, list[tuple[int, int]]]:
    """Non-overlapping occurrences of every entity's names, longest names first."""
    pairs = sorted(((n, eid) for eid, ns in names.items() for n in ns), key=lambda p: -len(p[0]))
    taken: list[tuple[int, int]] = []
    found: dict[str, list[tuple[int, int]]] = {eid: [] for eid in names}
    for name, eid in pairs:
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append(m.span())
            found[eid].append(m.span())
    return {eid: sorted(spans) for eid, spans in found.items()}


def _nearest(spans: list[tuple[int, int]], at: int, within: tuple[int, int]) -> tuple[int, int] | None:
    inside = [s for s in spans if within[0] <= s[0] < within[1]]
    after = [s for s in inside if s[0] >= at]
    return after[0] if after else (inside[-1] if inside else None)


def seed_record(text: str, gold_path: Path) -> ArticleFacts:
    """The seed article with entities, quotes, claims, quantities and times from the hand-made gold."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    ids = {g["name"]: entity_key(g["type"], g["name"]) for g in gold["entities"]}
    names = {ids[g["name"]]: [g["name"], *g.get("aliases", [])] for g in gold["entities"]}
    mentions = _mentions(text, names)
    entities = tuple(
        Entity(id=ids[g["name"]], name=g["name"], type=g["type"], aliases=tuple(g.get("aliases", ())),
               titles=tuple(g.get("titles", ())), roles=tuple(g.get("roles", ())), mentions=tuple(mentions[ids[g["name"]]]))
        for g in gold["entities"] if mentions[ids[g["name"]]]
    )

    def mention(name: str, after: int, para: tuple[int, int]) -> Mention | None:
        span = _nearest(mentions.get(ids.get(name, ""), []), after, para)
        return Mention(span=span, text=text[span[0]:span[1]], entity=ids[name]) if span else None

    def cue(word: str, after: int) -> Span:
        para = _line(text, after)
        at = text.find(word, after, para[1])
        at = at if at >= 0 else text.rfind(word, para[0], after)
        return Span(span=(at, at + len(word)), text=word)

    quotes = []
    for g in gold["quotes"]:
        s, e = _find(text, g["text"])
        quotes.append(Quote(span=(s, e), text=text[s:e], parts=((s, e),), kind=g["kind"],
                            speaker=mention(g["speaker"], e, _line(text, s)), cue=cue(g["cue"], e), when=g.get("when"),
                            sentence=_paragraph(text, s)))
    claims = []
    for g in gold["attributed_claims"]:
        s, e = _find(text, g["text"])
        claims.append(Claim(span=(s, e), text=text[s:e], kind="according_to" if g["cue"] == "according to" else "reported",
                            source=mention(g["source"], e, _line(text, s)), cue=cue(g["cue"], e),
                            when=g.get("when"), sentence=_paragraph(text, s)))
    quantities = []
    for g in gold["quantities"]:
        s, e = _find(text, g["text"])
        quantities.append(Quantity(span=(s, e), text=g["text"], value=float(g["value"]), unit=g.get("unit"),
                                   change="~" if g.get("approximate") else "=", source=ids.get(g.get("source", "")),
                                   when=g.get("when"), sentence=_paragraph(text, s)))
    timexes = []
    for g in gold["timexes"]:
        s, e = _find(text, g["text"], g.get("occurrence", 1))
        timexes.append(Timex(span=(s, e), text=g["text"], type=g["type"], value=g["value"], mod=g.get("mod"),
                             sentence=_paragraph(text, s)))
    return ArticleFacts(id=SEED_ID, text=text, sha256=text_sha256(text), title="U.S. ends its combat mission in Iraq",
                        published="2021-12-09", source="example", entities=entities, quotes=tuple(quotes),
                        claims=tuple(claims), quantities=tuple(sorted(quantities, key=lambda q: q.span)),
                        timexes=tuple(sorted(timexes, key=lambda t: t.span)))


TROOP_REPORTS = (
    ("reports/2019-06-01.txt", "2019-06-01", "Between 5,000 and 5,500 troops are in Iraq, the Pentagon said.",
     "Between 5,000 and 5,500", (5000.0, 5500.0), ("ORG", "Pentagon")),
    ("reports/2020-03-01.txt", "2020-03-01", "The Pentagon said 5,200 troops were stationed in Iraq.",
     "5,200", 5200.0, ("ORG", "Pentagon")),
    ("reports/2021-01-15.txt", "2021-01-15", "There are 3,000 troops in Iraq, according to the Washington Post.",
     "3,000", 3000.0, ("ORG", "Washington Post")),
    ("reports/2021-12-01.txt", "2021-12-01", "About 2,500 troops remain in Iraq, John Kirby said.",
     "About 2,500", 2500.0, ("PERSON", "John Kirby")),
)
"""(id, published, text, number as written, value, source): one troop count per article."""


def troop_reports() -> list[ArticleFacts]:
    """Short articles reporting the number of troops in Iraq, by three sources over three years."""
    records = []
    for article_id, published, text, written, value, (etype, name) in TROOP_REPORTS:
        eid = entity_key(etype, name)
        ns, ne = _find(text, name)
        qs, qe = _find(text, written)
        cs, ce = _find(text, "troops")
        iraq = _find(text, "Iraq")
        records.append(ArticleFacts(
            id=article_id, text=text, sha256=text_sha256(text), published=published, source="wire",
            title=f"Troops in Iraq ({published})",
            entities=(Entity(id=eid, name=name, type=etype, mentions=((ns, ne),)),
                      Entity(id=entity_key("GPE", "Iraq"), name="Iraq", type="GPE", mentions=(iraq,))),
            quantities=(Quantity(span=(qs, qe), text=written, value=value, change="=",
                                 counts=Span(span=(cs, ce), text="troops"), source=eid, when=published,
                                 sentence=(0, len(text))),),
        ))
    return records


def xss_record() -> ArticleFacts:
    """An article whose text, title, url, entity name and facts are all injection attempts."""
    text = XSS_TEXT
    jane = entity_key("PERSON", XSS_NAME)
    ns, ne = _find(text, XSS_NAME)
    qs, qe = _find(text, "<img src=x onerror=alert('img')> is not acceptable,")
    ts, te = _find(text, "</textarea><script>alert('ta')</script>")
    ns2, ne2 = _find(text, "40 \" onmouseover=alert('attr') \" people")
    ss, se = _find(text, "<svg onload=alert('svg')>")
    cs, _ = _find(text, "About 40")
    para = _paragraph(text, qs)
    return ArticleFacts(
        id=XSS_ID, text=text, sha256=text_sha256(text), published="2021-12-06",
        title="<script>alert('title')</script>", url="javascript:alert('url')", source="<i>wire</i>",
        entities=(Entity(id=jane, name=XSS_NAME, type="PERSON", aliases=("<script>alert('alias')</script>",),
                         mentions=((ns, ne),)),
                  Entity(id=entity_key("ORG", "<svg onload=alert('svg')>"), name="<svg onload=alert('svg')>", type="ORG",
                         mentions=((ss, se),))),
        quotes=(Quote(span=(qs, qe), text=text[qs:qe], parts=((qs, qe),), kind="direct",
                      speaker=Mention(span=(ns, ne), text=XSS_NAME, entity=jane), when="2021-12-06", sentence=para),),
        claims=(Claim(span=(cs, ne2), text=text[cs:ne2], kind="according_to",
                      source=Mention(span=(ss, se), text=text[ss:se], entity=entity_key("ORG", "<svg onload=alert('svg')>")),
                      sentence=_paragraph(text, cs)),),
        quantities=(Quantity(span=(ns2, ne2), text=text[ns2:ne2], value=40.0, unit="\"><script>alert('unit')</script>",
                             counts=Span(span=(ns2, ne2), text=text[ns2:ne2]), source=jane, when="2021-12-06",
                             sentence=_paragraph(text, ns2)),),
        timexes=(Timex(span=(ts, te), text=text[ts:te], type="DATE", value="2021-12-06"),),
    )
