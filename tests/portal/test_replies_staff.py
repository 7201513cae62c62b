"""The publisher's side of the right of reply: every reply of the year listed; a submitted
version accepted or returned (a reason required to return), checked then confirmed, by a
publisher or administrator only; decided once; drafts never decided (nor shown); accepted
versions are the public ones, newest first."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.distribution.roles import NotAllowed
from councilperf.portal import replies
from councilperf.portal.models import ReplyVersion
from councilperf.statistics.models import ReviewYear
from tests.distribution.conftest import make_user
from tests.portal.factories_replies import YEAR, council_with_letter, make_person

pytestmark = pytest.mark.django_db

Status = ReplyVersion.Status
LIST = reverse("portal_staff:replies", args=[YEAR])


def submitted(authority: Authority, review_year: ReviewYear, text: str) -> ReplyVersion:
    """A version the council wrote and submitted (through the services)."""
    person = make_person(authority)
    draft = replies.save_draft(authority=authority, review_year=review_year, user=person, text=text)
    return replies.submit(
        authority=authority,
        review_year=review_year,
        user=person,
        number=draft.number,
        checked=replies.fingerprint(draft.text),
    )


@pytest.fixture
def waiting() -> tuple[Authority, ReviewYear, ReplyVersion]:
    authority, review_year = council_with_letter()
    return authority, review_year, submitted(authority, review_year, "We welcome the letter.")


def page_of(authority: Authority) -> str:
    return reverse("portal_staff:reply_decision", args=[YEAR, authority.slug])


def post(client: Client, authority: Authority, **form: Any) -> Any:
    return client.post(page_of(authority), {"number": 1, **form})


def state() -> list[tuple[Any, ...]]:
    return list(
        ReplyVersion.objects.order_by("pk").values_list(
            "pk", "status", "decided_by", "decided_at", "reason"
        )
    )


def test_every_staff_role_sees_the_list_and_nobody_else(client: Client, waiting: Any) -> None:
    authority, _, _ = waiting
    assert client.get(LIST).status_code == 302  # to the staff sign-in
    client.force_login(make_person(authority))  # a council's person is no staff
    assert client.get(LIST).status_code == 403
    for role in ("analyst", "publisher", "administrator"):
        client.force_login(make_user(role))
        html = client.get(LIST).content.decode()
        assert "Borsetshire" in html
        # only those who may decide are offered the decision page
        assert ("Decide on version 1" in html) is (role != "analyst")
    assert client.get(reverse("portal_staff:replies", args=["2001-02"])).status_code == 404


def test_the_list_puts_replies_waiting_first_and_shows_the_latest_status(client: Client) -> None:
    first, review_year = council_with_letter("Ambridge")
    second, _ = council_with_letter("Zedcombe")
    replies.save_draft(
        authority=first, review_year=review_year, user=make_person(first), text="Draft."
    )
    submitted(second, review_year, "Waiting.")
    client.force_login(make_user("analyst"))
    rows = client.get(LIST).context["rows"]
    assert [(r.authority.short_name, r.latest.status) for r in rows] == [
        ("Zedcombe", Status.SUBMITTED),
        ("Ambridge", Status.DRAFT),
    ]


def test_only_a_publisher_or_administrator_decides(client: Client, waiting: Any) -> None:
    authority, review_year, _ = waiting
    before = state()
    client.force_login(make_user("analyst"))
    assert client.get(page_of(authority)).status_code == 403
    assert post(client, authority, decision="accept", step="confirm").status_code == 403
    assert state() == before
    with pytest.raises(NotAllowed):
        replies.decide(
            authority=authority,
            review_year=review_year,
            number=1,
            user=make_user(None, username="nobody"),
            accept=True,
            reason="",
        )
    assert state() == before
    for role in ("publisher", "administrator"):
        client.force_login(make_user(role))
        html = client.get(page_of(authority)).content.decode()
        assert "We welcome the letter." in html and "Your decision on version 1" in html
    assert state() == before


def test_the_decision_is_checked_before_it_is_made(client: Client, waiting: Any) -> None:
    authority, _, _ = waiting
    publisher = make_user("publisher")
    client.force_login(publisher)
    check = post(client, authority, decision="accept", reason="Thanks.", step="check")
    assert check.status_code == 200
    assert "Check your decision" in check.content.decode()
    assert ReplyVersion.objects.get().status == Status.SUBMITTED
    change = post(client, authority, decision="accept", reason="Thanks.", step="change")
    assert change.status_code == 200 and "Thanks.</textarea>" in change.content.decode()
    done = post(client, authority, decision="accept", reason="Thanks.", step="confirm")
    assert done.status_code == 302 and done["Location"] == LIST
    version = ReplyVersion.objects.get()
    assert (version.status, version.decided_by, version.reason) == (
        Status.ACCEPTED,
        publisher,
        "Thanks.",
    )
    assert version.decided_at is not None


def test_returning_needs_a_reason_kept_for_the_council(client: Client, waiting: Any) -> None:
    authority, _, _ = waiting
    client.force_login(make_user("publisher"))
    for step in ("check", "confirm"):
        refused = post(client, authority, decision="return", reason="   ", step=step)
        assert refused.status_code == 400
        assert "Enter why the reply is returned" in refused.content.decode()
    missing = post(client, authority, step="check")
    assert missing.status_code == 400
    assert "Select whether to accept or return the reply" in missing.content.decode()
    assert ReplyVersion.objects.get().status == Status.SUBMITTED
    post(client, authority, decision="return", reason="Names a complainant.", step="confirm")
    version = ReplyVersion.objects.get()
    assert (version.status, version.reason) == (Status.RETURNED, "Names a complainant.")
    council = Client()
    council.force_login(make_person(authority))
    html = council.get(reverse("portal:reply", args=[authority.slug, YEAR])).content.decode()
    assert "Names a complainant." in html and "Returned" in html


def test_the_service_refuses_a_return_without_a_reason(waiting: Any) -> None:
    authority, review_year, _ = waiting
    with pytest.raises(replies.ReplyError, match="Enter why"):
        replies.decide(
            authority=authority,
            review_year=review_year,
            number=1,
            user=make_user("publisher"),
            accept=False,
            reason=" \n ",
        )
    assert ReplyVersion.objects.get().status == Status.SUBMITTED


def test_a_version_is_decided_once(client: Client, waiting: Any) -> None:
    authority, review_year, _ = waiting
    first, second = make_user("publisher"), make_user("administrator")
    where: dict[str, Any] = {"authority": authority, "review_year": review_year, "number": 1}
    replies.decide(**where, user=first, accept=True, reason="")
    decided = state()
    with pytest.raises(replies.ReplyError, match="already accepted by publisher"):
        replies.decide(**where, user=second, accept=False, reason="Changed my mind.")
    client.force_login(second)
    post(client, authority, decision="return", reason="Again.", step="confirm")
    assert state() == decided


def test_a_decision_made_meanwhile_wins_over_a_racing_one(waiting: Any) -> None:
    """The second publisher's UPDATE runs just after the first's committed: it finds the
    version no longer waiting (the condition is in the UPDATE itself) and changes nothing."""
    authority, review_year, version = waiting
    first, second = make_user("publisher"), make_user("administrator")
    raced: list[str] = []

    def first_decides_meanwhile(execute: Any, sql: str, *args: Any) -> Any:
        if sql.startswith("UPDATE") and "portal_replyversion" in sql and not raced:
            raced.append(sql)
            ReplyVersion.objects.filter(pk=version.pk).update(
                status=Status.ACCEPTED, decided_by=first, decided_at=timezone.now()
            )
        return execute(sql, *args)

    refused = pytest.raises(replies.ReplyError, match="already accepted by publisher")
    with connection.execute_wrapper(first_decides_meanwhile), refused:
        replies.decide(
            authority=authority,
            review_year=review_year,
            number=1,
            user=second,
            accept=False,
            reason="Returned.",
        )
    assert raced
    version.refresh_from_db()
    assert (version.status, version.decided_by, version.reason) == (Status.ACCEPTED, first, "")


def test_a_draft_is_never_decided_nor_shown_to_staff(client: Client) -> None:
    authority, review_year = council_with_letter()
    replies.save_draft(
        authority=authority, review_year=review_year, user=make_person(authority), text="Secret."
    )
    with pytest.raises(replies.ReplyError, match="is a draft"):
        replies.decide(
            authority=authority,
            review_year=review_year,
            number=1,
            user=make_user("publisher"),
            accept=True,
            reason="",
        )
    assert ReplyVersion.objects.get().status == Status.DRAFT
    client.force_login(make_user("administrator"))
    html = client.get(page_of(authority)).content.decode()
    assert "Secret." not in html and "No version of this reply is waiting" in html


def test_reading_the_staff_pages_writes_nothing(client: Client, waiting: Any) -> None:
    authority, _, _ = waiting
    client.force_login(make_user("publisher"))
    before = state()
    for address in (LIST, page_of(authority)):
        assert client.get(address).status_code == 200
    assert state() == before


def test_a_script_in_a_reply_or_a_reason_is_shown_as_text(client: Client) -> None:
    authority, review_year = council_with_letter()
    submitted(authority, review_year, "<script>alert(1)</script>")
    client.force_login(make_user("publisher"))
    html = client.get(page_of(authority)).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    check = post(client, authority, decision="return", reason="<img src=x>", step="check")
    assert "<img src=x>" not in check.content.decode()


def test_accepted_versions_are_the_public_ones_newest_first(waiting: Any) -> None:
    authority, review_year, _ = waiting
    publisher: User = make_user("publisher")
    where: dict[str, Any] = {"authority": authority, "review_year": review_year}
    replies.decide(**where, number=1, user=publisher, accept=True, reason="")
    submitted(authority, review_year, "Second thoughts.")
    replies.decide(**where, number=2, user=publisher, accept=False, reason="Off topic.")
    submitted(authority, review_year, "Third version.")
    assert [v.number for v in replies.public_versions(**where)] == [1]
    replies.decide(**where, number=3, user=publisher, accept=True, reason="")
    replies.save_draft(**where, user=make_person(authority), text="A fourth, in draft.")
    assert [v.number for v in replies.public_versions(**where)] == [3, 1]
    other, _ = council_with_letter("Felpersham")
    assert replies.public_versions(authority=other, review_year=review_year) == []


def test_the_summary_names_the_latest_version_and_its_status(waiting: Any) -> None:
    authority, review_year, _ = waiting
    where: dict[str, Any] = {"authority": authority, "review_year": review_year}
    assert replies.summary(**where) == "Version 1: waiting for a publisher"
    replies.decide(**where, number=1, user=make_user("publisher"), accept=True, reason="")
    assert replies.summary(**where) == "Version 1: accepted"
    other, _ = council_with_letter("Felpersham")
    assert replies.summary(authority=other, review_year=review_year) == "Not started"
