"""Quotations: kinds, parts, speakers, cues, addressees, channels, resolution, bad input and the seed gold."""

from __future__ import annotations

import re

import pytest
import spacy
from spacy.tokens import Doc

from newsfacts.extract.context import Context
from newsfacts.extract.quotes import attributions
from newsfacts.model import Article, ArticleFacts, Quote
from newsfacts.pipeline import extract_doc


def _norm(text: str) -> str:
    """Text without quotation marks, edge punctuation and repeated spaces, for comparing stretches."""
    text = re.sub(r"[“”\"'‘’]", "", text)
    return " ".join(text.split()).strip(" .,;:")


def _quote_with(facts: ArticleFacts, words: str) -> Quote:
    """The one quote whose text holds ``words``."""
    found = [q for q in facts.quotes if _norm(words) in _norm(q.text)]
    assert len(found) == 1, (words, [q.text for q in facts.quotes])
    return found[0]


def _entity_name(facts: ArticleFacts, entity_id: str | None) -> str | None:
    return next((e.name for e in facts.entities if e.id == entity_id), None)


@pytest.mark.parametrize(
    ("text", "words", "kind", "speaker", "cue"),
    [
        (
            '"The budget is final," Mayor Anna Reyes said on Monday.',
            "The budget is final",
            "direct",
            "Mayor Anna Reyes",
            "said",
        ),
        (
            "“We will not raise taxes,” said Governor Paul Whitfield.",
            "We will not raise taxes",
            "direct",
            "Governor Paul Whitfield",
            "said",
        ),
        (
            'Anna Reyes told the council: "The budget is final and we move on."',
            "The budget is final",
            "direct",
            "Anna Reyes",
            "told",
        ),
        (
            "''The river is rising fast,'' the engineer Tom Baird warned.",
            "The river is rising fast",
            "direct",
            "the engineer Tom Baird",
            "warned",
        ),
        (
            "Anna Reyes said that the bridge would reopen in May.",
            "that the bridge would reopen in May",
            "indirect",
            "Anna Reyes",
            "said",
        ),
        (
            "Paul Whitfield warned the schools would close.",
            "the schools would close",
            "indirect",
            "Paul Whitfield",
            "warned",
        ),
        (
            "The goal is to “hire, train and keep” teachers, Anna Reyes explained.",
            "hire, train and keep",
            "mixed",
            "Anna Reyes",
            "explained",
        ),
    ],
)
def test_quotes_kind_speaker_cue(run, text: str, words: str, kind: str, speaker: str, cue: str) -> None:
    quote = _quote_with(run(text), words)
    assert quote.kind == kind
    assert quote.speaker is not None and quote.speaker.text == speaker
    assert quote.cue is not None and quote.cue.text == cue
    assert text[quote.span[0] : quote.span[1]] == quote.text


@pytest.mark.parametrize(
    ("text", "words", "cue"),
    [
        ('"The line never moved," Lena Park grumbled.', "The line never moved", "grumbled"),
        ('Her letter ends: "We will be back next year, stronger than before."', "We will be back next year", "ends"),
        ("He tells the crowd: “Nobody here will be forgotten.”", "Nobody here will be forgotten", "tells"),
        (
            "Asked whether the mill would close, Lena Park replied, “Not while I run it.”",
            "Not while I run it",
            "replied",
        ),
        ("Mayor Tom Baird cautioned “let us not get ahead of ourselves here.”", "let us not get ahead", "cautioned"),
        ("“The roads will be cleared by noon.” Tom Baird said.", "The roads will be cleared", "said"),
        (
            "As the mayor Lena Park put it, “nobody here wanted a fight over the water.”",
            "nobody here wanted a fight",
            "put",
        ),
        (
            '"The mill will stay open." Lena Park added, "Every worker keeps a job this winter."',
            "Every worker keeps a job",
            "added",
        ),
    ],
)
def test_quotes_layout_makes_the_cue(run, text: str, words: str, cue: str) -> None:
    """A verb right after a closing quote, or before a colon that opens one, is the cue whatever its lemma."""
    quote = _quote_with(run(text), words)
    assert quote.kind == "direct"
    assert quote.cue is not None and quote.cue.text == cue


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        (
            "Mayor Reyes: City Budget Will Not Grow Next Year\n\nThe council met on Monday.",
            "Mayor Reyes",
            "City Budget Will Not Grow Next Year",
        ),
        ("UPDATE: The council met again on Monday evening.\n\nNothing was decided.", None, None),
    ],
)
def test_quotes_headline_attribution(run, text: str, source: str | None, content: str | None) -> None:
    """A headline's verbless lead before a colon says who says it (PolNeAR marks the colon as the cue)."""
    facts = run(text)
    found = [
        (f.text, m.text)
        for f in (*facts.quotes, *facts.claims)
        for m in [getattr(f, "speaker", None) or getattr(f, "source", None)]
        if m and f.span[1] <= text.index("\n")
    ]
    assert found == ([(content, source)] if source else [])


