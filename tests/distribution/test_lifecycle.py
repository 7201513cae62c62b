"""The year's lifecycle, one fact at a time: each stage and the fact that decides it, the
publication date's boundary, who may make each transition and what each records, and the
messages a refused transition gives. Worlds without letters, so each test is quick (the
sending tests cover approval with letters)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from councilperf.distribution import lifecycle
from councilperf.distribution.lifecycle import CycleError, Stage
from councilperf.distribution.models import SentLetter, YearCycle
from councilperf.distribution.readiness import readiness
from councilperf.distribution.roles import NotAllowed
from councilperf.letters import services as letter_services
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import correct_statistics, freeze_statistics
from councilperf.years import ReportingYear
from tests.distribution.conftest import make_user
from tests.factories import make_authority, make_case, make_review_year

pytestmark = pytest.mark.django_db

Y = ReportingYear(2019)
TODAY = dt.date(2020, 7, 29)


def noon(day: dt.date) -> dt.datetime:
    """Midday of ``day`` in the site's zone: after a publication time of 09:30."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def frozen(*, publication_date: dt.date | None = TODAY) -> ReviewYear:
    review_year = make_review_year(year=Y.label, publication_date=publication_date)
    freeze_statistics(year=Y)
    review_year.refresh_from_db()
    return review_year


def approved(review_year: ReviewYear, **fields: object) -> YearCycle:
    revision = lifecycle.latest_revision(review_year)
    cycle, _ = YearCycle.objects.update_or_create(
        review_year=review_year, defaults={"approved_revision": revision, **fields}
    )
    return cycle


def test_stage_labels_are_the_values_capitalised() -> None:
    assert [s.label for s in Stage] == [
        "Draft",
        "Frozen",
        "Approved",
        "Sending",
        "Issued",
        "Published",
    ]


def test_a_draft_year_is_draft_even_when_a_cycle_says_approved() -> None:
    review_year = make_review_year(year=Y.label, publication_date=TODAY)
    YearCycle.objects.create(review_year=review_year, approved_revision=1)
    assert lifecycle.stage(review_year, now=noon(TODAY)) is Stage.DRAFT


def test_frozen_without_a_cycle_or_an_approval() -> None:
    review_year = frozen()
    assert lifecycle.stage(review_year, now=noon(TODAY)) is Stage.FROZEN
    YearCycle.objects.create(review_year=review_year)
    assert lifecycle.stage(review_year, now=noon(TODAY)) is Stage.FROZEN


def test_published_from_its_publication_time_on_not_a_minute_before() -> None:
    review_year = frozen(publication_date=TODAY)
    approved(review_year)
    at = timezone.make_aware(dt.datetime.combine(TODAY, review_year.publication_time))
    assert lifecycle.stage(review_year, now=at - dt.timedelta(minutes=1)) is Stage.APPROVED
    assert lifecycle.stage(review_year, now=at) is Stage.PUBLISHED
    assert lifecycle.stage(review_year, now=noon(TODAY - dt.timedelta(days=1))) is Stage.APPROVED
    assert lifecycle.stage(review_year, now=noon(TODAY)) is Stage.PUBLISHED
    assert lifecycle.stage(review_year, now=noon(TODAY + dt.timedelta(days=1))) is Stage.PUBLISHED


def test_without_now_the_stage_is_nows() -> None:
    today = timezone.localdate()
    review_year = frozen(publication_date=today)
    ReviewYear.objects.filter(pk=review_year.pk).update(publication_time=dt.time(0, 0))
    review_year.refresh_from_db()
    approved(review_year)
    assert lifecycle.stage(review_year) is Stage.PUBLISHED
    ReviewYear.objects.filter(pk=review_year.pk).update(
        publication_date=today + dt.timedelta(days=1)
    )
    review_year.refresh_from_db()
    assert lifecycle.stage(review_year) is Stage.APPROVED


def test_no_publication_date_is_never_published() -> None:
    review_year = frozen(publication_date=None)
    approved(review_year)
    assert lifecycle.stage(review_year, now=noon(TODAY)) is Stage.APPROVED


def test_a_dated_year_not_approved_is_frozen_not_published() -> None:
    review_year = frozen(publication_date=TODAY)
    YearCycle.objects.create(review_year=review_year)
    assert lifecycle.stage(review_year, now=noon(TODAY)) is Stage.FROZEN


