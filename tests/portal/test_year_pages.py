"""The portal's pages about a council's years: who sees what, and what a read writes (nothing).

Every council address answers its own members (200), sends a signed-out visitor to the
sign-in page and is 404 for anyone else; a year's figures, letter and case-level data appear
only once the letter was sent to that council."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councilperf.distribution.models import YearCycle
from councilperf.portal import yearpages
from councilperf.portal.models import (
    AccessEvent,
    ComplaintReturn,
    CouncilRole,
    Reply,
    ReplyVersion,
    ReturnPeriod,
)
from councilperf.statistics import cards
from councilperf.statistics import selectors as stats
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.distribution.conftest import _pdfs_rendered_once, files  # noqa: F401
from tests.portal.factories_year import YearWorld, member, year_world

pytestmark = [pytest.mark.django_db]
YEAR = ReportingYear(2019)


@pytest.fixture
def world(files: Path) -> YearWorld:  # noqa: F811
    return year_world()


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def addresses(slug: str) -> dict[str, str]:
    return {
        "council": reverse("portal:council", args=[slug]),
        "year": reverse("portal:year", args=[slug, YEAR]),
        "letter": reverse("portal:letter_pdf", args=[slug, YEAR]),
        "cases": reverse("portal:cases", args=[slug, YEAR]),
    }


def rows() -> dict[str, int]:
    """How many rows every table holds."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def open_returns(world: YearWorld, **fields: Any) -> ReturnPeriod:
    opener = User.objects.create_user(username="analyst", password="pw", is_staff=True)
    return ReturnPeriod.objects.create(
        review_year=world.review_year,
        deadline=fields.get("deadline", timezone.localdate() + dt.timedelta(days=30)),
        opened_by=opener,
        opened_at=timezone.now(),
    )


def test_home_lists_each_council_with_the_role_even_one(world: YearWorld) -> None:
    page = client_of(world.officer).get("/council/")
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    text = page.content.decode()
    assert world.sent.official_name in text and "Council officer" in text
    assert reverse("portal:council", args=[world.sent.slug]) in text
    assert world.unsent.official_name not in text
    member(world.officer, world.unsent, CouncilRole.APPROVER)  # shared services
    text = client_of(world.officer).get("/council/").content.decode()
    assert world.unsent.official_name in text and "Council approver" in text


def test_home_without_a_council_says_so_and_signed_out_goes_to_sign_in(world: YearWorld) -> None:
    nobody = User.objects.create_user(username="nobody", password="pw")
    text = client_of(nobody).get("/council/").content.decode()
    assert 'id="no-councils"' in text
    response = Client().get("/council/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign_in") + "?next=/council/")


@pytest.mark.parametrize("page", ["council", "year", "letter", "cases"])
def test_each_address_is_404_for_another_council_and_staff_and_signs_in_the_signed_out(
    world: YearWorld, page: str
) -> None:
    address = addresses(world.sent.slug)[page]
    staff = User.objects.create_user(username="boss", password="pw", is_staff=True)
    other, boss = client_of(world.other), client_of(staff)  # signing in writes: done first
    before = rows()
    assert other.get(address).status_code == 404
    assert boss.get(address).status_code == 404
    signed_out = Client().get(address)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith(reverse("portal:sign_in") + "?next=")
    assert rows() == before  # no download logged, nothing written
    assert client_of(world.officer).get(address).status_code == 200


def test_an_ended_membership_sees_nothing(world: YearWorld) -> None:
    world.officer.council_memberships.update(ended_at=timezone.now())
    for address in addresses(world.sent.slug).values():
        assert client_of(world.officer).get(address).status_code == 404


def test_council_page_lists_the_year_with_its_states(world: YearWorld) -> None:
    page = client_of(world.officer).get(addresses(world.sent.slug)["council"])
    assert page["Cache-Control"] == "private, no-store"
    text = page.content.decode()
    assert 'id="year-2019-20"' in text
    assert "Letter sent: not yet published" in text
    assert "Not open for returns" in text and "No reply" in text


def test_council_page_shows_return_and_reply_states(world: YearWorld) -> None:
    period = open_returns(world, deadline=timezone.localdate() - dt.timedelta(days=1))
    text = client_of(world.officer).get(addresses(world.sent.slug)["council"]).content.decode()
    assert "Late" in text and period.deadline.strftime("%Y") in text
    ComplaintReturn.objects.create(
        authority=world.sent,
        review_year=world.review_year,
        status="submitted",
        updated_at=timezone.now(),
    )
    reply = Reply.objects.create(authority=world.sent, review_year=world.review_year)
    for number, state in ((1, "returned"), (2, "submitted")):
        ReplyVersion.objects.create(
            reply=reply,
            number=number,
            text="Our answer.",
            status=state,
            written_by=world.officer,
            written_at=timezone.now(),
        )
    text = client_of(world.officer).get(addresses(world.sent.slug)["council"]).content.decode()
    assert "Submitted" in text and "Waiting for a publisher" in text  # the latest version
    assert "Late" not in text


def test_a_council_without_a_sent_letter_or_open_returns_has_no_years(world: YearWorld) -> None:
    text = client_of(world.other).get(addresses(world.unsent.slug)["council"]).content.decode()
    assert 'id="no-years"' in text
    for page in ("year", "letter", "cases"):
        assert client_of(world.other).get(addresses(world.unsent.slug)[page]).status_code == 404


