"""Time expressions: TIMEX3 detection and normalization against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfacts.extract.context import Context
from newsfacts.extract.timegrammar import Reference, candidates, grammar, is_well_formed, resolve
from newsfacts.extract.timexes import timexes
from newsfacts.model import Article

PUBLISHED = "2021-12-09"  # a Thursday, ISO week 49


def _found(facts) -> dict[str, tuple[str, str, str | None]]:
    """text -> (type, value, mod) of the timexes of an extraction."""
    return {t.text: (t.type, t.value, t.mod) for t in facts.timexes}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials met this week in Baghdad.", {"this week": ("DATE", "2021-W49", None)}),
        ("The ministry announced the plan on Thursday.", {"Thursday": ("DATE", "2021-12-09", None)}),
        ("The ministry announced the plan on Tuesday.", {"Tuesday": ("DATE", "2021-12-07", None)}),
        ("The ministers will meet again on Monday.", {"Monday": ("DATE", "2021-12-13", None)}),
        ("The factory closed a decade ago.", {"a decade ago": ("DATE", "2011", None)}),
        ("The work must be done by the end of the year.", {"the end of the year": ("DATE", "2021", "END")}),
        ("The mayor expects a decision within a year.", {"within a year": ("DURATION", "P1Y", None)}),
        ("Tomorrow, the parliament votes.", {"Tomorrow": ("DATE", "2021-12-10", None)}),
        ("The club trains every Monday.", {"every Monday": ("SET", "XXXX-WXX-1", None)}),
        ("Prices were lower in the 1990s.", {"the 1990s": ("DATE", "199X", None)}),
        ("Sales rose last spring.", {"last spring": ("DATE", "2021-SP", None)}),
        ("The storm struck on March 3. Two days later, the river flooded.",
         {"March 3": ("DATE", "2021-03-03", None), "Two days later": ("DATE", "2021-03-05", None)}),
        ("Profit fell in the third quarter.", {"the third quarter": ("DATE", "2021-Q3", None)}),
        ("The company lost money in fiscal 2020.", {"fiscal 2020": ("DATE", "2020", None)}),
        ("The polls close at 3 p.m. EST.", {"3 p.m. EST": ("TIME", "2021-12-09T15:00", None)}),
        ("Unemployment rose over the past 18 months.", {"the past 18 months": ("DURATION", "P18M", None)}),
        ("The mayor recently resigned.", {"recently": ("DATE", "PAST_REF", None)}),
        ("The bridge is closed now.", {"now": ("DATE", "PRESENT_REF", None)}),
        ("The company blamed current market conditions.", {"current": ("DATE", "PRESENT_REF", None)}),
        ("Crime has fallen over the past decade.", {"the past decade": ("DURATION", "P10Y", None)}),
        ("The city grew fast in the last century.", {"the last century": ("DATE", "19", None)}),
        ("Growth should pick up in the second half of the year.",
         {"the second half of the year": ("DATE", "2021-H2", None)}),
        ("The festival is held every summer.", {"every summer": ("SET", "XXXX-SU", None)}),
        ("By the end of the decade, the town will double in size.",
         {"the end of the decade": ("DATE", "202X", "END")}),
        ("The council met last year.", {"last year": ("DATE", "2020", None)}),
        ("The board met last month.", {"last month": ("DATE", "2021-11", None)}),
        ("The talks resumed yesterday.", {"yesterday": ("DATE", "2021-12-08", None)}),
        ("The deal closed in late November.", {"late November": ("DATE", "2021-11", "END")}),
        ("The vote took place on November 2, 2021.", {"November 2, 2021": ("DATE", "2021-11-02", None)}),
        ("The company opened in June 1998.", {"June 1998": ("DATE", "1998-06", None)}),
        ("The strike lasted more than four hours.", {"more than four hours": ("DURATION", "PT4H", "MORE_THAN")}),
        ("The paper is published weekly.", {"weekly": ("SET", "P1W", None)}),
        ("The results came out early this week.", {"early this week": ("DATE", "2021-W49", "START")}),
        ("The law changed in the 19th century.", {"the 19th century": ("DATE", "18", None)}),
        ("The band played a two-hour set.", {"two-hour": ("DURATION", "PT2H", None)}),
        ("The museum reopened this morning.", {"this morning": ("TIME", "2021-12-09TMO", None)}),
        ("Repairs will take two to three weeks.", {"two to three weeks": ("DURATION", "PXW", None)}),
        ("The plant will close over the next year or so.", {"the next year or so": ("DATE", "2022", "APPROX")}),
        ("The mill ran for nearly two years.", {"nearly two years": ("DURATION", "P2Y", "LESS_THAN")}),
        ("Profit rose in the third quarter, to $5 million from $4 million a year earlier.",
         {"the third quarter": ("DATE", "2021-Q3", None), "a year earlier": ("DATE", "2020-Q3", None)}),
        ("Revenue was $76 million for the year ended March 31.",
         {"the year": ("DURATION", "P1Y", None), "March 31": ("DATE", "2021-03-31", None)}),
        ("He lived in the city in nineteen ninety-one.", {"nineteen ninety-one": ("DATE", "1991", None)}),
        ("Turnout peaked on Thanksgiving.", {"Thanksgiving": ("DATE", "2021-11-25", None)}),
    ],
)
def test_timexes_phenomena(run, text: str, expected: dict) -> None:
    found = _found(run(text, PUBLISHED))
    for surface, want in expected.items():
        assert found.get(surface) == want, (surface, found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a weekday or clock time after "until"/"by" is a deadline: the coming one, even in a past report
        ("The agency extended its deadline until 9 a.m. Tuesday.", {"9 a.m. Tuesday": ("TIME", "2021-12-14T09:00", None)}),
        ("The hearing was postponed until Monday.", {"Monday": ("DATE", "2021-12-13", None)}),
        # ... unless the bound is itself in the past ("had left by Monday")
        ("By Monday, the workers had left the site.", {"Monday": ("DATE", "2021-12-06", None)}),
        # "year-end" is the last day of the year; "since year-end" the last one that passed
        ("The index is up 4% since year-end.", {"year-end": ("DATE", "2020-12-31", None)}),
        ("The merger should close by year-end.", {"year-end": ("DATE", "2021-12-31", None)}),
        # quarters of a named year, fiscal quarters, the same quarter of last year
        ("The sale should close by the end of the first quarter of next year.",
         {"the end of the first quarter of next year": ("DATE", "2022-Q1", "END")}),
        ("The loss came in the fiscal second quarter.", {"the fiscal second quarter": ("DATE", "2021-Q2", None)}),
        ("Third-quarter sales rose. Sales in last year's quarter were $3 million.",
         {"last year's quarter": ("DATE", "2020-Q3", None)}),
        # fiscal years named by a relative word; a clock word with a date; "4 in the morning"
        ("The company expects a loss for the current fiscal year.", {"the current fiscal year": ("DATE", "2021", None)}),
        ("Revenue was $3 billion for the fiscal year ended Sept. 30.", {"the fiscal year": ("DURATION", "P1Y", None)}),
        ("The offer expires at midnight Dec. 15.", {"midnight Dec. 15": ("TIME", "2021-12-15T24:00", None)}),
        ("The ferry leaves at 6 in the evening.", {"6 in the evening": ("TIME", "2021-12-09T18:00", None)}),
        # a year before a name is still a year ("predicting 1990 Acme earnings")
        ("Analysts were predicting 1990 Acme earnings of $2 a share.", {"1990": ("DATE", "1990", None)}),
        # "the week of" a day is its ISO week; trading and business days are days
        ("The hearing is set for the week of Dec. 20.", {"the week of Dec. 20": ("DATE", "2021-W51", None)}),
        ("The offer expires in 20 business days.", {"20 business days": ("DURATION", "P20D", None)}),
        ("Trading was halted for three trading days.", {"three trading days": ("DURATION", "P3D", None)}),
        # a bare plural unit after "within" is a vague duration (the "within" kept, as for "within a year")
        ("Troops will arrive within weeks, officials said.", {"within weeks": ("DURATION", "PXW", None)}),
        # plural weekdays and parts of weekdays recur (SET)
        ("The museum is closed on Mondays.", {"Mondays": ("SET", "XXXX-WXX-1", None)}),
        ("The choir rehearses Thursday evenings.", {"Thursday evenings": ("SET", "XXXX-WXX-4TEV", None)}),
        # "earlier"/"later" before "that day", "this afternoon" belong to the expression
        # ... and make it the start or the end of the period
        ("The council met on Monday. Earlier that day, the mayor resigned.",
         {"Earlier that day": ("DATE", "2021-12-06", "START")}),
        ("The minister will speak later this afternoon.", {"later this afternoon": ("TIME", "2021-12-09TAF", "END")}),
        ("The plant reopened earlier this year.", {"earlier this year": ("DATE", "2021", "START")}),
        # "the previous Friday" counts from the day just mentioned
        ("Shares closed on Friday, down 2% from the previous Friday.",
         {"Friday": ("DATE", "2021-12-03", None), "the previous Friday": ("DATE", "2021-11-26", None)}),
    ],
)
def test_timexes_anchoring_conventions(run, text: str, expected: dict) -> None:
    found = _found(run(text, PUBLISHED))
    for surface, want in expected.items():
        assert found.get(surface) == want, (surface, found)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # vague plural periods of the past are PAST_REF (TimeBank), counted ones stay durations
        ("Prices have risen sharply in recent years.", PUBLISHED, {"recent years": ("DATE", "PAST_REF", None)}),
        ("Sales slowed over the last few months.", PUBLISHED, {"the last few months": ("DATE", "PAST_REF", None)}),
        ("Losses grew over the past several quarters.", PUBLISHED,
         {"the past several quarters": ("DATE", "PAST_REF", None)}),
        ("Sales slowed over the last three months.", PUBLISHED, {"the last three months": ("DURATION", "P3M", None)}),
        # the present perfect reports a time already past: the Oct. 23 before a May publication
        ("Police have been searching for the driver since the Oct. 23 crash.", "2021-05-06",
         {"Oct. 23": ("DATE", "2020-10-23", None)}),
        # a clock time without its own day falls on the day just mentioned
        ("The council met on Monday. The vote came at 10 p.m. after a long debate.", PUBLISHED,
         {"10 p.m.": ("TIME", "2021-12-06T22:00", None)}),
        # "that day" after a month is an unknown day of that month, not its first day
        ("The factory opened in March 2020, and a fire broke out that same day.", PUBLISHED,
         {"that same day": ("DATE", "2020-03-XX", None)}),
        # ... or on the day named right after it
        ("The offer expires at 5 p.m. EST on Dec. 15.", PUBLISHED,
         {"5 p.m. EST": ("TIME", "2021-12-15T17:00", None)}),
        ("The blast occurred at 10:35 a.m. (0735 GMT) Friday.", PUBLISHED,
         {"10:35 a.m.": ("TIME", "2021-12-03T10:35", None)}),
        # a verb of planning looks ahead whatever its tense; a possessive weekday is a reported day
        ("The union planned a rally on Saturday.", PUBLISHED, {"Saturday": ("DATE", "2021-12-11", None)}),
        ("The mayor scheduled a news conference Tuesday.", PUBLISHED, {"Tuesday": ("DATE", "2021-12-14", None)}),
        ("The bid is a 24% premium over Friday's close.", PUBLISHED, {"Friday": ("DATE", "2021-12-03", None)}),
    ],
)
def test_timexes_reference_phenomena(run, text: str, published: str, expected: dict) -> None:
    found = _found(run(text, published))
    for surface, want in expected.items():
        assert found.get(surface) == want, (surface, found)


EARNINGS_DAY = "2021-11-04"  # a Thursday of the fourth quarter, when third-quarter results come out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quarter is YYYY-Qn of the reference year; reported in the past before it began, of the year before
        ("Acme said its profit fell in the third quarter.", {"the third quarter": ("DATE", "2021-Q3", None)}),
        # the adjective ("third-quarter profit") is the expression; a named year wins, as does "of next year"
        ("Acme reported third-quarter profit of $3 million.", {"third-quarter": ("DATE", "2021-Q3", None)}),
        ("Sales rose in the fourth quarter of 2020.", {"the fourth quarter of 2020": ("DATE", "2020-Q4", None)}),
        ("Acme expects a profit in next year's first quarter.",
         {"next year's first quarter": ("DATE", "2022-Q1", None)}),
        # fiscal quarters and halves keep the number they are named by, in the (fiscal) year named
        ("Acme posted a loss in the fiscal first quarter.", {"the fiscal first quarter": ("DATE", "2021-Q1", None)}),
        ("Acme lost money in fiscal 2020's second quarter.",
         {"fiscal 2020's second quarter": ("DATE", "2020-Q2", None)}),
        ("Acme lost money in the second quarter of fiscal 2020.",
         {"the second quarter of fiscal 2020": ("DATE", "2020-Q2", None)}),
        ("Profit in the first half of fiscal 2020 doubled.",
         {"the first half of fiscal 2020": ("DATE", "2020-H1", None)}),
        ("Acme's fiscal second-quarter profit rose.", {"fiscal second-quarter": ("DATE", "2021-Q2", None)}),
        # a fiscal year is the year it is named by (TimeBank writes no FY prefix)
        ("Acme expects a profit in fiscal 2022.", {"fiscal 2022": ("DATE", "2022", None)}),
        ("Acme earned $9 million in fiscal year 2020.", {"fiscal year 2020": ("DATE", "2020", None)}),
        ("Acme posted fiscal-2020 results.", {"fiscal-2020": ("DATE", "2020", None)}),
        ("The agency's budget for FY2022 rose.", {"FY2022": ("DATE", "2022", None)}),
        ("Sales rose in the 2020 fiscal year.", {"the 2020 fiscal year": ("DATE", "2020", None)}),
        # ... and one written as two years carries the year it ends in
        ("The council's budget for fiscal 2021-22 rose.", {"fiscal 2021-22": ("DATE", "2022", None)}),
        ("Sales fell for the past three fiscal years.", {"the past three fiscal years": ("DURATION", "P3Y", None)}),
        # a quarter named by its last month; "the year's second half" of the reference year
        ("Acme earned $1 million in the September quarter.", {"the September quarter": ("DATE", "2021-Q3", None)}),
        ("Acme said profit would rise in the year's second half.",
         {"the year's second half": ("DATE", "2021-H2", None)}),
        # "the quarter ended <day>" is the quarter ending that day; an ordinal keeps its number
        ("Acme earned $2 million for the quarter ended March 31.",
         {"the quarter": ("DATE", "2021-Q1", None), "March 31": ("DATE", "2021-03-31", None)}),
        ("Acme earned $2 million in its fourth quarter, which ended Oct. 2.",
         {"fourth quarter": ("DATE", "2021-Q4", None)}),
        # the year-earlier quarter, the year-ago period, "a year earlier": the reported quarter a year before
        ("Acme earned $5 million in the third quarter, up from $3 million in the year-earlier quarter.",
         {"the year-earlier quarter": ("DATE", "2020-Q3", None)}),
        ("Acme earned $5 million in the third quarter, compared with $3 million in the year-ago period.",
         {"the year-ago period": ("DATE", "2020-Q3", None)}),
        ("Acme earned $5 million in the third quarter, compared with $3 million a year earlier.",
         {"a year earlier": ("DATE", "2020-Q3", None)}),
        ("Acme said fourth-quarter profit was $9 million, up from $7 million a year earlier.",
         {"fourth-quarter": ("DATE", "2021-Q4", None), "a year earlier": ("DATE", "2020-Q4", None)}),
        ("Sales rose in the second quarter, compared with the prior-year period.",
         {"the prior-year period": ("DATE", "2020-Q2", None)}),
        # "the latest period", "the quarter", "the previous quarter": the quarter under discussion
        ("Acme said fourth-quarter profit rose. Sales in the latest period were $2 billion.",
         {"the latest period": ("DATE", "2021-Q4", None)}),
        ("Acme earned $5 million in the third quarter. The quarter included a gain.",
         {"The quarter": ("DATE", "2021-Q3", None)}),
        ("Acme earned $5 million in the second quarter, less than in the previous quarter.",
         {"the previous quarter": ("DATE", "2021-Q1", None)}),
        # ... and "the latest quarter" alone is the last complete one; current and next count from today
        ("Profit rose in the latest quarter.", {"the latest quarter": ("DATE", "2021-Q3", None)}),
        ("The company expects a loss in the current quarter.", {"the current quarter": ("DATE", "2021-Q4", None)}),
        ("Sales should rise next quarter.", {"next quarter": ("DATE", "2022-Q1", None)}),
        # halves: YYYY-Hn, the adjective too; "last year's second half" is of the year before
        ("Acme's sales rose 4% in the first half.", {"the first half": ("DATE", "2021-H1", None)}),
        ("Acme's first-half profit rose.", {"first-half": ("DATE", "2021-H1", None)}),
        ("Acme lost money in last year's second half.", {"last year's second half": ("DATE", "2020-H2", None)}),
        ("Acme earned $5 million in the first half, compared with $3 million a year earlier.",
         {"a year earlier": ("DATE", "2020-H1", None)}),
        # the first nine months of a year are a duration (TimeBank), as are "the six months ended"
        ("Sales for the first nine months rose 8%.", {"the first nine months": ("DURATION", "P9M", None)}),
        ("Acme earned $2 million in the six months ended June 30.", {"the six months": ("DURATION", "P6M", None)}),
        ("Profit rose to $9 million from $7 million in the year-earlier nine months.",
         {"the year-earlier nine months": ("DURATION", "P9M", None)}),
        # a quarterly recurrence is P1Q (TimeBank's "every quarter")
        ("Acme pays interest every quarter.", {"every quarter": ("SET", "P1Q", None)}),
        # ... and a quarter of every year is the set of that quarter
        ("Acme pays a bonus every fourth quarter.", {"every fourth quarter": ("SET", "XXXX-Q4", None)}),
        ("Retailers earn most of their profit in fourth quarters.", {"fourth quarters": ("SET", "XXXX-Q4", None)}),
    ],
)
def test_timexes_quarters_halves_fiscal_periods(run, text: str, expected: dict) -> None:
    """Quarters, halves and fiscal periods (TimeML 1.2.1 / TIDES values, extents as in TimeBank)."""
    found = _found(run(text, EARNINGS_DAY))
    for surface, want in expected.items():
        assert found.get(surface) == want, (surface, found)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Acme said its profit fell in the fourth quarter.", "2020-Q4"),  # reported: the last fourth quarter
        ("Acme expects its profit to rise in the fourth quarter.", "2021-Q4"),  # ahead: this year's
        ("Acme said its profit rose in the first quarter.", "2021-Q1"),
    ],
)
def test_timexes_quarter_by_tense(run, text: str, value: str) -> None:
    """Before a quarter begins, a past-tense report means the last such quarter, a forecast this year's."""
    found = _found(run(text, "2021-03-04"))
    assert found["the fourth quarter" if "fourth" in text else "the first quarter"] == ("DATE", value, None)


