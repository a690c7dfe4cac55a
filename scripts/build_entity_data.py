"""Build ``src/newsfacts/data/countries.tsv`` from pycountry (ISO 3166-1 countries, US states).

Run from the project root: ``python scripts/build_entity_data.py``. The output is committed, so the
library never needs pycountry at run time; re-run after upgrading pycountry. pycountry ships the
Debian iso-codes data (LGPL-2.1-or-later); the generated file keeps that notice in its header.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "newsfacts" / "data" / "countries.tsv"


def _names(country: object) -> list[str]:
    """A country's usable names: common, short and official, skipping inverted "Korea, Republic of" forms."""
    found: list[str] = []
    for attr in ("common_name", "name", "official_name"):
        value = getattr(country, attr, None)
        if value and "," not in value and "(" not in value and value not in found:
            found.append(value)
    return found


def build() -> str:
    """The TSV text: ``TYPE<TAB>CANONICAL<TAB>ALIAS|ALIAS``, one row per country and US state."""
    rows = [
        "# Countries (ISO 3166-1) and US states (ISO 3166-2:US): TYPE<TAB>CANONICAL<TAB>ALIAS|ALIAS|...",
        f"# source: pycountry {version('pycountry')} (Debian iso-codes), "
        "built by scripts/build_entity_data.py; license: LGPL-2.1-or-later (iso-codes data)",
    ]
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        names = _names(country)
        if names:
            rows.append(f"GPE\t{names[0]}\t{'|'.join(names)}")
    for state in sorted(pycountry.subdivisions.get(country_code="US"), key=lambda s: s.code):
        rows.append(f"GPE\t{state.name}\t{state.name}")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    OUT.write_text(build(), encoding="utf-8")
