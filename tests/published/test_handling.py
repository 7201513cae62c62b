"""The public doorways to councils' own words (published.handling, published.replies): a
signed-off return and an accepted reply of a published year, nothing else, nothing before."""

from __future__ import annotations

from fractions import Fraction

import pytest

from councilperf.portal.models import ComplaintReturn, ReplyVersion
from councilperf.published import handling, replies
from councilperf.published import years as public
from councilperf.years import ReportingYear
from tests.portal.factories_public import make_reply, make_return, open_returns
from tests.site.conftest import World

pytestmark = pytest.mark.django_db
Y2019, Y2020 = ReportingYear(2019), ReportingYear(2020)
ACCEPTED, RETURNED = ReplyVersion.Status.ACCEPTED, ReplyVersion.Status.RETURNED
SUBMITTED, DRAFT = ReplyVersion.Status.SUBMITTED, ReplyVersion.Status.DRAFT


def test_a_signed_off_return_of_a_published_year_is_shown(world: World) -> None:
    make_return(
        world.unitary, ratings={"definition": ("meets", "Written down."), "staff": ("partly", "")}
    )
    found = handling.council_handling(world.unitary, Y2019)
    assert found is not None and found.reported
    assert found.population == 150_000  # the year's figures' population
    assert found.counts.stage1_received == 300
    assert found.measures.stage1_per_10k == Fraction(20)
    assert [(a.section, a.rating) for a in found.assessments] == [
        ("definition", "meets"),
        ("staff", "partly"),
    ]
    assert found.signed_off is not None


@pytest.mark.parametrize("status", [ComplaintReturn.Status.DRAFT, ComplaintReturn.Status.READY])
def test_a_return_not_signed_off_is_not_reported(world: World, status: str) -> None:
    open_returns()
    make_return(world.unitary, status=status)
    found = handling.council_handling(world.unitary, Y2019)
    assert found is not None and not found.reported
    assert found.counts.stage1_received is None
    assert all(v is None for v in found.measures.as_dict().values())


def test_no_return_is_not_reported(world: World) -> None:
    open_returns()
    found = handling.council_handling(world.south, Y2019)
    assert found is not None and not found.reported
    assert [r.stage1 for r in found.rows] == ["–"] * len(found.rows)


def test_a_year_never_opened_for_returns_says_nothing(world: World) -> None:
    make_return(world.unitary, status=ComplaintReturn.Status.READY)
    assert handling.council_handling(world.unitary, Y2019) is None
    assert handling.year_handling(Y2019) == []


def test_zero_counts_reported_are_zeros(world: World) -> None:
    make_return(world.unitary, counts=dict.fromkeys(handling.measure.COUNTS, 0))
    found = handling.council_handling(world.unitary, Y2019)
    assert found is not None and found.reported
    rows = {r.key: r for r in found.rows}
    assert rows["received"].stage1 == "0" and rows["per_10k"].stage1 == "0.0"
    assert rows["in_time"].stage1 == "–"  # 0 of 0 answered: no rate
    assert found.escalated_text == "0"


def test_nothing_of_an_embargoed_year_even_signed_off_and_accepted(world: World) -> None:
    make_return(world.unitary, "2020-21")
    make_reply(world.unitary, "2020-21", ("Embargoed reply", ACCEPTED))
    assert handling.council_handling(world.unitary, Y2020) is None
    assert handling.year_handling(Y2020) == []
    assert replies.year_replies(Y2020) == []
    assert replies.council_replies(world.unitary) == []


def test_every_council_of_the_year_is_listed_reported_or_not(world: World) -> None:
    make_return(world.unitary)
    make_return(world.south, status=ComplaintReturn.Status.DRAFT)
    found = {h.authority_code: h.reported for h in handling.year_handling(Y2019)}
    assert found == {
        world.county.gss_code: False,
        world.unitary.gss_code: True,
        world.north.gss_code: False,
        world.south.gss_code: False,
    }


def test_the_latest_accepted_version_is_shown_with_earlier_accepted_ones(world: World) -> None:
    make_reply(
        world.south,
        "2019-20",
        ("First words", ACCEPTED),
        ("Returned words", RETURNED),
        ("Second words", ACCEPTED),
        ("Waiting words", SUBMITTED),
        ("Draft words", DRAFT),
    )
    (found,) = replies.year_replies(Y2019)
    assert found.current.text == "Second words" and found.current.number == 3
    assert [v.text for v in found.earlier] == ["First words"]
    assert found.current.accepted.isoformat() == "2020-08-04"


def test_a_reply_never_accepted_is_not_public(world: World) -> None:
    make_reply(world.south, "2019-20", ("Returned", RETURNED), ("Waiting", SUBMITTED))
    assert replies.year_replies(Y2019) == []
    assert replies.council_replies(world.south) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.", ["One."]),
        ("One\nline on.\n\nTwo.", ["One line on.", "Two."]),
        ("\n\n  One.  \n \n\n\nTwo.\r\n\r\nThree.\n", ["One.", "Two.", "Three."]),
        ("", []),
        ("<b>bold</b>", ["<b>bold</b>"]),  # escaped where written out, never here
    ],
)
def test_paragraphs(text: str, expected: list[str]) -> None:
    assert replies.paragraphs(text) == expected


def test_the_published_token_changes_when_a_reply_is_accepted(world: World) -> None:
    before = public.snapshot().token
    reply = make_reply(world.south, "2019-20", ("Words", SUBMITTED))
    assert public.snapshot().token == before  # not accepted: nothing public changed
    reply.versions.update(status=ACCEPTED, decided_at=reply.versions.get().written_at)
    assert public.snapshot().token != before


def test_the_published_token_ignores_an_embargoed_years_words(world: World) -> None:
    before = public.snapshot().token
    make_return(world.unitary, "2020-21")
    make_reply(world.unitary, "2020-21", ("Embargoed", ACCEPTED))
    assert public.snapshot().token == before
    make_return(world.unitary, "2019-20")
    assert public.snapshot().token != before


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://www.example.org/sa", "https://www.example.org/sa"),
        ("http://www.example.org/sa", "http://www.example.org/sa"),
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_only_a_web_address_is_linked(world: World, url: str, link: str) -> None:
    make_return(world.unitary, self_assessment_url=url)
    found = handling.council_handling(world.unitary, Y2019)
    assert found is not None and found.self_assessment_link == link