def test_timexes_quarter_in_quote_is_the_reported_quarter(run) -> None:
    """A quote about "the quarter" or "a year ago" speaks of the quarter the report is about."""
    text = ("Acme said its profit rose in the fiscal first quarter. \u201cThe quarter was hard, but we did better "
            "than a year ago,\u201d the chief executive said.")
    found = _found(run(text, EARNINGS_DAY))
    assert found["The quarter"] == ("DATE", "2021-Q1", None)
    assert found["a year ago"] == ("DATE", "2020-Q1", None)


def test_timexes_quarter_in_quote_uses_time_said(run) -> None:
    """A quarter inside a quotation counts from when the words were said, not from publication."""
    text = "\u201cThe third quarter was strong,\u201d the chairman told analysts on Feb. 10."
    found = _found(run(text, EARNINGS_DAY))
    assert found["Feb. 10"] == ("DATE", "2021-02-10", None)
    assert found["The third quarter"] == ("DATE", "2020-Q3", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date after "effective" is when a change takes effect: the coming one, even in a past report
        ("The board named a new chief executive, effective Feb. 1.", {"Feb. 1": ("DATE", "2022-02-01", None)}),
        # the present "be to" of arrangements looks ahead; "was to" does not
        ("The exchange is to resume trading in the shares Tuesday.", {"Tuesday": ("DATE", "2021-12-14", None)}),
        ("The ministers are to meet on Monday.", {"Monday": ("DATE", "2021-12-13", None)}),
        # a quarter that "ended" on a day closed before the report: that day is past, never a deadline
        ("In the year-ago period, the second quarter ended Dec. 31, the brewer lost money.",
         {"Dec. 31": ("DATE", "2020-12-31", None), "the second quarter": ("DATE", "2020-Q2", None)}),
        # "that quarter" is the quarter just named
        ("The brewer lost money in the third quarter of 2019. Results for that quarter included a charge.",
         {"that quarter": ("DATE", "2019-Q3", None)}),
        # a bare "the week" the text does not pin down keeps its week unknown
        ("Shares fell 3% on Friday. For the week, the index lost 5%.", {"the week": ("DATE", "2021-WXX", None)}),
        # the coming plural period "ahead" is a vague duration
        ("Funds may have to sell bonds in the weeks ahead.", {"the weeks ahead": ("DURATION", "PXW", None)}),
        # "year's end" is the end of the year, as "the end of the year"
        ("The rules should be in place by year's end.", {"year's end": ("DATE", "2021", "END")}),
        # a season part inside the article: "the early summer" is the start of that summer
        ("Orders have recovered from the low levels of the early summer.",
         {"the early summer": ("DATE", "2021-SU", "START")}),
        # a year after "mid-", "early-", "pre-", "post-" (TIMEX3 mods MID, START, BEFORE, AFTER)
        ("The company was founded in mid-2019.", {"mid-2019": ("DATE", "2019", "MID")}),
        ("Post-2008 rules tightened lending.", {"Post-2008": ("DATE", "2008", "AFTER")}),
        # a time zone abbreviation belongs to the clock time
        ("Polls close at 8 p.m. ET.", {"8 p.m. ET": ("TIME", "2021-12-09T20:00", None)}),
        # "the first time in years": a vague duration
        ("Exports grew for the first time in years, the ministry said.", {"years": ("DURATION", "PXY", None)}),
        ("Turnout was the lowest in decades.", {"decades": ("DURATION", "PXY", None)}),
        # "<month> next year", "<month> this year" (wire style) is one expression
        ("The alliance will admit them in April next year.", {"April next year": ("DATE", "2022-04", None)}),
        ("The process began in February this year.", {"February this year": ("DATE", "2021-02", None)}),
        # "and a half" before "ago" counts in months; "this past" is "past"
        ("The bank repaid the loan a year and a half ago.", {"a year and a half ago": ("DATE", "2020-06", None)}),
        ("Voters turned out this past weekend.", {"this past weekend": ("DATE", "2021-W48-WE", None)}),
        # vague future and past references
        ("The company will raise the money at a later date.", {"a later date": ("DATE", "FUTURE_REF", None)}),
        ("Holders may buy shares at half the then current market price.", {"then current": ("DATE", "PAST_REF", None)}),
        # a vague amount "later" has no day to count to: a vague duration
        ("The firm sold its plant on March 3. A few days later, it closed a second one.",
         {"A few days later": ("DURATION", "PXD", None)}),
    ],
)
def test_timexes_forward_closed_and_vague_references(run, text: str, expected: dict) -> None:
    found = _found(run(text, PUBLISHED))
    for surface, want in expected.items():
        assert found.get(surface) == want, (surface, found)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Prices may rise.", "may"),
        ("Thousands march on the capital.", "march"),
        ("Revenue rose to $1.76 a year.", "a year"),
        ("She watched 60 Minutes on television.", "60 Minutes"),
        ("The company sold 2000 shares.", "2000"),
        ("Average daily volume rose to three million shares.", "daily"),
        ("The current flows through the copper wire.", "current"),
        ("The airline carries 100,000 passengers a day.", "a day"),
        ("The thief stole Smith's 1987 Chevrolet from the lot.", "1987"),
        # a frequency word classifying a payment or statement, or standing for one, is no recurrence
        ("The bakery chain raised its quarterly dividend to 30 cents.", "quarterly"),
        ("The quarterly results included a one-time gain.", "quarterly"),
        ("The mining firm declared an initial quarterly of five cents a share.", "quarterly"),
        ("The fund pays daily dividends to its holders.", "daily"),
        ("The senator said on CBS's \"60 Minutes\" that he would run.", "60 Minutes"),
        ("Investors worry about the future of the company.", "the future"),
        # a month name with an article is a march: "the March for Life"
        ("Police watched the crowd at the annual March for Life in Washington.", "March"),
        # "in the long run" is an idiom of eventuality
        ("Farmers will gain in the long run, the minister said.", "the long run"),
    ],
)
def test_timexes_not_time_words(run, text: str, absent: str) -> None:
    assert absent not in _found(run(text, PUBLISHED))


