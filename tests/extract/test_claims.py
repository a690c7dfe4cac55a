"""Attributed claims: according to, per, organizations and groups as sources, beliefs, intentions, the seed gold."""

from __future__ import annotations

import re

import pytest

from newsfacts.model import ArticleFacts, Claim


def _norm(text: str) -> str:
    text = re.sub(r"[“”\"'‘’]", "", text)
    return " ".join(text.split()).strip(" .,;:")


def _claim_with(facts: ArticleFacts, words: str) -> Claim:
    """The one claim whose text holds ``words`` (or is held by them)."""
    found = [
        c for c in facts.claims if _norm(words) in _norm(c.text) or (_norm(c.text) and _norm(c.text) in _norm(words))
    ]
    assert len(found) == 1, (words, [c.text for c in facts.claims])
    return found[0]


@pytest.mark.parametrize(
    ("text", "content", "kind", "source", "cue"),
    [
        (
            "The river crested at nine meters, according to the National Weather Service.",
            "The river crested at nine meters",
            "according_to",
            "the National Weather Service",
            "according to",
        ),
        (
            "According to the Daily Ledger, the mill will close in March.",
            "the mill will close in March",
            "according_to",
            "the Daily Ledger",
            "According to",
        ),
        (
            "The factory employs four hundred people, per the Harlow Institute.",
            "The factory employs four hundred people",
            "according_to",
            "the Harlow Institute",
            "per",
        ),
        (
            "The county will hire forty new teachers, the Education Department announced on Friday.",
            "The county will hire forty new teachers",
            "statement",
            "the Education Department",
            "announced",
        ),
        (
            "State officials have said that the bridge is unsafe for trucks.",
            "that the bridge is unsafe for trucks",
            "statement",
            "State officials",
            "have said",
        ),
        (
            "A survey by the Harlow Institute showed that most residents oppose the tax.",
            "that most residents oppose the tax",
            "reported",
            "A survey by the Harlow Institute",
            "showed",
        ),
        (
            "Economists expect that prices will fall next year.",
            "that prices will fall next year",
            "belief",
            "Economists",
            "expect",
        ),
        (
            "The ministry's claim that the budget is balanced drew criticism.",
            "that the budget is balanced",
            "statement",
            "The ministry",
            "claim",
        ),
        (
            "The union vowed to strike until the contract is signed.",
            "to strike until the contract is signed",
            "intention",
            "The union",
            "vowed",
        ),
    ],
)
def test_claims_kind_source_cue(run, text: str, content: str, kind: str, source: str, cue: str) -> None:
    claim = _claim_with(run(text), content)
    assert claim.kind == kind
    assert claim.source is not None and claim.source.text == source
    assert claim.cue is not None and claim.cue.text == cue
    assert text[claim.span[0] : claim.span[1]] == claim.text


def test_claims_not_duplicating_quotes(run) -> None:
    facts = run('"The plant stays open," Anna Reyes said. The Harlow Institute reported that sales rose.')
    quoted = {q.span for q in facts.quotes}
    assert quoted
    assert all(c.span not in quoted for c in facts.claims)
    assert any("sales rose" in c.text for c in facts.claims)


def test_claims_source_entity(run) -> None:
    facts = run("Unemployment fell to four percent in May, according to the Bureau of Labor Statistics.")
    claim = _claim_with(facts, "Unemployment fell to four percent in May")
    assert claim.source is not None and claim.source.entity is not None
    entity = next(e for e in facts.entities if e.id == claim.source.entity)
    assert "Bureau of Labor Statistics" in entity.name


def test_claims_seed_gold(seed_facts: ArticleFacts, seed_gold: dict) -> None:
    """Every gold claim is found with its cue and its source (entity, or the group as written)."""
    names = {e.id: e for e in seed_facts.entities}
    for gold in seed_gold["attributed_claims"]:
        claim = _claim_with(seed_facts, gold["text"])
        assert claim.source is not None, gold["text"]
        assert gold["cue"].split()[0] in claim.cue.text, (gold["cue"], claim.cue)
        entity = names.get(claim.source.entity or "")
        by_entity = entity is not None and (gold["source"] in entity.name or entity.name in gold["source"])
        by_mention = gold["source"] in claim.source.text
        assert by_entity or by_mention, (gold["source"], claim.source)


@pytest.mark.parametrize(
    "text",
    [
        "Anna Reyes said the mayor wants to close the old bridge next year.",
        "Tom Baird told reporters that the council believes the budget is too small.",
    ],
)
def test_claims_attitude_inside_a_report_is_not_repeated(run, text: str) -> None:
    """ "X said [Y wants Z]": the report is the attribution; the attitude inside its content is not a second one."""
    facts = run(text)
    assert len(facts.quotes) + len(facts.claims) == 1


