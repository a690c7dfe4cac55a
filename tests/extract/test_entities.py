"""Entities: repaired NER, clustering, titles and roles, coreference, cross-article keys, bad input."""

from __future__ import annotations

import pytest

from newsfacts.extract.context import Context
from newsfacts.extract.entities import entities, entity_key, normalized_name, person_key
from newsfacts.model import Article, Entity


def _entities(nlp, text: str) -> list[Entity]:
    """Run only the entities extractor on ``text`` (the model fixture is shared)."""
    return entities(nlp(text), Context(article=Article(id="t", text=text)))


def _by_surface(found: list[Entity], text: str, surface: str) -> Entity:
    """The entity that has a mention whose text is ``surface``."""
    for ent in found:
        if any(text[s:e] == surface for s, e in ent.mentions):
            return ent
    raise AssertionError(f"no entity has a mention {surface!r}: {[(e.name, e.mentions) for e in found]}")


def _norm(text: str) -> str:
    return normalized_name(text).lower()


# ------------------------------------------------------------------ public helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Washington Post's", "Washington Post"),
        ("John Brennan, Jr.", "John Brennan Jr."),
        ("  Hillary   Clinton’s ", "Hillary Clinton"),
        ("Reuters", "Reuters"),
    ],
)
def test_entities_normalized_name(text: str, expected: str) -> None:
    assert normalized_name(text) == expected


@pytest.mark.parametrize(
    ("names", "same"),
    [
        (["Donald Trump", "Donald J. Trump", "President Donald Trump", "Mr. Donald Trump"], True),
        (["Bobby Scott", "Robert Scott"], True),
        (["Maria Lopez", "Carlos Lopez"], False),
        (["Hank Dolan Jr.", "Hank Dolan"], False),
    ],
)
def test_entities_person_key(names: list[str], same: bool) -> None:
    keys = {person_key(n) for n in names}
    assert (len(keys) == 1) is same


def test_entities_entity_key_coarse_place() -> None:
    assert entity_key("GPE", "Iraq") == entity_key("LOC", "Iraq") == "place:iraq"


def test_entities_entity_key_non_latin_names_stay_apart() -> None:
    assert entity_key("PERSON", "习近平") != entity_key("PERSON", "李克强")
    assert entity_key("PERSON", "习近平") == entity_key("PERSON", "习近平")


# ------------------------------------------------------------------ NER repairs


@pytest.mark.parametrize(
    ("text", "surface", "etype"),
    [
        ("Col. Dana Whitfield Jr., a Marine officer, spoke on Monday.", "Dana Whitfield Jr.", "PERSON"),
        ("Army Maj. Gen. Ray Ostrander, Jr., said the base would close.", "Ray Ostrander, Jr.", "PERSON"),
        ("Fighters loyal to Daesh attacked the town on Sunday.", "Daesh", "ORG"),
        ("Officials said the Islamic State still holds two villages.", "Islamic State", "ORG"),
        ("Senator Amy Halvorsen's bill passed the committee.", "Amy Halvorsen", "PERSON"),
        ("The Iraqi army moved north, and Iraqi officials welcomed it.", "Iraqi", "NORP"),
    ],
)
def test_entities_repairs_spacy(nlp, text: str, surface: str, etype: str) -> None:
    found = _entities(nlp, text)
    ent = _by_surface(found, text, surface)
    assert ent.type == etype
    assert not any(text[s:e] in ("Jr.", "Jr") for e_ in found for s, e in e_.mentions)


@pytest.mark.parametrize(
    ("text", "surface", "etype"),
    [
        ("BRUSSELS - European ministers met on Friday to discuss the budget.", "BRUSSELS", "GPE"),
        ("ELM CREEK, Neb. -- Farmers gathered on Friday at the grain elevator.", "ELM CREEK", "GPE"),
        ("PINE HOLLOW, W.Va. ― The mine closed on Friday after the flood.", "W.Va.", "GPE"),
        ("The rally drew 2 percent for the Green Party’s Jill Stein, a poll found.", "Jill Stein", "PERSON"),
        ("A new Washington Post-ABC News poll was released on Sunday.", "ABC News", "ORG"),
        ("The Rural Water Alliance sued the state. Later, RWA lawyers said they would appeal.", "RWA", "ORG"),
    ],
)
def test_entities_repairs_news_conventions(nlp, text: str, surface: str, etype: str) -> None:
    ent = _by_surface(_entities(nlp, text), text, surface)
    assert ent.type == etype


def test_entities_party_state_tag_is_no_place(nlp) -> None:
    text = "Sen. Amy Halvorsen (D-Ore.) voted no. Halvorsen lives in Salem, Ore., with her family."
    found = _entities(nlp, text)
    tag = text.index("(D-Ore.)")
    assert not any(tag <= s < tag + 8 for ent in found for s, _ in ent.mentions)