def test_timexes_quote_uses_time_said(run) -> None:
    """Inside a quotation the reference time is when the words were said (the attribution's date)."""
    text = "\u201cTomorrow we will vote,\u201d the senator told reporters on Monday."
    found = _found(run(text, PUBLISHED))
    assert found["Monday"] == ("DATE", "2021-12-06", None)
    assert found["Tomorrow"] == ("DATE", "2021-12-07", None)


def test_timexes_quote_without_attribution_date_uses_publication(run) -> None:
    text = "\u201cTomorrow we celebrate,\u201d the general said in a statement."
    assert _found(run(text, PUBLISHED))["Tomorrow"] == ("DATE", "2021-12-10", None)


def test_timexes_without_publication_date_keep_unknown_parts(run) -> None:
    facts = run("The talks ended on December 10. The next round starts this week.", None)
    by_text = {t.text: t for t in facts.timexes}
    assert by_text["December 10"].value == "XXXX-12-10"
    assert by_text["December 10"].anchor == "UNKNOWN"
    assert by_text["this week"].value == "XXXX-WXX"


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("The deadline was February 30, 2021.", "February 30, 2021", "2021-02-XX"),
        ("The meeting is on February 30.", "February 30", "2021-02-XX"),
        ("The dynasty ended in 1066.", "1066", "1066"),
        ("Colonists will arrive in 2450.", "2450", None),
    ],
)
def test_timexes_bad_dates_are_underspecified(run, text: str, surface: str, value: str | None) -> None:
    found = {t.text: t.value for t in run(text, PUBLISHED).timexes}
    if value is None:
        assert surface not in found
    else:
        assert found[surface] == value


