"""Query parameters with a NUL, a control character or too much text are answered with 400,
never 500; ordinary searches still work."""

from __future__ import annotations

import pytest
from django.test import Client

from councilperf.middleware import MAX_QUERY_STRING, MAX_QUERY_VALUE

pytestmark = pytest.mark.django_db

HOSTILE = [
    pytest.param("/search/?q=%00", "NUL", id="nul"),
    pytest.param("/search/?q=abc%00def", "NUL", id="nul-inside"),
    pytest.param("/search/?%00=x", "NUL", id="nul-in-key"),
    pytest.param("/search/?q=%1B%5B31m", "escape", id="ansi-escape"),
    pytest.param("/search/?q=%E2%80%AEabc", "text-direction", id="bidi-override"),
    pytest.param("/search/?q=%C2%85", "control", id="c1-control"),
    pytest.param("/?tier=upper%00", "NUL", id="nul-in-choice"),
    pytest.param("/search/?q=" + "a" * (MAX_QUERY_VALUE + 1), "longer", id="overlong-value"),
    pytest.param("/search/?" + "&".join(["q=a"] * MAX_QUERY_STRING), "longer", id="overlong-query"),
    pytest.param("/admin/login/?next=%00", "NUL", id="nul-on-admin"),
]


@pytest.mark.parametrize(("url", "words"), HOSTILE)
def test_hostile_query_is_a_400_with_a_reason(url: str, words: str) -> None:
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 400
    assert words in response.content.decode()


def test_an_ordinary_search_still_answers() -> None:
    response = Client().get("/search/?q=" + "b" * MAX_QUERY_VALUE)
    assert response.status_code == 200
