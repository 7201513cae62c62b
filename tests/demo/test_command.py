"""generate_demo_data against the database, on fictional authorities at small scale."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from councilperf.authorities.models import Contact
from councilperf.casework.models import Case, ComplianceOutcome, Dataset, ImportRun, Recommendation
from councilperf.demo.generator import generate
from councilperf.demo.services import authority_inputs
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.factories import make_authority

pytestmark = pytest.mark.django_db

YEARS = tuple(y.label for y in ReportingYear.span("2018-19:2024-25"))
SCALE = "0.02"


@pytest.fixture
def councils():
    return [
        make_authority(name="North East Derbyshire", gss_code="E07000038", years=YEARS),
        make_authority(name="Ambridge", group="district", years=YEARS, population=90_000),
        make_authority(name="Borsetshire", group="county", years=YEARS, population=190_000),
        make_authority(name="Felpersham", group="unitary", years=YEARS, population=260_000),
        make_authority(name="Loxley Barrett", group="london", years=YEARS, population=300_000),
    ]


def run(*args: str) -> str:
    out = StringIO()
    call_command("generate_demo_data", "--scale", SCALE, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def export_digest(directory: Path) -> str:
    call_command("export_casework", "--dataset", "demo", "--out", str(directory), stdout=StringIO())
    h = hashlib.sha256()
    files = sorted(directory.iterdir())
    assert len(files) == 3
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_writes_a_synthetic_dataset_through_the_import_service(councils):
    output = run()
    assert "Demo data written" in output
    dataset = Dataset.objects.get(slug="demo")
    assert dataset.synthetic is True
    expected = generate(authority_inputs(ReportingYear.span("2018-19:2024-25")), scale=0.02)
    assert Case.objects.filter(dataset=dataset).count() == len(expected.cases)
    assert Recommendation.objects.count() == len(expected.recommendations)
    assert ComplianceOutcome.objects.count() == len(expected.compliance)
    assert set(Case.objects.values_list("reference", flat=True)) == {
        c.reference for c in expected.cases
    }
    run_row = ImportRun.objects.get()
    assert run_row.dataset == dataset
    assert run_row.source == "generate_demo_data command"
    assert run_row.cases_added == len(expected.cases)


def test_contacts_are_roles_except_the_reference_letters_addressee(councils):
    run()
    for council in councils:
        contacts = {c.role: c for c in Contact.objects.filter(authority=council)}
        assert set(contacts) == {
            "chief_executive",
            "link_officer",
            "leader",
            "scrutiny_chair",
            "monitoring_officer",  # the 2025 letter copies the monitoring officer
        }
        assert all(c.email.endswith(".example.org") for c in contacts.values())
    chief = Contact.objects.get(authority__gss_code="E07000038", role="chief_executive")
    assert (chief.name, chief.job_title) == ("Mr Hickin", "Director of Corporate Resources")
    other = Contact.objects.get(authority=councils[1], role="chief_executive")
    assert (other.name, other.job_title) == ("Chief Executive", "Chief Executive")


def test_review_years_are_dated_and_chained(councils):
    run()
    year = ReviewYear.objects.get(year="2019-20")
    assert year.letter_date == dt.date(2020, 7, 22)
    assert year.publication_date == dt.date(2020, 7, 29)
    assert year.previous is not None and year.previous.year == "2018-19"
    rows = ReviewYear.objects.filter(year__in=YEARS)
    assert rows.count() == 7
    for row in rows:
        assert row.publication_date is not None and row.publication_date.month == 7
        assert row.letter_date is not None and row.letter_date < row.publication_date
    assert ReviewYear.objects.get(year="2020-21").publication_date == dt.date(2021, 7, 28)


def test_review_year_dates_already_set_are_kept(councils):
    ReviewYear.objects.create(year="2021-22", publication_date=dt.date(2022, 7, 6))
    run()
    assert ReviewYear.objects.get(year="2021-22").publication_date == dt.date(2022, 7, 6)


def test_rerun_writes_nothing_and_another_seed_replaces_the_cases(councils):
    run()
    first = set(Case.objects.values_list("reference", "received_date"))
    assert "already up to date" in run()
    assert ImportRun.objects.count() == 1
    assert set(Case.objects.values_list("reference", "received_date")) == first
    run("--seed", "2")
    second = set(Case.objects.values_list("reference", "received_date"))
    assert second != first
    expected = generate(authority_inputs(ReportingYear.span("2018-19:2024-25")), seed=2, scale=0.02)
    assert second == {(c.reference, c.received_date) for c in expected.cases}
    assert ImportRun.objects.count() == 2


def test_same_seed_gives_a_byte_identical_export(councils, tmp_path):
    run()
    first = export_digest(tmp_path / "a")
    run("--seed", "2")
    other = export_digest(tmp_path / "b")
    run("--seed", "1")
    again = export_digest(tmp_path / "c")
    assert first == again
    assert other != first


def test_report_prints_each_target_next_to_the_generated_figure(councils):
    output = run("--report")
    assert "Records digest: sha256:" in output
    lines = output.splitlines()
    header = next(line for line in lines if line.startswith("year"))
    assert "target" in header and "generated" in header
    for year in YEARS:
        assert any(line.startswith(year) and "upheld % of detailed" in line for line in lines)
    assert any("district councils (as displayed)" in line for line in lines)
    assert any("interpolated" in line and line.startswith("2021-22") for line in lines)


def test_without_authorities_it_says_what_to_run():
    with pytest.raises(CommandError, match="load_reference_data"):
        run()


def test_edited_contacts_are_kept_but_the_pinned_addressee_is_restored(councils):
    run()
    Contact.objects.filter(authority=councils[1], role="leader").update(name="Cllr Example")
    Contact.objects.filter(authority__gss_code="E07000038", role="chief_executive").update(
        name="Someone Else"
    )
    run("--seed", "2")
    assert Contact.objects.get(authority=councils[1], role="leader").name == "Cllr Example"
    chief = Contact.objects.get(authority__gss_code="E07000038", role="chief_executive")
    assert chief.name == "Mr Hickin"
