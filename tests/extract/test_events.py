"""Events: TimeML event mentions, their participants and time anchors."""

from __future__ import annotations

import pytest

PUBLISHED = "2021-12-09"


def _events(facts) -> dict[str, tuple[str, tuple[str, ...], str | None]]:
    """trigger text -> (trigger, participants, when)."""
    return {e.text: (e.trigger, e.participants, e.when) for e in facts.events}


@pytest.mark.parametrize(
    ("text", "word", "trigger", "when"),
    [
        ("The army captured the town in 2014.", "captured", "capture", "2014"),
        ("Rebels pulled back their fighters last week.", "pulled", "pull back", "2021-W48"),
        ("The announcement came on Thursday.", "announcement", "announcement", "2021-12-09"),
        ("The attack on the convoy killed three soldiers.", "attack", "attack", "PAST_REF"),
        ("The minister will resign.", "resign", "resign", "FUTURE_REF"),
        ("The talks on July 26 ended without a deal.", "talks", "talk", "2021-07-26"),
        ("Tomorrow the city celebrates the tenth anniversary of the liberation.", "liberation", "liberation",
         "2011-12-10"),
    ],
)
def test_events_trigger_and_anchor(run, text: str, word: str, trigger: str, when: str) -> None:
    found = _events(run(text, PUBLISHED))
    assert word in found, found
    assert found[word][0] == trigger
    assert found[word][2] == when


@pytest.mark.parametrize(
    ("text", "word", "entity_name"),
    [
        ("Germany signed the treaty with France in 1963.", "signed", "France"),
        ("Microsoft acquired GitHub in 2018.", "acquired", "GitHub"),
    ],
)
def test_events_participants_are_entity_ids(run, text: str, word: str, entity_name: str) -> None:
    facts = run(text, PUBLISHED)
    ids = {e.name: e.id for e in facts.entities}
    assert ids[entity_name] in _events(facts)[word][1]


@pytest.mark.parametrize(("text", "word"), [("The company has 20 employees.", "has"), ("It is big.", "is")])
def test_events_skip_auxiliaries_and_light_verbs(run, text: str, word: str) -> None:
    assert word not in _events(run(text, PUBLISHED))


def test_events_without_publication_date(run) -> None:
    found = _events(run("The mayor resigns.", None))
    assert found["resigns"][2] == "PRESENT_REF"


def test_events_spans_match_text(seed_facts, seed_text: str) -> None:
    for event in seed_facts.events:
        assert seed_text[event.span[0] : event.span[1]] == event.text
        assert event.sentence is not None and event.sentence[0] <= event.span[0] < event.sentence[1]


@pytest.mark.parametrize(
    ("trigger", "when"),
    [("end", "2021-W49"), ("dialogue", "2021-07-26"), ("pull back", "2011"), ("go", "2014"), ("victory", "2017-12-10")],
)
def test_events_seed_gold_dates(seed_facts, seed_gold: dict, trigger: str, when: str) -> None:
    """The five dated events of the example article (gold gives descriptions; triggers named here)."""
    assert when in {e["when"] for e in seed_gold["events"]}
    assert (trigger, when) in {(e.trigger, e.when) for e in seed_facts.events}


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The bank holding company reported a profit.", "holding"),
        ("A closely held firm bought the mill.", "held"),
        ("The merged group cut its prices.", "merged"),
        ("The bank added to its loan-loss reserves.", "loss"),
        ("The attack helicopters landed.", "attack"),
    ],
)
def test_events_skip_modifiers_before_a_noun(run, text: str, word: str) -> None:
    """A participle or noun that modifies a noun is a modifier, not a happening (TimeBank train: 5 % and
    1 % of them are events)."""
    assert word not in _events(run(text, PUBLISHED))


@pytest.mark.parametrize(
    ("text", "word", "is_event"),
    [
        ("The sale of the steel unit closed on Monday.", "sale", True),
        ("Sales rose 8% to $40 million.", "Sales", False),
    ],
)
def test_events_noun_number_decides_reading(run, text: str, word: str, is_event: bool) -> None:
    """'the sale of X' is an act of selling, 'sales' a revenue figure."""
    assert (word in _events(run(text, PUBLISHED))) is is_event


@pytest.mark.parametrize(
    ("text", "word", "is_event"),
    [
        ("The negotiators were willing to sign.", "willing", True),
        ("The two parties are capable of a deal.", "capable", True),
        ("The new mill is red.", "red", False),
    ],
)
def test_events_predicative_adjectives(run, text: str, word: str, is_event: bool) -> None:
    """A predicative adjective is a state when TimeBank mostly tags it so; an unseen one follows its
    dependency relation, where most are not."""
    assert (word in _events(run(text, PUBLISHED))) is is_event


@pytest.mark.parametrize(
    ("text", "word", "is_event"),
    [
        ("Prices rose sharply, including rents.", "including", False),
        ("Profit fell to $3 million, compared with $5 million a year ago.", "compared", False),
        ("The plant will close, according to the union.", "according", True),
        ("Profit for the quarter ended Sept. 30 doubled.", "ended", False),
        ("The strike ended on Sept. 30.", "ended", True),
        ("The mayor is going to resign.", "going", False),
        ("The mayor is going to resign.", "resign", True),
    ],
)
def test_events_verb_forms_in_other_roles(run, text: str, word: str, is_event: bool) -> None:
    """Verb forms used as prepositions or as the future marker are not events; the reporting
    'according to' is."""
    assert (word in _events(run(text, PUBLISHED))) is is_event


def test_events_going_to_is_future(run) -> None:
    assert _events(run("The mayor is going to resign.", PUBLISHED))["resign"][2] == "FUTURE_REF"


@pytest.mark.parametrize(
    ("text", "word", "when"),
    [
        ("After the attack, the army withdrew its troops in 2021.", "attack", "PAST_REF"),
        ("After the attack, the army withdrew its troops in 2021.", "withdrew", "2021"),
        ("Protesters marched on Saturday and clashed with police.", "clashed", "2021-12-04"),
        ("Protesters marched on Saturday and police arrested them.", "arrested", "PAST_REF"),
        ("Before the vote on Tuesday, the senators met in private.", "vote", "2021-12-07"),
    ],
)
def test_events_anchor_across_clauses(run, text: str, word: str, when: str) -> None:
    """A subjectless conjoined verb shares its partner's date; 'after X' does not put X at the date."""
    assert _events(run(text, PUBLISHED))[word][2] == when


@pytest.mark.parametrize(
    ("text", "word", "entity_name"),
    [
        ("Officials in Kenya said the vote was fair.", "said", "Kenya"),
        ("The president of France resigned on Monday.", "resigned", "France"),
    ],
)
def test_events_participants_through_common_noun(run, text: str, word: str, entity_name: str) -> None:
    """A common-noun argument passes on the entity it is attached to."""
    facts = run(text, PUBLISHED)
    ids = {e.name: e.id for e in facts.entities}
    assert ids[entity_name] in _events(facts)[word][1]