def test_quotes_narration_quote_is_not_a_part(run) -> None:
    text = '"We waited for hours," said Lena Park, who stood in a "very long line" all morning.'
    quote = _quote_with(run(text), "We waited for hours")
    assert quote.kind == "direct" and len(quote.parts) == 1


@pytest.mark.parametrize(
    ("text", "content", "speaker", "name", "addressee"),
    [
        (
            "The vote was delayed by Tom Baird, who said that the count was incomplete.",
            "that the count was incomplete",
            "who",
            "Tom Baird",
            None,
        ),
        (
            "Anna Reyes told the Daily Ledger that the plant would stay open.",
            "that the plant would stay open",
            "Anna Reyes",
            "Anna Reyes",
            "the Daily Ledger",
        ),
        (
            "Tom Baird said the count was incomplete and vowed to appeal the result.",
            "to appeal the result",
            "Tom Baird",
            "Tom Baird",
            None,
        ),
    ],
)
def test_quotes_indirect_source_and_content(
    run, text: str, content: str, speaker: str, name: str, addressee: str | None
) -> None:
    facts = run(text)
    quote = next(q for q in facts.quotes if q.text == content)
    assert quote.kind == "indirect"
    assert quote.speaker is not None and quote.speaker.text == speaker
    assert name in (_entity_name(facts, quote.speaker.entity) or "")
    assert (quote.addressee.text if quote.addressee else None) == addressee


@pytest.mark.parametrize(
    ("text", "content", "cue"),
    [
        (
            "Anna Reyes sent a text to her volunteers, asking them not to block the entrance of the hall.",
            "them not to block the entrance of the hall",
            "asking",
        ),
        (
            "The union is calling on the city council to review the contract before the vote.",
            "the city council to review the contract before the vote",
            "calling",
        ),
        (
            'The bridge will reopen next month, Anna Reyes said, adding, "We have waited long enough for this."',
            "The bridge will reopen next month",
            "said",
        ),
        (
            '"I never promised that," Tom Baird said, after Lena Park said the mayor had promised new buses.',
            "the mayor had promised new buses",
            "said",
        ),
    ],
)
def test_quotes_content_of_requests_and_of_cues_beside_other_quotes(run, text: str, content: str, cue: str) -> None:
    """A request takes who is asked with what; a cue next to another cue's quotation keeps its own clause."""
    facts = run(text)
    found = {(f.text, f.cue.text if f.cue else None) for f in [*facts.quotes, *facts.claims]}
    assert (content, cue) in found


@pytest.mark.parametrize(
    ("text", "content", "cue"),
    [
        ("Lena Park called it a waste of public money.", "it a waste of public money", "called"),
        ("Tom Baird kept referring to the mayor as a coward.", "the mayor as a coward", "referring"),
        ("Anna Reyes points to the rising cost of housing downtown.", "the rising cost of housing downtown", "points"),
        (
            "The council members pushed for the new budget to be passed before June.",
            "the new budget to be passed before June",
            "pushed",
        ),
        (
            "Reyes has been blunt about the deficit for weeks: She said the city would run out of cash by spring.",
            "the city would run out of cash by spring",
            "said",
        ),
        (
            "People involved in the case could still face sanctions, as Tom Baird noted.",
            "People involved in the case could still face sanctions",
            "noted",
        ),
        (
            "These figures are unsurprising, as Senator Anna Reyes of Ohio has criticized the mayor for his ties to banks.",
            "the mayor for his ties to banks",
            "has criticized",
        ),
    ],
)
def test_quotes_content_of_predicates_phrasal_cues_and_clauses_after_the_cue(
    run, text: str, content: str, cue: str
) -> None:
    """ "called it X", "referring to X", "pushed for X to Y", a clause after the cue rather than before it,
    and a cue after "as" far back that reports its own object, not the clause it hangs from."""
    facts = run(text)
    found = {(f.text, f.cue.text if f.cue else None) for f in [*facts.quotes, *facts.claims]}
    assert (content, cue) in found, found


