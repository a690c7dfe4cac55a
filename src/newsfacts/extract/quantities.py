"""Quantities: reported numbers with their value, unit, bound or change, what they count and who said them.

"about 2,500" -> value 2500, change "~"; "$800 million" -> 8e8 USD; "fell 3%" -> 3 percent, "down";
"between 3 and 5" -> [3, 5]; "40,000 soldiers" -> 40000, counts "soldiers". Years, dates, clock times,
ordinals, ids and pronoun "one" are not quantities (dates are timexes). The annotation scheme follows
NewsQuant (CQE, Almasian et al., EMNLP 2023): counts of things are quantities, durations are too, and
``change`` is one of ``= ~ > < >= <= up down``; see bench/data/QUANTITIES_GUIDE.md.

``sentence_quantities`` is the pure per-sentence part (no speaker, no time); ``quantities`` adds the
``source`` (speaker of the enclosing quote, else source of the enclosing claim) and ``when``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import Quantity, Span
from ._quant_lexicon import UnitEntry, change_words, counted_nouns, max_unit_words, modifiers, units
from ._quant_scan import NumberMatch, number_matches
from .context import Context

NEEDS: tuple[str, ...] = ("entities", "timexes", "quotes", "claims")
GIVES = "quantities"

_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
_TIME_WORDS = {"a.m.", "p.m.", "am", "pm", "a.m", "p.m", "gmt", "utc", "et", "est", "edt", "pst", "o'clock"}
_DURATION_UNITS = {
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month",
    "months", "year", "years", "decade", "decades", "century", "centuries",
}  # fmt: skip
TIME_UNIT_NOUNS = frozenset(_DURATION_UNITS)
"""Time units: "three days" counts days, never what an anaphoric "the number" stands for."""
MEASURE_NOUNS = frozenset({"number", "numbers", "figure", "figures", "total", "totals", "tally", "count", "level", "levels"})
"""Nouns that name an amount of something said before ("the numbers were now about 48,000")."""
_SPEECH_LEMMAS = {"say", "tell", "add", "announce", "report", "estimate", "note", "explain", "state"}
_QUANTIFIERS = {"many", "several", "few", "other", "numerous", "additional", "extra"}
ANTECEDENT_SENTENCES = 6
"""How far back (sentences, the number's own included) the counted noun of an anaphoric measure noun
is looked for: a news paragraph is one to three sentences, and the thing counted is usually named in
the paragraph before."""
_ID_WORDS = {
    "no", "no.", "nos.", "number", "article", "section", "chapter", "amendment", "route", "interstate",
    "highway", "flight", "room", "page", "pages", "version", "title", "rule", "proposition", "prop.",
    "district", "precinct", "am", "fm", "channel", "box", "suite", "apt.", "act", "resolution", "bill",
    "h.r.", "s.", "item", "exhibit", "grade", "level", "phase", "stage", "gate", "row", "seat", "square",
}  # fmt: skip
_ONE_STRICT_BLOCKERS = {"every", "at", "no"}
"""Before these, "one" is never a count ("every one of them", "at one point")."""
_ONE_BLOCKERS_AFTER = {"another", "other", "on", "by"}
_SUPERLATIVE = re.compile(r"\b(?:most|least|best|worst|top|leading|biggest|largest|greatest|\w+est)\b", re.IGNORECASE)
_CURRENCY_PREFIX = re.compile(r"(?:\b(?:US|U\.S\.|USD|C|A|NZ|HK|S)\s?)?[$€£¥₹]\s?$")
_COUNT_POS = {"NOUN", "PROPN", "ADJ"}
_MAX_COUNT_TOKENS = 5
"""A counted noun phrase after a number rarely has more than four modifiers ("400 white-collar jobs")."""
_RANGE_GAP = re.compile(r"^\s*(?:-|–|—|to|-to-|through|and)\s*$", re.IGNORECASE)
_YEAR_MIN, _YEAR_MAX = 1100, 2099
_METRE_CONTEXT = re.compile(
    r"\s+(?:sprint|race|hurdles|freestyle|relay|dash|butterfly|backstroke|breaststroke|medley|high|deep|tall|long|wide|away)\b",
    re.IGNORECASE,
)
_SCALES = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6, "mn": 1e6, "thousand": 1e3, "k": 1e3}
_SCALE_END = re.compile(r"(?<=[\s0-9])(trillion|billion|bn|million|mn|m|thousand|k)$")
_AFTER_FRACTION = {
    "of", "the", "in", "on", "at", "for", "to", "from", "since", "and", "or", "by", "more", "less", "over",
    "last", "this", "than", "during", "after", "before", "while", "as", "compared", "percent", "between",
}  # fmt: skip
_MAGNITUDE_LEAD = re.compile(r"\b(?:tens|hundreds) of\s$", re.IGNORECASE)
_PARTICLE_VERBS = {
    "turn", "pick", "make", "set", "sign", "show", "end", "shut", "step", "break", "take", "give", "back",
    "line", "sum", "open", "bring", "put", "hold", "round", "call", "look", "write", "narrow", "play",
}  # fmt: skip
"""Verbs whose "up"/"down" is a particle, not a change ("turned up four documents", "narrowed down 3")."""
_LOWERCASE_ONLY_UNITS = {"hp", "m", "ft", "in", "cm", "mm", "km", "kg", "lbs", "mph", "kph", "pts", "pct", "pc", "p", "bp", "bps"}
_WINDOW = 60
"""Characters of context read before a number: enough for "no fewer than US$", and it keeps the scan linear."""
_BARE_NUMBERS = re.compile(r"(?:(?:ages?|aged)\s+)?[0-9]+(?:\s*(?:,|to|-|–|and|or|,\s*and)\s*[0-9]+)*", re.IGNORECASE)
_LIST_GAP = re.compile(r"^\s*(?:,|or|and|,\s*or|,\s*and)\s*(?:even\s+|perhaps\s+|maybe\s+)?$", re.IGNORECASE)


@dataclass(slots=True)
class _Found:
    """A quantity being built; offsets are article character offsets."""

    start: int
    end: int
    num_start: int
    num_end: int
    value: float | tuple[float, float]
    kind: str
    unit: str | None = None
    unit_entry: UnitEntry | None = None
    count_unit: str | None = None
    counts: tuple[int, int] | None = None
    change: str = "="
    has_currency: bool = False
    connective_before: str = ""


def quantities(doc: Doc, ctx: Context) -> list[Quantity]:
    """Every quantity of the article, with its source and time.

    Args:
        doc: the parsed article.
        ctx: upstream facts; quotes and claims give ``source``, timexes give ``when``.

    Returns:
        Quantities in document order.

    Example: in "ISIS terrorized 8 million people, according to the statement", the quantity
    "8 million people" has value 8e6, counts "people" and the claim's source entity.
    """
    found: list[Quantity] = []
    full = ctx.text_of(doc)
    starts = [t.idx for t in doc]
    sents = list(doc.sents)
    for i, sent in enumerate(sents):
        when = ctx.when_at(sent.start_char, sent.end_char)
        for q in _sentence_quantities(doc, full, starts, sent):
            counts = _antecedent_counts(doc, full, starts, sents[max(0, i + 1 - ANTECEDENT_SENTENCES) : i], q)
            found.append(replace(q, source=_source(ctx, q.span), when=when, counts=counts))
    return found


def _antecedent_counts(doc: Doc, full: str, starts: list[int], before: list[SpacySpan], q: Quantity) -> Span | None:
    """What an anaphoric measure noun counts: the nearest counted noun before it, else ``q.counts``.

    "The clerk said the numbers were now about 48,000" counts whatever the article was counting
    before ("The county registered thousands of new voters"): the nearest plural noun of
    ``counted_nouns.tsv`` (nouns news counts, learned from PolNeAR train) in the sentences ``before``
    it (not its own: there the plural nouns are its speakers and neighbours, "Officials said the total
    was 1,200"; nor a speaker before). Only for a plain count (no unit: "the figure is 75 percent" is a share, not a
    number of anything) whose counted phrase is a bare measure noun ("the number of voters" already
    says what it counts).
    """
    counts = q.counts
    if counts is None or q.unit is not None or counts.span[1] > q.span[0]:
        return counts  # no count, a unit, or counted after the number ("four figures", "six figures")
    head = _token_at(doc, starts, counts.span[1] - 1)
    if head is None or head.lower_ not in MEASURE_NOUNS or any(c.dep_ == "prep" for c in head.children):
        return counts
    nouns = counted_nouns()
    for sent in reversed(before):
        for tok in reversed(sent):
            if tok.tag_ != "NNS" or tok.lemma_.lower() not in nouns or _is_speaker(tok):
                continue
            mods = [c for c in tok.lefts if c.dep_ in {"compound", "nmod"} or (c.dep_ == "amod" and c.tag_ == "JJ")]
            start = min((c.idx for c in mods if c.lower_ not in _QUANTIFIERS), default=tok.idx)
            end = tok.idx + len(tok.text)
            return Span((start, end), full[start:end])
    return counts


def sentence_quantities(sent: Doc | SpacySpan) -> list[Quantity]:
    """The quantities of one sentence (or a whole Doc treated as one), without source and time.

    A pure function of the parse, used by ``quantities`` and by bench/quantities.py.

    Args:
        sent: a sentence span of a parsed Doc, or a parsed Doc (e.g. one news sentence).

    Returns:
        Quantities in text order; offsets are character offsets into ``sent.doc.text``, ``source``
        and ``when`` are None.

    Example: ``sentence_quantities(nlp("Prices rose 19 cents to $2.24."))`` gives 19 cents (``up``)
    and 2.24 USD (``=``).
    """
    doc = sent.doc if isinstance(sent, SpacySpan) else sent
    return _sentence_quantities(doc, doc.text, [t.idx for t in doc], sent)


def _sentence_quantities(doc: Doc, full: str, starts: list[int], sent: Doc | SpacySpan) -> list[Quantity]:
    """``sentence_quantities`` with the doc text and token offsets computed once per article."""
    base = sent.start_char if isinstance(sent, SpacySpan) else 0
    text = full[base : sent.end_char] if isinstance(sent, SpacySpan) else full
    records: list[_Found] = []
    for match in number_matches(text):
        rec = _build(doc, full, starts, text, base, match)
        if rec is not None:
            records.append(rec)
    records = _merge_ranges(full, records)
    _share_in_lists(doc, starts, full, records)
    return [_to_quantity(full, sent, rec) for rec in records]


def _source(ctx: Context, span: tuple[int, int]) -> str | None:
    """Entity id of the speaker of the quote, else the source of the claim, that contains ``span``."""
    s, e = span
    for quote in ctx.quotes:
        parts = quote.parts or (quote.span,)
        if any(ps <= s and e <= pe for ps, pe in parts) and quote.speaker is not None and quote.speaker.entity:
            return quote.speaker.entity
    for claim in ctx.claims:
        if claim.span[0] <= s and e <= claim.span[1] and claim.source is not None and claim.source.entity:
            return claim.source.entity
    return None


def _token_at(doc: Doc, starts: list[int], char: int) -> Token | None:
    i = bisect.bisect_right(starts, char) - 1
    if i < 0:
        return None
    tok = doc[i]
    return tok if tok.idx <= char < tok.idx + len(tok.text) else None


def _tokens_from(doc: Doc, starts: list[int], char: int) -> int:
    """Index of the first token starting at or after ``char``."""
    return bisect.bisect_left(starts, char)


def _words_before(text: str, end: int, n: int) -> list[str]:
    return text[max(0, end - 60) : end].lower().split()[-n:]


def _build(doc: Doc, full: str, starts: list[int], text: str, base: int, m: NumberMatch) -> _Found | None:
    """Turn a number match into a quantity record, or None when it is a date, id, ordinal or pronoun."""
    s, e = base + m.start, base + m.end
    before = text[max(0, m.start - _WINDOW) : m.start]
    offset = m.start - len(before)
    prev_words = _words_before(text, m.start, 3)
    prev = prev_words[-1] if prev_words else ""
    rec = _Found(start=s, end=e, num_start=s, num_end=e, value=m.value, kind=m.kind)
    # currency before the number: "$800 million", "US$ 2.5", "€40"
    cur = _CURRENCY_PREFIX.search(before)
    if cur:
        symbol = cur.group().strip().lower()
        key = symbol if symbol in units() else symbol[-1]
        rec.start = base + offset + cur.start()
        rec.unit, rec.unit_entry, rec.has_currency = cur.group().strip(), units().get(key), True
        prev_words = _words_before(text, offset + cur.start(), 3)
        prev = prev_words[-1] if prev_words else ""
    if m.suffix:
        if m.suffix in {"m", "mn"} and (rec.has_currency or not _METRE_CONTEXT.match(full[e + len(m.suffix) : e + 30])):
            rec.value = m.value * 1e6  # "$800m", "1.2m people" (but "the 100m sprint" is metres)
        elif m.suffix in units() and units()[m.suffix].kind in {"measure", "percent", "point", "currency"}:
            rec.unit, rec.unit_entry = full[e : e + len(m.suffix)], units()[m.suffix]
        else:
            return None
        rec.end = rec.num_end = e = e + len(m.suffix)
    if not _plausible(text, m, prev):
        return None
    lead = _MAGNITUDE_LEAD.search(before) if m.kind == "magnitude" else None
    if lead is not None:
        rec.value = m.value * (10 if lead.group().lower().startswith("tens") else 100)
        rec.start = base + offset + lead.start()  # "tens of thousands" = [10,000, 100,000)
    if rec.unit is None or rec.has_currency:
        _attach_unit(full, rec)
    if rec.has_currency:
        _attach_per(full, rec)
    if rec.unit_entry is not None and rec.unit_entry.kind == "measure" and re.fullmatch(r"[A-Za-z][A-Za-z -]{2,}", rec.unit or ""):
        _attach_measure_counts(doc, starts, rec)
    if _is_date_or_time(doc, starts, full, rec, m, prev):
        return None
    if rec.unit is None:
        if not _attach_count(doc, starts, full, rec, m):
            return None
        if rec.count_unit is None and not m.words and _after_name(doc, full, starts, rec):
            return None  # "Big 12", "S&P 500", "iPhone 11", "Windows 10": part of a name
    _attach_change(doc, starts, full, rec)
    rec.connective_before = " ".join(_words_before(full, rec.start, 1))
    return rec


def _after_name(doc: Doc, full: str, starts: list[int], rec: _Found) -> bool:
    """Whether a bare number directly follows a capitalized name word inside the sentence.

    A tally stays a quantity ("passed the Senate 68 to 32").
    """
    if re.match(r"\s*(?:to|-|–)\s*[0-9]", full[rec.num_end : rec.num_end + 8]):
        return False
    tok = _token_at(doc, starts, rec.num_start)
    if tok is None or tok.i == 0 or tok.is_sent_start:
        return False
    prev = doc[tok.i - 1]
    if prev.idx + len(prev.text) + 1 != tok.idx or prev.is_sent_start and prev.text.istitle() and prev.pos_ != "PROPN":
        return False
    return prev.pos_ == "PROPN" or (prev.text[:1].isupper() and prev.text.isalpha() and len(prev.text) > 1)


def _plausible(text: str, m: NumberMatch, prev: str) -> bool:
    """Cheap rejections by the words around the number: ids, list markers, fractions used as ordinals."""
    after = text[m.end : m.end + 12]
    surface = text[m.start : m.end].lower()
    if not m.words and m.start > 0:
        raw_prev = (text[max(0, m.start - _WINDOW) : m.start].rstrip().split() or [""])[-1].strip("(\"“")
        if raw_prev[:1].isupper() and raw_prev.lower() in _ID_WORDS:
            return False  # "Article 33", "No. 2", "AM 970", "Interstate 15"
    if not m.words and re.match(r"^[).]\s", after) and not text[max(0, m.start - _WINDOW) : m.start].strip() and m.start < _WINDOW:
        return False  # "4) How hard..." list markers
    if m.kind == "fraction":
        if after.startswith("-") and not surface.endswith("half"):
            return False  # "a third-party candidate", "a quarter-century"
        if surface.startswith(("a ", "an ")) and not surface.endswith(("half", "dozen")):
            nxt = after.strip().split(" ")[0].lower() if after.strip() else ""
            if nxt and nxt not in _AFTER_FRACTION and nxt[0].isalnum():
                return False  # "a third term" (ordinal); "a third of", "by a third in" are shares
        if surface in {"third", "thirds", "quarter", "quarters", "fourth", "fifth", "sixth", "tenth"} and m.start > 0:
            return False  # bare ordinal words
        if surface == "half" and (prev in {"first", "second", "other", "back", "better", "the"} or after.startswith("-")):
            return False
    if surface in {"one"}:
        if prev in _ONE_STRICT_BLOCKERS:
            return False
        if re.match(r"\s+\w+\s+after\s+(?:another|the other)\b", after + text[m.end + 12 : m.end + 40]):
            return False  # "one agency after another"
        next_word = re.match(r"[\s-]*([\w']+)", after)
        if next_word and next_word.group(1).lower() in _ONE_BLOCKERS_AFTER:
            return False
    if m.words and after.startswith("-"):
        joined = re.match(r"-(\w+)", after)
        if joined and joined.group(1).lower() in {"on", "two", "to", "and", "of", "liner", "sided"}:
            return False  # "one-on-one", "one-two punch", "one-sided"
    return True


def _attach_unit(full: str, rec: _Found) -> None:
    """A unit written after the number: "%", "per cent", "square kilometers", "-year-old", "dollars"."""
    rest = full[rec.end : rec.end + 80]
    article = re.match(r"\s+an?(?=\s)", rest) if rec.kind == "fraction" else None
    if article:  # "half a percentage point"
        probe = _Found(start=rec.start, end=rec.end + article.end(), num_start=rec.num_start, num_end=rec.num_end,
                       value=rec.value, kind="number")  # fmt: skip
        _attach_unit(full, probe)
        if probe.unit is not None:
            rec.unit, rec.unit_entry, rec.end = probe.unit, probe.unit_entry, probe.end
        return
    # hyphen compounds: "58-year-old", "52-month sentence", "300-person meeting"
    hy = re.match(r"-([A-Za-z]+)(?:-(old))?\b", rest)
    if hy:
        word = hy.group(1).lower()
        if hy.group(2) or word == "year" and rest[hy.end() : hy.end() + 4] == "-old":
            length = hy.end() if hy.group(2) else hy.end() + 4
            surface = rest[1:length]
            rec.unit, rec.unit_entry = surface, units()["year-old"]
            rec.end += length
            return
        if word in {"to", "and", "or"}:
            return
        if word == "plus":
            rec.change = ">"
            rec.end += hy.end()
            _attach_unit(full, rec)
            return
        entry = units().get(word)
        if rec.has_currency:
            return
        rec.unit = hy.group(1)
        rec.unit_entry = entry if entry is not None else UnitEntry(word, "count")
        rec.end += hy.end()
        return
    words = re.match(r"(\s?)((?:[^\s,;:()\"“”]+\s?){1,%s})".replace("%s", str(max_unit_words())), rest)
    if rest.startswith("%"):
        rec.unit, rec.unit_entry = "%", units()["%"]
        rec.end += 1
        _attach_per(full, rec)
        return
    if not words:
        return
    tokens = words.group(2).split()
    lead = len(words.group(1))
    for n in range(len(tokens), 0, -1):
        surface = " ".join(tokens[:n])
        key = surface.lower().rstrip(".")
        entry = units().get(key)
        if entry is None or (key in _LOWERCASE_ONLY_UNITS and surface.rstrip(".") != key):
            continue  # "HP" the company is not "hp" horsepower
        if rec.has_currency:
            return  # "$15 by 2020", "$5 dollars": a currency amount keeps its symbol
        surface = surface.rstrip(".") if not key.endswith(".") else surface
        rec.unit, rec.unit_entry = surface, entry
        rec.end += lead + len(surface)
        _attach_per(full, rec)
        return


def _attach_per(full: str, rec: _Found) -> None:
    """Rates: "$2 million per episode", "87 miles per hour" (a listed unit already covers the latter)."""
    per = re.match(r"\s(per|an?)\s([A-Za-z]+)\b", full[rec.end : rec.end + 40])
    if per and rec.unit is not None and (per.group(1) == "per" or rec.has_currency and per.group(2).lower() not in _DURATION_UNITS):
        rec.unit = f"{rec.unit} per {per.group(2)}"
        if rec.unit_entry is not None:
            rec.unit_entry = UnitEntry(f"{rec.unit_entry.normalized}/{per.group(2).lower()}", rec.unit_entry.kind)
        rec.end += per.end()


def _is_date_or_time(doc: Doc, starts: list[int], full: str, rec: _Found, m: NumberMatch, prev: str) -> bool:
    """Years, days of the month and clock times belong to timexes, not quantities."""
    if m.words or m.kind != "number" or m.scaled:
        return False
    unit_kind = rec.unit_entry.kind if rec.unit_entry else None
    unit_word = (rec.unit or "").lower().split(" ")[-1]
    is_duration = unit_word in _DURATION_UNITS or unit_kind == "age"
    value = rec.value if isinstance(rec.value, float) else None
    surface = full[rec.num_start : rec.num_end]
    if (
        value is not None
        and re.fullmatch(r"[0-9]{4}", surface)
        and _YEAR_MIN <= value <= _YEAR_MAX
        and not rec.has_currency
        and unit_kind not in {"percent", "measure", "point", "currency"}
    ):
        return True
    if prev.strip(".,") in _MONTHS:
        return True
    nxt = full[rec.num_end : rec.num_end + 14].lower().split()
    if nxt and (nxt[0].strip(".,") in _MONTHS or nxt[0].rstrip(",;") in _TIME_WORDS):
        return True
    if is_duration or rec.has_currency or unit_kind in {"percent", "measure", "point", "currency"}:
        return False
    tok = _token_at(doc, starts, rec.num_start)
    if tok is not None and tok.ent_type_ in {"DATE", "TIME"}:
        # "Ki Hong, 33,", "aged 54 to 65": ages the tagger calls dates stay quantities
        return not (_BARE_NUMBERS.fullmatch(_entity_text(doc, tok)) and value is not None and value < 130)
    return False


def _entity_text(doc: Doc, tok: Token) -> str:
    """Text of the named-entity span around ``tok`` (walks the IOB tags; cost is the entity's length)."""
    a = tok.i
    while a > 0 and doc[a].ent_iob_ == "I":
        a -= 1
    b = tok.i + 1
    while b < len(doc) and doc[b].ent_iob_ == "I":
        b += 1
    return doc[a:b].text


def _count_run(doc: Doc, i: int) -> tuple[int, int] | None:
    """Token range [i, j) of a counted noun phrase starting at token ``i``: modifiers up to the head noun."""
    j = i
    last_noun = -1
    while j < len(doc) and j - i < _MAX_COUNT_TOKENS:
        tok = doc[j]
        if j > i and tok.ent_type_ in {"DATE", "TIME"}:
            break
        if tok.tag_ == "RBS" and j + 1 < len(doc) and doc[j + 1].pos_ == "ADJ":
            j += 1
            continue
        if tok.text in {"-", "–"} and j > i and j + 1 < len(doc) and tok.idx == doc[j - 1].idx + len(doc[j - 1].text):
            j += 2  # "white-collar", "laid-off": the word after a glued hyphen belongs to the compound
            if doc[j - 1].pos_ in {"NOUN", "PROPN"}:
                last_noun = j - 1
            continue
        glued_hyphen = j + 1 < len(doc) and doc[j + 1].text in {"-", "–"} and doc[j + 1].idx == tok.idx + len(tok.text)
        if tok.pos_ in _COUNT_POS or glued_hyphen or (tok.tag_ in {"VBN", "VBG"} and j + 1 < len(doc) and doc[j + 1].pos_ == "NOUN"):
            if tok.pos_ in {"NOUN", "PROPN"} and tok.tag_ != "NNP" or tok.tag_ in {"NNPS"} or tok.pos_ == "PROPN":
                last_noun = j
            j += 1
            continue
        break
    if last_noun < 0:
        return None
    head = doc[last_noun]
    if head.lower_ in _MONTHS or head.ent_type_ in {"DATE", "TIME"} and head.lower_ not in _DURATION_UNITS:
        return None
    return i, last_noun + 1


def _attach_count(doc: Doc, starts: list[int], full: str, rec: _Found, m: NumberMatch) -> bool:
    """The counted noun phrase: "40,000 soldiers", "449 of the party insiders", or a bare number.

    Returns False when the number must be dropped ("one" as a pronoun, "one of the best").
    """
    i = _tokens_from(doc, starts, rec.num_end)
    surface = full[rec.num_start : rec.num_end].lower()
    is_one = surface in {"one", "1"}
    share = m.kind in {"fraction", "ratio"} and m.value < 1
    if share and i < len(doc) and doc[i].lower_ != "of":
        run = _count_run(doc, i) if doc[i].idx <= rec.num_end + 1 else None
        if run is not None:
            rec.counts = (doc[run[0]].idx, doc[run[1] - 1].idx + len(doc[run[1] - 1].text))  # "one in five children"
        return True
    if share or (i < len(doc) and doc[i].lower_ == "of"):
        if i < len(doc) and doc[i].lower_ == "of":
            np = _of_phrase(doc, i)
            if np is None:
                return not is_one
            a, b = np
            phrase = doc[a:b].text
            if is_one and not (doc[a].pos_ in {"DET", "NUM"} or doc[a].tag_ in {"PRP$", "CD"} or any(t.tag_ == "POS" for t in doc[a:b])):
                return False  # "one of many", "one of dozens": no counted noun phrase
            if is_one and _SUPERLATIVE.search(phrase):
                return False  # "one of the best": membership, not a count
            rec.counts = (doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text))
            if not share:
                run = _count_run(doc, _skip_det(doc, a, b))
                if run is not None:
                    rec.count_unit = doc[run[0] : run[1]].text
            return True
        return True
    bound = re.match(r"\s+or\s+(?:more|fewer|less)\b", full[rec.num_end : rec.num_end + 16])
    if bound:  # "1,000 or more employees"
        i = _tokens_from(doc, starts, rec.num_end + bound.end() + 1)
    run = _count_run(doc, i) if i < len(doc) and doc[i].idx <= rec.num_end + 1 + (bound.end() if bound else 0) else None
    if run is None and is_one and i > 0:
        return False
    num_tok = _token_at(doc, starts, rec.num_end - 1)
    if run is not None and num_tok is not None and num_tok.dep_ in {"nsubj", "dobj"} and num_tok.head.pos_ == "VERB" and num_tok.head.i >= run[0]:
        run = None  # "only 19 support Sanders": the number is the subject, the next word its verb
    if run is None:
        if is_one or surface == "zero":
            return False
        rec.counts = _copula_subject(doc, starts, rec)
        return True
    a, b = run
    if doc[b - 1].tag_ == "NN" and rec.value != 1.0 and not m.words and doc[a].idx == rec.num_end + 1:
        return not _after_name(doc, full, starts, rec)  # "S&P 500 index", "the 911 call": a name, not a count
    rec.count_unit = doc[a:b].text
    rec.end = doc[b - 1].idx + len(doc[b - 1].text)
    rec.counts = (doc[a].idx, _with_pp(doc, b - 1))
    return True


def _attach_measure_counts(doc: Doc, starts: list[int], rec: _Found) -> None:
    """What a measure applies to: the unit with its own "in" phrase ("square kilometers in Iraq and Syria")."""
    last = _token_at(doc, starts, rec.end - 1)
    first = _token_at(doc, starts, rec.num_end + 1) or _token_at(doc, starts, rec.num_end)
    if last is None or first is None or first.i > last.i:
        return
    rec.counts = (first.idx, _with_pp(doc, last.i))


def _skip_det(doc: Doc, a: int, b: int) -> int:
    """First token after determiners, possessors ("the party's") and numbers ("the 168 members")."""
    owner = max((t.i for t in doc[a:b] if t.tag_ == "POS"), default=-1)
    if owner >= 0:
        a = owner + 1
    while a < b - 1 and (doc[a].pos_ in {"DET", "PRON", "NUM"} or doc[a].tag_ in {"PRP$", "POS", "DT", "CD", "RB"}):
        a += 1
    return a


def _of_phrase(doc: Doc, of_i: int) -> tuple[int, int] | None:
    """Tokens of the noun phrase after "of" (its pobj's left part and head), or None for a pronoun."""
    pobj = next((c for c in doc[of_i].children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.pos_ == "PRON":
        return None
    left = min(pobj.left_edge.i, pobj.i)
    if left <= of_i:
        left = of_i + 1
    return left, pobj.i + 1


def _with_pp(doc: Doc, head_i: int) -> int:
    """End offset of the counted noun extended by its own "in"/"of" phrase ("square kilometers in Iraq")."""
    head = doc[head_i]
    end = head.idx + len(head.text)
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in {"in", "of", "across"} and child.i == head_i + 1:
            sub = list(child.subtree)
            if any(t.like_num for t in sub) or len(sub) > 8:
                break
            last = sub[-1]
            end = last.idx + len(last.text)
            break
    return end


def _is_speaker(tok: Token) -> bool:
    """Whether ``tok`` is the subject of a speech verb ("Officials said ..."): a source, not a count."""
    return tok.dep_ == "nsubj" and tok.head.lemma_ in _SPEECH_LEMMAS


def _copula_subject(doc: Doc, starts: list[int], rec: _Found) -> tuple[int, int] | None:
    """For a bare number after a copula ("the numbers are ... about 2,500"), the subject noun phrase."""
    tok = _token_at(doc, starts, rec.num_start)
    if tok is None or tok.dep_ not in {"attr", "acomp"}:
        return None
    verb = tok.head
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is not None and subj.tag_ == "WDT" and verb.dep_ == "relcl":
        subj = verb.head
    if subj is None or subj.pos_ not in {"NOUN", "PROPN"}:
        return None
    return subj.left_edge.idx, _with_pp(doc, subj.i)


def _attach_change(doc: Doc, starts: list[int], full: str, rec: _Found) -> None:
    """Bounds and approximations before or after the number, else up/down from a change word."""
    before = full[max(0, rec.start - 40) : rec.start].lower()
    best = ""
    for (pos, phrase), change in modifiers().items():
        if pos != "pre" or len(phrase) <= len(best):
            continue
        if re.search(r"(?:^|[\s(\"“])" + re.escape(phrase) + r"\s$", before):
            best = phrase
            rec.change = change
    if best and best in {"around", "about", "near"} and full[rec.num_start : rec.num_end].lower() == "one":
        best, rec.change = "", "="  # "unite around one candidate": a preposition, not an approximation
    if best:
        rec.start -= len(best) + 1
    after = full[rec.end : rec.end + 20].lower()
    right_after = full[rec.num_end : rec.num_end + 20].lower()
    for (pos, phrase), change in modifiers().items():
        glue = "" if phrase.startswith("-") else r"\s+"
        pattern = glue + re.escape(phrase) + r"\b"
        if pos == "post" and rec.change == "=" and (re.match(pattern, after) or re.match(pattern, right_after)):
            rec.change = change  # "30 years or so", "1,000 or more employees", "five-plus"
            break
    if rec.change != "=":
        return
    if re.match(r"\s+of\b", after):
        return  # "gained 16 percent of the vote" is a share, not a change
    words = _words_before(full, rec.start, 3)
    if words and words[-1] == "between":
        words = words[:-1]  # "fell by between a quarter and a third"
    if words and words[-1] in {"by", "of"} and len(words) > 1:
        words = words[:-1]  # "fell by 3%", "an increase of 300,000"
    if words and words[-1] in change_words() and not _particle(doc, starts, full, rec.start, words[-1]):
        rec.change = change_words()[words[-1]]
        return
    noun = _token_at(doc, starts, rec.end + 1)
    if noun is not None and noun.pos_ == "NOUN" and noun.lower_ in change_words() and noun.idx == rec.end + 1:
        rec.change = change_words()[noun.lower_]  # "a 5pc rise", "a 50% increase"
        return
    tok = _token_at(doc, starts, rec.num_start)
    for _ in range(3):
        if tok is None or tok.head is tok:
            return
        tok = tok.head
        if tok.lower_ in {"to", "from"}:
            return
        if tok.lower_ == "by" and tok.head.lower_ in change_words():
            rec.change = change_words()[tok.head.lower_]
            return
        if tok.pos_ == "VERB":
            return


def _particle(doc: Doc, starts: list[int], full: str, end: int, word: str) -> bool:
    """Whether the "up"/"down" before a number is a verb particle ("turned up four documents")."""
    if word not in {"up", "down"}:
        return False
    tok = _token_at(doc, starts, full.rfind(word, max(0, end - 20), end))
    if tok is None or tok.i == 0:
        return False
    return doc[tok.i - 1].lemma_.lower() in _PARTICLE_VERBS


def _merge_ranges(full: str, recs: list[_Found]) -> list[_Found]:
    """Join "between 3 and 5", "252 to 287 miles", "$3 to $4 billion" into ranges.

    A "to"/hyphen pair whose first value is larger is a score or a comparison ("49% to 41%"):
    both stay, and the first takes the second's unit when it had none ("50 to 48 percent").
    """
    out: list[_Found] = []
    i = 0
    while i < len(recs):
        a = recs[i]
        b = recs[i + 1] if i + 1 < len(recs) else None
        if b is not None and isinstance(a.value, float) and isinstance(b.value, float):
            conj = full[a.end : b.start].strip().lower()
            bounds = _range_bounds(full, a, b, a.value, b.value, conj) if _RANGE_GAP.match(full[a.end : b.start]) else None
            if bounds is not None:
                out.append(_Found(
                    start=a.start - (len("between ") if a.connective_before == "between" else 0), end=b.end,
                    num_start=a.num_start, num_end=b.num_end, value=bounds, kind="range", unit=b.unit,
                    unit_entry=b.unit_entry, count_unit=b.count_unit, counts=b.counts,
                    change=a.change if a.change != "=" else b.change, has_currency=b.has_currency,
                ))  # fmt: skip
                i += 2
                continue
            if conj in {"to", "-to-", "-", "–"} and a.unit is None and a.count_unit is None and b.unit and a.value > b.value:
                a.unit, a.unit_entry = b.unit, b.unit_entry
        out.append(a)
        i += 1
    return out


def _range_bounds(full: str, a: _Found, b: _Found, low: float, high: float, conj: str) -> tuple[float, float] | None:
    """``(low, high)`` when numbers ``a`` and ``b``, joined by ``conj``, are one range; else None."""
    if a.kind != b.kind or a.kind not in {"number", "fraction"} or a.count_unit is not None or b.change not in {"=", "~", a.change}:
        return None
    if conj == "and" and a.connective_before != "between":
        return None  # "two Democrats and 10 Republicans"
    if conj in {"-", "–", "to"} and a.unit is not None and not a.has_currency and a.connective_before != "between":
        return None  # "(34%-54%)", "(37 percent to 43 percent)": a result or comparison, not a range
    if a.unit is not None and b.unit is not None and a.unit.lower() != b.unit.lower() and not (a.has_currency and b.has_currency):
        return None
    if (a.unit is None or a.has_currency) and _scale_of(full, a) == 1.0 and _scale_of(full, b) > 1.0:
        scaled = low * _scale_of(full, b)
        if low < high and scaled <= high:
            low = scaled  # "$3 to $4 billion": the scale word belongs to both ends
    return (low, high) if low < high else None


def _share_in_lists(doc: Doc, starts: list[int], full: str, recs: list[_Found]) -> None:
    """Spread a unit and a change along a list: "3, 4 percent", "eight or nine euros", "fell 17.7% at A, 5.5% at B".

    A bare number directly followed by ", " / "or" / "and" and a number with a unit takes that unit;
    a number with the same unit as an earlier "up"/"down" one, with no verb in between, takes its change.
    """
    for k in range(len(recs) - 2, -1, -1):
        a, b = recs[k], recs[k + 1]
        if a.unit is None and a.count_unit is None and a.kind == "number" and _LIST_GAP.match(full[a.end : b.start]):
            if b.unit is not None and not b.has_currency:
                a.unit, a.unit_entry = b.unit, b.unit_entry
            elif b.count_unit is not None:
                a.count_unit, a.counts = b.count_unit, b.counts
    for k in range(1, len(recs)):
        a, b = recs[k - 1], recs[k]
        if a.change in {"up", "down"} and b.change == "=" and re.fullmatch(r",?\s*or\s*", full[a.end : b.start]):
            b.change = a.change  # "fell 245.39 points, or 0.9%"
            continue
        if a.change in {"up", "down"} and b.change == "=" and a.unit is not None and b.unit == a.unit:
            lo, hi = _tokens_from(doc, starts, a.end), _tokens_from(doc, starts, b.start)
            if not any(t.pos_ in {"VERB", "AUX"} or t.lower_ in {"to", "from", "between"} for t in doc[lo:hi]):
                b.change = a.change


def _scale_of(full: str, b: _Found) -> float:
    """The scale word or suffix that ends a number ("4 billion" -> 1e9, "800m" -> 1e6), else 1."""
    found = _SCALE_END.search(full[b.num_start : b.num_end].lower())
    return _SCALES[found.group(1)] if found else 1.0


def _to_quantity(full: str, sent: Doc | SpacySpan, rec: _Found) -> Quantity:
    value: float | tuple[float, float]
    if rec.kind == "magnitude" and isinstance(rec.value, float):
        value = (rec.value, rec.value * 10)
    else:
        value = rec.value
    counts = Span(rec.counts, full[rec.counts[0] : rec.counts[1]]) if rec.counts else None
    normalized = rec.unit_entry.normalized if rec.unit_entry is not None else None
    return Quantity(
        span=(rec.start, rec.end),
        text=full[rec.start : rec.end],
        value=value,
        unit=rec.unit,
        normalized_unit=normalized,
        change=rec.change,  # type: ignore[arg-type]
        counts=counts,
        sentence=(sent.start_char, sent.end_char) if isinstance(sent, SpacySpan) else (0, len(full)),
    )