def test_a_correction_takes_an_approved_year_back_to_frozen() -> None:
    review_year = frozen(publication_date=TODAY)
    approved(review_year, issued_revision=1)
    assert lifecycle.stage(review_year, now=noon(TODAY - dt.timedelta(days=1))) is Stage.ISSUED
    correct_statistics(year=Y, reason="a late decision")
    assert lifecycle.latest_revision(review_year) == 2
    assert lifecycle.stage(review_year, now=noon(TODAY - dt.timedelta(days=1))) is Stage.FROZEN


def test_issued_only_for_the_latest_revision_then_sending_then_approved() -> None:
    review_year = frozen()
    correct_statistics(year=Y, reason="a late decision")
    before = TODAY - dt.timedelta(days=1)
    cycle = approved(review_year, issued_revision=1, send_problem="the server did not answer")
    assert lifecycle.stage(review_year, now=noon(before)) is Stage.SENDING
    cycle.send_problem = ""
    cycle.save()
    assert lifecycle.stage(review_year, now=noon(before)) is Stage.APPROVED
    cycle.issued_revision = 2
    cycle.send_problem = "a problem left from before"
    cycle.save()
    assert lifecycle.stage(review_year, now=noon(before)) is Stage.ISSUED


def test_latest_revision_is_the_highest_number_not_the_draft() -> None:
    review_year = make_review_year(year=Y.label)
    assert lifecycle.latest_revision(review_year) is None
    freeze_statistics(year=Y)
    correct_statistics(year=Y, reason="one")
    correct_statistics(year=Y, reason="two")
    assert lifecycle.latest_revision(review_year) == 3


def test_a_year_never_computed_is_an_error_naming_it() -> None:
    with pytest.raises(CycleError, match=r"^no review year 2019-20: compute its statistics first$"):
        lifecycle.review_year_or_error(Y)
    make_review_year(year="2018-19")
    with pytest.raises(CycleError):
        lifecycle.review_year_or_error(Y)
    assert lifecycle.review_year_or_error(Y.previous).year == "2018-19"


def test_cycle_of_makes_one_cycle_and_then_finds_it() -> None:
    review_year = make_review_year(year=Y.label)
    first = lifecycle.cycle_of(review_year)
    assert first.pk is not None and first.review_year_id == review_year.pk
    assert lifecycle.cycle_of(review_year).pk == first.pk
    assert YearCycle.objects.count() == 1


def test_approval_needs_the_role_and_a_frozen_year() -> None:
    make_review_year(year=Y.label)
    with pytest.raises(NotAllowed):
        lifecycle.approve_year(year=Y, user=make_user("analyst"))
    with pytest.raises(CycleError, match=r"^2019-20 is a draft: freeze its statistics first$"):
        lifecycle.approve_year(year=Y, user=make_user("publisher"))


def test_a_revision_already_approved_is_not_approved_twice() -> None:
    review_year = frozen()
    approved(review_year)
    with pytest.raises(CycleError, match=r"^2019-20 revision 1 is already approved$"):
        lifecycle.approve_year(year=Y, user=make_user("publisher"))


def test_approval_is_refused_with_every_readiness_problem_listed() -> None:
    make_case(authority=make_authority(name="Borsetshire"), received_date=Y.start)
    frozen()  # a council without contacts or a letter, and no template
    with pytest.raises(CycleError) as refused:
        lifecycle.approve_year(year=Y, user=make_user("publisher"))
    message = str(refused.value)
    assert message.startswith("2019-20 is not ready for approval:\n- ")
    titles = {c.title for c in readiness(review_year=ReviewYear.objects.get(year=Y.label)).checks}
    listed = message.splitlines()[1:]
    assert len(listed) >= 2
    assert all(line[:2] == "- " and line[2:].split(": ")[0] in titles for line in listed)
    assert "Chief executive email: Borsetshire" in message
    assert YearCycle.objects.get().approved_revision is None


def test_sendable_needs_a_frozen_year() -> None:
    review_year = make_review_year(year=Y.label)
    with pytest.raises(CycleError, match=r"^2019-20 is a draft: freeze and approve it first$"):
        lifecycle.require_sendable(review_year)


def test_sendable_needs_the_latest_revision_approved() -> None:
    review_year = frozen()
    with pytest.raises(CycleError, match=r"^2019-20 revision 1 is not approved: a publisher"):
        lifecycle.require_sendable(review_year)
    approved(review_year)
    correct_statistics(year=Y, reason="a late decision")
    with pytest.raises(CycleError, match=r"^2019-20 revision 2 is not approved"):
        lifecycle.require_sendable(review_year)