def test_before_the_letter_is_sent_the_year_shows_no_figures_letter_or_data(
    world: YearWorld,
) -> None:
    open_returns(world)  # the year is open for returns: the council sees the year, no more
    client = client_of(world.other)
    page = client.get(addresses(world.unsent.slug)["year"])
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="not-sent"' in text
    assert "Key statistics" not in text and "cp-letter" not in text and "cases.xlsx" not in text
    data = stats.figures(year=YEAR, revision=1)[0][world.unsent.gss_code]
    for stat in cards.key_statistics(data):
        if stat.denominator:
            assert stat.counts_text not in text
    before = AccessEvent.objects.count()
    assert client.get(addresses(world.unsent.slug)["letter"]).status_code == 404
    assert client.get(addresses(world.unsent.slug)["cases"]).status_code == 404
    assert AccessEvent.objects.count() == before


def test_year_page_shows_the_figures_and_letter_as_sent_and_writes_nothing(
    world: YearWorld,
) -> None:
    client = client_of(world.officer)
    before = rows()
    page = client.get(addresses(world.sent.slug)["year"])
    assert rows() == before  # a read writes nothing
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    text = page.content.decode()
    data = stats.figures(year=YEAR, revision=1)[0][world.sent.gss_code]
    shown = [s for s in cards.key_statistics(data) if s.denominator]
    assert shown and all(f"<strong>{s.value}</strong>" in text for s in shown)
    sent_html = Path(world.letter.html_path).read_text(encoding="utf-8")
    assert 'class="cp-letter"' in text and world.sent.official_name in sent_html
    assert "Not yet published" in text and 'id="no-downloads"' in text
    assert reverse("portal:cases", args=[world.sent.slug, YEAR]) in text
    assert 'href="letter.pdf"' in text  # beside the page: portal:letter_pdf


def test_home_and_council_pages_write_nothing(world: YearWorld) -> None:
    client = client_of(world.officer)
    before = rows()
    client.get("/council/")
    client.get(addresses(world.sent.slug)["council"])
    assert rows() == before


def test_the_letter_pdf_is_the_sent_bytes_and_private(world: YearWorld) -> None:
    response = client_of(world.officer).get(addresses(world.sent.slug)["letter"])
    assert response.status_code == 200
    assert response.content == Path(world.letter.pdf_path).read_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_an_altered_letter_file_is_not_served(world: YearWorld) -> None:
    Path(world.letter.pdf_path).write_bytes(b"%PDF-1.7 not the letter")
    response = client_of(world.officer).get(addresses(world.sent.slug)["letter"])
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("approved", "days", "published"),
    [(False, 7, False), (False, -1, False), (True, 7, False), (True, -1, True)],
)
def test_published_state_agrees_with_the_public_rule(
    world: YearWorld, approved: bool, days: int, published: bool
) -> None:
    """The portal says "published" exactly when the public site's one rule
    (``published.years.snapshot``, above this layer) makes the year public."""
    from councilperf.published import years as public

    if approved:
        publisher = User.objects.create_user(username="pub", password="pw", is_staff=True)
        YearCycle.objects.update_or_create(
            review_year=world.review_year,
            defaults={
                "approved_revision": 1,
                "approved_by": publisher,
                "approved_at": timezone.now(),
            },
        )
    when = timezone.localdate() + dt.timedelta(days=days)
    ReviewYear.objects.filter(pk=world.review_year.pk).update(publication_date=when)
    assert (public.snapshot().get(YEAR) is not None) is published
    years = yearpages.council(membership=world.officer.council_memberships.get())["years"]
    assert [row.published for row in years] == [published]
    assert years[0].letter_state.key == ("published" if published else "embargoed")
    page = client_of(world.officer).get(addresses(world.sent.slug)["year"]).content.decode()
    assert ('id="embargo"' in page) is not published


@pytest.mark.slow
def test_the_portal_year_pages_and_the_send_page_pass_the_nu_html_checker(
    world: YearWorld, tmp_path: Path
) -> None:
    from tests.distribution.conftest import make_user
    from tests.site.test_html_validator import vnu_errors

    open_returns(world)
    officer, other, publisher = client_of(world.officer), client_of(world.other), Client()
    publisher.force_login(make_user("publisher", username="sender"))
    pages = {
        "home": (officer, "/council/"),
        "council": (officer, addresses(world.sent.slug)["council"]),
        "year": (officer, addresses(world.sent.slug)["year"]),
        "year-not-sent": (other, addresses(world.unsent.slug)["year"]),
        "send": (publisher, "/staff/2019-20/send/"),
    }
    officer.get(addresses(world.sent.slug)["cases"])  # the year page then lists a download
    saved = []
    for name, (client, address) in pages.items():
        response = client.get(address)
        assert response.status_code == 200, name
        saved.append(tmp_path / f"{name}.html")
        saved[-1].write_bytes(response.content)
    assert vnu_errors(saved) == []


def test_council_pages_have_the_portal_header_and_staff_pages_keep_the_staff_one(
    world: YearWorld,
) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.urls import ResolverMatch

    text = client_of(world.officer).get("/council/").content.decode()
    assert "Council Performance: council portal" in text and 'id="your-councils"' in text
    assert "Council Performance: staff" not in text
    request = RequestFactory().get("/staff/councils/")  # a staff page about councils
    request.user = User.objects.create_user(username="boss", password="pw", is_staff=True)
    request.resolver_match = ResolverMatch(lambda r: None, (), {}, namespaces=["portal_staff"])
    text = render_to_string("portal/base.html", request=request)
    assert "Council Performance: staff" in text
    assert "Council Performance: council portal" not in text and "your-councils" not in text