@pytest.mark.parametrize(
    ("text", "words", "speaker", "cue"),
    [
        (
            "“We were wrong to wait this long,” Tom Baird, 58, told the Daily Ledger in an interview on Monday.",
            "We were wrong to wait this long",
            "Tom Baird",
            "told",
        ),
        (
            "“Get out of my office,” Lena Park barked and a guard walked the reporter out.",
            "Get out of my office",
            "Lena Park",
            "barked",
        ),
        (
            '"If they cut the buses, nobody gets to work," Anna Reyes said before adding: "We will fight it."',
            "If they cut the buses, nobody gets to work",
            "Anna Reyes",
            "said",
        ),
        ("“It is unusual,“ said Tom Baird, a lawyer in the city.", "It is unusual", "Tom Baird", "said"),
        (
            "\"People say, 'It does not matter because the mayor will win anyway,'\" said Tom Baird, a lawyer.",
            "People say, 'It does not matter because the mayor will win anyway,'",
            "Tom Baird",
            "said",
        ),
        (
            "“We will find the money,” Harbor police Chief Lena Park said Monday.",
            "We will find the money",
            "Harbor police Chief Lena Park",
            "said",
        ),
    ],
)
def test_quotes_speaker_after_the_quote_whatever_the_parse(run, text: str, words: str, speaker: str, cue: str) -> None:
    """A name right after the closing mark speaks the quote, even when the parse hung it elsewhere."""
    quote = _quote_with(run(text), words)
    assert quote.speaker is not None and quote.speaker.text == speaker
    assert quote.cue is not None and quote.cue.text == cue


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "“Now that I am retired from the force,” he told the host, “it was hard to work for the mayor.”",
            ["Now that I am retired from the force,", "it was hard to work for the mayor."],
        ),
        (
            '"What we owe the drivers is the truth," Mr. Baird said, "and to say that the route is closing."',
            ["What we owe the drivers is the truth,", "and to say that the route is closing."],
        ),
        (
            "“Every time you raise the fare,” Reyes said, referring to the budget, “you lose riders on the night buses.”",
            ["Every time you raise the fare,", "you lose riders on the night buses."],
        ),
        (
            "“We will find the money for the repairs,” Harbor police Chief Tom Baird said Monday. “The bridge stays open.”",
            ["We will find the money for the repairs,", "The bridge stays open."],
        ),
    ],
)
def test_quotes_split_around_longer_attributions(run, text: str, parts: list[str]) -> None:
    """An addressee, a title before a name ("Mr."), a participle or a misread name between the parts."""
    quote = _quote_with(run(text), parts[0])
    assert quote.kind == "split"
    assert [text[s:e] for s, e in quote.parts] == parts


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            'Reyes said: "I have admitted that the second contract was a mistake," but in fact she signed three.',
            "I have admitted that the second contract was a mistake,",
        ),
        (
            "Baird said, “It is time we change how we run the fair,” promising a return to its roots.",
            "It is time we change how we run the fair,",
        ),
    ],
)
def test_quotes_narration_after_the_closing_comma_stays_out(run, text: str, words: str) -> None:
    """A quotation right after its cue, closed by a comma: the narration after it is not quoted content."""
    quote = _quote_with(run(text), words)
    assert quote.kind == "direct" and quote.text == words


def test_quotes_weak_cue_after_a_quotation_reports_it(run) -> None:
    """'"...," read one sign': a cue that needs a clause elsewhere takes the quotation its layout gives it."""
    text = "“The river is ours, not the developers',” read one sign at the rally on Saturday."
    quote = _quote_with(run(text), "The river is ours")
    assert quote.cue is not None and quote.cue.text == "read"


def test_quotes_no_split_across_another_sentence_of_narration(run) -> None:
    """'"X," Doe said, pointing at it. Roe shook her head. "Y."': Y is not a part of Doe's quote."""
    text = (
        "“It goes in here and goes out there,” Tom Baird said, pointing at his ears. "
        "Lena Park shook her head. “Tom is much better about it than I am.”"
    )
    quote = _quote_with(run(text), "It goes in here")
    assert quote.parts == (quote.span,)


def test_quotes_speaker_folded_into_the_quote_by_the_parse(run) -> None:
    """'“...,” a city official, who ..., told X.': the noun phrase after the quote is the speaker, not content."""
    text = (
        "“The inspectors are under a lot of pressure and are working nights,” a city official, "
        "who was not authorized to speak on the record, told the Daily Ledger."
    )
    quote = _quote_with(run(text), "under a lot of pressure")
    assert quote.kind == "direct"
    assert quote.speaker is not None and quote.speaker.text == "a city official"


def test_quotes_speaker_with_apposition_before_its_cue(run) -> None:
    """'“X,” Jane Doe, the pollster who ..., tweeted. “Y.”': one split quote by the named speaker."""
    text = (
        "“The mayor needs a plan for those voters,” Lena Park, the pollster who founded the survey, "
        "tweeted on Wednesday. “They are clearly drifting away from her now.”"
    )
    quote = _quote_with(run(text), "needs a plan for those voters")
    assert quote.kind == "split" and len(quote.parts) == 2
    assert quote.speaker is not None and quote.speaker.text == "Lena Park"


def test_quotes_subject_inside_the_quote_is_not_the_attribution(run) -> None:
    """'"... Every single vote," said Doe, who ...': a quoted noun the parse made the subject stays quoted."""
    text = (
        '"She opposed every one of them. Every single vote," said Tom Baird, who had written some of those bills. '
        '"It is not like people were quiet about their concerns at the time."'
    )
    quote = _quote_with(run(text), "She opposed every one of them")
    assert quote.speaker is not None and quote.speaker.text == "Tom Baird"
    assert quote.cue is not None and quote.cue.text == "said"


