"""Page functions: parameter checking and the shaping of query rows (no store needed)."""

from __future__ import annotations

import pytest
from starlette.datastructures import QueryParams

from newsfacts.errors import BadOption
from newsfacts.web.pages import DEFAULT_KINDS, SearchParams, chart_points, once_per_story

ROW = {"story": 7, "text": "2,500", "value": 2500.0, "low": 2500.0, "high": 2500.0, "unit": None, "when": "2021-12-09",
       "source": "John Kirby", "source_entity": "person:john-kirby", "article": "a", "sentence": [10, 40]}


def test_pages_once_per_story_collapses_copies() -> None:
    rows = once_per_story([ROW, {**ROW, "article": "b"}, {**ROW, "story": 8, "article": "c"}, {**ROW, "when": "2021-12-10"}])
    assert [(r["article"], r["copies"]) for r in rows] == [("a", 2), ("c", 1), ("a", 1)]


@pytest.mark.parametrize(
    ("row", "expected"),
    [(ROW, ("/articles/a#s-10", 2500.0, 2500.0, "John Kirby")),
     ({**ROW, "low": 5000.0, "high": 5500.0, "source": None, "source_entity": None, "publisher": "AP"},
      ("/articles/a#s-10", 5000.0, 5500.0, "AP (publisher)")),
     ({**ROW, "source": None, "source_entity": None, "sentence": None, "span": [3, 8], "article": "x/y"},
      ("/articles/x%2Fy#s-3", 2500.0, 2500.0, "unattributed"))],
)
def test_pages_chart_points_table(row: dict, expected: tuple) -> None:
    (point,) = chart_points([row])
    assert (point.href, point.low, point.high, point.series) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("q=troops", SearchParams(q="troops")), ("q=+troops+&since=2021-01-01", SearchParams(q="troops", since="2021-01-01")),
     ("kind=articles&kind=quotes", SearchParams(kinds=("articles", "quotes"))), ("", SearchParams(kinds=DEFAULT_KINDS))],
)
def test_pages_search_params_table(query: str, expected: SearchParams) -> None:
    assert SearchParams.from_query(QueryParams(query)) == expected


@pytest.mark.parametrize("query", ["since=yesterday", "limit=0", "limit=501", "limit=x", "kind=tweets",
                                   "limit=%C2%B2", "limit=%D9%A3", "limit=%EF%BC%95", "limit=-1", "limit=1e2"])
def test_pages_search_params_refuse_bad_values(query: str) -> None:
    with pytest.raises(BadOption):
        SearchParams.from_query(QueryParams(query))


@pytest.mark.parametrize(("query", "top"), [("", 30), ("top=7", 7), ("top=+12+", 12)])
def test_pages_entity_list_params_table(query: str, top: int) -> None:
    from newsfacts.web.pages import EntityListParams

    assert EntityListParams.from_query(QueryParams(query)).top == top


@pytest.mark.parametrize("query", ["top=0", "top=%C2%B2", "top=%D9%A3", "top=x", "top=501"])
def test_pages_entity_list_params_refuse_bad_values(query: str) -> None:
    from newsfacts.web.pages import EntityListParams, EntityParams

    with pytest.raises(BadOption):
        EntityListParams.from_query(QueryParams(query))
    with pytest.raises(BadOption):
        EntityParams.from_query(QueryParams(query.replace("top=", "limit=")))


class _Questions:
    """Stand-in for ``store.queries``: fixed rows, whatever the store."""

    @staticmethod
    def entity(store, entity_id):
        return {"id": entity_id, "name": "Jane Doe"}

    @staticmethod
    def quotes(store, *, speaker, limit):
        rows = [{"text": "b", "when": "2016-08-18", "day": "2016-08-20"}, {"text": "a", "when": None, "day": "2016-08-03"},
                {"text": "c", "when": "2016-09-01", "day": "2016-08-21"}]
        return rows[:limit]

    @staticmethod
    def timeline(store, *, entity, limit):
        return []

    @staticmethod
    def numbers(store, *, source, limit):
        return []


@pytest.mark.parametrize(("limit", "texts", "more"), [(50, ["a", "b", "c"], False), (2, ["a", "b"], True)])
def test_pages_entity_lists_quotes_in_the_dates_shown_table(monkeypatch: pytest.MonkeyPatch, limit: int, texts: list[str],
                                                           more: bool) -> None:
    from newsfacts.web import pages

    monkeypatch.setattr(pages, "_queries", lambda: _Questions)
    page = pages.entity_page(object(), "person:jane-doe", pages.EntityParams(limit=limit))
    assert [q["text"] for q in page["quotes"]] == texts and page["more"]["quotes"] is more


def test_pages_result_groups_in_kind_order() -> None:
    from newsfacts.web.pages import result_groups

    rows = [{"result": "article", "n": 1}, {"result": "quote", "n": 2}, {"result": "quote", "n": 3}]
    assert result_groups(rows) == [("quote", rows[1:]), ("article", rows[:1])]
