"""The council's side of the right of reply: open from the letter date once the letter was
sent (404 before, and 404 for anyone who is not the council's), up to 500 words kept as a
draft, checked and submitted; a later change is a new version; GET writes nothing; the text
is always escaped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from councilperf.portal import replies
from councilperf.portal.models import CouncilRole, Reply, ReplyVersion
from tests.distribution.conftest import make_user
from tests.factories import make_authority
from tests.portal.factories_replies import (
    YEAR,
    council_with_letter,
    make_person,
    open_year,
    send_letter,
)

pytestmark = pytest.mark.django_db

Status = ReplyVersion.Status


def addresses(slug: str) -> list[str]:
    return [
        reverse("portal:reply", args=[slug, YEAR]),
        reverse("portal:reply_submit", args=[slug, YEAR]),
    ]


def state() -> list[tuple[Any, ...]]:
    """Every reply row as it stands (what a GET must leave alone)."""
    return [
        *Reply.objects.values_list("pk", "authority_id"),
        *ReplyVersion.objects.order_by("pk").values_list(
            "pk", "number", "text", "status", "submitted_at", "decided_at", "reason"
        ),
    ]


def write(client: Client, slug: str, text: str, action: str = "save") -> Any:
    return client.post(
        reverse("portal:reply", args=[slug, YEAR]), {"reply": text, "action": action}
    )


def submit(client: Client, slug: str) -> Any:
    """Check the draft on the confirmation page, then submit what it showed."""
    page = client.get(reverse("portal:reply_submit", args=[slug, YEAR]))
    assert page.status_code == 200
    return client.post(
        reverse("portal:reply_submit", args=[slug, YEAR]),
        {"number": page.context["draft"].number, "checked": page.context["checked"]},
    )


@pytest.fixture
def officer(client: Client) -> tuple[Client, str]:
    authority, _ = council_with_letter()
    client.force_login(make_person(authority, username="officer"))
    return client, authority.slug


def test_the_reply_opens_on_the_letter_date_and_only_once_the_letter_was_sent(
    client: Client,
) -> None:
    authority = make_authority(name="Borsetshire", years=(YEAR,))
    client.force_login(make_person(authority))
    page = reverse("portal:reply", args=[authority.slug, YEAR])
    review_year = open_year(letter_days_ago=-1)  # the letter date is tomorrow
    send_letter(authority, review_year)
    assert client.get(page).status_code == 404
    assert write(client, authority.slug, "Too early").status_code == 404
    review_year.letter_date = None
    review_year.save()
    assert client.get(page).status_code == 404
    review_year.letter_date = timezone.localdate() - dt.timedelta(days=1)
    review_year.save()
    assert client.get(page).status_code == 200
    authority.sent_letters.all().delete()  # the letter date has come, but no letter went
    assert client.get(page).status_code == 404
    assert write(client, authority.slug, "Not sent yet").status_code == 404
    assert not ReplyVersion.objects.exists()


def test_the_letter_date_itself_is_open(client: Client) -> None:
    authority, review_year = council_with_letter()
    review_year.letter_date = timezone.localdate()
    review_year.save()
    client.force_login(make_person(authority))
    assert client.get(addresses(authority.slug)[0]).status_code == 200


def test_nobody_but_the_council_sees_its_reply(client: Client) -> None:
    authority, _ = council_with_letter("Borsetshire")
    other, _ = council_with_letter("Felpersham")
    writer = Client()
    writer.force_login(make_person(authority))
    write(writer, authority.slug, "Our answer.", action="submit")
    before = state()
    for person in (
        make_person(other),
        make_person(other, role=CouncilRole.APPROVER),
        make_user("administrator"),  # staff see replies on staff pages, not in the portal
    ):
        client.force_login(person)
        for address in addresses(authority.slug):
            assert client.get(address).status_code == 404, address
            assert client.post(address, {"reply": "Hijack", "action": "save"}).status_code == 404
    assert state() == before


def test_an_anonymous_visitor_is_sent_to_sign_in_and_writes_nothing(client: Client) -> None:
    try:
        sign_in = reverse("portal:sign_in")
    except NoReverseMatch:
        pytest.skip("the accounts part of the portal provides portal:sign_in")
    authority, _ = council_with_letter()
    for address in addresses(authority.slug):
        for answer in (client.get(address), client.post(address, {"reply": "Hijack"})):
            assert answer.status_code == 302 and answer["Location"].startswith(sign_in)
    assert not Reply.objects.exists()


def test_an_ended_membership_sees_nothing(client: Client) -> None:
    authority, _ = council_with_letter()
    person = make_person(authority)
    person.council_memberships.update(ended_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    client.force_login(person)
    for address in addresses(authority.slug):
        assert client.get(address).status_code == 404


def test_reading_the_pages_writes_nothing(officer: tuple[Client, str]) -> None:
    client, slug = officer
    page = client.get(addresses(slug)[0])
    assert page.status_code == 200 and "0 of 500 words" in page.content.decode()
    assert not Reply.objects.exists()
    write(client, slug, "A draft.")
    before = state()
    for address in addresses(slug):
        assert client.get(address).status_code == 200
        assert client.head(address).status_code == 200
    assert state() == before


def test_500_words_are_kept_and_501_refused_with_the_text_kept(
    officer: tuple[Client, str],
) -> None:
    client, slug = officer
    too_long = " ".join(["word"] * 500 + ["straw"])
    answer = write(client, slug, too_long)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert 'data-problem="too_many_words"' in html
    assert "Your reply must be 500 words or fewer – it has 501 words" in html
    assert "govuk-error-summary" in html and "straw</textarea>" in html
    assert "501 of 500 words" in html
    assert not ReplyVersion.objects.exists()
    answer = write(client, slug, " ".join(["word"] * 500))
    assert answer.status_code == 302
    version = ReplyVersion.objects.get()
    assert (version.number, version.status, replies.replytext.word_count(version.text)) == (
        1,
        Status.DRAFT,
        500,
    )
    assert "500 of 500 words" in client.get(addresses(slug)[0]).content.decode()


def test_an_empty_reply_is_refused(officer: tuple[Client, str]) -> None:
    client, slug = officer
    answer = write(client, slug, "  \r\n  ")
    assert answer.status_code == 400 and "Enter your reply" in answer.content.decode()
    assert not ReplyVersion.objects.exists()


def test_a_draft_changes_in_place_until_it_is_submitted(officer: tuple[Client, str]) -> None:
    client, slug = officer
    write(client, slug, "First try.")
    write(client, slug, "Second try.\r\n\r\nWith a paragraph.")
    version = ReplyVersion.objects.get()
    assert version.number == 1 and version.text == "Second try.\n\nWith a paragraph."


def test_submitting_goes_through_a_check_and_freezes_the_version(
    officer: tuple[Client, str],
) -> None:
    client, slug = officer
    answer = write(client, slug, "Our answer.", action="submit")
    assert answer.status_code == 302
    assert answer["Location"] == addresses(slug)[1]
    assert ReplyVersion.objects.get().status == Status.DRAFT  # not before the check
    check = client.get(addresses(slug)[1])
    assert "Check your reply before you submit it" in check.content.decode()
    assert submit(client, slug).status_code == 302
    version = ReplyVersion.objects.get()
    assert version.status == Status.SUBMITTED and version.submitted_at is not None
    assert version.submitted_by is not None and version.submitted_by.username == "officer"


def test_a_later_change_is_a_new_version_and_earlier_ones_stay_listed(
    officer: tuple[Client, str],
) -> None:
    client, slug = officer
    write(client, slug, "Version one.", action="submit")
    submit(client, slug)
    write(client, slug, "Version two.")
    found = list(ReplyVersion.objects.order_by("number").values_list("number", "text", "status"))
    assert found == [(1, "Version one.", Status.SUBMITTED), (2, "Version two.", Status.DRAFT)]
    html = client.get(addresses(slug)[0]).content.decode()
    assert "Text of version 1" in html and "Text of version 2" in html
    assert "Version 1 is waiting for a publisher" in html


def test_an_unchanged_text_makes_no_new_version(officer: tuple[Client, str]) -> None:
    client, slug = officer
    write(client, slug, "Version one.", action="submit")
    submit(client, slug)
    answer = write(client, slug, "Version one.\n")
    assert answer.status_code == 302
    assert list(ReplyVersion.objects.values_list("number", flat=True)) == [1]
    assert "the same as version 1" in client.get(answer["Location"]).content.decode()


def test_one_version_waits_at_a_time(officer: tuple[Client, str]) -> None:
    client, slug = officer
    write(client, slug, "Version one.", action="submit")
    submit(client, slug)
    write(client, slug, "Version two.", action="submit")
    check = client.get(addresses(slug)[1]).content.decode()
    assert "still waiting for a publisher" in check and "Submit for publication" not in check
    version = ReplyVersion.objects.get(number=2)
    answer = client.post(
        addresses(slug)[1], {"number": 2, "checked": replies.fingerprint(version.text)}
    )
    assert answer.status_code == 302
    assert ReplyVersion.objects.get(number=2).status == Status.DRAFT


def test_a_draft_changed_after_the_check_is_not_submitted(officer: tuple[Client, str]) -> None:
    client, slug = officer
    write(client, slug, "Checked text.", action="submit")
    checked = client.get(addresses(slug)[1]).context["checked"]
    write(client, slug, "Changed in another tab.")
    client.post(addresses(slug)[1], {"number": 1, "checked": checked})
    assert ReplyVersion.objects.get().status == Status.DRAFT


def test_officers_and_approvers_may_both_submit(client: Client) -> None:
    authority, _ = council_with_letter()
    for role in (CouncilRole.OFFICER, CouncilRole.APPROVER):
        client.force_login(make_person(authority, role=role, username=role))
        write(client, authority.slug, f"From the {role}.", action="submit")
        submit(client, authority.slug)
        ReplyVersion.objects.filter(status=Status.SUBMITTED).update(status=Status.RETURNED)
    found = ReplyVersion.objects.order_by("number").values_list("number", "submitted_by__username")
    assert list(found) == [(1, "officer"), (2, "approver")]


def test_a_script_in_a_reply_is_shown_as_text(officer: tuple[Client, str]) -> None:
    client, slug = officer
    text = "<script>alert('x')</script>\n\n<b>bold?</b> & more"
    write(client, slug, text, action="submit")
    for address in addresses(slug):
        html = client.get(address).content.decode()
        assert "<script>alert" not in html and "<b>bold?</b>" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
        assert "&lt;b&gt;bold?&lt;/b&gt; &amp; more" in html
    assert ReplyVersion.objects.get().text == text  # kept as typed


def test_services_check_membership_and_the_date_themselves() -> None:
    authority, review_year = council_with_letter()
    stranger = make_person(make_authority(name="Felpersham", years=(YEAR,)))
    with pytest.raises(replies.ReplyError):
        replies.save_draft(authority=authority, review_year=review_year, user=stranger, text="x")
    member = make_person(authority)
    review_year.letter_date = timezone.localdate() + dt.timedelta(days=3)
    review_year.save()
    with pytest.raises(replies.ReplyError, match="not open"):
        replies.save_draft(authority=authority, review_year=review_year, user=member, text="x")
    assert not ReplyVersion.objects.exists()


def test_a_reply_to_a_demonstration_letter_is_marked_synthetic(client: Client) -> None:
    authority, review_year = council_with_letter(synthetic=True)
    member = make_person(authority)
    version = replies.save_draft(
        authority=authority, review_year=review_year, user=member, text="Demo."
    )
    assert version.synthetic
