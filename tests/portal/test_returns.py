"""The council's return pages: only the council's own people, only for a year open for
returns; a draft keeps what passed and re-shows what was typed; sending for sign-off needs
every check; only the approver signs off, with a second factor; a submitted return is
locked; after the deadline a return still goes, shown late."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from councilperf.portal.models import ComplaintReturn, CouncilRole, ReturnPeriod
from tests.factories import make_authority
from tests.portal.factories_returns import (
    YEAR,
    complete,
    make_member,
    make_period,
    signed_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    council = make_authority(name="Borsetshire", years=(YEAR,))
    other = make_authority(name="Felpersham", years=(YEAR,))
    period = make_period()
    return {
        "council": council,
        "other": other,
        "period": period,
        "officer": make_member(council),
        "approver": make_member(council, CouncilRole.APPROVER),
        "stranger": make_member(other, CouncilRole.APPROVER),
    }


def url(council: Any, page: str = "") -> str:
    return f"/council/{council.slug}/{YEAR}/return/{page}"


PAGES = ("", "upload/", "check/", "sign-off/")


def saved(council: Any) -> ComplaintReturn | None:
    return ComplaintReturn.objects.filter(authority=council).first()


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


def test_the_pages_need_a_year_open_for_returns(world: dict[str, Any]) -> None:
    client = signed_in(world["approver"], verified=True)
    assert client.get(url(world["council"])).status_code == 200
    ReturnPeriod.objects.all().delete()
    for page in PAGES:
        assert client.get(url(world["council"], page)).status_code == 404, page


def test_another_councils_people_get_404_and_visitors_the_sign_in_page(
    world: dict[str, Any],
) -> None:
    stranger = signed_in(world["stranger"], verified=True)
    visitor = Client()
    with NoWrites():
        for page in PAGES:
            address = url(world["council"], page)
            assert stranger.get(address).status_code == 404, page
            assert stranger.post(address, complete()).status_code == 404, page
            answer = visitor.get(address)
            assert answer.status_code == 302 and "sign-in" in answer["Location"], page
            assert visitor.post(address, complete()).status_code == 302
    assert saved(world["council"]) is None


def test_reading_the_pages_writes_nothing(world: dict[str, Any]) -> None:
    client = signed_in(world["approver"], verified=True)
    client.post(url(world["council"]), {**complete(), "save": "1"})
    with NoWrites():
        for page in PAGES:
            assert client.get(url(world["council"], page)).status_code == 200, page


def test_save_as_draft_keeps_what_passed_and_reshows_what_was_typed(
    world: dict[str, Any],
) -> None:
    client = signed_in(world["officer"])
    typed = complete(stage1_upheld="-3", self_assessment_url="http://example.gov.uk/sa")
    typed["definition_comment"] = "Our <b>policy</b> & its words"
    answer = client.post(url(world["council"]), {**typed, "save": "1"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "There is a problem" in page
    assert 'href="#stage1_upheld">Stage 1 complaints upheld must be 0 or more' in page
    assert 'value="-3"' in page and 'value="http://example.gov.uk/sa"' in page
    assert "Our &lt;b&gt;policy&lt;/b&gt; &amp; its words" in page
    row = saved(world["council"])
    assert row is not None and row.status == "draft"
    assert row.stage1_received == 412 and row.stage1_upheld is None
    assert row.self_assessment_url == ""
    assert row.assessments.get(section="definition").comment == "Our <b>policy</b> & its words"
    assert row.prepared_by == world["officer"]


def test_continue_goes_to_check_your_answers_then_sign_off_is_requested(
    world: dict[str, Any],
) -> None:
    client = signed_in(world["officer"])
    answer = client.post(url(world["council"]), {**complete(), "continue": "1"})
    assert answer.status_code == 302 and answer["Location"] == url(world["council"], "check/")
    page = client.get(answer["Location"]).content.decode()
    assert "Check your answers" in page and "Partly meets: Stage 2 answers were late" in page
    assert client.post(url(world["council"], "check/")).status_code == 302
    row = saved(world["council"])
    assert row is not None and row.status == ComplaintReturn.Status.READY


def test_an_incomplete_return_cannot_be_sent_for_sign_off(world: dict[str, Any]) -> None:
    client = signed_in(world["officer"])
    client.post(url(world["council"]), {**complete(learning_rating="", escalated=""), "save": "1"})
    page = client.get(url(world["council"], "check/")).content.decode()
    assert "cannot be sent for sign-off yet" in page
    assert "Complaints escalated to the ombudsman must be filled in" in page
    client.post(url(world["council"], "check/"))
    row = saved(world["council"])
    assert row is not None and row.status == ComplaintReturn.Status.DRAFT


def ready(world: dict[str, Any]) -> None:
    client = signed_in(world["officer"])
    client.post(url(world["council"]), {**complete(), "save": "1"})
    client.post(url(world["council"], "check/"))
    row = saved(world["council"])
    assert row is not None and row.status == ComplaintReturn.Status.READY


def test_an_officer_cannot_sign_off(world: dict[str, Any]) -> None:
    ready(world)
    client = signed_in(world["officer"], verified=True)
    assert client.get(url(world["council"], "sign-off/")).status_code == 404
    assert client.post(url(world["council"], "sign-off/"), {"confirm": "yes"}).status_code == 404
    assert saved(world["council"]).status == ComplaintReturn.Status.READY  # type: ignore[union-attr]


def test_an_approver_without_a_second_factor_cannot_sign_off(
    world: dict[str, Any], settings: Any
) -> None:
    settings.COUNCILPERF_TWO_FACTOR = True
    ready(world)
    client = signed_in(world["approver"], verified=False)
    answer = client.post(url(world["council"], "sign-off/"), {"confirm": "yes"})
    # The two-factor middleware stops the request before the view: to set up or verify.
    assert answer.status_code == 302
    assert answer["Location"].startswith("/council/two-factor/")
    assert saved(world["council"]).status == ComplaintReturn.Status.READY  # type: ignore[union-attr]


def test_with_two_factor_switched_off_the_approver_signs_off_without_it(
    world: dict[str, Any], settings: Any
) -> None:
    settings.COUNCILPERF_TWO_FACTOR = False
    ready(world)
    client = signed_in(world["approver"], verified=False)
    assert client.post(url(world["council"], "sign-off/"), {"confirm": "yes"}).status_code == 302
    assert saved(world["council"]).status == ComplaintReturn.Status.SUBMITTED  # type: ignore[union-attr]


def test_the_verified_approver_signs_off_after_confirming(world: dict[str, Any]) -> None:
    ready(world)
    client = signed_in(world["approver"], verified=True)
    page = client.get(url(world["council"], "sign-off/")).content.decode()
    assert "I confirm this return is correct" in page
    unconfirmed = client.post(url(world["council"], "sign-off/"), {})
    assert unconfirmed.status_code == 400
    assert "Confirm that the return is correct" in unconfirmed.content.decode()
    assert saved(world["council"]).status == ComplaintReturn.Status.READY  # type: ignore[union-attr]
    assert client.post(url(world["council"], "sign-off/"), {"confirm": "yes"}).status_code == 302
    row = saved(world["council"])
    assert row is not None and row.status == ComplaintReturn.Status.SUBMITTED
    assert row.signed_off_by == world["approver"] and row.signed_off_at is not None
    assert "Late" not in client.get(url(world["council"])).content.decode()


def test_a_draft_cannot_be_signed_off(world: dict[str, Any]) -> None:
    signed_in(world["officer"]).post(url(world["council"]), {**complete(), "save": "1"})
    client = signed_in(world["approver"], verified=True)
    client.post(url(world["council"], "sign-off/"), {"confirm": "yes"})
    assert saved(world["council"]).status == ComplaintReturn.Status.DRAFT  # type: ignore[union-attr]


def test_changing_a_return_waiting_for_sign_off_takes_it_back_to_draft(
    world: dict[str, Any],
) -> None:
    ready(world)
    officer = signed_in(world["officer"])
    officer.post(url(world["council"]), {**complete(escalated="3"), "save": "1"})
    row = saved(world["council"])
    assert row is not None and row.status == ComplaintReturn.Status.DRAFT and row.escalated == 3


def test_a_submitted_return_is_locked(world: dict[str, Any]) -> None:
    ready(world)
    signed_in(world["approver"], verified=True).post(
        url(world["council"], "sign-off/"), {"confirm": "yes"}
    )
    client = signed_in(world["officer"])
    client.post(url(world["council"]), {**complete(escalated="1"), "save": "1"})
    client.post(url(world["council"], "check/"))
    page = client.get(url(world["council"])).content.decode()
    assert "can no longer be changed" in page and 'name="escalated"' not in page
    row = saved(world["council"])
    assert row is not None and row.status == ComplaintReturn.Status.SUBMITTED
    assert row.escalated == 15


def test_after_the_deadline_a_return_is_still_submitted_but_shown_late(
    world: dict[str, Any],
) -> None:
    ReturnPeriod.objects.update(deadline=dt.date(2026, 5, 1))
    client = signed_in(world["officer"])
    client.post(url(world["council"]), {**complete(self_assessment_date="14/04/2026"), "save": "1"})
    client.post(url(world["council"], "check/"))
    signed_in(world["approver"], verified=True).post(
        url(world["council"], "sign-off/"), {"confirm": "yes"}
    )
    row = saved(world["council"])
    assert row is not None and row.status == ComplaintReturn.Status.SUBMITTED
    page = client.get(url(world["council"])).content.decode()
    assert 'govuk-tag--red">Late' in page


# Upload ---------------------------------------------------------------------------------


def csv_file(raw: dict[str, str], name: str = "return.csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = "field,value\n" + "".join(f'{k},"{v}"\n' for k, v in raw.items())
    return SimpleUploadedFile(name, body.encode())


def test_a_good_file_fills_the_draft(world: dict[str, Any]) -> None:
    client = signed_in(world["officer"])
    answer = client.post(url(world["council"], "upload/"), {"file": csv_file(complete())})
    assert answer.status_code == 302
    row = saved(world["council"])
    assert row is not None and row.stage2_upheld == 20 and row.assessments.count() == 9
    assert row.self_assessment_date == dt.date(2027, 5, 14)


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (lambda: csv_file(complete(), name="return.docx"), "must be a CSV or XLSX file"),
        (lambda: csv_file(complete(stage1_in_time="401")), "cannot be more than stage 1"),
        (lambda: csv_file(complete(escalated="2.5")), "not a fraction"),
        (
            lambda: csv_file({k: v for k, v in complete().items() if k != "escalated"}),
            "no row for the field “escalated”",
        ),
        (lambda: csv_file(complete(definition_comment="x" * 2_000_000)), "smaller than 1 MB"),
    ],
)
def test_a_bad_file_is_refused_with_a_named_error_and_nothing_saved(
    world: dict[str, Any], upload: Any, error: str
) -> None:
    client = signed_in(world["officer"])
    client.post(url(world["council"]), {"stage1_received": "5", "save": "1"})
    answer = client.post(url(world["council"], "upload/"), {"file": upload()})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "The file was not used" in page and error in page
    row = saved(world["council"])
    assert row is not None and row.stage1_received == 5 and row.stage1_responded is None


def test_posting_no_file_is_a_named_error(world: dict[str, Any]) -> None:
    answer = signed_in(world["officer"]).post(url(world["council"], "upload/"), {})
    assert answer.status_code == 400 and "Choose a CSV or XLSX file" in answer.content.decode()
    assert saved(world["council"]) is None