def test_sendable_needs_the_template_as_approved() -> None:
    review_year = frozen()
    template = letter_services.template_for_year(review_year)
    cycle = approved(review_year, approved_template_hash=template.content_hash)
    assert lifecycle.require_sendable(review_year).pk == cycle.pk
    template.body += "\n\nA paragraph added after approval."
    template.save()
    with pytest.raises(
        CycleError, match=r"^the 2019-20 letter template changed after approval: approve it again$"
    ):
        lifecycle.require_sendable(review_year)


def test_mark_issued_records_the_revision_and_when() -> None:
    review_year = frozen()
    other = make_review_year(year="2018-19")
    YearCycle.objects.create(review_year=other)
    approved(review_year)
    before = timezone.now()
    lifecycle.mark_issued(review_year=review_year, revision=1)
    cycle = YearCycle.objects.get(review_year=review_year)
    assert cycle.issued_revision == 1
    assert cycle.issued_at is not None and cycle.issued_at >= before
    assert YearCycle.objects.get(review_year=other).issued_revision is None


def test_compute_year_counts_the_authorities_and_needs_the_role() -> None:
    for name in ("Borsetshire", "Felpersham"):
        make_case(authority=make_authority(name=name), received_date=Y.start)
    with pytest.raises(NotAllowed):
        lifecycle.compute_year(year=Y, user=make_user("publisher"))
    assert lifecycle.compute_year(year=Y, user=make_user("analyst")) == 2
    freeze_statistics(year=Y)
    with pytest.raises(CycleError, match="2019-20 is frozen"):
        lifecycle.compute_year(year=Y, user=make_user("administrator"))


def test_freeze_year_sets_both_dates_and_needs_the_role() -> None:
    letter, publication = TODAY + dt.timedelta(days=30), TODAY + dt.timedelta(days=40)
    make_review_year(year=Y.label, letter_date=None, publication_date=None)
    with pytest.raises(NotAllowed):
        lifecycle.freeze_year(
            year=Y, user=make_user("publisher"), letter_date=letter, publication_date=publication
        )
    analyst = make_user("analyst")
    future = timezone.localdate() + dt.timedelta(days=30)
    review_year = lifecycle.freeze_year(
        year=Y, user=analyst, letter_date=future, publication_date=future + dt.timedelta(days=7)
    )
    assert review_year.status == ReviewYear.Status.FROZEN
    assert (review_year.letter_date, review_year.publication_date) == (
        future,
        future + dt.timedelta(days=7),
    )
    with pytest.raises(CycleError, match="2019-20 is already frozen"):
        lifecycle.freeze_year(
            year=Y, user=analyst, letter_date=future, publication_date=future + dt.timedelta(1)
        )


def test_freeze_year_refuses_dates_out_of_order_and_a_past_date_unless_confirmed() -> None:
    analyst = make_user("analyst")
    today = timezone.localdate()
    make_review_year(year=Y.label, letter_date=None, publication_date=None)
    with pytest.raises(CycleError, match="must come after the letter date"):
        lifecycle.freeze_year(
            year=Y, user=analyst, letter_date=today + dt.timedelta(2), publication_date=today
        )
    with pytest.raises(CycleError, match="is not in the future"):
        lifecycle.freeze_year(
            year=Y, user=analyst, letter_date=today - dt.timedelta(2), publication_date=today
        )
    assert ReviewYear.objects.get(year=Y.label).status == ReviewYear.Status.DRAFT
    review_year = lifecycle.freeze_year(
        year=Y,
        user=analyst,
        letter_date=today - dt.timedelta(2),
        publication_date=today,
        confirm_past=True,
    )
    assert review_year.publication_date == today


def test_require_dates_judges_against_today() -> None:
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    lifecycle.require_dates(letter_date=today, publication_date=tomorrow, confirm_past=False)
    with pytest.raises(CycleError, match="is not in the future"):
        lifecycle.require_dates(
            letter_date=today - dt.timedelta(1), publication_date=today, confirm_past=False
        )