def test_quotes_no_break_space_between_quote_and_speaker(run) -> None:
    """A no-break space after the closing mark ("…,”\u00a0Doe said.\u00a0“…”") keeps the split quote together."""
    text = "“Like the east side. Or the harbor,”\u00a0Tom Baird said.\u00a0“The repair numbers are worse there.”"
    quote = _quote_with(run(text), "Like the east side")
    assert quote.kind == "split" and len(quote.parts) == 2
    assert quote.speaker is not None and quote.speaker.text == "Tom Baird"


def test_quotes_inverted_speaker_with_long_apposition(run) -> None:
    """'"...," said Jane Doe, a confidant who heads ...': the name after the cue is the speaker."""
    text = '"What is taking shape is a fight for the ages," said Tom Baird, a longtime ally who heads the Fund For The Valley.'
    quote = _quote_with(run(text), "a fight for the ages")
    assert quote.speaker is not None and quote.speaker.text == "Tom Baird"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Tom Baird said the vote on the budget was delayed by the mayor, who wanted more time.",
            "the vote on the budget was delayed by the mayor",
        ),
        ("Anna Reyes praised the volunteers, who worked through the night.", "the volunteers"),
    ],
)
def test_quotes_closing_relative_clause_is_the_writers_aside(run, text: str, content: str) -> None:
    """A content's closing ", which ..." / ", who ..." clause is narration, not what was said."""
    assert content in [q.text for q in run(text).quotes]


def test_quotes_clause_across_a_paragraph_break_is_not_the_content() -> None:
    """A parse that hangs the paragraph above on the cue ("...win."\n\nAides said ...) loses to the clause after it."""
    rows = [  # word, space after, head, dep, pos, tag, lemma: the misparse seen in wire copy
        ('"', False, 2, "punct", "PUNCT", "``", '"'),
        ("We", True, 2, "nsubj", "PRON", "PRP", "we"),
        ("win", False, 8, "ccomp", "VERB", "VBP", "win"),
        (".", False, 2, "punct", "PUNCT", ".", "."),
        ('"', False, 2, "punct", "PUNCT", "''", '"'),
        ("\n\n", False, 4, "dep", "SPACE", "_SP", "\n\n"),
        ("City", True, 7, "compound", "PROPN", "NNP", "City"),
        ("aides", True, 8, "nsubj", "NOUN", "NNS", "aide"),
        ("said", True, 8, "ROOT", "VERB", "VBD", "say"),
        ("the", True, 10, "det", "DET", "DT", "the"),
        ("cost", True, 11, "nsubj", "NOUN", "NN", "cost"),
        ("was", True, 8, "ccomp", "AUX", "VBD", "be"),
        ("high", False, 11, "acomp", "ADJ", "JJ", "high"),
        (".", False, 8, "punct", "PUNCT", ".", "."),
    ]
    words, spaces, heads, deps, pos, tags, lemmas = (list(col) for col in zip(*rows))
    doc = Doc(
        spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas
    )
    ctx = Context(article=Article(id="t", text=doc.text))
    found = {doc.text[a.content[0] : a.content[1]]: a for a in attributions(doc, ctx)}
    assert "the cost was high" in found
    source = found["the cost was high"].source
    assert source is not None and doc.text[source[0] : source[1]] == "City aides"


def test_quotes_indirect_content_keeps_a_quotation_claimed_by_a_nearer_cue(run) -> None:
    """ "said X, which he called “Y”": “Y” is the nearer cue's quote; "said" keeps X with it."""
    text = "Tom Baird said he has backed a plan that would cut the budget, which he called “a fair deal for everyone.”"
    facts = run(text)
    said = next(q for q in facts.quotes if q.cue is not None and q.cue.text == "said")
    assert said.text.startswith("he has backed a plan") and said.speaker is not None
    assert any(
        q.text == "a fair deal for everyone." and q.cue is not None and q.cue.text == "called" for q in facts.quotes
    )


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Anna Reyes said the schools would reopen on Monday unless the strike went on.",
            "the schools would reopen on Monday unless the strike went on",
        ),
        (
            "Tom Baird praised the council for its quick work on the bridge.",
            "the council for its quick work on the bridge",
        ),
        (
            "Lena Park talked about the budget in a new way, as a matter of trust.",
            "the budget in a new way, as a matter of trust",
        ),
        (
            "Paul Whitfield said the bridge would reopen in May, adding that the repairs cost less than planned.",
            "the bridge would reopen in May",
        ),
        (
            "Anna Reyes said the teachers wanted a new contract, while the drivers favored the old one.",
            "the teachers wanted a new contract",
        ),
        (
            "Tom Baird said the bridge was safe, even as the inspectors closed two of its lanes.",
            "the bridge was safe",
        ),
        (
            "Lena Park said the turnout was strong, leaving the council without a majority.",
            "the turnout was strong, leaving the council without a majority",
        ),
    ],
)
def test_quotes_content_runs_to_the_end_of_the_cue_clause(run, text: str, content: str) -> None:
    """What the parse hangs on the cue after its complement is content; a further report ("adding") and
    a contrast or time aside after a comma (", while ...", ", even as ...") are not."""
    assert content in [q.text for q in run(text).quotes]


