"""A new year is data: staff start it (page and ``start_year``) with its template a copy of
the latest year's, a publisher reviews the template (``review_letter_template``), and the
demo reviews instead of editing text, so its 2020 letter is the reference letter again."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from councilperf.distribution import readiness, roles, yearstart
from councilperf.letters import batch, services
from councilperf.letters.models import LetterTemplate
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.distribution.conftest import make_user
from tests.factories import make_review_year
from tests.letters.conftest import (  # noqa: F401  (fixtures)
    REFERENCE_LETTER,
    north_east_derbyshire,
    reference_statistics,
    review_year,
)
from tests.letters.pdftools import normalise, pdftotext

pytestmark = pytest.mark.django_db

NEW = ReportingYear.parse("2025-26")  # no row in letters/defaults/years.py
ROOT = Path(__file__).resolve().parents[2]


def template_check(year: ReviewYear) -> tuple[str, ...]:
    report = readiness.readiness(review_year=year)
    return next(c for c in report.checks if c.key == "template").problems


def test_a_new_year_copies_the_latest_years_template_as_staff_left_it():
    latest = services.template_for_year(make_review_year(year="2024-25"))
    latest.signatory = "A. N. Other\nOmbudsman"
    latest.body += "\n\nA paragraph written for 2025."
    latest.copies = "link_officer,leader"
    latest.save()
    out = io.StringIO()
    call_command("start_year", "--year", NEW.label, stdout=out)
    assert "signed by A. N. Other" in out.getvalue()
    new = LetterTemplate.objects.get(review_year__year=NEW.label)
    assert (new.signatory, new.body, new.copies) == (
        latest.signatory,
        latest.body,
        "link_officer,leader",
    )
    assert new.blocks == latest.blocks and new.show_categories == latest.show_categories
    assert new.review_year.previous == latest.review_year
    assert not new.reviewed and new.version == 1
    with pytest.raises(CommandError, match="started already"):
        call_command("start_year", "--year", NEW.label)


def test_with_no_template_yet_a_new_year_starts_from_the_latest_defaults_not_the_oldest():
    template = yearstart.start_year(year=NEW, user=None)
    assert template.signatory.startswith("Amerdeep Somal")  # 2025's, not 2020's Michael King
    assert template.copy_roles[-1] == "monitoring_officer"


def test_starting_a_year_in_the_staff_pages(users):
    client = Client()
    client.force_login(users["analyst"])
    assert 'action="/staff/start/"' in client.get("/staff/").content.decode()
    response = client.post("/staff/start/", {"year": NEW.label})
    assert response.status_code == 302 and response["Location"] == f"/staff/{NEW.label}/"
    assert LetterTemplate.objects.filter(review_year__year=NEW.label).exists()
    client.force_login(users["publisher"])
    client.post("/staff/start/", {"year": "2026-27"})
    assert not ReviewYear.objects.filter(year="2026-27").exists()  # not a publisher's step


def test_review_records_who_and_when_and_an_edit_needs_a_new_review(users):
    template = yearstart.start_year(year=NEW, user=users["analyst"])
    year = template.review_year
    assert "not reviewed by a publisher yet" in template_check(year)[0]
    with pytest.raises(roles.NotAllowed):
        yearstart.review_template(year=NEW, user=users["analyst"])
    out = io.StringIO()
    call_command("review_letter_template", "--year", NEW.label, "--as", "publisher", stdout=out)
    assert "reviewed by publisher" in out.getvalue()
    template.refresh_from_db()
    assert template.reviewed_by == "publisher" and template.reviewed_at is not None
    assert template_check(year) == ()
    template.body += "\n\nOne more sentence."
    template.save()
    assert "changed since publisher reviewed it" in template_check(year)[0]
    client = Client()
    client.force_login(users["publisher"])
    page = client.get(f"/staff/{NEW.label}/").content.decode()
    assert "Changed since reviewed" in page
    client.post(f"/staff/{NEW.label}/template/review/")
    assert template_check(year) == ()


def test_the_demo_reviews_and_its_2020_letter_is_the_reference_letter(
    review_year,  # noqa: F811
    north_east_derbyshire,  # noqa: F811
    tmp_path,
):
    script = (ROOT / "scripts" / "demo-cycle.sh").read_text(encoding="utf-8")
    assert "review_letter_template" in script
    assert not re.search(r"template\.body\s*=\s*template\.body\.rstrip\(\)\s*\+", script)
    make_user("publisher")
    call_command("review_letter_template", "--year", "2019-20", "--as", "publisher")
    summary = batch.generate_letters(
        year=ReportingYear(2019),
        authority_codes=["E07000038"],
        out=tmp_path,
        statistics={"E07000038": reference_statistics()},
        processes=1,
    )
    expected = normalise(REFERENCE_LETTER.read_text(encoding="utf-8"))
    assert normalise(pdftotext(summary.directory / "E07000038.pdf")) == expected
    assert template_check(review_year) == ()
