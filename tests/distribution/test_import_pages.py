"""Importing casework in the staff pages (/staff/import/): the analyst's role, datasets
chosen from a list (added by their own form), problems grouped by message, the files kept
for the retry, and a confirmation that imports exactly what was previewed or nothing."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from councilperf.casework.models import Case, Dataset, ImportRun
from councilperf.casework.parsing import Kind
from councilperf.distribution import jobs
from councilperf.distribution.models import QueueJob
from tests.casework.files import csv_text, rows
from tests.distribution.conftest import make_user, run_worker
from tests.factories import make_authority

pytestmark = pytest.mark.django_db

IMPORT = reverse("distribution:import")
CONFIRM = reverse("distribution:import_confirm")
REMOVE = reverse("distribution:import_remove")
ADD_DATASET = reverse("distribution:import_dataset")


@pytest.fixture(autouse=True)
def _var_dir(tmp_path: Path) -> Iterator[None]:
    with override_settings(VAR_DIR=tmp_path):
        yield


@pytest.fixture
def analyst(client: Client) -> Client:
    make_authority(name="Borsetshire", gss_code="E07999001")
    Dataset.objects.create(slug="ombudsman", name="Ombudsman casework")
    client.force_login(make_user("analyst"))
    return client


def _file(name: str, kind: Kind, *changes: dict[str, str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_text(rows(kind, *changes)).encode(), "text/csv")


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden {name} in the page"
    return found.group(1)


def _preview(client: Client, dataset: str = "ombudsman", **changes: str) -> dict[str, str]:
    page = client.post(
        IMPORT, {"dataset": dataset, "casework_files": [_file("cases.csv", Kind.CASES, changes)]}
    )
    assert page.status_code == 200, page.content.decode()
    html = page.content.decode()
    assert "Check the import before you confirm" in html and "1 added" in html
    return {name: _hidden(html, name) for name in ("upload", "dataset", "fingerprint")}


def test_only_analysts_and_administrators_import(client: Client) -> None:
    assert client.get(IMPORT).status_code == 302  # to the login page
    client.force_login(make_user("publisher"))
    for address in (IMPORT, ADD_DATASET):
        assert client.get(address).status_code == 403
    for address in (IMPORT, CONFIRM, REMOVE, ADD_DATASET):
        assert client.post(address, {"slug": "x", "title": "X"}).status_code == 403
    assert not Dataset.objects.exists()
    for role in ("analyst", "administrator"):
        client.force_login(make_user(role))
        page = client.get(IMPORT)
        assert page.status_code == 200 and 'class="govuk-file-upload"' in page.content.decode()


def test_the_staff_home_links_to_the_import(analyst: Client) -> None:
    assert f'href="{IMPORT}"' in analyst.get(reverse("distribution:index")).content.decode()


def test_the_dataset_list_offers_only_existing_datasets(analyst: Client) -> None:
    Dataset.objects.create(slug="demo", name="Demonstration")
    html = analyst.get(IMPORT).content.decode()
    assert re.findall(r'<option value="([^"]+)"', html) == ["demo", "ombudsman"]
    page = analyst.post(
        IMPORT, {"dataset": "new-one", "casework_files": [_file("cases.csv", Kind.CASES, {})]}
    )
    assert page.status_code == 400
    assert "govuk-error-summary" in page.content.decode()
    assert not Dataset.objects.filter(slug="new-one").exists() and not Case.objects.exists()


@pytest.mark.parametrize(
    "slug", ["", "Upper", "two words", "-lead", "trail-", "dou--ble", "x" * 41, "ombudsman"]
)
def test_the_add_dataset_form_validates_its_slug(analyst: Client, slug: str) -> None:
    page = analyst.post(ADD_DATASET, {"slug": slug, "title": "A title"})
    assert page.status_code == 400
    assert "govuk-error-summary" in page.content.decode()
    assert list(Dataset.objects.values_list("slug", flat=True)) == ["ombudsman"]


def test_a_dataset_added_is_offered(analyst: Client) -> None:
    page = analyst.post(ADD_DATASET, {"slug": "ombudsman-2025", "title": "  Casework  2025 "})
    assert page.status_code == 302
    assert Dataset.objects.get(slug="ombudsman-2025").name == "Casework 2025"
    assert '<option value="ombudsman-2025"' in analyst.get(IMPORT).content.decode()
    assert analyst.post(ADD_DATASET, {"slug": "ok", "title": ""}).status_code == 400


def test_identical_problems_are_one_group_with_a_count_and_the_first_rows(
    analyst: Client,
) -> None:
    changes = [
        {"reference": f"19 {n // 1000:03d} {n % 1000:03d}", "outcome": "won"} for n in range(2713)
    ]
    bad = _file("cases.csv", Kind.CASES, *changes)
    page = analyst.post(IMPORT, {"dataset": "ombudsman", "casework_files": [bad]})

    assert page.status_code == 400
    html = page.content.decode()
    assert "2,713 problems found in the files: nothing was imported" in html
    summary = html.partition('govuk-error-summary__list">')[2].partition("</ul>")[0]
    assert summary.count("<li>") == 1
    assert re.search(r"not an outcome[^<]*\(2,713 rows\)", summary)
    table = html.partition('id="problem-1"')[2].partition("</table>")[0]
    assert table.count('<tr class="govuk-table__row"><td') == 5
    assert "cases.csv" in table and ">2<" in table and ">6<" in table and "won" in table
    assert "… and 2,708 more rows with this problem." in html
    assert html.count("<tr") < 20  # never a page of 2,713 rows
    assert not Case.objects.exists() and not ImportRun.objects.exists()


def test_the_files_survive_the_error_round_trip(analyst: Client, tmp_path: Path) -> None:
    cases = _file("cases.csv", Kind.CASES, {})
    bad = _file("recommendations.csv", Kind.RECOMMENDATIONS, {"kind": "cake"})
    page = analyst.post(IMPORT, {"dataset": "ombudsman", "casework_files": [cases, bad]})
    assert page.status_code == 400
    html = page.content.decode()
    token = _hidden(html, "upload")
    assert "Files kept from your last try" in html
    assert "cases.csv" in html and "recommendations.csv" in html
    assert html.count(">Remove<") == 2

    removed = analyst.post(REMOVE, {"upload": token, "index": 1})
    assert removed.status_code == 302 and removed["Location"] == f"{IMPORT}?upload={token}"
    html = analyst.get(removed["Location"]).content.decode()
    assert "cases.csv" in html and "recommendations.csv" not in html
    assert 'value="ombudsman" selected' in html

    # Checked again with no new file: the kept one is previewed, under the same token.
    page = analyst.post(IMPORT, {"dataset": "ombudsman", "upload": token})
    assert page.status_code == 200 and _hidden(page.content.decode(), "upload") == token
    assert "1 added" in page.content.decode()
    assert [p.name for p in (tmp_path / "casework-uploads").iterdir()] == [token]


def test_another_users_staged_files_are_not_shown(analyst: Client, client: Client) -> None:
    cases = _file("cases.csv", Kind.CASES, {"outcome": "won"})
    token = _hidden(
        analyst.post(IMPORT, {"dataset": "ombudsman", "casework_files": [cases]}).content.decode(),
        "upload",
    )
    other = Client()
    other.force_login(make_user("administrator"))
    assert "cases.csv" not in other.get(f"{IMPORT}?upload={token}").content.decode()


@pytest.fixture
def queue() -> Iterator[Any]:
    found = jobs.queue()
    found.empty()
    yield found
    found.empty()


def test_preview_then_confirm_imports_exactly_those_cases(
    analyst: Client, tmp_path: Path, queue: Any
) -> None:
    form = _preview(analyst, reference="19 123 456")
    assert not Case.objects.exists()
    queued = analyst.post(CONFIRM, form)
    job = QueueJob.objects.get()
    assert queued.status_code == 302 and queued["Location"] == f"/staff/jobs/{job.pk}/"
    assert job.kind == QueueJob.Kind.IMPORT and job.review_year is None and len(queue) == 1
    assert not Case.objects.exists()  # not in the web request: the worker imports
    run_worker(queue)
    job.refresh_from_db()
    assert job.status == QueueJob.Status.DONE and "Cases: 1 added" in job.message
    case = Case.objects.get()
    assert case.reference == "19 123 456" and case.dataset.slug == "ombudsman"
    run = ImportRun.objects.get()
    assert run.source == "staff import" and run.user == "analyst"
    assert [entry["name"] for entry in run.files] == ["cases.csv"]
    assert not any((tmp_path / "casework-uploads").iterdir())
    page = analyst.get(queued["Location"]).content.decode()
    assert "Import casework" in page and "Back to the import" in page
    # The same confirmation again imports nothing more: the staged files are gone.
    again = analyst.post(CONFIRM, form, follow=True)
    assert "expired or was already imported" in again.content.decode()
    assert ImportRun.objects.count() == 1 and QueueJob.objects.count() == 1


def test_a_file_changed_while_the_job_waits_is_refused_by_the_job(
    analyst: Client, tmp_path: Path, queue: Any
) -> None:
    form = _preview(analyst)
    analyst.post(CONFIRM, form)
    (staged,) = (tmp_path / "casework-uploads" / form["upload"]).glob("1.*")
    os.chmod(staged, 0o644)
    staged.write_text(csv_text(rows(Kind.CASES, {"reference": "19 999 999"})))
    run_worker(queue)
    job = QueueJob.objects.get()
    assert job.status == QueueJob.Status.FAILED
    assert "Changed since the preview: cases.csv" in job.message
    assert not Case.objects.exists() and not ImportRun.objects.exists()


def test_redis_down_at_the_confirmation_leaves_no_job_and_keeps_the_files(
    analyst: Client, settings: Any
) -> None:
    form = _preview(analyst)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    page = analyst.post(CONFIRM, form)
    assert page["Location"] == f"{IMPORT}?upload={form['upload']}"
    assert "could not be queued" in analyst.get(page["Location"]).content.decode()
    assert not QueueJob.objects.exists() and not Case.objects.exists()


def test_a_file_changed_after_the_preview_is_refused(analyst: Client, tmp_path: Path) -> None:
    form = _preview(analyst)
    (staged,) = (tmp_path / "casework-uploads" / form["upload"]).glob("1.*")
    os.chmod(staged, 0o644)
    staged.write_text(csv_text(rows(Kind.CASES, {"reference": "19 999 999"})))
    page = analyst.post(CONFIRM, form, follow=True)
    assert "Changed since the preview: cases.csv" in page.content.decode()
    assert not Case.objects.exists() and not ImportRun.objects.exists()


def test_another_dataset_at_the_confirmation_is_refused(analyst: Client) -> None:
    Dataset.objects.create(slug="demo", name="Demonstration")
    form = _preview(analyst)
    page = analyst.post(CONFIRM, {**form, "dataset": "demo"}, follow=True)
    assert "The preview was for the dataset “ombudsman”, not “demo”" in page.content.decode()
    assert not Case.objects.exists() and not ImportRun.objects.exists()


def test_files_changed_in_the_staging_after_the_preview_are_refused(analyst: Client) -> None:
    form = _preview(analyst)
    analyst.post(REMOVE, {"upload": form["upload"], "index": 0})
    page = analyst.post(CONFIRM, form, follow=True)
    assert "have not been previewed as they are" in page.content.decode()
    assert not Case.objects.exists()


def test_a_forged_fingerprint_is_refused(analyst: Client) -> None:
    form = _preview(analyst)
    page = analyst.post(CONFIRM, {**form, "fingerprint": "0" * 64}, follow=True)
    assert "not of the files previewed" in page.content.decode()
    assert not Case.objects.exists()


def test_messages_differing_in_a_rows_date_are_one_group_showing_each(analyst: Client) -> None:
    bad = _file(
        "cases.csv",
        Kind.CASES,
        {"reference": "19 100 001", "received_date": "2019-06-01", "decision_date": "2019-05-01"},
        {"reference": "19 100 002", "received_date": "2019-07-01", "decision_date": "2019-05-01"},
    )
    html = analyst.post(IMPORT, {"dataset": "ombudsman", "casework_files": [bad]}).content.decode()
    summary = html.partition('govuk-error-summary__list">')[2].partition("</ul>")[0]
    assert summary.count("<li>") == 1
    assert "the decision date is before the received date … (2 rows)" in summary
    assert "(01/06/2019)" in html and "(01/07/2019)" in html  # each row's own message


def test_files_chosen_with_no_dataset_are_kept(analyst: Client) -> None:
    page = analyst.post(IMPORT, {"casework_files": [_file("cases.csv", Kind.CASES, {})]})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Choose a dataset from the list" in html and "Files kept from your last try" in html
    token = _hidden(html, "upload")
    page = analyst.post(IMPORT, {"dataset": "ombudsman", "upload": token})
    assert page.status_code == 200 and "1 added" in page.content.decode()