def test_entities_headline_names_from_body(nlp) -> None:
    text = "Marsh Sees 'Grave Risk' if Voters Stay Home\n\nGov. Ellen Marsh warned voters on Friday. Marsh said turnout matters."
    found = _entities(nlp, text)
    marsh = _by_surface(found, text, "Ellen Marsh")
    assert (0, 5) in marsh.mentions
    assert not any("Sees" in text[s:e] for ent in found for s, e in ent.mentions)


def test_entities_title_not_in_name(nlp) -> None:
    text = "President Ellen Marsh met reporters. Marsh said the talks went well."
    ent = _by_surface(_entities(nlp, text), text, "Ellen Marsh")
    assert ent.name == "Ellen Marsh"
    assert "President" in ent.titles
    assert not any(text[s:e].startswith("President") for s, e in ent.mentions)


# ------------------------------------------------------------------ clustering


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("Gov. Paul Whitaker spoke first. Later, Whitaker took questions.", ["Paul Whitaker", "Whitaker"]),
        ("The Pentagon declined to comment. DOD officials said later that troops stay.", ["Pentagon", "DOD"]),
        ("ISIS fighters fled. Daesh lost the city, and the Islamic State lost its base.", ["ISIS", "Daesh", "Islamic State"]),
        (
            "The National Grain Council (NGC) met on Friday. The NGC said prices rose.",
            ["National Grain Council", "NGC"],
        ),
        ("The Rural Water Alliance sued the state. Later, RWA lawyers said they would appeal.", ["Rural Water Alliance", "RWA"]),
        ("Rep. Robert \"Bobby\" Tillman spoke. Bobby Tillman later left.", ['Robert "Bobby" Tillman', "Bobby Tillman"]),
        ("Troops left the United States. The U.S. said more would follow.", ["United States", "U.S."]),
    ],
)
def test_entities_cluster_within_article(nlp, text: str, surfaces: list[str]) -> None:
    found = _entities(nlp, text)
    ids = {_by_surface(found, text, s).id for s in surfaces}
    assert len(ids) == 1


def test_entities_same_surname_different_people(nlp) -> None:
    text = (
        "Maria Lopez, a nurse, and her brother Carlos Lopez, a teacher, both testified. "
        "Carlos Lopez said the school was closed."
    )
    found = _entities(nlp, text)
    assert _by_surface(found, text, "Maria Lopez").id != _by_surface(found, text, "Carlos Lopez").id


def test_entities_surname_joins_nearest_full_name(nlp) -> None:
    text = (
        "Maria Lopez testified first. Carlos Lopez spoke after her. "
        "Lopez said he had not seen the letter."
    )
    found = _entities(nlp, text)
    carlos = _by_surface(found, text, "Carlos Lopez")
    start = text.rindex("Lopez said")
    assert (start, start + len("Lopez")) in carlos.mentions


def test_entities_cross_article_key(nlp) -> None:
    one = "Donald J. Trump spoke in Ohio. Mr. Trump said he would win."
    two = "President Trump signed the bill on Monday."
    assert _by_surface(_entities(nlp, one), one, "Donald J. Trump").id == _by_surface(_entities(nlp, two), two, "Trump").id


# ------------------------------------------------------------------ titles, roles, coreference


@pytest.mark.parametrize(
    ("text", "surface", "titles", "role"),
    [
        ("Maj. Gen. Ray Ostrander said the base would close.", "Ray Ostrander", ("Maj. Gen.",), None),
        ("Treasury spokeswoman Laura Bennett said the budget was late.", "Laura Bennett", (), "Treasury spokeswoman"),
        (
            "Ray Ostrander, commander of the Northern Logistics Brigade, said the base would close.",
            "Ray Ostrander",
            (),
            "commander of the Northern Logistics Brigade",
        ),
        ("Sen. Amy Halvorsen voted no.", "Amy Halvorsen", ("Sen.",), None),
    ],
)
def test_entities_titles_and_roles(nlp, text: str, surface: str, titles: tuple[str, ...], role: str | None) -> None:
    ent = _by_surface(_entities(nlp, text), text, surface)
    assert ent.titles == titles
    if role is not None:
        assert role in ent.roles


