"""Every portal page in Chromium: axe-core finds no WCAG 2.2 A/AA violation, on a desktop
and on a 390 px phone; on the phone nothing scrolls sideways (a test of its own, naming what
sticks out).

The pages come from the URL resolver (``tests/portal/portal_routes.py``), so a page added
later is checked without editing this file: a council officer and a council approver (signed
in with the second factor) visit every ``portal`` address of their own council, a publisher
(with the second factor) every ``portal_staff`` address, and a visitor every portal address
that takes no council (sign-in, invitation). GET only; a file (a spreadsheet, a PDF) or an
address only for POST (sign-out) is not a page and is left to its own tests. The portal's
base page is planted beside the real routes, so the check has a page even before any part
adds its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.test import Client
from django.urls import include, path
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from councilperf.distribution import roles
from councilperf.portal import urls as portal_urls
from councilperf.portal.access import council_member
from councilperf.portal.models import (
    ComplaintReturn,
    CouncilRole,
    Membership,
    Reply,
    ReplyVersion,
    ReturnPeriod,
)
from tests.factories import make_authority, make_contact, make_review_year, publish_year
from tests.portal.portal_routes import Route, portal_routes
from tests.site import test_browser as public_browser
from tests.site.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]
chromium = public_browser.chromium

PUBLISHED, EMBARGOED = "2023-24", "2024-25"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
_PAGE = Template(
    '{% extends "portal/base.html" %}{% block content %}'
    '<h1 class="govuk-heading-l">{{ council.official_name }}</h1>'
    '<p class="govuk-body">The portal\'s base page.</p>{% endblock %}'
)


@council_member()
def _base_page(request: HttpRequest, *, membership: Membership) -> HttpResponse:
    return HttpResponse(_PAGE.render(RequestContext(request, {"council": membership.authority})))


def _urlconf() -> list[Any]:
    from councilperf import urls as root

    planted = [path("<slug:slug>/planted-base-page/", _base_page, name="planted_base_page")]
    council = path("council/", include(([*portal_urls.urlpatterns, *planted], "portal")))
    return [council if str(p.pattern) == "council/" else p for p in root.urlpatterns]


urlpatterns = _urlconf()


def _publisher() -> User:
    group, _ = Group.objects.get_or_create(name=roles.PUBLISHER)
    actions = [a for a, allowed in roles.ACTIONS.items() if roles.PUBLISHER in allowed]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="distribution", codename__in=actions)
    )
    user = User.objects.create_user(username="publisher", password="pw", is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def people(transactional_db: None, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """Council A with a published year and an embargoed one open for returns: its draft
    return and an accepted reply; its officer, its approver and a publisher."""
    settings.BUILD_DIR = tmp_path / "build"
    settings.LETTERS_DIR = tmp_path / "letters"
    settings.ROOT_URLCONF = __name__
    a = make_authority(name="Ambridge", group="district", years=(PUBLISHED, EMBARGOED))
    make_contact(authority=a)
    make_review_year(
        year=PUBLISHED, letter_date=dt.date(2024, 7, 1), publication_date=dt.date(2024, 7, 8)
    )
    publish_year(PUBLISHED)
    today = timezone.localdate()
    embargoed = make_review_year(
        year=EMBARGOED,
        letter_date=today - dt.timedelta(days=1),
        publication_date=today + dt.timedelta(days=30),
    )
    publish_year(EMBARGOED)
    publisher = _publisher()
    now = timezone.now()
    ReturnPeriod.objects.create(
        review_year=embargoed,
        deadline=today + dt.timedelta(days=14),
        opened_by=publisher,
        opened_at=now,
    )
    ComplaintReturn.objects.create(
        authority=a,
        review_year=embargoed,
        stage1_received=120,
        stage1_responded=110,
        updated_at=now,
    )
    reply = Reply.objects.create(authority=a, review_year=embargoed)
    ReplyVersion.objects.create(
        reply=reply,
        number=1,
        text="We thank the ombudsman for the letter and have changed how we answer complaints.",
        status=ReplyVersion.Status.ACCEPTED,
        written_at=now,
        submitted_at=now,
        decided_by=publisher,
        decided_at=now,
    )
    found: dict[str, Any] = {"council": a, "publisher": publisher}
    for role in (CouncilRole.OFFICER, CouncilRole.APPROVER):
        user = User.objects.create_user(username=f"{role}-ambridge", password="pw")
        Membership.objects.create(user=user, authority=a, role=role, granted_at=now)
        found[role] = user
    return found


def _session(user: User | None) -> str | None:
    """A signed-in session (verified with a TOTP device, as staff and approvers must be)."""
    if user is None:
        return None
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="browser test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def visit(chromium: Any, live_server: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def as_someone(session: str | None, viewport: dict[str, int]) -> Any:
        context = chromium.new_context(viewport=viewport, bypass_csp=True)
        contexts.append(context)
        if session:
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
        return context

    yield as_someone
    for context in contexts:
        context.close()


def check_pages(
    context: Any, base: str, routes: list[Route], *, sideways: bool = False
) -> dict[str, Any]:
    """axe's violations of every HTML page of ``routes`` (with ``sideways``: instead, whether
    the page is wider than a 390 px phone, and what sticks out)."""
    page = context.new_page()
    problems: dict[str, Any] = {}
    for route in routes:
        answer = context.request.get(base + route.address)
        if answer.status == 405 or "text/html" not in answer.headers.get("content-type", ""):
            continue  # a form's action (POST only) or a file, not a page
        assert answer.status < 500, f"{route.address}: {answer.status}"
        page.goto(base + route.address)
        found = page.evaluate(WIDER, PHONE["width"]) if sideways else axe_violations(page)
        if found:
            problems[f"{route.address} ({route})"] = found
    page.close()
    return problems


# What sticks out of a phone's screen: the outermost elements past its right edge.
WIDER = """width => document.documentElement.scrollWidth <= width ? [] :
  [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => !(e.parentElement && e.parentElement.getBoundingClientRect().right > width + 1))
    .slice(0, 3)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} `
              + `(${Math.round(e.getBoundingClientRect().right)} px)`)"""


def everyone(people: dict[str, Any]) -> dict[str, tuple[User | None, list[Route]]]:
    """Who visits which pages: the council's people theirs, the publisher the staff ones."""
    council = people["council"]
    routes = portal_routes(slug=council.slug, year=EMBARGOED, code=council.gss_code)
    council_pages = [r for r in routes if r.namespace == "portal"]
    assert any(r.name == "planted_base_page" for r in council_pages)
    return {
        "officer": (people[CouncilRole.OFFICER], council_pages),
        "approver": (people[CouncilRole.APPROVER], council_pages),
        "publisher": (people["publisher"], [r for r in routes if r.namespace == "portal_staff"]),
        "visitor": (None, [r for r in council_pages if not r.council]),
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_nothing_on_any_portal_page(
    people: dict[str, Any], visit: Any, live_server: Any, viewport: dict[str, int]
) -> None:
    problems = {}
    for name, (user, pages) in everyone(people).items():
        context = visit(_session(user), viewport)
        for address, found in check_pages(context, live_server.url, pages).items():
            problems[f"{name}: {address}"] = found
    assert problems == {}


def test_no_portal_page_scrolls_sideways_on_a_phone(
    people: dict[str, Any], visit: Any, live_server: Any
) -> None:
    problems = {}
    for name, (user, pages) in everyone(people).items():
        context = visit(_session(user), PHONE)
        for address, found in check_pages(context, live_server.url, pages, sideways=True).items():
            problems[f"{name}: {address}"] = found
    assert problems == {}