@pytest.mark.parametrize("text", ["The year 99999 will come.", "Dates: 12/45/2021, 99/99/99, 31 February 2021."])
def test_timexes_odd_numbers_do_not_crash(run, text: str) -> None:
    facts = run(text, PUBLISHED)
    assert all(is_well_formed(t.value) for t in facts.timexes)


@pytest.mark.parametrize("published", [None, "2021-12-09", "not a date", 20211209])
def test_timexes_malformed_publication_date_degrades(nlp, published) -> None:
    doc = nlp("The talks ended last week and resume on Monday.")
    ctx = Context(article=Article(id="t", text=doc.text), published=published)  # type: ignore[arg-type]
    found = {t.text: t.value for t in timexes(doc, ctx)}
    assert set(found) == {"last week", "Monday"}
    if published != "2021-12-09":
        assert found["last week"] == "XXXX-WXX"


def test_timexes_far_from_publication_year(run) -> None:
    found = _found(run("In 1492 the fleet sailed; by 2091 the port will be gone.", PUBLISHED))
    assert found["1492"] == ("DATE", "1492", None)
    assert found["2091"] == ("DATE", "2091", None)


_ANCHOR_SENTENCES = [
    ("On Thursday, Dec. 9, 2021, the ministry said the talks of the third quarter ended Sept. 30 would resume "
     "next week, two days later than planned, at 3 p.m. EST; the 1990s, the nineteen-nineties, fiscal 1999-2000."),
    ("Every Monday morning since the first half of last year, the council has met twice a month, once per year "
     "at midnight on Christmas Eve, in the near term and at a later date, the weeks ahead and year's end."),
    ("Mondays and Tuesday evenings, tonight, this afternoon, the following day, 10 days ago, the past 18 months, "
     "within weeks, for decades, the twenties, nineteen ninety-one, two thousand and five, last spring."),
]


