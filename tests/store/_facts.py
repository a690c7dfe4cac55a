"""Hand-built articles with every fact kind, for the store, CLI and bench tests (not fixtures)."""

from __future__ import annotations

from newsfacts.model import ArticleFacts, Claim, Entity, Event, Mention, Quantity, Quote, Span, Timex, text_sha256

FILLER = (
    " Officials described the decision as the result of months of talks between the two governments,"
    " and analysts in the region said the change would mostly affect how advisers work with local forces."
    " The announcement came after a series of meetings in the capital and a review of the training program."
)


def at(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    """The span of the ``nth`` occurrence of ``part`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return (start, start + len(part))


def make_article(
    *, doc_id: str = "a", published: str | None = "2021-12-09", url: str | None = "https://example.test/a",
    source: str | None = "Example Times", troops: str = "about 2,500", speaker: str = "John Kirby",
    prefix: str = "", tail: str = "",
) -> ArticleFacts:
    """One article with every fact kind, built by hand (spans computed from the text)."""
    text = (
        f"{prefix}{speaker} told reporters: \u201cThere are {troops} troops in Iraq.\u201d "
        "According to the Washington Post, ISIS captured a third of the country in 2014. "
        f"The Pentagon ended its combat mission this week.{FILLER}{tail}"
    )
    quote_text = f"There are {troops} troops in Iraq."
    sent1 = (at(text, speaker)[0], at(text, "\u201d")[1])
    sent2 = at(text, "According to the Washington Post, ISIS captured a third of the country in 2014.")
    sent3 = at(text, "The Pentagon ended its combat mission this week.")
    person_id = "person:" + speaker.lower().replace(" ", "-")
    entities = (
        Entity(id=person_id, name=speaker, type="PERSON", aliases=(speaker.split()[-1],), titles=("press secretary",),
               mentions=(at(text, speaker),), roles=("spokesperson",)),
        Entity(id="gpe:iraq", name="Iraq", type="GPE", mentions=(at(text, "Iraq"),)),
        Entity(id="org:washington-post", name="Washington Post", type="ORG", aliases=("the Washington Post",),
               mentions=(at(text, "the Washington Post"),)),
        Entity(id="org:pentagon", name="Pentagon", type="ORG", mentions=(at(text, "Pentagon"),)),
    )
    quotes = (
        Quote(span=at(text, quote_text), text=quote_text, parts=(at(text, quote_text),), kind="direct",
              speaker=Mention(span=at(text, speaker), text=speaker, entity=person_id), cue=Span(at(text, "told"), "told"),
              addressee=Span(at(text, "reporters"), "reporters"), when=published, sentence=sent1),
    )
    claim_text = "ISIS captured a third of the country in 2014"
    claims = (
        Claim(span=at(text, claim_text), text=claim_text, kind="according_to",
              source=Mention(span=at(text, "the Washington Post"), text="the Washington Post", entity="org:washington-post"),
              cue=Span(at(text, "According to"), "According to"), sentence=sent2),
    )
    number = troops.split()[-1].replace(",", "")
    low, _, high = number.partition("-")
    value: float | tuple[float, float] = (float(low), float(high)) if high else float(low)
    quantities = (
        Quantity(span=at(text, troops), text=troops, value=value, unit=None, normalized_unit=None,
                 change="~" if troops.startswith("about") else "=", counts=Span(at(text, "troops in Iraq"), "troops in Iraq"),
                 source=person_id, when=published, sentence=sent1),
    )
    timexes = (
        Timex(span=at(text, "2014"), text="2014", type="DATE", value="2014", sentence=sent2),
        Timex(span=at(text, "this week"), text="this week", type="DATE", value="2021-W49", anchor=published, sentence=sent3),
    )
    events = (
        Event(span=at(text, "ended"), text="ended", trigger="end", participants=("org:pentagon",), when="2021-W49", sentence=sent3),
    )
    return ArticleFacts(
        id=doc_id, text=text, sha256=text_sha256(text), url=url, title=f"Title of {doc_id}", published=published,
        source=source, language="en", entities=entities, quotes=quotes, claims=claims, quantities=quantities,
        timexes=timexes, events=events, errors=(),
    )
