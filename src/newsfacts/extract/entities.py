"""Entities: people, organizations and places, from spaCy NER, grouped by name within the article.

Mentions whose normalized name is identical form one entity; its ``id`` is a key built from type and
normalized name, so that the same name gets the same id in every article without a shared registry.
"""

from __future__ import annotations

import re
import unicodedata

from spacy.tokens import Doc

from ..model import Entity
from .context import Context

NEEDS: tuple[str, ...] = ()
GIVES = "entities"

_KEPT_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP", "FAC": "FAC"}
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")


def normalized_name(text: str) -> str:
    """The comparable form of a name: no leading "the", no possessive, single spaces, case kept."""
    name = _LEADING_THE.sub("", " ".join(text.split()))
    return _POSSESSIVE.sub("", name).strip()


def entity_key(entity_type: str, name: str) -> str:
    """A stable cross-article id: ``person:john-kirby``, ``org:washington-post``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "x"
    return f"{entity_type.lower()}:{slug}"


def entities(doc: Doc, ctx: Context) -> list[Entity]:
    """Group spaCy's named-entity mentions by type and normalized name, in order of first mention."""
    groups: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for ent in doc.ents:
        label = _KEPT_LABELS.get(ent.label_)
        if label is None:
            continue
        name = normalized_name(ent.text)
        if not name:
            continue
        groups.setdefault((label, name), []).append((ent.start_char, ent.end_char, ent.text))
    found = []
    for (label, name), mentions in groups.items():
        aliases = tuple(sorted({t for _, _, t in mentions if t != name}))
        found.append(
            Entity(
                id=entity_key(label, name),
                name=name,
                type=label,
                aliases=aliases,
                mentions=tuple((s, e) for s, e, _ in mentions),
            )
        )
    return sorted(found, key=lambda e: e.mentions[0])
