"""Council accounts as services: invitations (hashed, single use, expiring, withdrawn),
joining (a new account or shared services), ending memberships, passing an abolished
council's people to a successor, and the ``invite_council_user`` command."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from councilperf.distribution.roles import NotAllowed
from councilperf.portal import accounts
from councilperf.portal.access import memberships_of
from councilperf.portal.models import AccessEvent, Invitation, Membership
from tests.factories import make_authority
from tests.portal.factories_accounts import PASSWORD, add_membership, make_council_user, make_staff

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("no mail server")


@pytest.fixture
def publisher() -> User:
    return make_staff("publisher")


def kinds() -> list[str]:
    return list(AccessEvent.objects.order_by("id").values_list("kind", flat=True))


def test_an_invitation_keeps_only_the_tokens_hash_and_emails_the_link(publisher: User) -> None:
    council = make_authority(name="Ambridge")
    invitation, token = accounts.invite(
        email="link@ambridge.example", authority=council, role="officer", by=publisher, now=NOW
    )
    assert invitation.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_sha256__contains=token).exists()
    assert len(token) >= 40  # 32 random bytes
    assert invitation.expires_at == NOW + dt.timedelta(days=7)
    (message,) = mail.outbox
    assert message.to == ["link@ambridge.example"]
    assert f"/council/invitation/{token}/" in message.body
    assert "Ambridge Council" in message.body
    event = AccessEvent.objects.get()
    assert (event.kind, event.user, event.authority) == ("invited", publisher, council)


def test_the_expiry_is_a_setting(publisher: User, settings: Any) -> None:
    settings.COUNCILPERF_INVITATION_DAYS = 2
    invitation, _ = accounts.invite(
        email="a@x.example", authority=make_authority(), role="approver", by=publisher, now=NOW
    )
    assert invitation.expires_at == NOW + dt.timedelta(days=2)


@pytest.mark.parametrize("role", ["analyst", None])
def test_only_a_publisher_or_administrator_invites(role: str | None) -> None:
    with pytest.raises(NotAllowed):
        accounts.invite(
            email="a@x.example", authority=make_authority(), role="officer", by=make_staff(role)
        )
    assert not Invitation.objects.exists()
    assert not mail.outbox
    accounts.invite(
        email="a@x.example",
        authority=make_authority(),
        role="officer",
        by=make_staff("administrator"),
    )
    assert Invitation.objects.count() == 1


def test_no_invitation_to_an_abolished_council_a_bad_address_or_an_unknown_role(
    publisher: User,
) -> None:
    gone = make_authority(name="Old Borsetshire", end_date=dt.date(2023, 3, 31))
    with pytest.raises(accounts.Refused, match="abolished"):
        accounts.invite(email="a@x.example", authority=gone, role="officer", by=publisher)
    with pytest.raises(accounts.Refused, match="email address"):
        accounts.invite(
            email="a@x.example\nBcc: b@y.example",
            authority=make_authority(),
            role="officer",
            by=publisher,
        )
    with pytest.raises(accounts.Refused, match="role"):
        accounts.invite(email="a@x.example", authority=make_authority(), role="chief", by=publisher)
    assert not Invitation.objects.exists()


def test_an_invitation_that_cannot_be_emailed_is_withdrawn(publisher: User, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.portal.test_accounts.FailingBackend"
    with pytest.raises(accounts.NotSent, match="could not be sent"):
        accounts.invite(
            email="a@x.example", authority=make_authority(), role="officer", by=publisher
        )
    assert Invitation.objects.get().withdrawn_at is not None


def test_accepting_creates_the_account_and_membership_once(publisher: User) -> None:
    council = make_authority()
    invitation, token = accounts.invite(
        email="Chief@X.example", authority=council, role="approver", by=publisher, now=NOW
    )
    later = NOW + dt.timedelta(days=1)
    membership = accounts.join_new(token=token, username="chief", password=PASSWORD, now=later)
    user = User.objects.get(username="chief")
    assert (membership.user, membership.authority, membership.role) == (user, council, "approver")
    assert user.email == "Chief@x.example" and user.check_password(PASSWORD)
    invitation.refresh_from_db()
    assert (invitation.used_at, invitation.used_by) == (later, user)
    assert kinds() == ["invited", "joined"]
    with pytest.raises(accounts.Refused, match="used"):
        accounts.join_new(token=token, username="someone-else", password=PASSWORD, now=later)
    assert not User.objects.filter(username="someone-else").exists()
    assert Membership.objects.count() == 1


def test_an_expired_withdrawn_or_unknown_link_creates_nothing(publisher: User) -> None:
    council = make_authority()
    _, old = accounts.invite(
        email="a@x.example", authority=council, role="officer", by=publisher, now=NOW
    )
    expiry = NOW + dt.timedelta(days=7)
    assert accounts.find(token=old, now=expiry - dt.timedelta(seconds=1)).usable
    assert accounts.find(token=old, now=expiry).problem == "expired"
    with pytest.raises(accounts.Refused, match="expired"):
        accounts.join_new(token=old, username="a", password=PASSWORD, now=expiry)
    withdrawn, token = accounts.invite(
        email="b@x.example", authority=council, role="officer", by=publisher
    )
    assert accounts.withdraw(invitation=withdrawn, by=publisher)
    assert accounts.find(token=token).problem == "withdrawn"
    with pytest.raises(accounts.Refused, match="withdrawn"):
        accounts.join_new(token=token, username="b", password=PASSWORD)
    assert accounts.find(token="not-a-token").problem == "unknown"
    with pytest.raises(accounts.Refused, match="unknown"):
        accounts.join_new(token="not-a-token", username="c", password=PASSWORD)
    assert not User.objects.filter(username__in=["a", "b", "c"]).exists()
    assert not Membership.objects.exists()


def test_only_a_manager_withdraws_and_a_used_invitation_stays_used(publisher: User) -> None:
    council = make_authority()
    invitation, token = accounts.invite(
        email="a@x.example", authority=council, role="officer", by=publisher
    )
    with pytest.raises(NotAllowed):
        accounts.withdraw(invitation=invitation, by=make_staff("analyst"))
    accounts.join_new(token=token, username="a", password=PASSWORD)
    assert not accounts.withdraw(invitation=invitation, by=publisher)
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


def test_one_person_serves_several_councils(publisher: User) -> None:
    first, second = make_authority(name="Ambridge"), make_authority(name="Borchester")
    person = make_council_user(authority=first, email="shared@services.example")
    _, token = accounts.invite(
        email="SHARED@services.example", authority=second, role="approver", by=publisher
    )
    accounts.join_existing(token=token, user=person)
    assert [(m.authority, m.role) for m in memberships_of(person)] == [
        (first, "officer"),
        (second, "approver"),
    ]
    assert User.objects.filter(email__iexact="shared@services.example").count() == 1


def test_an_invitation_is_only_for_its_own_address(publisher: User) -> None:
    stranger = make_council_user(authority=make_authority(), email="other@x.example")
    _, token = accounts.invite(
        email="a@x.example", authority=make_authority(), role="approver", by=publisher
    )
    with pytest.raises(accounts.Refused, match=r"a@x\.example"):
        accounts.join_existing(token=token, user=stranger)
    assert len(memberships_of(stranger)) == 1
    assert accounts.find(token=token).usable


def test_a_new_role_replaces_the_old_one_and_keeps_it_in_the_history(publisher: User) -> None:
    council = make_authority()
    person = make_council_user(authority=council, role="officer", email="p@x.example")
    _, token = accounts.invite(
        email="p@x.example", authority=council, role="approver", by=publisher
    )
    accounts.join_existing(token=token, user=person)
    assert [m.role for m in memberships_of(person)] == ["approver"]
    old = Membership.objects.get(user=person, role="officer")
    assert old.ended_at is not None and "Role changed" in old.ended_reason
    with pytest.raises(accounts.Refused, match="already"):
        accounts.invite(email="p@x.example", authority=council, role="approver", by=publisher)


def test_ending_a_membership_takes_the_council_away(publisher: User) -> None:
    council = make_authority()
    person = make_council_user(authority=council)
    membership = memberships_of(person)[0]
    with pytest.raises(NotAllowed):
        accounts.end(membership=membership, by=make_staff("analyst"), reason="left")
    assert accounts.end(membership=membership, by=publisher, reason="Left the council")
    assert memberships_of(person) == []
    membership.refresh_from_db()
    assert membership.ended_reason == "Left the council"
    assert not accounts.end(membership=membership, by=publisher, reason="again")
    assert kinds() == ["ended"]


@pytest.fixture
def merger() -> tuple[Any, Any, Any]:
    old = make_authority(name="West Borsetshire", end_date=dt.date(2023, 3, 31))
    new = make_authority(name="Borsetshire Unitary", group="unitary")
    other = make_authority(name="Felpersham")
    old.successors.add(new)
    return old, new, other


def test_the_people_of_an_abolished_council_pass_to_its_successor(
    publisher: User, merger: tuple[Any, Any, Any]
) -> None:
    old, new, _ = merger
    officer = make_council_user(authority=old, role="officer")
    approver = make_council_user(authority=old, role="approver")
    add_membership(user=approver, authority=new, role="officer")  # already one of new's people
    moved = accounts.transfer(from_authority=old, to_authority=new, by=publisher)
    assert {(m.user, m.role) for m in moved} == {(officer, "officer"), (approver, "officer")}
    assert memberships_of(officer)[0].authority == new
    assert [m.authority for m in memberships_of(approver)] == [new]  # no duplicate
    assert Membership.objects.filter(user=approver, authority=new).count() == 1
    assert not Membership.objects.filter(authority=old, ended_at__isnull=True).exists()
    assert kinds() == ["transferred", "transferred"]
    assert accounts.transfer(from_authority=old, to_authority=new, by=publisher) == []


def test_nothing_passes_without_the_staff_action_nor_to_a_non_successor(
    publisher: User, merger: tuple[Any, Any, Any]
) -> None:
    old, new, other = merger
    person = make_council_user(authority=old)
    assert [m.authority for m in memberships_of(person)] == [old]  # abolition alone moves nobody
    assert not Membership.objects.filter(authority=new).exists()
    with pytest.raises(accounts.Refused, match="not a successor"):
        accounts.transfer(from_authority=old, to_authority=other, by=publisher)
    with pytest.raises(accounts.Refused, match="not been abolished"):
        accounts.transfer(from_authority=other, to_authority=new, by=publisher)
    with pytest.raises(NotAllowed):
        accounts.transfer(from_authority=old, to_authority=new, by=make_staff("analyst"))
    assert [m.authority for m in memberships_of(person)] == [old]
    assert not AccessEvent.objects.exists()


def test_the_command_invites_as_the_named_staff_user(publisher: User) -> None:
    council = make_authority()
    out = StringIO()
    call_command(
        "invite_council_user",
        "--council", council.slug,
        "--email", "ceo@x.example",
        "--role", "approver",
        "--as", publisher.username,
        "--show-link",
        stdout=out,
    )  # fmt: skip
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.created_by) == (
        "ceo@x.example",
        "approver",
        publisher,
    )
    link = out.getvalue().strip().splitlines()[-1]
    assert link in mail.outbox[0].body
    assert accounts.find(token=link.rstrip("/").rsplit("/", 1)[-1]).usable


def test_the_command_refuses_without_the_role_or_a_council(publisher: User) -> None:
    council = make_authority()
    analyst = make_staff("analyst")
    with pytest.raises(CommandError, match="publisher or administrator"):
        call_command(
            "invite_council_user", "--council", council.slug, "--email", "a@x.example",
            "--role", "officer", "--as", analyst.username,
        )  # fmt: skip
    with pytest.raises(CommandError, match="slug"):
        call_command(
            "invite_council_user", "--council", "nowhere", "--email", "a@x.example",
            "--role", "officer", "--as", publisher.username,
        )  # fmt: skip
    assert not Invitation.objects.exists()


def test_invitation_times_are_timezone_aware(publisher: User) -> None:
    invitation, _ = accounts.invite(
        email="a@x.example", authority=make_authority(), role="officer", by=publisher
    )
    assert timezone.is_aware(invitation.expires_at)


def test_a_log_line_may_name_the_year(publisher: User) -> None:
    from tests.factories import make_review_year

    year = make_review_year(year="2025-26")
    council = make_authority()
    event = accounts.log("download", user=publisher, authority=council, review_year=year)
    assert (event.review_year, event.username, event.authority) == (
        year,
        publisher.username,
        council,
    )