@pytest.mark.parametrize(
    ("text", "parts", "speaker"),
    [
        (
            "Anna Reyes spoke to the council on Monday. The new budget, she said, will cut waste in every department.",
            ["The new budget", "will cut waste in every department"],
            "she",
        ),
        (
            "Those who missed the deadline, Tom Baird explained, must still pay the full fee.",
            ["Those who missed the deadline", "must still pay the full fee"],
            "Tom Baird",
        ),
    ],
)
def test_quotes_parenthetical_attribution_splits_indirect_content(
    run, text: str, parts: list[str], speaker: str
) -> None:
    """ "X, she said, Y" with the clause's verb after the attribution: one content over both sides."""
    facts = run(text)
    quote = next(q for q in facts.quotes if parts[0] in q.text)
    assert [text[s:e] for s, e in quote.parts] == parts
    assert quote.speaker is not None and quote.speaker.text == speaker


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        (
            "Mayor Lena Park continued:\n\n“We will rebuild the bridge before the winter comes.”",
            "Lena Park",
            "continued",
        ),
        (
            "The governor told the crowd, to loud cheers:\n\n“Nobody in this valley will be left behind.”",
            "The governor",
            "told",
        ),
    ],
)
def test_quotes_colon_paragraph_lends_its_cue(run, text: str, speaker: str, cue: str) -> None:
    """A paragraph ending in a colon attributes the quotation paragraph below it."""
    quote = _quote_with(run(text), "before the winter" if "bridge" in text else "left behind")
    assert quote.speaker is not None and speaker in quote.speaker.text
    assert quote.cue is not None and quote.cue.text == cue
    assert quote.speaker.span[1] < text.index("\n")


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Turnout is falling in rural counties - Maria Olsen: “Fewer people drive to the polls every year.”",
            "Maria Olsen",
        ),
        ('From the audit: "The accounts were not reconciled for three straight years."', "the audit"),
    ],
)
def test_quotes_verbless_lead_before_colon(run, text: str, source: str) -> None:
    """A short verbless name before a colon that opens a quotation is its speaker, the colon its cue."""
    quote = _quote_with(run(text), "every year" if "polls" in text else "not reconciled")
    assert quote.speaker is not None and quote.speaker.text == source
    assert quote.cue is not None and quote.cue.text == ":"


def test_quotes_uncued_utterance_takes_its_sentence_subject(run) -> None:
    """A quoted sentence with no cue of its own, mid-paragraph, is voiced by its sentence's subject."""
    text = (
        '"The vote is on Tuesday," Anna Reyes said.\n\n'
        "When the lights went out, Tom Baird stood up and “We are not leaving this hall tonight.” rang out."
    )
    quote = _quote_with(run(text), "We are not leaving")
    assert quote.kind == "direct"
    assert quote.speaker is not None and quote.speaker.text == "Tom Baird"


def test_quotes_uncued_utterance_without_earlier_speaker(run) -> None:
    """With no speaker before it, an uncued quoted sentence still takes its sentence's subject."""
    text = "At the gate Lena Park waved and “Welcome back to the farm, everyone!” was painted above her."
    quote = _quote_with(run(text), "Welcome back to the farm")
    assert quote.speaker is not None and quote.speaker.text == "Lena Park"


@pytest.mark.parametrize(
    "text",
    [
        '"Absolutely not," Lena Park said of the plan to sell the old mill.',
        '"We are ready for this," Tom Baird said about the coming election season.',
    ],
)
def test_quotes_topic_after_cue_stays_out(run, text: str) -> None:
    """What a cue is said *of* or *about* after a quotation is its topic, not part of the quote."""
    quotes = run(text).quotes
    assert len(quotes) == 1 and quotes[0].kind == "direct"
    assert quotes[0].span[1] < text.index(" said")


