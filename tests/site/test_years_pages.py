"""Years in their own terms on the site: a 2024-25 council page shows the year's reporting
categories, its trend table marks the 2022-23 method note and breaks where the scheme
changes; the review lists the notes and the year's categories."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from councilperf.statistics.models import MethodNote
from councilperf.years import ReportingYear
from tests.factories import make_authority, make_case, make_review_year, publish_year
from tests.site.conftest import Page

YEARS = ("2022-23", "2023-24", "2024-25")
OUTCOMES = {
    "invalid_or_incomplete": 1,
    "advice_given": 2,
    "referred_back_for_local_resolution": 3,
    "closed_after_initial_enquiries": 4,
    "not_upheld": 5,
    "upheld": 6,
}
TRIAGE = "Change to triage: borderline cases no longer investigated."


@pytest.fixture
def three_years(db: None) -> str:
    council = make_authority(name="Ambridge", group="district", years=YEARS, population=90_000)
    for start, year in zip((2022, 2023, 2024), YEARS, strict=True):
        for outcome, n in OUTCOMES.items():
            for _ in range(n):
                make_case(
                    authority=council,
                    decision_date=dt.date(start, 10, 1),
                    outcome=outcome,
                    service_area="housing",
                )
        make_review_year(
            year=year,
            letter_date=dt.date(start + 1, 7, 1),
            publication_date=dt.date(start + 1, 7, 8),
        )
        publish_year(year)
    MethodNote.objects.create(year="2022-23", measure="upheld_rate", text=TRIAGE)
    return council.slug


def test_council_page_2024_25_in_its_own_terms(client: Client, three_years: str) -> None:
    html = client.get(f"/councils/{three_years}/2024-25/").content.decode()
    page = Page(html)
    assert "Complaints dealt with, 2024-25" in page.text
    for label, count in (
        ("Dealt with", 21),
        ("Not for us", 4),
        ("Assessed and closed", 6),
        ("Investigated", 11),
    ):
        assert f"{label} {count}" in page.text
    assert 'data-category="not_for_us"' in html
    # The trend table marks 2022-23 with the note, and breaks before 2024-25.
    assert '2022-23 <a class="govuk-link cp-note-mark" href="#method-notes" data-note="1">' in html
    assert 'data-note-year="2022-23"' in html and TRIAGE in page.text
    assert "(Complaints upheld): " + TRIAGE in page.text
    assert html.count('class="govuk-table__row cp-scheme-break"') == 1
    assert html.index("cp-scheme-break") < html.index(
        '<th scope="row" class="govuk-table__header">2024-25'
    )
    assert html.index("cp-scheme-break") > html.index(
        '<th scope="row" class="govuk-table__header">2023-24'
    )
    # The chart marks the note's year too.
    assert '<g class="cp-chart__note" data-note-year="2022-23">' in html


def test_a_classic_year_shows_the_six_outcomes(client: Client, three_years: str) -> None:
    page = Page(client.get(f"/councils/{three_years}/2023-24/").content.decode())
    assert "Decisions by outcome, 2023-24" in page.text
    assert "Referred back for local resolution 3" in page.text
    assert "Not for us" not in page.text


def test_review_lists_the_notes_and_the_year_categories(client: Client, three_years: str) -> None:
    html = client.get("/review/2024-25/").content.decode()
    page = Page(html)
    assert TRIAGE in page.text and 'data-note="1"' in html
    assert "Complaints dealt with, England, 2024-25" in page.text
    assert "Not for us 4" in page.text
    assert "Change of reporting: From 2024-25 complaints are reported as dealt with" in page.text


def test_notes_of_unpublished_years_stay_hidden(three_years: str) -> None:
    from councilperf.published import figures

    make_review_year(year="2021-22", publication_date=None)  # a draft
    MethodNote.objects.create(year="2021-22", text="A draft year's note.")
    MethodNote.objects.create(year="2025-26", text="A year not yet reviewed.")
    found = figures.method_notes([ReportingYear(2021), ReportingYear(2022), ReportingYear(2025)])
    assert [n.text for n in found] == [TRIAGE]


@pytest.mark.django_db
def test_a_note_names_a_real_year_measure_and_group() -> None:
    with pytest.raises(ValidationError) as caught:
        MethodNote(year="2022-24", measure="speed", group="parish", text="x").full_clean()
    assert set(caught.value.message_dict) == {"year", "measure", "group"}
    note = MethodNote(year="2022-23", measure="late_remedy_rate", group="district", text="x")
    note.full_clean()


def test_the_export_gives_each_year_in_its_own_categories(client: Client, three_years: str) -> None:
    import csv
    import io

    def row(year: str) -> dict[str, str]:
        response = client.get(f"/downloads/{year}/statistics.csv")
        (found,) = list(csv.DictReader(io.StringIO(response.content.decode())))
        return found

    new, classic = row("2024-25"), row("2023-24")
    assert new["reporting_scheme"] == "dealt_with" and classic["reporting_scheme"] == "classic"
    assert (new["not_for_us"], new["assessed_and_closed"], new["investigated"]) == ("4", "6", "11")
    assert new["advice_given"] == new["not_upheld"] == ""
    assert (classic["advice_given"], classic["not_upheld"]) == ("2", "5")
    assert classic["not_for_us"] == classic["investigated"] == ""
    assert new["decisions_made"] == "21" and new["upheld"] == "6"


def test_a_revision_stored_before_the_late_measure_still_shows(
    client: Client, three_years: str
) -> None:
    """Revisions frozen before "remedies completed late" existed have no stored figures for
    it: its value still follows from the counts; the peer average and interval show "–"."""
    import json

    from django.db import connection

    from councilperf.statistics.models import AuthorityStatistics, GroupStatistics

    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    for model, part in (
        (AuthorityStatistics, "late_remedy"),
        (GroupStatistics, "late_remedy_rate"),
    ):
        table = model._meta.db_table
        for row in model.objects.filter(revision__review_year__year="2023-24"):
            figures = {k: v for k, v in row.figures.items() if k != part}
            with connection.cursor() as cursor:  # frozen rows refuse the ORM's writes
                cursor.execute(
                    f"UPDATE {table} SET figures = %s{cast} WHERE id = %s",
                    [json.dumps(figures), row.pk],
                )
        assert not any(
            part in r.figures for r in model.objects.filter(revision__review_year__year="2023-24")
        )
    from django.core.cache import cache

    cache.clear()
    for address in (
        f"/councils/{three_years}/2023-24/",
        "/compare/2023-24/district/",
        "/review/2023-24/",
        "/downloads/2023-24/statistics.csv",
    ):
        assert client.get(address).status_code == 200, address
    page = Page(client.get(f"/councils/{three_years}/2023-24/").content.decode())
    assert "Remedies completed late" in page.text
