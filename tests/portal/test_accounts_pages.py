"""The accounts pages: accepting an invitation (GET never writes), signing in and out (each
sign-in and refusal logged), and the staff pages (role checks, error summary, confirmation)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from councilperf.portal import accounts
from councilperf.portal.access import memberships_of
from councilperf.portal.models import AccessEvent, Invitation, Membership
from tests.factories import make_authority
from tests.portal.factories_accounts import PASSWORD, make_council_user, make_staff

pytestmark = pytest.mark.django_db


class NoWrites(CaptureQueriesContext):
    def __init__(self) -> None:
        super().__init__(connection)

    def __exit__(self, *exc: Any) -> None:
        super().__exit__(*exc)
        writes = [
            q["sql"]
            for q in self.captured_queries
            if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
        ]
        assert not writes, writes


@pytest.fixture
def publisher() -> User:
    return make_staff("publisher")


def staff_client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def invite(by: User, **fields: Any) -> tuple[Invitation, str]:
    fields.setdefault("email", "link@council.example")
    fields.setdefault("authority", make_authority(name="Ambridge"))
    fields.setdefault("role", "officer")
    return accounts.invite(by=by, **fields)


# --- Accepting an invitation ---------------------------------------------------------------


def test_the_invitation_page_shows_council_and_role_and_writes_nothing(publisher: User) -> None:
    _, token = invite(publisher, role="approver")
    with NoWrites():
        page = Client().get(f"/council/invitation/{token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ambridge Council" in html and "Council approver" in html
    assert 'value="link@council.example"' in html  # the username offered


def test_accepting_creates_the_account_signs_in_and_logs(publisher: User) -> None:
    invitation, token = invite(publisher)
    client = Client()
    response = client.post(
        f"/council/invitation/{token}/",
        {"username": "linky", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(username="linky")
    assert [m.authority for m in memberships_of(user)] == [invitation.authority]
    assert set(AccessEvent.objects.values_list("kind", flat=True)) == {
        "invited",
        "joined",
        "signed_in",
    }
    assert client.get("/council/two-factor/").status_code == 200  # signed in
    again = Client().get(f"/council/invitation/{token}/")
    assert again.status_code == 410 and "already been used" in again.content.decode()


def test_a_refused_form_keeps_what_was_typed_and_creates_nothing(publisher: User) -> None:
    _, token = invite(publisher)
    response = Client().post(
        f"/council/invitation/{token}/",
        {"username": "kept-name", "password1": PASSWORD, "password2": "something else"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "The two passwords are not the same" in html
    assert 'value="kept-name"' in html
    assert "<title>Error:" in html
    short = Client().post(
        f"/council/invitation/{token}/", {"username": "x", "password1": "abc", "password2": "abc"}
    )
    assert "too short" in short.content.decode()
    assert not User.objects.filter(username__in=["kept-name", "x"]).exists()
    assert accounts.find(token=token).usable


@pytest.mark.parametrize("state", ["expired", "withdrawn"])
def test_a_dead_link_is_gone_and_creates_nothing(publisher: User, state: str) -> None:
    invitation, token = invite(publisher)
    if state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    else:
        accounts.withdraw(invitation=invitation, by=publisher)
    url = f"/council/invitation/{token}/"
    assert Client().get(url).status_code == 410
    posted = Client().post(url, {"username": "u", "password1": PASSWORD, "password2": PASSWORD})
    assert posted.status_code == 410
    assert not User.objects.filter(username="u").exists()
    assert Client().get("/council/invitation/nothing-like-it/").status_code == 404


def test_an_existing_account_signs_in_to_add_the_council(publisher: User) -> None:
    first = make_authority(name="Borchester")
    person = make_council_user(authority=first, email="link@council.example")
    invitation, token = invite(publisher)
    url = f"/council/invitation/{token}/"
    page = Client().get(url).content.decode()
    assert "Sign in" in page and "Create my account" not in page
    assert Client().post(url).status_code == 200  # signed out: nothing happens
    assert len(memberships_of(person)) == 1
    assert staff_client(person).post(url).status_code == 302
    assert {m.authority for m in memberships_of(person)} == {first, invitation.authority}


# --- Signing in and out --------------------------------------------------------------------


def test_sign_ins_and_refusals_are_logged() -> None:
    person = make_council_user(authority=make_authority(), username="officer-a")
    client = Client()
    page = client.get("/council/sign-in/")
    assert page.status_code == 200 and "Sign in to the council portal" in page.content.decode()
    refused = client.post("/council/sign-in/", {"username": "officer-a", "password": "wrong"})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    event = AccessEvent.objects.get()
    assert (event.kind, event.username, event.user) == ("sign_in_failed", "officer-a", None)
    signed = client.post("/council/sign-in/", {"username": "officer-a", "password": PASSWORD})
    assert signed.status_code == 302
    latest = AccessEvent.objects.order_by("-id").first()
    assert latest is not None and (latest.kind, latest.user) == ("signed_in", person)
    assert client.post("/council/sign-out/").status_code == 302
    assert client.get("/council/two-factor/")["Location"].startswith("/council/sign-in/")


def test_staff_sign_ins_are_logged_too() -> None:
    staff = make_staff("analyst")
    Client().post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    assert AccessEvent.objects.filter(kind="signed_in", user=staff).count() == 1


# --- Staff pages ---------------------------------------------------------------------------


def test_staff_pages_need_a_staff_role() -> None:
    council = make_authority()
    for url in ("/staff/councils/", f"/staff/councils/{council.slug}/", "/staff/access-log/"):
        assert Client().get(url).status_code == 302, url
        person = make_council_user(authority=council)
        assert staff_client(person).get(url).status_code == 403, url
        assert staff_client(make_staff("analyst")).get(url).status_code == 200, url


def test_the_councils_list_counts_live_people_and_filters_by_name(publisher: User) -> None:
    ambridge, borchester = make_authority(name="Ambridge"), make_authority(name="Borchester")
    make_council_user(authority=ambridge)
    ended = make_council_user(authority=ambridge)
    accounts.end(membership=memberships_of(ended)[0], by=publisher, reason="left")
    make_council_user(authority=borchester)
    page = staff_client(publisher).get("/staff/councils/", {"q": "ambr"}).content.decode()
    assert "Ambridge" in page and "Borchester" not in page
    row = re.search(r"Ambridge</a></td><td[^>]*>(\d+)<", page)
    assert row is not None and row.group(1) == "1"


def test_an_analyst_reads_but_may_not_invite() -> None:
    council = make_authority()
    client = staff_client(make_staff("analyst"))
    page = client.get(f"/staff/councils/{council.slug}/").content.decode()
    assert "Send the invitation" not in page
    response = client.post(
        f"/staff/councils/{council.slug}/", {"email": "a@x.example", "role": "officer"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_inviting_shows_errors_in_a_summary_and_keeps_what_was_typed(publisher: User) -> None:
    council = make_authority()
    client = staff_client(publisher)
    url = f"/staff/councils/{council.slug}/"
    response = client.post(url, {"email": "not-an-address", "role": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and 'href="#id_email"' in html
    assert "Choose a role" in html and 'value="not-an-address"' in html
    assert not Invitation.objects.exists()
    done = client.post(url, {"email": "new@x.example", "role": "approver"})
    assert done.status_code == 302
    assert mail.outbox[0].to == ["new@x.example"]
    assert "new@x.example" in client.get(url).content.decode()


def test_ending_access_asks_first(publisher: User) -> None:
    council = make_authority()
    person = make_council_user(authority=council)
    membership = memberships_of(person)[0]
    url = f"/staff/councils/{council.slug}/members/{membership.pk}/end/"
    client = staff_client(publisher)
    assert "End the access of" in client.get(url).content.decode()
    assert memberships_of(person)  # the question changed nothing
    analyst = staff_client(make_staff("analyst"))
    assert analyst.get(url).status_code == 403 and analyst.post(url).status_code == 403
    assert memberships_of(person)
    assert client.post(url, {"reason": "Moved job"}).status_code == 302
    assert memberships_of(person) == []
    assert Membership.objects.get(pk=membership.pk).ended_reason == "Moved job"


def test_withdrawing_an_invitation(publisher: User) -> None:
    invitation, token = invite(publisher)
    slug = invitation.authority.slug
    url = f"/staff/councils/{slug}/invitations/{invitation.pk}/withdraw/"
    assert staff_client(publisher).get(url).status_code == 405
    assert staff_client(publisher).post(url).status_code == 302
    assert accounts.find(token=token).problem == "withdrawn"


def test_passing_people_on_is_a_confirmed_staff_action(publisher: User) -> None:
    old = make_authority(name="West Borsetshire", end_date=dt.date(2023, 3, 31))
    new, other = make_authority(name="Borsetshire"), make_authority(name="Felpersham")
    old.successors.add(new)
    person = make_council_user(authority=old, role="approver")
    client = staff_client(publisher)
    assert (
        "Pass its people to a successor"
        in client.get(f"/staff/councils/{old.slug}/").content.decode()
    )
    url = f"/staff/councils/{old.slug}/transfer/"
    page = client.get(url).content.decode()
    assert "Pass them on" in page and "Felpersham" not in page
    assert memberships_of(person)[0].authority == old  # the question changed nothing
    analyst = staff_client(make_staff("analyst"))
    assert analyst.get(url).status_code == 403
    assert analyst.post(url, {"successor": new.slug}).status_code == 403
    refused = client.post(url, {"successor": other.slug})
    assert refused.status_code == 400 and "not a successor" in refused.content.decode()
    assert memberships_of(person)[0].authority == old
    assert client.post(url, {"successor": new.slug})["Location"] == f"/staff/councils/{new.slug}/"
    assert [(m.authority, m.role) for m in memberships_of(person)] == [(new, "approver")]


def test_the_access_log_newest_first_filtered_and_paginated(publisher: User) -> None:
    ambridge, borchester = make_authority(name="Ambridge"), make_authority(name="Borchester")
    now = timezone.now()
    for n in range(55):
        accounts.log("download", user=publisher, authority=ambridge, detail=f"file {n}",
                     now=now + dt.timedelta(seconds=n))  # fmt: skip
    accounts.log("invited", user=publisher, authority=borchester, detail="someone", now=now)
    client = staff_client(make_staff("analyst"))
    first = client.get("/staff/access-log/").content.decode()
    assert first.index("file 54") < first.index("file 53")  # newest first
    assert "file 4<" not in first and "Page 1 of 2" in first
    second = client.get("/staff/access-log/", {"page": 2}).content.decode()
    assert "someone" in second
    only = client.get("/staff/access-log/", {"council": borchester.slug}).content.decode()
    assert "someone" in only and "file 54" not in only
    kind = client.get("/staff/access-log/", {"kind": "invited"}).content.decode()
    assert "someone" in kind and "file" not in kind.split("<tbody", 1)[1]