@pytest.mark.parametrize(
    ("text", "content", "source", "cue"),
    [
        (
            "The claim that the bridge would close in May turned out to be false.",
            "that the bridge would close in May",
            None,
            "claim",
        ),
        ("There is growing speculation that the mayor will resign.", "that the mayor will resign", None, "speculation"),
        ("The mayor's pledge to fix every road was broken.", "to fix every road", "The mayor", "pledge"),
    ],
)
def test_claims_nominal_cue_with_or_without_owner(run, text: str, content: str, source: str | None, cue: str) -> None:
    """A cue noun with a that-clause (or an intention noun with a to-infinitive) is an attribution, owned or not."""
    facts = run(text)
    found = [f for f in [*facts.quotes, *facts.claims] if f.text == content]
    assert len(found) == 1
    fact = found[0]
    mention = fact.speaker if hasattr(fact, "speaker") else fact.source
    assert (mention.text if mention else None) == source
    assert fact.cue is not None and fact.cue.text == cue


@pytest.mark.parametrize(
    ("text", "content", "source"),
    [
        ("Asked about the budget, Anna Reyes said the council would vote on Friday.", "the budget", None),
        (
            "Tom Baird is expected to announce his candidacy next week.",
            "Tom Baird is expected to announce his candidacy next week",
            None,
        ),
        (
            "Lena Park seemed to suggest that the plant would close.",
            "Lena Park seemed to suggest that the plant would close",
            None,
        ),
        ("The plan was criticized by Tom Baird as a giveaway to developers.", "a giveaway to developers", "Tom Baird"),
    ],
)
def test_claims_passive_and_raising_cues_name_no_source(run, text: str, content: str, source: str | None) -> None:
    """The subject of "is expected", "seemed" or the asker of "Asked ..." is not the source; a "by" agent is.

    An agentless passive or raising cue takes the whole clause, its subject and cue included (PolNeAR).
    """
    facts = run(text)
    fact = next(f for f in [*facts.quotes, *facts.claims] if f.text == content)
    mention = fact.speaker if hasattr(fact, "speaker") else fact.source
    assert (mention.text if mention else None) == source


@pytest.mark.parametrize(
    ("text", "content", "source", "cue"),
    [
        (
            "Anna Reyes was critical of the plan to close the bridge.",
            "the plan to close the bridge",
            "Anna Reyes",
            "was critical of",
        ),
        (
            "The farmers were hopeful that the rain would come by June.",
            "that the rain would come by June",
            "The farmers",
            "were hopeful",
        ),
        (
            "The mayor is eager to show voters that the budget works.",
            "to show voters that the budget works",
            "The mayor",
            "is eager",
        ),
    ],
)
def test_claims_attitude_adjective(run, text: str, content: str, source: str, cue: str) -> None:
    """ "is eager to", "was critical of", "were hopeful that": the subject holds the attitude."""
    facts = run(text)
    fact = next(f for f in [*facts.quotes, *facts.claims] if f.text == content)
    mention = fact.speaker if hasattr(fact, "speaker") else fact.source
    assert mention is not None and mention.text == source
    assert fact.cue is not None and fact.cue.text == cue


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "The senator appears to be losing ground in the suburbs.",
            "The senator appears to be losing ground in the suburbs",
        ),
        ("By noon, Mara Lind seemed tired of the questions.", "Mara Lind seemed tired of the questions"),
        (
            "The mayor is accused of taking bribes from two contractors.",
            "The mayor is accused of taking bribes from two contractors",
        ),
        (
            "Most of the new jobs are expected to go to the coast.",
            "Most of the new jobs are expected to go to the coast",
        ),
    ],
)
def test_claims_raising_and_passive_cues_take_the_whole_clause(run, text: str, content: str) -> None:
    """ "X appears to ...", "X is accused of ...": how X is seen, the subject and cue inside the content."""
    facts = run(text)
    found = [f for f in facts.claims if f.text == content]
    assert len(found) == 1 and found[0].source is None


@pytest.mark.parametrize(
    ("text", "content", "source"),
    [
        (
            "Reyes led Baird by nine points in a new Ledger poll released Monday.",
            "Reyes led Baird by nine points",
            "a new Ledger poll",
        ),
        (
            "In the Harbor survey, most residents opposed the new toll.",
            "most residents opposed the new toll",
            "the Harbor survey",
        ),
        ("In their view, the council could still close the gap.", "the council could still close the gap", "their"),
    ],
)
def test_claims_in_a_poll_or_in_a_view(run, text: str, content: str, source: str) -> None:
    """ "in a new poll" and "in their view" attribute the clause they modify, as "according to" does."""
    facts = run(text)
    found = {(c.text, c.source.text if c.source else None, c.kind) for c in facts.claims}
    assert (content, source, "according_to") in found, found