@pytest.mark.parametrize(
    ("text", "name", "surface"),
    [
        (
            "Defense Ministry spokesman Tomas Adler spoke on Monday. The troops will stay, the spokesman said.",
            "Tomas Adler",
            "the spokesman",
        ),
        (
            "Defense Ministry spokesman Tomas Adler spoke on Monday. The troops will stay, the press secretary explained.",
            "Tomas Adler",
            "the press secretary",
        ),
        ("Tomas Adler arrived late on Monday. He said the roads were closed.", "Tomas Adler", "He"),
        (
            "President Ellen Marsh left early. \"It was fine,\" said Tomas Adler, the president of the Grain Council.",
            "Tomas Adler",
            "the president",
        ),
        ("Sen. Amy Halvorsen left the chamber. The senator said she would return.", "Amy Halvorsen", "she"),
    ],
)
def test_entities_coreference(nlp, text: str, name: str, surface: str) -> None:
    ent = _by_surface(_entities(nlp, text), text, name)
    start = text.index(surface, text.index(name) + len(name))
    assert (start, start + len(surface)) in ent.mentions


def test_entities_pronoun_inside_quote_left_alone(nlp) -> None:
    text = 'Tomas Adler spoke on Monday. "He never called me," Adler said.'
    ent = _by_surface(_entities(nlp, text), text, "Tomas Adler")
    start = text.index("He never")
    assert (start, start + 2) not in ent.mentions


def test_entities_role_noun_without_matching_role_unlinked(nlp) -> None:
    text = "Tomas Adler, a farmer, spoke on Monday. The senator said nothing."
    found = _entities(nlp, text)
    start = text.index("The senator")
    assert not any(s <= start < e for ent in found for s, e in ent.mentions)


# ------------------------------------------------------------------ spans and bad input


def test_entities_spans_exact_and_sorted(nlp, seed_text: str) -> None:
    found = _entities(nlp, seed_text)
    for ent in found:
        assert list(ent.mentions) == sorted(ent.mentions)
        for s, e in ent.mentions:
            assert 0 <= s < e <= len(seed_text)
            assert seed_text[s:e].strip() == seed_text[s:e]
    assert [e.mentions[0] for e in found] == sorted(e.mentions[0] for e in found)
    spans = sorted(span for ent in found for span in ent.mentions)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "mentions overlap across entities"


def test_entities_all_caps_line_no_overlap(nlp) -> None:
    text = "Dr. Mehmet Varga spoke on Monday.\n\nHE'S BEEN CALLED OUT BY FELLOW DOCTORS - and he knows it, Varga said."
    found = _entities(nlp, text)
    spans = sorted(span for ent in found for span in ent.mentions)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "DONALD TRUMP SAID THE US WOULD LEAVE. WHO IS IT? THE PENTAGON DISAGREED.",
        "Zoë Ærøskøbing-Nuñez met José Álvarez in São Paulo 🙂🚀 and said “👍”.",
        "Jean-Baptiste Marie Antoine Guillaume Théodore de la Tour d'Auvergne-Lauraguais Montmorency Jr. arrived.",
        "🙂" * 300,
    ],
)
def test_entities_bad_input_no_crash(nlp, text: str) -> None:
    for ent in _entities(nlp, text):
        for s, e in ent.mentions:
            assert text[s:e]


def test_entities_long_name_list(nlp) -> None:
    firsts = ["Anna", "Boris", "Chen", "Dara", "Emil", "Fatima", "Goran", "Hana", "Ivo", "Jana"]
    lasts = ["Kovac", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Sato", "Tanaka"]
    names = [f"{f} {l}" for _ in range(100) for f in firsts for l in lasts]
    text = ", ".join(names[:10_000]) + "."
    found = _entities(nlp, text)
    assert all(e.mentions for e in found)


# ------------------------------------------------------------------ the seed article


def test_entities_seed_gold(seed_facts, seed_gold: dict, seed_text: str) -> None:
    found = seed_facts.entities
    for gold in seed_gold["entities"]:
        names = {_norm(gold["name"])} | {_norm(a) for a in gold.get("aliases", [])}
        matching = [e for e in found if names & ({_norm(e.name)} | {_norm(a) for a in e.aliases})]
        assert len({e.id for e in matching}) == 1, (gold["name"], [(e.name, e.aliases) for e in matching])
        ent = matching[0]
        assert ent.type == gold["type"], gold["name"]
        assert names <= {_norm(ent.name)} | {_norm(a) for a in ent.aliases}, (gold["name"], ent.aliases)
        assert set(gold.get("titles", [])) <= set(ent.titles), gold["name"]
        for role in gold.get("roles", []):
            assert role in ent.roles, (gold["name"], ent.roles)


def test_entities_seed_speaker_lookup(seed_facts, seed_text: str) -> None:
    start = seed_text.index("the press secretary")
    ctx = Context(article=Article(id="seed", text=seed_text), entities=seed_facts.entities)
    speaker = ctx.entity_at(start, start + len("the press secretary"))
    assert speaker is not None and speaker.name == "John Kirby"