def test_timexes_pattern_anchors_hold_in_every_match(seed_text: str, polnear_train_texts) -> None:
    """Every match of a pattern line, run over whole texts, holds a word of its anchor classes: the
    windows a line is restricted to (around those words) lose nothing."""
    from newsfacts.extract.timegrammar import _DIGIT, _TOKEN, _trigger_classes

    rules, _ = grammar()
    classes = _trigger_classes()
    texts = [seed_text, *_ANCHOR_SENTENCES] + [p.read_text(encoding="utf-8") for p in polnear_train_texts[:40]]
    checked = 0
    for rule in rules:
        assert rule.anchors, rule.regex.pattern[:60]
        for text in texts:
            for match in rule.regex.finditer(text):
                if match.end() == match.start():
                    continue
                held = set()
                for word in _TOKEN.findall(match.group()):
                    held |= {_DIGIT} if word[0].isdigit() else classes.get(word.lower(), frozenset())
                assert held & rule.anchors, (rule.kind, match.group(), sorted(rule.anchors))
                checked += 1
    assert checked > 500


def test_timexes_spans_match_text(run, seed_text: str) -> None:
    facts = run(seed_text, PUBLISHED)
    for timex in facts.timexes:
        assert seed_text[timex.span[0] : timex.span[1]] == timex.text
        assert timex.sentence is not None and timex.sentence[0] <= timex.span[0] < timex.span[1] <= timex.sentence[1]