def test_claims_generic_polls_name_no_source(run) -> None:
    """ "slid in the polls" is a trend, not a source."""
    facts = run("The senator slid in the polls after the debate.")
    assert not [c for c in facts.claims if c.cue is not None and c.cue.text.lower() == "in"]


@pytest.mark.parametrize(
    ("text", "content", "source", "cue"),
    [
        (
            "Anna Reyes raised questions about the cost of the new bridge.",
            "the cost of the new bridge",
            "Anna Reyes",
            "raised questions about",
        ),
        ("Her criticism of the transit plan was sharp.", "the transit plan", "Her", "criticism of"),
        ("The union's endorsement of Tom Baird came late.", "Tom Baird", "The union", "endorsement of"),
        (
            "The council members were confident that the vote would pass.",
            "that the vote would pass",
            "The council members",
            "were confident",
        ),
    ],
)
def test_claims_cue_nouns_with_a_preposition_and_attitude_adjectives(
    run, text: str, content: str, source: str, cue: str
) -> None:
    """ "questions about X", "criticism of X" (learned pairs), "were confident that X": content, source, cue."""
    facts = run(text)
    found = set()
    for fact in [*facts.quotes, *facts.claims]:
        mention = fact.speaker if hasattr(fact, "speaker") else fact.source
        found.add((fact.text, mention.text if mention else None, fact.cue.text if fact.cue else None))
    assert (content, source, cue) in found, found


@pytest.mark.parametrize(
    ("text", "content", "source", "cue"),
    [
        (
            "The new zoning plan was sharply criticized by the teachers' union on Monday.",
            "The new zoning plan",
            "the teachers' union",
            "criticized",
        ),
        (
            "Her proposal was endorsed by the county's largest labor union.",
            "Her proposal",
            "the county's largest labor union",
            "endorsed",
        ),
        (
            "The harbor project was opposed by environmental groups for years.",
            "The harbor project",
            "environmental groups",
            "opposed",
        ),
    ],
)
def test_claims_passive_cue_with_its_agent(run, text: str, content: str, source: str, cue: str) -> None:
    """ "X was criticized by Y": the agent is the source, the passive subject the content."""
    facts = run(text)
    found = {(c.text, c.source.text if c.source else None, c.cue.text if c.cue else None) for c in facts.claims}
    assert (content, source, cue) in found, found


@pytest.mark.parametrize(
    "text",
    ["The bridge was built by a French firm in 1890.", "The house was sold by a local bank in 1990."],
)
def test_claims_passive_of_a_non_cue_verb_is_no_claim(run, text: str) -> None:
    """An agent alone makes no attribution: the verb must be a cue."""
    assert not run(text).claims


@pytest.mark.parametrize(
    ("text", "content", "source"),
    [
        ("Local farmers strongly endorsed Whitfield in the primary.", "Whitfield", "Local farmers"),
        ("The city council unanimously backed Okafor last week.", "Okafor", "The city council"),
    ],
)
def test_claims_cue_with_a_one_word_name_as_object(run, text: str, content: str, source: str) -> None:
    """ "endorsed Whitfield": a name alone is what the cue is about (a one-word common noun is not)."""
    claim = _claim_with(run(text), content)
    assert claim.text.startswith(content)
    assert claim.source is not None and claim.source.text == source


@pytest.mark.parametrize(
    ("text", "content", "source", "cue"),
    [
        ("The governor's plan to widen the highway drew protests.", "to widen the highway", "The governor", "plan"),
        (
            "Okafor's idea that the port should be sold alarmed the council.",
            "that the port should be sold",
            "Okafor",
            "idea",
        ),
    ],
)
def test_claims_owned_cue_noun_with_its_holder(run, text: str, content: str, source: str, cue: str) -> None:
    """ "her plan to X", "Doe's idea that X": a cue noun that counts only with a holder, who is the source."""
    facts = run(text)
    found = set()
    for fact in [*facts.quotes, *facts.claims]:
        mention = fact.speaker if hasattr(fact, "speaker") else fact.source
        found.add((fact.text, mention.text if mention else None, fact.cue.text if fact.cue else None))
    assert (content, source, cue) in found, found


def test_claims_owned_cue_noun_without_holder_is_no_claim(run) -> None:
    """ "the plan to widen the highway": nobody holds it, so nothing is attributed."""
    facts = run("The plan to widen the highway drew protests.")
    assert not facts.claims and not facts.quotes
