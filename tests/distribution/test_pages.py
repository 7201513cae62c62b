"""Staff pages: every action × role (anonymous, analyst, publisher, administrator); the
council's preview link; the public letter after publication is the sent letter's bytes."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.cache import cache
from django.test import Client

from councilperf.distribution import jobs, preview, sending
from councilperf.distribution.models import Delivery, QueueJob, SentLetter, YearCycle
from councilperf.statistics import cards
from councilperf.statistics import selectors as stats
from councilperf.years import ReportingYear
from tests.distribution.conftest import approve, authorities, make_user, run_worker

pytestmark = pytest.mark.django_db

ROLES = (None, "analyst", "publisher", "administrator")


def client_for(role: str | None) -> Client:
    client = Client()
    if role:
        client.force_login(make_user(role, username=f"{role}-client"))
    return client


@pytest.fixture
def no_queue(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Jobs recorded but not handed to Redis (the worker test uses the real queue)."""
    submitted: list[int] = []

    def submit(job: QueueJob) -> QueueJob:
        submitted.append(job.pk)
        return job

    monkeypatch.setattr(jobs, "submit", submit)
    return submitted


# (action, method, address, the roles allowed)
ACTIONS = [
    ("dashboard", "get", "/staff/2019-20/", {"analyst", "publisher", "administrator"}),
    (
        "generate letters",
        "post",
        "/staff/2019-20/generate/",
        {"analyst", "publisher", "administrator"},
    ),
    ("approve", "post", "/staff/2019-20/approve/", {"publisher", "administrator"}),
    ("send page (dry run)", "get", "/staff/2019-20/send/", {"publisher", "administrator"}),
    ("delivery log", "get", "/staff/2019-20/deliveries/", {"publisher", "administrator"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "method", "address", "allowed"), ACTIONS)
def test_each_staff_action_by_role(year, no_queue, role, action, method, address, allowed):
    response = getattr(client_for(role), method)(address)
    if role is None:
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif role in allowed:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
    # Approving and generating are jobs: queued for an allowed role, never run in the request.
    assert not YearCycle.objects.filter(approved_at__isnull=False).exists()
    queued = list(QueueJob.objects.filter(pk__in=no_queue).values_list("kind", flat=True))
    kinds = {"approve": ["approve"], "generate letters": ["generate"]}
    assert queued == (kinds.get(action, []) if role in allowed else [])


@pytest.mark.parametrize("role", ROLES)
def test_send_and_send_again_by_role(year, users, sink, no_queue, role):
    approve(year, users["publisher"])
    client = client_for(role)
    response = client.post("/staff/2019-20/send/confirm/", {"confirm": "yes"})
    assert bool(no_queue) == (role in ("publisher", "administrator"))
    assert response.status_code == (302 if role in (None, "publisher", "administrator") else 403)
    sending.send_letters(year=ReportingYear(2019), user=None)
    row = Delivery.objects.first()
    assert row is not None
    response = client.post(f"/staff/deliveries/{row.pk}/again/", {"reason": "lost"})
    again = Delivery.objects.filter(attempt=2).exists()
    assert again == (role in ("publisher", "administrator"))
    if role == "analyst":
        assert response.status_code == 403


def test_send_needs_confirmation_and_dry_run_lists_recipients(year, users, no_queue):
    approve(year, users["publisher"])
    client = client_for("publisher")
    page = client.get("/staff/2019-20/send/").content.decode()
    for authority in authorities():
        assert f"chief_executive@{authority.slug}.example.org" in page
    client.post("/staff/2019-20/send/confirm/", {})
    assert not no_queue and not SentLetter.objects.exists()


def test_readiness_report_on_the_dashboard(year):
    page = client_for("publisher").get("/staff/2019-20/").content.decode()
    assert "Readiness for approval" in page and "Approve figures" in page


def test_preview_link_shows_only_its_council_and_expires(year, users, sink, settings):
    approve(year, users["publisher"])
    sending.send_letters(year=ReportingYear(2019), user=None)
    first, second = authorities()[:2]
    url = preview.preview_url(code=first.gss_code, review_year=year)
    address = url.removeprefix(settings.SITE_URL)
    response = Client().get(address)
    page = response.content.decode()
    assert response.status_code == 200 and "Not yet published" in page
    assert first.official_name in page and second.official_name not in page
    assert "noindex" in response["X-Robots-Tag"]
    # The council's own figures of the embargoed year, formatted as its page will show them.
    figures = stats.figures(year=ReportingYear(2019), revision=1)[0]
    shown = cards.key_statistics(figures[first.gss_code])
    assert "Key statistics, 2019-20" in page
    assert all(f'<dt class="govuk-summary-list__key">{s.title}</dt>' in page for s in shown)
    assert any(s.denominator for s in shown)
    assert all(f"<strong>{s.value}</strong>" in page for s in shown if s.denominator)
    assert Client().get(address[:-3] + "xx/").status_code == 404  # tampered
    year.publication_date = dt.date.today()
    year.save()
    assert Client().get(address).status_code == 404  # expired at publication


def test_the_public_letter_is_the_sent_pdf(year, users, sink):
    approve(year, users["publisher"])
    sending.send_letters(year=ReportingYear(2019), user=None)
    authority = authorities()[0]
    address = f"/councils/{authority.slug}/2019-20/letter.pdf"
    assert Client().get(address).status_code == 404  # not published yet
    sent_pdf = next(
        p.get_payload(decode=True)
        for item in sink.received
        if item.message["To"] == f"chief_executive@{authority.slug}.example.org"
        for p in item.message.walk()
        if (p.get_filename() or "").endswith(".pdf")
    )
    year.publication_date = dt.date.today()  # publication day arrives
    year.save()
    cache.clear()  # the site caches the list of published years for a minute
    response = Client().get(address)
    served = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(served).digest() == hashlib.sha256(sent_pdf).digest()


@pytest.fixture
def draft(files):
    from councilperf.statistics.services import compute_statistics
    from tests.factories import make_authority, make_case

    authority = make_authority(name="Draftshire", years=("2020-21",))
    make_case(authority=authority, received_date=dt.date(2020, 5, 1))
    compute_statistics(year=ReportingYear(2020))
    return authority


def _computed_at():
    from councilperf.statistics.models import StatisticsRevision

    return StatisticsRevision.objects.get(review_year__year="2020-21").computed_at


@pytest.mark.parametrize("role", ROLES)
def test_compute_and_freeze_by_role(draft, queue, role):
    from councilperf.statistics.models import ReviewYear

    allowed = role in ("analyst", "administrator")
    client = client_for(role)
    before = _computed_at()
    response = client.post("/staff/2020-21/compute/")
    run_worker(queue)  # computing is a job on the worker
    assert (_computed_at() != before) == allowed
    assert response.status_code == (403 if role and not allowed else 302)
    dates = {"letter_date": "2021-07-01", "publication_date": "2021-07-08"}
    if allowed:  # a past publication date needs the confirmation box ticked
        refused = client.post("/staff/2020-21/freeze/", dates, follow=True)
        assert "is not in the future" in refused.content.decode()
        assert len(queue) == 0  # refused in the request: no job queued
        assert ReviewYear.objects.get(year="2020-21").status == ReviewYear.Status.DRAFT
    response = client.post("/staff/2020-21/freeze/", {**dates, "confirm_past": "yes"})
    run_worker(queue)
    frozen = ReviewYear.objects.get(year="2020-21")
    assert (frozen.status == ReviewYear.Status.FROZEN) == allowed
    assert response.status_code == (403 if role and not allowed else 302)
    if allowed:
        assert frozen.publication_date == dt.date(2021, 7, 8)


@pytest.mark.parametrize("role", ROLES)
def test_correct_by_role(year, role):
    allowed = role in ("publisher", "administrator")
    response = client_for(role).post("/staff/2019-20/correct/", {"reason": "a late decision"})
    assert year.revisions.filter(number=2).exists() == allowed
    assert response.status_code == (403 if role and not allowed else 302)


@pytest.mark.parametrize("role", ROLES)
def test_import_casework_and_letter_previews_by_role(year, role):
    client = client_for(role)
    upload = client.get("/admin/casework/importrun/upload/")
    letters = client.get("/staff/letters/2019-20/")
    if role is None:
        assert upload.status_code == 302 and letters.status_code == 302
        return
    assert upload.status_code == (200 if role in ("analyst", "administrator") else 403)
    assert letters.status_code == 200  # every role may preview letters


def test_a_user_without_a_role_is_refused_everywhere(year):
    client = Client()
    client.force_login(make_user(None, username="visitor"))
    for address in (
        "/staff/",
        "/staff/2019-20/",
        "/staff/2019-20/send/",
        "/staff/letters/2019-20/",
    ):
        assert client.get(address).status_code == 403, address
    assert client.post("/staff/2019-20/approve/").status_code == 403
    assert not YearCycle.objects.filter(approved_at__isnull=False).exists()