def test_correct_year_returns_the_new_revision_and_needs_the_role_and_a_reason() -> None:
    frozen()
    with pytest.raises(NotAllowed):
        lifecycle.correct_year(year=Y, user=make_user("analyst"), reason="a late decision")
    publisher = make_user("publisher")
    with pytest.raises(CycleError, match="a correction needs a reason"):
        lifecycle.correct_year(year=Y, user=publisher, reason="  ")
    assert lifecycle.correct_year(year=Y, user=publisher, reason="a late decision") == 2
    assert lifecycle.correct_year(year=Y, user=publisher, reason="another") == 3


def test_approval_records_the_revision_the_template_who_and_when(year: ReviewYear, users) -> None:
    before = timezone.now()
    returned = lifecycle.approve_year(year=Y, user=users["publisher"])
    cycle = YearCycle.objects.get(review_year=year)
    assert returned.pk == cycle.pk and returned.approved_revision == 1
    assert cycle.approved_revision == 1
    template = letter_services.template_for_year(year)
    assert cycle.approved_template_hash == template.content_hash != ""
    assert cycle.approved_by == users["publisher"]
    assert cycle.approved_at is not None and before <= cycle.approved_at <= timezone.now()
    assert lifecycle.stage(year) is Stage.APPROVED


def test_freeze_year_keeps_the_publication_time_chosen() -> None:
    make_review_year(year=Y.label, letter_date=None, publication_date=None)
    future = timezone.localdate() + dt.timedelta(days=30)
    review_year = lifecycle.freeze_year(
        year=Y,
        user=make_user("analyst"),
        letter_date=future,
        publication_date=future + dt.timedelta(days=7),
        publication_time=dt.time(14, 15),
    )
    assert review_year.publication_time == dt.time(14, 15)
    assert ReviewYear.objects.get(year=Y.label).publication_time == dt.time(14, 15)


def test_withdrawing_an_approval_clears_all_of_it_for_that_year_only() -> None:
    review_year = frozen()
    publisher = make_user("publisher")
    moment = timezone.now()
    approved(review_year, approved_template_hash="a1", approved_by=publisher, approved_at=moment)
    other = make_review_year(year="2020-21")
    YearCycle.objects.create(
        review_year=other,
        approved_revision=1,
        approved_template_hash="b2",
        approved_by=publisher,
        approved_at=moment,
    )
    lifecycle.withdraw_approval(review_year)

    def approval(year: ReviewYear) -> tuple[object, ...]:
        cycle = YearCycle.objects.get(review_year=year)
        fields = ("approved_revision", "approved_template_hash", "approved_by_id", "approved_at")
        return tuple(getattr(cycle, name) for name in fields)

    assert approval(review_year) == (None, "", None, None)
    assert approval(other) == (1, "b2", publisher.pk, moment)


def sent_letter(review_year: ReviewYear) -> SentLetter:
    return SentLetter.objects.create(
        authority=make_authority(name=f"Ambridge {review_year.year}"),
        review_year=review_year,
        statistics_revision=1,
        email_path="/nowhere.eml",
        email_sha256="0" * 64,
        created_at=timezone.now(),
    )


def test_the_case_spreadsheet_option_is_the_senders_until_a_letter_is_sent() -> None:
    review_year = frozen()
    other = make_review_year(year="2020-21")
    YearCycle.objects.create(review_year=other)
    with pytest.raises(NotAllowed, match=r"^analyst may not send letters"):
        lifecycle.set_case_spreadsheet(year=Y, user=make_user("analyst"), attach=True)
    with pytest.raises(NotAllowed):
        lifecycle.set_case_spreadsheet(year=Y, user=None, attach=True)
    publisher = make_user("publisher")
    cycle = lifecycle.set_case_spreadsheet(year=Y, user=publisher, attach=True)
    assert cycle.review_year_id == review_year.pk and cycle.attach_case_spreadsheet is True
    assert YearCycle.objects.get(review_year=review_year).attach_case_spreadsheet is True
    assert YearCycle.objects.get(review_year=other).attach_case_spreadsheet is False
    sent_letter(other)  # another year's letters hold nothing back
    cycle = lifecycle.set_case_spreadsheet(year=Y, user=publisher, attach=False)
    assert cycle.attach_case_spreadsheet is False
    sent_letter(review_year)
    with pytest.raises(
        CycleError, match=r"^2019-20 letters have been sent: what they carry can no longer change$"
    ):
        lifecycle.set_case_spreadsheet(year=Y, user=publisher, attach=True)
    assert YearCycle.objects.get(review_year=review_year).attach_case_spreadsheet is False