def test_quotes_dash_byline_signs_the_quote_above(run) -> None:
    """A quote paragraph followed by a dash line ("- Lena Park, mayor.") is that person's quote."""
    text = "The council met again.\n\n“We will not raise the water rates this year.”\n\n- Lena Park, mayor.\n"
    quote = _quote_with(run(text), "raise the water rates")
    assert quote.speaker is not None and quote.speaker.text == "Lena Park"
    assert quote.cue is not None and quote.cue.text == "-"


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        ("“The council never listens to the people on my street.” ― Sonya Reyes", "Sonya Reyes"),
        ("“The council never listens to the people on my street.”― Tom Baird ", "Tom Baird"),
        ("”The council never listens to the people on my street.” - Lena Park, teacher.", "Lena Park"),
    ],
)
def test_quotes_signature_after_quote_on_its_line(run, line: str, speaker: str) -> None:
    """A quote paragraph signed on the same line (``“...” ― Name``) is that person's quote, the dash its cue."""
    text = f"Readers wrote to us.\n\n{line}\n“Buses run late every single day.” ― Paul Whitfield\n"
    quote = _quote_with(run(text), "never listens to the people")
    assert quote.speaker is not None and quote.speaker.text == speaker
    assert quote.cue is not None and quote.cue.text in "-―"
    assert quote.kind == "direct"


def test_quotes_unclaimed_long_quotation_is_kept(run) -> None:
    """A quoted stretch of six words or more that no cue claims is still a quotation (PolNeAR counts it)."""
    text = "The council ran its campaign on the slogan “a bus for every street in town” in 2019."
    quote = _quote_with(run(text), "a bus for every street in town")
    assert quote.kind == "direct"


def test_quotes_title_is_not_an_utterance(run) -> None:
    """A quoted title (no closing sentence punctuation) gets no quote without a cue."""
    text = '"The vote is on Tuesday," Anna Reyes said.\n\nThe band then played “Songs From The Big Valley Floor” twice.'
    assert not [q for q in run(text).quotes if "Songs From" in q.text]


def test_quotes_content_stays_in_its_paragraph(run) -> None:
    text = '"It was a long night for all of us."\n\nTom Baird said the count was incomplete.'
    facts = run(text)
    quote = next(q for q in facts.quotes if q.cue is not None and q.cue.text == "said")
    assert quote.span[0] >= text.index("Tom Baird")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            '"We open the doors at nine," Anna Reyes told reporters. "Nobody will be turned away."',
            ["We open the doors at nine,", "Nobody will be turned away."],
        ),
        ("“The dam held,” Tom Baird said, “but only just.”", ["The dam held,", "but only just."]),
        (
            '"The budget is a mess," Anna Reyes told the council on Monday night, "and everyone here knows it."',
            ["The budget is a mess,", "and everyone here knows it."],
        ),
        (
            '"The budget is a mess," Anna Reyes said on WKRP\'s "Morning Drive." "We will fix it by June."',
            ["The budget is a mess,", "We will fix it by June."],
        ),
        (
            "“We start at dawn,” she added.\xa0“Bring water and a hat for the long walk.”",
            ["We start at dawn,", "Bring water and a hat for the long walk."],
        ),
    ],
)
def test_quotes_split_around_cue(run, text: str, parts: list[str]) -> None:
    facts = run(text)
    assert len(facts.quotes) == 1
    quote = facts.quotes[0]
    assert quote.kind == "split"
    assert [text[s:e] for s, e in quote.parts] == parts
    assert quote.span == (quote.parts[0][0], quote.parts[-1][1])


@pytest.mark.parametrize(
    ("text", "addressee", "channel"),
    [
        ('"The plant stays open," Anna Reyes told reporters in a statement.', "reporters", "in a statement"),
        (
            '"The plant stays open," Anna Reyes said in an interview with the Daily Ledger.',
            None,
            "in an interview with the Daily Ledger",
        ),
        ('"The plant stays open," Anna Reyes wrote on Twitter.', None, "on Twitter"),
    ],
)
def test_quotes_addressee_and_channel(run, text: str, addressee: str | None, channel: str | None) -> None:
    quote = _quote_with(run(text), "The plant stays open")
    assert (quote.addressee.text if quote.addressee else None) == addressee
    assert (quote.channel.text if quote.channel else None) == channel


@pytest.mark.parametrize(
    ("text", "words", "mention", "name"),
    [
        (
            (
                "City Hall spokeswoman Anna Reyes announced the new schedule on Monday.\n\n"
                '"Buses will run every ten minutes," the spokeswoman said.'
            ),
            "Buses will run every ten minutes",
            "the spokeswoman",
            "Anna Reyes",
        ),
        (
            'Tom Baird inspected the dam on Friday.\n\n"It will hold through the winter," he said.',
            "It will hold through the winter",
            "he",
            "Tom Baird",
        ),
        (
            'Mr. Baird met Mrs. Reyes at the town hall on Monday.\n\n"We agreed on the budget for next year," he said.',
            "We agreed on the budget",
            "he",
            "Baird",
        ),
        (
            (
                'Tom Baird, the county engineer, spoke first. "The levee is safe," he said.\n\n'
                "Anna Reyes, the mayor, disagreed.\n\n"
                '"We need a second levee," she said.'
            ),
            "We need a second levee",
            "she",
            "Anna Reyes",
        ),
    ],
)
def test_quotes_speaker_resolved(run, text: str, words: str, mention: str, name: str) -> None:
    facts = run(text)
    quote = _quote_with(facts, words)
    assert quote.speaker is not None and quote.speaker.text == mention
    assert name in (_entity_name(facts, quote.speaker.entity) or "")


