"""Every readiness check has a test that makes it fail (and the year ready otherwise), and the
demo's contacts include every role its templates copy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from councilperf.authorities.models import AuthorityYear, Contact
from councilperf.demo.services import ROLE_CONTACTS
from councilperf.distribution import readiness
from councilperf.letters.defaults import years as default_years
from councilperf.letters.models import Letter, LetterTemplate
from councilperf.statistics.models import ReviewYear
from tests.distribution.conftest import authorities
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def _draft(year: ReviewYear) -> None:
    ReviewYear.objects.filter(pk=year.pk).update(status=ReviewYear.Status.DRAFT)


def _no_chief(year: ReviewYear) -> None:
    Contact.objects.filter(authority=authorities()[1], role="chief_executive").delete()


def _no_leader_email(year: ReviewYear) -> None:
    Contact.objects.filter(authority=authorities()[0], role="leader").update(email="")


def _no_population(year: ReviewYear) -> None:
    AuthorityYear.objects.filter(authority=authorities()[0]).update(population=None)


def _letter_missing(year: ReviewYear) -> None:
    Path(Letter.objects.filter(review_year=year).first().pdf_path).unlink()  # type: ignore[union-attr]


def _letter_misdated(year: ReviewYear) -> None:
    letter = Letter.objects.filter(review_year=year).first()
    assert letter is not None and year.letter_date is not None
    path = Path(letter.html_path)
    right = f'datetime="{year.letter_date.isoformat()}"'
    path.write_text(path.read_text().replace(right, 'datetime="2020-07-22"'))


def _template_edited(year: ReviewYear) -> None:
    template = LetterTemplate.objects.get(review_year=year)
    template.body += "\n\nAn unreviewed sentence."
    template.save()


def _population_reloaded(year: ReviewYear) -> None:
    """A new estimate loaded after freezing: the council's year differs from the frozen one."""
    found = AuthorityYear.objects.filter(authority=authorities()[0], year=year.year)
    found.update(population=123_456, population_estimate=2024)


def _casework_changed(year: ReviewYear) -> None:
    make_case(authority=authorities()[0], decision_date=dt.date(2019, 7, 1), outcome="upheld")


BREAKS: dict[str, tuple[Callable[[ReviewYear], None], str]] = {
    "frozen": (_draft, "is a draft"),
    "chief_executive": (_no_chief, "Felpersham"),
    "copies": (_no_leader_email, "Leader: no email for 1 council"),
    "population": (_no_population, "Borsetshire"),
    "letters": (_letter_missing, "1 letter(s) missing or out of date"),
    "dates": (_letter_misdated, "1 letter(s) dated otherwise"),
    "template": (_template_edited, "changed since publisher reviewed it"),
    "changed": (_casework_changed, "1 authority changed"),
    "population_changed": (_population_reloaded, "Population changed since freezing for 1"),
}


def test_every_check_is_tested(year):
    keys = {c.key for c in readiness.readiness(review_year=year).checks}
    assert keys == set(BREAKS)


def test_a_ready_year_has_no_problem(year):
    assert readiness.readiness(review_year=year).problems() == []


@pytest.mark.parametrize("key", sorted(BREAKS))
def test_each_check_fails_when_its_rule_is_broken(year, key):
    breaker, message = BREAKS[key]
    breaker(year)
    year.refresh_from_db()
    report = readiness.readiness(review_year=year)
    check = next(c for c in report.checks if c.key == key)
    assert not check.ok and message in " ".join(check.problems), check.problems


def test_a_role_the_template_stops_copying_needs_no_email(year):
    _no_leader_email(year)
    template = LetterTemplate.objects.get(review_year=year)
    template.copies = "link_officer,scrutiny_chair"
    template.save()
    report = readiness.readiness(review_year=year)
    assert next(c for c in report.checks if c.key == "copies").ok


def test_the_demo_contacts_include_every_role_its_templates_copy():
    copied = {role for facts in default_years.FACTS for role in facts.copies}
    assert "monitoring_officer" in copied and copied <= set(ROLE_CONTACTS)
