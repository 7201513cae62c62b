"""Uploading casework through the admin: same checks, a preview, then the import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse

from councilperf.casework.models import Case, Dataset, ImportRun
from councilperf.casework.parsing import Kind
from councilperf.casework.problems import CaseworkValidationError
from councilperf.casework.services import dataset_for, import_files
from tests.casework.files import csv_text, rows

pytestmark = pytest.mark.django_db

UPLOAD = "admin:casework_importrun_upload"


@pytest.fixture(autouse=True)
def _var_dir(tmp_path):
    with override_settings(VAR_DIR=tmp_path):
        yield


@pytest.fixture
def staff(admin_client: Client, borsetshire) -> Client:
    return admin_client


def _file(name: str, kind: Kind, *changes: dict[str, str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_text(rows(kind, *changes)).encode(), "text/csv")


def test_upload_previews_then_imports(staff, tmp_path):
    page = staff.post(
        reverse(UPLOAD),
        {
            "casework_files": [
                _file("cases.csv", Kind.CASES, {}),
                _file("recs.csv", Kind.RECOMMENDATIONS, {}),
            ],
            "dataset": "ombudsman",
        },
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert "Preview: nothing has been written yet" in html
    assert "Cases: 1 added, 0 changed, 0 unchanged" in html
    assert "Files: cases.csv, recs.csv" in html
    assert Case.objects.count() == 0

    token = page.context["confirm"].initial["token"]
    done = staff.post(reverse(UPLOAD), {"token": str(token), "dataset": "ombudsman"})

    run = ImportRun.objects.get()
    assert done.status_code == 302
    assert done.url == reverse("admin:casework_importrun_change", args=[run.pk])
    assert (run.source, run.user, run.cases_added, run.recommendations_added) == (
        "admin upload",
        "admin",
        1,
        1,
    )
    assert [entry["name"] for entry in run.files] == ["cases.csv", "recs.csv"]
    assert Case.objects.get().dataset.slug == "ombudsman"
    assert not any((tmp_path / "casework-uploads").iterdir())

    shown = staff.get(done.url)
    assert shown.status_code == 200
    assert "cases.csv" in shown.content.decode()


def test_upload_with_problems_lists_them_and_writes_nothing(staff, tmp_path):
    page = staff.post(
        reverse(UPLOAD),
        {
            "casework_files": [
                _file("cases.csv", Kind.CASES, {"outcome": "won"}),
                SimpleUploadedFile("notes.txt", b"hello"),
            ],
            "dataset": "ombudsman",
        },
    )

    html = page.content.decode()
    assert "2 problems found: nothing was imported" in html
    assert "notes.txt: wrong file type “.txt”" in html
    assert "cases.csv, row 2, column outcome: &quot;won&quot;: not an outcome" in html
    assert Case.objects.count() == 0

    page = staff.post(
        reverse(UPLOAD),
        {
            "casework_files": [_file("cases.csv", Kind.CASES, {"remedied_by_authority": "?"})],
            "dataset": "x",
        },
    )

    html = page.content.decode()
    assert "1 problem found: nothing was imported" in html
    assert "cases.csv, row 2, column remedied_by_authority: &quot;?&quot;: not a yes/no" in html
    assert "Preview" not in html
    assert Case.objects.count() == 0
    assert ImportRun.objects.count() == 0
    assert not any((tmp_path / "casework-uploads").iterdir())


def test_an_unknown_or_used_token_imports_nothing(staff):
    page = staff.post(
        reverse(UPLOAD), {"token": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "dataset": "ombudsman"}
    )

    assert page.status_code == 302
    assert page.url == reverse(UPLOAD)
    assert ImportRun.objects.count() == 0


def test_the_import_list_links_to_the_upload(staff):
    page = staff.get(reverse("admin:casework_importrun_changelist"))

    assert reverse(UPLOAD) in page.content.decode()


def test_staff_without_permission_cannot_upload(client, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(user)

    page = client.get(reverse(UPLOAD))

    assert page.status_code == 403


def test_previews_never_confirmed_are_cleared_after_a_day(staff, tmp_path):
    import os

    from councilperf.casework.uploads import KEEP_SECONDS, stage

    old = stage([SimpleUploadedFile("cases.csv", b"x")], dataset="ombudsman")
    folder = tmp_path / "casework-uploads" / str(old.token)
    past = folder.stat().st_mtime - KEEP_SECONDS - 60
    os.utime(folder, (past, past))

    new = stage([SimpleUploadedFile("cases.csv", b"x")], dataset="ombudsman")

    assert not folder.exists()
    assert (tmp_path / "casework-uploads" / str(new.token)).is_dir()


def test_an_upload_with_a_late_nul_is_refused_at_the_preview(staff):
    changes = [{"reference": f"19 200 {n:03}"} for n in range(100)]
    changes[90]["summary"] = "A NUL\x00 after the first 4 KB"
    page = staff.post(
        reverse(UPLOAD),
        {"casework_files": [_file("cases.csv", Kind.CASES, *changes)], "dataset": "ombudsman"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "cases.csv, row 92, column summary" in html and "a NUL byte" in html
    assert "confirm" not in page.context or not page.context["confirm"]
    assert Case.objects.count() == 0


def test_a_confirm_while_another_writer_runs_says_so(staff, monkeypatch):
    from councilperf.casework import admin as casework_admin
    from councilperf.writelock import WriterBusy

    page = staff.post(
        reverse(UPLOAD),
        {"casework_files": [_file("cases.csv", Kind.CASES, {})], "dataset": "ombudsman"},
    )
    token = page.context["confirm"].initial["token"]

    def busy(**_: object) -> None:
        raise WriterBusy("Cannot start a casework import: another writer is running; try again.")

    monkeypatch.setattr(casework_admin, "import_files", busy)
    done = staff.post(reverse(UPLOAD), {"token": str(token), "dataset": "ombudsman"}, follow=True)
    html = done.content.decode()
    assert done.status_code == 200
    assert "another writer is running" in html and "upload the files again" in html
    assert Case.objects.count() == 0


def _preview(staff: Client, dataset: str = "ombudsman", **changes: str) -> str:
    page = staff.post(
        reverse(UPLOAD),
        {"casework_files": [_file("cases.csv", Kind.CASES, changes)], "dataset": dataset},
    )
    assert "Cases: 1 added" in page.content.decode()
    return str(page.context["confirm"].initial["token"])


def test_a_file_rewritten_after_its_preview_is_refused_and_nothing_imported(staff, tmp_path):
    token = _preview(staff)
    (staged,) = (tmp_path / "casework-uploads" / token).glob("1.*")
    staged.chmod(0o644)
    staged.write_text(csv_text(rows(Kind.CASES, {"outcome": "upheld", "reference": "19 999 999"})))

    done = staff.post(reverse(UPLOAD), {"token": token, "dataset": "ombudsman"}, follow=True)

    html = done.content.decode()
    assert "Changed since the preview: cases.csv." in html and "Nothing was imported" in html
    assert Case.objects.count() == 0 and ImportRun.objects.count() == 0
    assert not (tmp_path / "casework-uploads" / token).exists()


def test_another_dataset_in_the_confirmation_is_refused(staff):
    token = _preview(staff, dataset="ombudsman")

    done = staff.post(reverse(UPLOAD), {"token": token, "dataset": "elsewhere"}, follow=True)

    html = done.content.decode()
    assert "The preview was for the dataset “ombudsman”, not “elsewhere”." in html
    assert Case.objects.count() == 0
    assert not Dataset.objects.filter(slug="elsewhere").exists()


def test_the_confirmation_imports_into_the_dataset_previewed(staff):
    token = _preview(staff, dataset="second-source")

    staff.post(reverse(UPLOAD), {"token": token})  # no dataset named: the previewed one

    assert Case.objects.get().dataset.slug == "second-source"


def test_a_refused_import_leaves_no_dataset_row(borsetshire, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(csv_text(rows(Kind.CASES, {"outcome": "won"})))

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_casework", str(path), "--dataset", "brand-new", "--no-progress")

    assert not Dataset.objects.filter(slug="brand-new").exists()
    with pytest.raises(CaseworkValidationError):
        import_files(paths=[path], dataset=dataset_for(slug="brand-new", create=False))
    assert not Dataset.objects.filter(slug="brand-new").exists()