def test_quotes_speakerless_paragraph_continues_last_speaker(run) -> None:
    text = (
        '"The harvest was the worst in twenty years," farmer Ruth Calloway said.\n\n'
        "Prices at the market rose by a third over the summer.\n\n"
        '"We planted twice and lost both crops to the floods this spring."'
    )
    facts = run(text)
    quote = _quote_with(facts, "We planted twice")
    first = _quote_with(facts, "The harvest was the worst")
    assert quote.speaker is not None and first.speaker is not None
    assert quote.speaker.entity == first.speaker.entity is not None


def test_quotes_multi_paragraph_quote(run) -> None:
    text = (
        '"The first thing we did was call the neighbors," Ruth Calloway said. "Then we moved the animals.\n\n'
        '"By midnight the water was at the door."'
    )
    facts = run(text)
    quote = _quote_with(facts, "The first thing we did")
    assert any(_norm(text[s:e]) == "By midnight the water was at the door" for s, e in quote.parts)


def test_quotes_next_paragraph_after_speaker_apposition(run) -> None:
    """A quote whose paragraph ends on its speaker's apposition goes on in the next quote paragraph."""
    text = (
        "“The bridge is safe for now,” said Ruth Calloway, an engineer who inspected it for the county.\n"
        "“We will close it if the river rises again this spring.”"
    )
    quote = _quote_with(run(text), "The bridge is safe")
    assert [_norm(text[s:e]) for s, e in quote.parts][-1] == "We will close it if the river rises again this spring"


def test_quotes_when_from_attribution(run) -> None:
    quote = _quote_with(run('"We are done," Anna Reyes said on Tuesday.', "2021-12-09"), "We are done")
    assert quote.when is not None and quote.sentence is not None


@pytest.mark.parametrize(
    "text",
    [
        'Anna Reyes said "the budget is final, and that is that.\n\nThe council voted later.',  # unbalanced
        "The council met. Anna Reyes said: “This runs to the very end of the article",  # runs to the end
        "“He told me ‘never again’ and left,” Tom Baird said.",  # nested single quotes
        '"""" "" “ ” ” “ said "',  # marks only
        "He said “",  # a lone opening mark at the end
    ],
)
def test_quotes_bad_marks_do_not_fail(run, text: str) -> None:
    facts = run(text)
    assert not facts.errors
    for quote in facts.quotes:
        assert text[quote.span[0] : quote.span[1]] == quote.text
        assert all(quote.span[0] <= s < e <= quote.span[1] for s, e in quote.parts)


def test_quotes_nested_single_quotes_stay_inside(run) -> None:
    text = "“He told me ‘never again’ and left,” Tom Baird said."
    quote = _quote_with(run(text), "He told me")
    assert quote.kind == "direct"
    assert quote.text == "He told me ‘never again’ and left,"


def test_quotes_large_article_completes(nlp) -> None:
    """5,000 quotes in one article: every step is a single pass or a bisection, so this stays linear.

    The article is one parsed paragraph repeated with ``Doc.from_docs`` (parsing 5,000 paragraphs
    would test spaCy, not newsfacts).
    """
    one = nlp('"The next item is ready for you," Anna Reyes said on Monday.\n')
    doc = Doc.from_docs([one] * 5000)
    facts = extract_doc(doc, Article(id="large", text=doc.text), None)
    assert len(facts.quotes) == 5000
    assert all(q.text == "The next item is ready for you," for q in facts.quotes)
    assert all(q.speaker is not None and q.speaker.text == "Anna Reyes" for q in facts.quotes)


@pytest.mark.parametrize("separator", ["\n\n", " "])
def test_quotes_many_speakerless_quotes_complete(nlp, separator: str) -> None:
    """5,000 quotes without a cue after one attributed quote, as paragraphs or in one paragraph."""
    first = nlp('"We open at nine," Anna Reyes said.' + separator)
    rest = nlp('"The doors stay open all day long."' + separator)
    doc = Doc.from_docs([first] + [rest] * 5000, ensure_whitespace=False)
    facts = extract_doc(doc, Article(id="large", text=doc.text), None)
    assert facts.quotes[0].speaker is not None and facts.quotes[0].speaker.text == "Anna Reyes"
    # quote paragraphs, and quoted sentences within the speaker's paragraph, go on quoting the last
    # speaker (the first joined as a split quote, the rest following)
    assert len(facts.quotes) == 5000
    assert all(q.speaker is not None and q.speaker.text == "Anna Reyes" for q in facts.quotes)


# --- the seed article ----------------------------------------------------------------------------