def test_timexes_seed_gold(seed_facts, seed_gold: dict) -> None:
    """Every gold timex of the example article, with its value (a leading "on" is a TimeML signal,
    outside the TIMEX3 span)."""
    got = [(t.text, t.type, t.value, t.mod) for t in seed_facts.timexes]
    for gold in seed_gold["timexes"]:
        text = gold["text"].removeprefix("on ")
        want = (text, gold["type"], gold["value"], gold.get("mod"))
        assert want in got, want
    assert sum(1 for t in got if t[0] == "Thursday") == 2


@settings(max_examples=300, deadline=None)
@given(
    published=st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))),
    tense=st.sampled_from(["PAST", "PRESENT", "FUTURE"]),
    phrase=st.one_of(
        st.builds("{} {} ago".format, st.integers(0, 10**7), st.sampled_from(["days", "weeks", "years", "decades"])),
        st.builds("March {}, {}".format, st.integers(0, 40), st.integers(0, 99999)),
        st.builds("the past {} {}".format, st.integers(0, 10**6), st.sampled_from(["hours", "months", "quarters"])),
        st.lists(st.sampled_from(["last", "next", "early", "the", "end", "of", "year", "Friday", "May", "2021", "1/2",
                                  "ago", "later", "nearly", "two", "quarter", "fiscal", "night", "every", "30"]),
                 min_size=1, max_size=8).map(" ".join),
        st.sampled_from([
        "last week", "next Friday", "February 29", "the 1990s", "fiscal 1999", "12 years ago", "two days later",
        "every quarter", "3:30 p.m. EST", "the third quarter", "late last year", "the past 18 months",
        "last winter", "the 20th century", "December 31, 9999", "January 1, 0001", "Thanksgiving", "tonight",
        "a minute and a half", "the year-ago quarter", "mid-March", "the end of this month", "that same day",
        "fiscal 1990's second quarter", "the first half of fiscal 1990", "the previous quarter", "the quarter",
        "last year's second half", "the prior-year period", "the latest fiscal quarter", "fiscal 1989-90",
        "fiscal 1999-2000", "fiscal 2099-01", "FY99", "the June quarter", "the year's first quarter",
        "every third quarter", "first quarters",
    ])),
    quarter=st.one_of(st.none(), st.builds("{:04d}-Q{}".format, st.integers(1, 9999), st.integers(1, 4))),
    ended=st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))),
)
def test_timexes_values_are_well_formed_timex3(
    published, tense: str, phrase: str, quarter: str | None, ended: dt.date | None
) -> None:
    """Whatever the reference date (years 1..9999 included), tense, quarter under discussion and
    end day of a quarter, a value is TIMEX3 or nothing."""
    rules, _ = grammar()
    extra = {"_ended": ended.isoformat()} if ended else {}
    for cand in candidates(f"It happened {phrase}."):
        kind, ttype = rules[cand.rule].kind, rules[cand.rule].type
        ref = Reference(published, tense, published, quarter, quarter=quarter)
        value = resolve(kind, ttype, {**cand.groups, "_text": phrase, **extra}, ref)
        if value is not None:
            assert is_well_formed(value.value), (phrase, value)
            assert value.type in ("DATE", "TIME", "DURATION", "SET")
