"""``shape.page_of``: one page of an ordered list, with links to the pages either side, none
past either end, and the query kept."""

from __future__ import annotations

from councilperf.api.shape import page_of

ITEMS = list(range(7))


def page(number: int, *, per_page: int = 3, query: str = "group=district") -> dict:
    return page_of(ITEMS, page=number, per_page=per_page, path="/api/v1/x", query=query)


def test_the_first_middle_and_last_pages():
    first, middle, last = page(1), page(2), page(3)
    assert (first["count"], first["pages"], first["per_page"]) == (7, 3, 3)
    assert first["results"] == [0, 1, 2] and last["results"] == [6]
    assert first["previous"] is None
    assert first["next"] == "/api/v1/x?group=district&page=2&per_page=3"
    assert middle["previous"] == "/api/v1/x?group=district&page=1&per_page=3"
    assert middle["next"] == "/api/v1/x?group=district&page=3&per_page=3"
    assert last["previous"] == "/api/v1/x?group=district&page=2&per_page=3"
    assert last["next"] is None and last["page"] == 3


def test_without_a_query_the_links_start_with_the_page():
    assert page(1, query="")["next"] == "/api/v1/x?page=2&per_page=3"


def test_past_the_end_is_empty_with_no_previous_page():
    beyond = page(5)
    assert beyond["results"] == [] and beyond["previous"] is None and beyond["next"] is None


def test_an_exact_fit_and_an_empty_list():
    assert page(1, per_page=7)["pages"] == 1 and page(1, per_page=7)["next"] is None
    assert page(2, per_page=7)["previous"] is None
    assert page(1, per_page=2)["pages"] == 4
    empty = page_of([], page=1, per_page=3, path="/p", query="")
    assert (empty["pages"], empty["next"], empty["previous"], empty["results"]) == (
        1,
        None,
        None,
        [],
    )