def test_quotes_seed_gold(seed_facts: ArticleFacts, seed_gold: dict) -> None:
    """Every gold quote is found, with its cue and a speaker resolved to the right person."""
    for gold in seed_gold["quotes"]:
        quote = _quote_with(seed_facts, gold["text"])
        assert quote.cue is not None and quote.cue.text == gold["cue"], gold["text"]
        assert quote.speaker is not None, gold["text"]
        name = _entity_name(seed_facts, quote.speaker.entity) or ""
        surname = gold["speaker"].replace(" Jr.", "").split()[-1]
        assert surname in name.split(), (gold["text"], quote.speaker, name)
        if "addressee" in gold:
            assert quote.addressee is not None and quote.addressee.text == gold["addressee"]
        if "channel" in gold:
            assert quote.channel is not None and quote.channel.text == gold["channel"]
        if gold.get("when"):
            assert quote.when == gold["when"]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Anna Reyes attacked the new transit plan.", "the new transit plan"),
        ("Few details were offered about the new transit plan.", None),
    ],
)
def test_quotes_weak_cue_takes_its_object_only_with_a_source(run, text: str, content: str | None) -> None:
    """ "Doe attacked X" reports Doe's stance; a weak cue with nobody holding it ("were offered") is no attribution."""
    facts = run(text)
    found = [f.text for f in [*facts.quotes, *facts.claims]]
    assert found == ([content] if content else [])


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Anna Reyes praised Baird.", "Baird"),
        ("Lena Park defended it on Monday.", None),
    ],
)
def test_quotes_one_word_object_counts_but_not_a_lone_pronoun(run, text: str, content: str | None) -> None:
    """ "endorsed Baird" is an attribution with a one-word content; "defended it" says nothing."""
    facts = run(text)
    found = [f.text for f in [*facts.quotes, *facts.claims]]
    assert found == ([content] if content else [])


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Senator Anna Reyes supported the farm bill.", "the farm bill"),
        ("Anna Reyes sees the tax plan as a mistake.", "the tax plan as a mistake"),
        ("The company released its quarterly results on Monday.", None),
    ],
)
def test_quotes_learned_filter_judges_weak_cues_in_context(run, text: str, content: str | None) -> None:
    """A weak cue ("support", "see", "release") is an attribution when a person holds the stance; the learned
    filter drops the literal use of a company releasing figures."""
    facts = run(text)
    found = [f.text for f in [*facts.quotes, *facts.claims]]
    assert found == ([content] if content else [])


def test_quotes_filter_weights_load_and_score() -> None:
    """The shipped weights give a probability in (0, 1) and a threshold between 0 and 1."""
    from newsfacts.extract import _attribution_filter

    weights, _bias, threshold = _attribution_filter._model()
    assert len(weights) > 50 and 0.0 < threshold < 1.0
    assert 0.0 < _attribution_filter.probability({"cue=say": 1.0, "dep=ccomp": 1.0}) < 1.0
    said_that = {"cue=say": 1.0, "dep=ccomp": 1.0, "src=ent_PERSON": 1.0, "tag=VBD": 1.0, "open=that": 1.0}
    assert _attribution_filter.probability(said_that) > threshold  # "Doe said that ..."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Anna Reyes said that Tom Baird believed the plan was “a disaster for the whole town.”",
            [("that Tom Baird believed the plan was “a disaster for the whole town.”", "Anna Reyes")],
        ),
        (
            "Tom Baird believed the plan was “a disaster for the whole town.”",
            [("the plan was “a disaster for the whole town.”", "Tom Baird")],
        ),
    ],
)
def test_quotes_mixed_quote_nested_in_a_report_goes(run, text: str, expected: list[tuple[str, str]]) -> None:
    """A mixed quotation inside another relation's content is part of that report, not a relation of its own."""
    facts = run(text)
    found = [(q.text, q.speaker.text if q.speaker else None) for q in facts.quotes]
    assert found == expected
    assert not facts.claims


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Tom Baird declined to say whether the mill would close.", "to say whether the mill would close"),
        (
            "Anna Reyes pledged to oppose the new transit plan in the council.",
            "to oppose the new transit plan in the council",
        ),
    ],
)
def test_quotes_chain_of_cues_gives_one_relation(run, text: str, content: str) -> None:
    """ "declined to say X", "pledged to oppose X": two cues, one content, one relation (from the first cue)."""
    facts = run(text)
    found = [(f.text, f.cue.text if f.cue else None) for f in [*facts.quotes, *facts.claims]]
    assert len(found) == 1 and found[0][0] == content, found
    assert found[0][1] in ("declined", "pledged")


def test_quotes_distinct_keeps_the_first_of_overlapping_contents() -> None:
    """Two contents covering half of each other are one; disjoint or nested-small ones both stay."""
    from newsfacts.extract.quotes import _half_each

    assert _half_each((0, 100), (10, 100))
    assert not _half_each((0, 100), (60, 100))
    assert not _half_each((0, 10), (10, 20))
