"""Which revision and which year a run, its dry run and "issued" look at: a copy of an
older revision's letter, or of another year's, counts for nothing; a copy of this year's
letters still to be sent keeps the year from being issued. A run records each recipient's
first attempt only (a copy sent again is a row of its own) and reads the councils with the
letters."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from councilperf.authorities.models import Authority, Contact
from councilperf.distribution import lifecycle, sending
from councilperf.distribution.lifecycle import Stage
from councilperf.distribution.models import Delivery, SentLetter, YearCycle
from councilperf.distribution.smtp import Outcome, Result
from tests.distribution.conftest import approve, authorities
from tests.distribution.test_sending_steps import DEFER, Scripted, Y, sent_then_corrected
from tests.factories import make_review_year

pytestmark = pytest.mark.django_db

Status = Delivery.Status


def test_the_dry_run_counts_only_copies_of_the_approved_revision(year, users) -> None:
    """A copy of an older revision's letter still waiting (here the first council's, put
    back to retry) is not counted once the correction's letters have gone: the dry run
    counts copies of the letters it would send, and those are of the approved revision."""
    first, second, _ = authorities()
    sent_then_corrected(year, users, first)
    sending.send_letters(year=Y, user=None, transport=Scripted())
    assert {(p.code, p.sent_before) for p in sending.plan(year=Y)} == {
        (first.gss_code, True),
        (second.gss_code, True),
    }
    assert sending.outstanding(year=Y).letters == []
    old = Delivery.objects.filter(letter__authority=first, letter__statistics_revision=1)
    Delivery.objects.filter(pk=old.order_by("pk")[0].pk).update(status=Status.RETRY)
    assert sending.outstanding(year=Y).letters == []
    new = Delivery.objects.filter(letter__authority=first, letter__statistics_revision=2)
    Delivery.objects.filter(pk=new.order_by("pk")[0].pk).update(status=Status.RETRY)
    assert [(p.code, n) for p, n in sending.outstanding(year=Y).letters] == [(first.gss_code, 1)]


def test_the_year_is_not_issued_while_a_copy_of_its_letters_waits(year, users, settings) -> None:
    """Every letter recorded is not enough: a copy deferred by an earlier run (here the first
    council's leader) keeps the year from being issued until a resume has sent it."""
    settings.SEND_MAX_TRIES = 1
    approve(year, users["publisher"])
    first, *others = authorities()
    with pytest.raises(sending.SendIncomplete):
        sending.send_letters(
            year=Y,
            user=None,
            authority_codes=[first.gss_code],
            transport=Scripted(leader=DEFER),
        )
    codes = [a.gss_code for a in others]
    sending.send_letters(year=Y, user=None, authority_codes=codes, transport=Scripted())
    assert all(p.sent_before for p in sending.plan(year=Y))
    assert YearCycle.objects.get(review_year=year).issued_revision is None
    assert lifecycle.stage(year) is not Stage.ISSUED
    sending.resume_letters(year=Y, user=None, transport=Scripted())
    assert YearCycle.objects.get(review_year=year).issued_revision == 1
    assert lifecycle.stage(year) is Stage.ISSUED


def test_a_copy_waiting_in_another_year_does_not_hold_this_year_back(year, users) -> None:
    approve(year, users["publisher"])
    first = authorities()[0]
    earlier = SentLetter.objects.create(
        authority=first,
        review_year=make_review_year(year="2018-19"),
        statistics_revision=1,
        created_at=timezone.now(),
    )
    Delivery.objects.create(
        letter=earlier,
        role="leader",
        name="Leader",
        email=f"leader@{first.slug}.example.org",
        message_id="<earlier@councilperf.test>",
        status=Status.RETRY,
        created_at=timezone.now(),
    )
    sending.send_letters(year=Y, user=None, transport=Scripted())
    assert sending.plan_is_done(year, 1)
    assert lifecycle.stage(year) is Stage.ISSUED


def test_a_copy_of_the_revision_before_a_correction_does_not_hold_it_back(year, users) -> None:
    """Once the correction's letters have gone the year is issued, even with a copy of the
    earlier revision's letter still marked to retry (a resume sends only the approved one's)."""
    first = authorities()[0]
    sent_then_corrected(year, users, first)
    old = Delivery.objects.filter(letter__authority=first, letter__statistics_revision=1)
    Delivery.objects.filter(pk=old.order_by("pk")[0].pk).update(status=Status.RETRY)
    sending.send_letters(year=Y, user=None, transport=Scripted())
    assert sending.plan_is_done(year, 2)
    assert YearCycle.objects.get(review_year=year).issued_revision == 2
    assert lifecycle.stage(year) is Stage.ISSUED


def test_a_run_after_a_copy_was_sent_again_records_and_sends_nothing_twice(year, users) -> None:
    """The rows a run records are each recipient's first attempt: a copy sent again (attempt
    2) for the same letter and address is a row of its own, and a later run for the other
    councils neither trips over it nor sends the first council's copies again."""
    approve(year, users["publisher"])
    first, *others = authorities()
    refused = Result(Outcome.PERMANENT, "550 gone")
    sending.send_letters(
        year=Y, user=None, authority_codes=[first.gss_code], transport=Scripted(leader=refused)
    )
    copy = Delivery.objects.get(letter__authority=first, status=Status.FAILED)
    sending.send_again(
        delivery_id=copy.pk, user=users["publisher"], reason="new address", transport=Scripted()
    )
    transport = Scripted()
    sending.send_letters(year=Y, user=None, transport=transport)
    assert len(transport.sent) == 4 * len(others)
    assert not [r for r in transport.sent if r.endswith(f"@{first.slug}.example.org")]
    mine = Delivery.objects.filter(letter__authority=first)
    assert sorted(mine.values_list("attempt", flat=True)) == [1, 1, 1, 1, 2]


def test_a_run_reads_each_letter_with_its_council_at_once(year, users) -> None:
    approve(year, users["publisher"])
    with CaptureQueriesContext(connection) as queries:
        sending.send_letters(year=Y, user=None, transport=Scripted())
        sending.send_letters(year=Y, user=None, transport=Scripted())  # reads the sent letters
    table = Authority._meta.db_table
    # no query of its own for each letter's council
    assert one_by_one(queries, f'FROM "{table}" WHERE "{table}"."id" = ') == []


def test_a_correction_to_the_last_council_by_name_reaches_it_past_those_unchanged(
    year, users
) -> None:
    """The councils a correction leaves alone are passed over, not the end of the plan: here
    the two districts come first by name and only the unitary council's figures change."""
    _, _, unitary = authorities()
    sent_then_corrected(year, users, unitary)
    planned = sending.plan(year=Y)
    assert [(p.code, p.corrected, p.sent_before) for p in planned] == [
        (unitary.gss_code, True, False)
    ]


def test_the_plan_reads_every_councils_contacts_at_once(year, users) -> None:
    approve(year, users["publisher"])
    with CaptureQueriesContext(connection) as queries:
        planned = sending.plan(year=Y)
    assert len(planned) == 3 and all(p.recipients for p in planned)
    table = Contact._meta.db_table
    # no query of its own for each council's contacts
    assert one_by_one(queries, f'WHERE "{table}"."authority_id" = ') == []


def one_by_one(queries: CaptureQueriesContext, where: str) -> list[str]:
    """The queries that read one row by its key: one per item where one for all would do."""
    return [q["sql"] for q in queries.captured_queries if where in q["sql"]]
