"""Quantities: values, units, bounds and changes, counted nouns, sources and times (issue 6)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest

from newsfacts.extract.context import Context
from newsfacts.extract.entities import entities
from newsfacts.extract.quantities import quantities, sentence_quantities
from newsfacts.model import Article, Claim, Mention, Quote, Timex


def _found(nlp, text: str) -> list[tuple[str, object, str | None, str]]:
    """(text, value, unit, change) of every quantity of ``text`` (values rounded for comparison)."""
    out = []
    for q in sentence_quantities(nlp(text)):
        value = tuple(round(v, 4) for v in q.value) if isinstance(q.value, tuple) else round(q.value, 4)
        out.append((q.text, value, q.unit, q.change))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mayor said 2,500 residents were evacuated.", [("2,500 residents", 2500.0, None, "=")]),
        ("The deal is worth $800 million, officials said.", [("$800 million", 800000000.0, "$", "=")]),
        ("The company lost 1.2bn last year.", [("1.2bn", 1200000000.0, None, "=")]),
        ("Unemployment stood at 19 per cent in the region.", [("19 per cent", 19.0, "per cent", "=")]),
        ("Two dozen lawmakers signed the letter.", [("Two dozen lawmakers", 24.0, None, "=")]),
        ("Eighty-four percent of the members agreed.", [("Eighty-four percent", 84.0, "percent", "=")]),
        ("One hundred and five delegates voted.", [("One hundred and five delegates", 105.0, None, "=")]),
        ("The storm's winds reached 87 mph (140 km/h).", [("87 mph", 87.0, "mph", "="), ("140 km/h", 140.0, "km/h", "=")]),
        ("The flood covered 110,000 square kilometers.", [("110,000 square kilometers", 110000.0, "square kilometers", "=")]),
        ("A salary of €40,000 is on offer.", [("€40,000", 40000.0, "€", "=")]),
        ("Crude settled at $61.30 a barrel.", [("$61.30 a barrel", 61.3, "$ per barrel", "=")]),
        ("Stamps cost 50p after a 5pc rise.", [("50p", 50.0, "p", "="), ("5pc", 5.0, "pc", "up")]),
        ("Some 1.2m people watched the 100m sprint.", [("Some 1.2m people", 1200000.0, None, "~")]),
        ("Temperatures hit 30°C before falling to -4 degrees.", [("30°C", 30.0, "°C", "="), ("-4 degrees", -4.0, "degrees", "=")]),
        ("The S&P 500 index and the Big 12 title were at stake.", []),
        ("The car has 300 hp; the office has half a dozen HP laptops.", [("300 hp", 300.0, "hp", "="), ("half a dozen HP laptops", 6.0, None, "=")]),
    ],
)
def test_quantities_values_and_units(nlp, text, expected):
    assert _found(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Roughly a third of the town was flooded.", [("Roughly a third", 0.3333, None, "~")]),
        ("Half of the voters stayed home.", [("Half", 0.5, None, "=")]),
        ("About 9 in 10 patients recovered.", [("About 9 in 10", 0.9, None, "~")]),
        ("Two-thirds of the budget goes to schools.", [("Two-thirds", 0.6667, None, "=")]),
        ("Prices jumped by a third in a week, and a third term began.", [("a third", 0.3333, None, "up")]),
        ("Nearly half a million tourists came.", [("Nearly half a million tourists", 500000.0, None, "~")]),
    ],
)
def test_quantities_fractions_and_ratios(nlp, text, expected):
    assert _found(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The range grew by 35 miles, to between 252 and 287 miles.",
         [("35 miles", 35.0, "miles", "up"), ("between 252 and 287 miles", (252.0, 287.0), "miles", "=")]),
        ("Turnout was 40 to 50 percent in most towns.", [("40 to 50 percent", (40.0, 50.0), "percent", "=")]),
        ("The plan costs $3 to $4 billion.", [("$3 to $4 billion", (3000000000.0, 4000000000.0), "$", "=")]),
        ("She led 49% to 41% among men.", [("49%", 49.0, "%", "="), ("41%", 41.0, "%", "=")]),
        ("Approval was (37 percent to 43 percent).", [("37 percent", 37.0, "percent", "="), ("43 percent", 43.0, "percent", "=")]),
        ("Taxes would rise by half a percentage point.", [("half a percentage point", 0.5, "percentage point", "up")]),
        ("The team went 7-3 this season.", []),
        ("They found 600-700 emails and 1,200-1,500 files.",
         [("600-700 emails", (600.0, 700.0), None, "="), ("1,200-1,500 files", (1200.0, 1500.0), None, "=")]),
        ("His 73-to-25 percent victory was large.", [("73", 73.0, "percent", "="), ("25 percent", 25.0, "percent", "=")]),
        ("Thousands of people marched.", [("Thousands", (1000.0, 10000.0), None, "=")]),
        ("Turnout fell by between a quarter and a third.", [("between a quarter and a third", (0.25, 0.3333), None, "down")]),
        ("Tens of thousands of people marched.", [("Tens of thousands", (10000.0, 100000.0), None, "=")]),
        ("The measure passed the Senate 68 to 32.", [("68", 68.0, None, "="), ("32", 32.0, None, "=")]),
    ],
)
def test_quantities_ranges_and_scores(nlp, text, expected):
    assert _found(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("The bridge cost about $5 million.", "~"),
        ("More than 300 people attended.", ">"),
        ("Fewer than 20 seats changed hands.", "<"),
        ("At least 12 buildings collapsed.", ">="),
        ("Up to 40 flights were cancelled.", "<="),
        ("The shares fell 3% on Monday.", "down"),
        ("Crude oil was up 19 cents in early trading.", "up"),
        ("Exports rose 12 percent last year.", "up"),
        ("The index rose to 52 percent from 48 percent.", "="),
        ("The rate was cut by 2 percent.", "down"),
        ("The senator has served for 30 years or so.", "~"),
        ("The survey reached 1,000 or more households.", ">="),
        ("Costs were up about 19 per cent for the year.", "~"),
        ("The index lost 2.1% and the Dow fell 245 points, or 0.9%.", "down"),
        ("The search turned up four documents.", "="),
        ("Sales grew after a 12% increase in prices.", "up"),
        ("There was an increase of 300,000 jobs.", "up"),
        ("After a pay cut, 8,000 employees volunteered.", "="),
    ],
)
def test_quantities_bounds_and_changes(nlp, text, change):
    found = _found(nlp, text)
    assert found, text
    assert found[-1][3] == change


@pytest.mark.parametrize(
    "text",
    [
        "The law was passed in 2011 and amended in 2014.",
        "The vote is scheduled for Feb. 20 at 4:30 p.m.",
        "He finished second in the first round.",
        "She was the 22nd person to testify on March 17-18.",
        "Article 33 of the convention and Interstate 15 were cited.",
        "Call 555-0123 for details.",
        "The debate was one of the best of the season.",
        "No one expected the result, and one has to wonder why.",
        "They have known one another since the 1990s.",
        "The Gang of Eight met on Tuesday.",
        "The team won 21-14 on Sunday.",
        "The third-party candidate spoke at one point.",
    ],
)
def test_quantities_not_dates_ordinals_ids_or_pronouns(nlp, text):
    assert _found(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "number", "counts"),
    [
        ("Police arrested 40 protesters in the square.", "40", "protesters"),
        ("The province has 400 white-collar jobs.", "400", "white-collar jobs"),
        ("He thanked his 40 laid-off employees.", "40", "laid-off employees"),
        ("Only 19 of the party insiders back the plan.", "19", "the party insiders"),
        ("The figure is still where it was, which is about 2,500.", "2,500", "The figure"),
        ("Officials said 2,500 was the number.", "2,500", None),
        ("The deficits are now about 300, officials said.", "300", "The deficits"),
        ("Roughly a quarter of the workforce is unionized.", "a quarter", "the workforce"),
    ],
)
def test_quantities_counts_the_noun_phrase(nlp, text, number, counts):
    q = next(q for q in sentence_quantities(nlp(text)) if number in q.text)
    assert (q.counts.text if q.counts else None) == counts
    if q.counts:
        assert text[q.counts.span[0] : q.counts.span[1]] == q.counts.text


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Jane Roe, 33, said the rent rose.", [33.0]),
        ("The 58-year-old mayor resigned.", [58.0]),
        ("Police said three men, aged 19, 21 and 24, were arrested.", [3.0, 19.0, 21.0, 24.0]),
        ("She bought eight or nine euros of bread and waited three, four and even five hours.",
         [8.0, 9.0, 3.0, 4.0, 5.0]),
    ],
)
def test_quantities_ages_and_lists(nlp, text, values):
    assert [q.value for q in sentence_quantities(nlp(text))] == values


def test_quantities_lists_share_their_unit(nlp):
    found = sentence_quantities(nlp("He polled 3, 4 percent in the spring."))
    assert [(q.value, q.unit) for q in found] == [(3.0, "percent"), (4.0, "percent")]


@pytest.mark.parametrize(
    "text",
    ["1,2,3,4,5,6", "10^400", '<tweet tweet-id="661196115484643328"><tweet/>', "NaN", "9" * 100_000, "Prices: ٣٤٥ and 四十 and ۱۲ km, ΑΒΓ 12", "1e400 dollars", "$$$ %%% ---"],
)
def test_quantities_bad_input_never_fails(nlp, text):
    found = sentence_quantities(nlp(text))
    for q in found:
        values = q.value if isinstance(q.value, tuple) else (q.value,)
        assert all(math.isfinite(v) for v in values)
        assert text[q.span[0] : q.span[1]] == q.text


def _ctx(nlp, text: str, **facts) -> tuple:
    doc = nlp(text)
    article = Article(id="t", text=text, published="2021-12-09")
    ctx = Context(article=article, published=dt.date(2021, 12, 9))
    ctx = dataclasses.replace(ctx, entities=tuple(entities(doc, ctx)))
    return doc, dataclasses.replace(ctx, **facts)


def test_quantities_source_is_the_quote_speaker(nlp):
    text = "“We lost 300 jobs,” Mayor Ann Lee said. Another 40 jobs went later."
    q_start, q_end = text.index("“") + 1, text.index(",”")
    speaker = Mention(span=(text.index("Ann"), text.index(" said")), text="Ann Lee", entity="person:ann-lee")
    quote = Quote(span=(q_start, q_end), text=text[q_start:q_end], parts=((q_start, q_end),), kind="direct", speaker=speaker)
    doc, ctx = _ctx(nlp, text, quotes=(quote,))
    found = quantities(doc, ctx)
    assert [(q.text, q.source) for q in found] == [("300 jobs", "person:ann-lee"), ("40 jobs", None)]


def test_quantities_source_is_the_claim_source(nlp):
    text = "ISIS held 110,000 square kilometers, according to the coalition."
    source = Mention(span=(text.index("the coalition"), len(text) - 1), text="the coalition", entity="org:coalition")
    claim = Claim(span=(0, text.index(", according")), text=text[: text.index(", according")], kind="according_to", source=source)
    doc, ctx = _ctx(nlp, text, claims=(claim,))
    assert [q.source for q in quantities(doc, ctx)] == ["org:coalition"]


def test_quantities_when_comes_from_the_sentence_timex(nlp):
    text = "In 2014, rebels held roughly a third of the country. Now they hold 5 towns."
    timex = Timex(span=(3, 7), text="2014", type="DATE", value="2014")
    doc, ctx = _ctx(nlp, text, timexes=(timex,))
    assert [(q.text, q.when) for q in quantities(doc, ctx)] == [("roughly a third", "2014"), ("5 towns", "2021-12-09")]


def test_quantities_seed_gold(seed_facts, seed_gold):
    """All five gold quantities of the example article: value, approximation, counted noun phrase."""
    text = seed_facts.text
    found = {q.text: q for q in seed_facts.quantities}
    for gold in seed_gold["quantities"]:
        q = found.get(gold["text"])
        assert q is not None, gold["text"]
        assert q.value == pytest.approx(gold["value"], rel=1e-3)
        assert (q.change == "~") == bool(gold.get("approximate"))
        assert q.counts is not None and text[q.counts.span[0] : q.counts.span[1]] == q.counts.text
        assert q.when is not None and q.sentence is not None
    assert found["40,000 soldiers"].counts.text == "soldiers"
    assert found["8 million people"].counts.text == "people"
    assert found["110,000 square kilometers"].counts.text == "square kilometers in Iraq and Syria"
    assert found["roughly a third"].counts.text == "the country"
    assert found["about 2,500"].counts.text == "troops"  # "The numbers are ... about 2,500": its troops
    assert found["110,000 square kilometers"].normalized_unit == "kilometer ** 2"


def test_quantities_every_text_matches_its_span(seed_facts):
    for q in seed_facts.quantities:
        assert seed_facts.text[q.span[0] : q.span[1]] == q.text


@pytest.mark.parametrize(("text", "number", "counts"), [
    # an anaphoric measure noun counts what the article counted before, a paragraph back if need be
    (("The county registered thousands of new voters this fall.\n\nThe rolls grew again in May. "
      "The clerk said the numbers were now about 48,000."), "about 48,000", "new voters"),
    ("The shelter took in more refugees in March. Officials said the total was 1,200.", "1,200", "refugees"),
    ("Officials said the shelter was full. The total was 1,200.", "1,200", "The total"),  # a speaker, not a count
    # no counted noun before it: the measure noun stays
    ("It was a long night. Officials said the total was 1,200.", "1,200", "the total"),
    # a measure noun with its own complement already says what it counts
    ("The shelter took in more refugees. The number of children was 300.", "300", "The number of children"),
    # a share is not a number of anything counted before
    ("The shelter took in more refugees. The figure is 75 percent.", "75 percent", None),
])
def test_quantities_anaphoric_measure_noun_counts_the_antecedent(nlp, text, number, counts):
    doc, ctx = _ctx(nlp, text)
    found = {q.text: q for q in quantities(doc, ctx)}
    got = found[number].counts
    assert (got.text if got else None) == counts
    if got is not None:
        assert text[got.span[0] : got.span[1]] == got.text
