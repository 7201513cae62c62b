"""Staff edit the year's letter template in a page with a preview of one council's letter
(issue 26, point 2): the preview is HTML made now, cleaned as letters are, no PDF; saving
records who and when, puts the letters out of date, needs a new review and withdraws an
approval; bad input keeps what was typed; refused once the letters are sent; the command
``edit_letter_template`` calls the same service."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from councilperf.distribution import lifecycle, readiness, sending, yearstart
from councilperf.distribution.models import YearCycle
from councilperf.letters.models import Letter, LetterTemplate
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.distribution.conftest import approve, authorities, make_user

pytestmark = pytest.mark.django_db

YEAR = ReportingYear.parse("2019-20")
PAGE = "/staff/2019-20/template/"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def template() -> LetterTemplate:
    return LetterTemplate.objects.get(review_year__year=YEAR.label)


def form_data(found: LetterTemplate, **changes: object) -> dict[str, object]:
    """The form as the page fills it for ``found``, with ``changes``."""
    name, _, roles = found.signatory.partition("\n")
    data: dict[str, object] = {
        "signatory_name": name,
        "signatory_roles": roles,
        "copies": list(found.copy_roles),
        "blocks": [
            n for n in ("show_upheld", "show_compliance", "show_remedies") if getattr(found, n)
        ],
        "body": found.body,
        "version": found.version,
        "action": "save",
    }
    data.update(changes)
    return data


def problems(review_year: ReviewYear, key: str) -> tuple[str, ...]:
    report = readiness.readiness(review_year=review_year)
    return next(check for check in report.checks if check.key == key).problems


def letter_files(files: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in (files / "letters").rglob("*") if p.is_file()}


def test_the_page_shows_the_template_and_the_first_councils_letter_made_now(year, users, files):
    before = letter_files(files)
    first, second, _ = authorities()  # by official name
    response = client_for(users["analyst"]).get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{template().signatory.splitlines()[0]}"' in page
    assert page.count('<option value="E') == 3
    assert f'<option value="{first.gss_code}" selected>' in page
    preview = page[page.index('id="letter-preview"') :]
    assert f"Dear chief_executive of {first.short_name}" in preview
    assert year.letter_date.strftime("%-d %B %Y") in preview  # the year's letter date
    assert letter_files(files) == before  # nothing rendered to a file: no PDF on a GET
    chosen = client_for(users["analyst"]).get(PAGE, {"council": second.gss_code})
    assert f"The letter to {second.official_name}" in chosen.content.decode()


def test_the_preview_shows_unsaved_changes_and_saves_nothing(year, users):
    found = template()
    body = found.body + "\n\nA sentence written for this year only."
    response = client_for(users["analyst"]).post(
        PAGE, form_data(found, body=body, action="preview")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "with your changes (not saved)" in page
    assert "A sentence written for this year only." in page[page.index('id="letter-preview"') :]
    assert template().version == found.version and template().body == found.body


def test_the_preview_is_cleaned_as_letters_are(year, users):
    found = template()
    body = found.body + '\n\n<script>alert(1)</script><img src="x" onerror="alert(2)"> Fine.'
    page = (
        client_for(users["analyst"])
        .post(PAGE, form_data(found, body=body, action="preview"))
        .content.decode()
    )
    letter = page[page.index('id="letter-preview"') :]
    assert "Fine." in letter
    assert "<script" not in letter and "onerror" not in letter and "<img" not in letter


def test_saving_records_who_and_when_puts_the_letters_out_of_date_and_needs_a_review(year, users):
    found = template()
    assert found.reviewed and problems(year, "letters") == ()
    response = client_for(users["analyst"]).post(
        PAGE,
        form_data(
            found,
            signatory_name="Rebecca Hilsenrath",
            signatory_roles="Local Government and Social Care Ombudsman\r\nChair",
            copies=["link_officer", "monitoring_officer"],
            body=found.body.replace("\n", "\r\n") + "\r\n\r\nThank you for your work.",
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/staff/2019-20/"
    saved = template()
    assert saved.version == found.version + 1
    assert (
        saved.signatory == "Rebecca Hilsenrath\nLocal Government and Social Care Ombudsman\nChair"
    )
    assert saved.copies == "link_officer,monitoring_officer"
    assert saved.body == found.body + "\n\nThank you for your work."  # line ends as stored
    assert saved.edited_by == "analyst" and saved.edited_at is not None
    assert not saved.reviewed
    assert "changed since publisher reviewed it" in problems(year, "template")[0]
    assert "out of date" in problems(year, "letters")[0]
    assert Letter.objects.filter(review_year=year, template_version=found.version).count() == 3


def test_saving_what_is_there_changes_nothing(year, users):
    found = template()
    same = form_data(found, body=found.body.replace("\n", "\r\n"))  # as a browser sends it
    response = client_for(users["publisher"]).post(PAGE, same)
    assert response.status_code == 302
    assert template().version == found.version and template().reviewed
    assert template().edited_by == ""


def test_saving_withdraws_an_approval_not_yet_acted_on(year, users):
    approve(year, users["publisher"])
    assert lifecycle.stage(year) is lifecycle.Stage.APPROVED
    found = template()
    client_for(users["analyst"]).post(PAGE, form_data(found, body=found.body + "\n\nMore."))
    cycle = YearCycle.objects.get(review_year=year)
    assert cycle.approved_revision is None and cycle.approved_by is None
    assert lifecycle.stage(year) is lifecycle.Stage.FROZEN


def test_bad_input_is_summarised_and_what_was_typed_is_kept(year, users):
    found = template()
    typed = found.body + "\n\nDear {council_nmae}, a typo."
    response = client_for(users["analyst"]).post(
        PAGE, form_data(found, signatory_name="", body=typed)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert '<a href="#signatory_name">Enter the name of the person who signs' in page
    assert "Dear {council_nmae}, a typo." in page  # the textarea keeps the body typed
    response = client_for(users["analyst"]).post(PAGE, form_data(found, body=typed))
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#body">Unknown placeholder(s): {council_nmae}' in page
    assert "Dear {council_nmae}, a typo." in page
    assert template().version == found.version and template().body == found.body


def test_a_save_over_someone_elses_is_refused_and_the_typed_text_kept(year, users):
    opened = template()
    yearstart.edit_template(
        year=YEAR, user=users["publisher"], changes={"sign_off": "Yours faithfully,"}
    )
    mine = form_data(opened, body=opened.body + "\n\nMy paragraph.")
    client = client_for(users["analyst"])
    response = client.post(PAGE, mine)
    page = response.content.decode()
    assert response.status_code == 400
    assert "changed by publisher since you opened it" in page
    assert "My paragraph." in page
    assert f'name="version" value="{opened.version + 1}"' in page
    assert client.post(PAGE, {**mine, "version": opened.version + 1}).status_code == 302
    saved = template()
    assert saved.body.endswith("My paragraph.") and saved.sign_off == "Yours faithfully,"


def test_editing_is_refused_once_the_letters_are_sent(year, users, sink):
    approve(year, users["publisher"])
    sending.send_letters(year=YEAR, user=None)
    found = template()
    page = client_for(users["analyst"]).get(PAGE).content.decode()
    assert "letters have been sent: the template can no longer change" in page
    assert 'id="template-form"' not in page and 'id="letter-preview"' in page
    response = client_for(users["analyst"]).post(PAGE, form_data(found, body="Other."))
    assert response.status_code == 400
    assert "letters have been sent: its letter template can no longer change" in (
        response.content.decode()
    )
    assert template().body == found.body
    with pytest.raises(CommandError, match="can no longer change"):
        call_command(
            "edit_letter_template", "--year", YEAR.label, "--set", "body=x", "--as", "analyst"
        )


def test_who_may_see_and_edit(year, users):
    nobody = make_user(None, username="visitor")
    assert client_for(nobody).get(PAGE).status_code == 403
    with pytest.raises(Exception, match="visitor may not edit letter template"):
        yearstart.edit_template(year=YEAR, user=nobody, changes={"body": "x"})
    for role in ("analyst", "publisher", "administrator"):
        assert client_for(users[role]).get(PAGE).status_code == 200, role
    review = client_for(users["publisher"]).get(PAGE).content.decode()
    assert 'id="review-template"' not in review  # reviewed already
    LetterTemplate.objects.filter(pk=template().pk).update(reviewed_by="")
    assert 'id="review-template"' in client_for(users["publisher"]).get(PAGE).content.decode()
    assert 'id="review-template"' not in client_for(users["analyst"]).get(PAGE).content.decode()


def test_the_year_page_and_its_task_list_link_the_template_page(year, users):
    page = client_for(users["analyst"]).get("/staff/2019-20/").content.decode()
    tasks = page[page.index('id="tasks"') : page.index("</ul>", page.index('id="tasks"'))]
    assert f'href="{PAGE}"' in tasks and "Review the letter template" in tasks
    assert f'id="edit-template" href="{PAGE}">Edit the letter template' in page
    check = client_for(users["publisher"]).get("/staff/2019-20/approve/check/").content.decode()
    assert check.count(f'href="{PAGE}">Change') == 2  # the signatory and who is copied


def test_a_year_without_figures_says_why_there_is_no_preview(db, files, users):
    yearstart.start_year(year=ReportingYear.parse("2025-26"), user=None)
    page = client_for(users["analyst"]).get("/staff/2025-26/template/").content.decode()
    assert "No 2025-26 figures yet: compute the draft statistics" in page
    assert 'id="template-form"' in page


def test_the_command_edits_through_the_same_service(year, users):
    found = template()
    out = io.StringIO()
    call_command(
        "edit_letter_template",
        "--year",
        YEAR.label,
        "--set",
        r"signatory=Paul Najsarek\nOmbudsman",
        "--set",
        "show_categories=yes",
        "--as",
        "analyst",
        stdout=out,
    )
    saved = template()
    assert saved.signatory == "Paul Najsarek\nOmbudsman" and saved.show_categories
    assert saved.version == found.version + 1 and saved.edited_by == "analyst"
    assert f"version {saved.version}" in out.getvalue()
    assert not saved.reviewed
    with pytest.raises(CommandError, match="field one of"):
        call_command(
            "edit_letter_template", "--year", "2019-20", "--set", "colour=red", "--as", "analyst"
        )
    with pytest.raises(CommandError, match="Unknown role"):
        call_command(
            "edit_letter_template", "--year", "2019-20", "--set", "copies=mayor", "--as", "analyst"
        )
    with pytest.raises(CommandError, match="show_upheld takes yes or no"):
        call_command(
            "edit_letter_template",
            "--year",
            "2019-20",
            "--set",
            "show_upheld=maybe",
            "--as",
            "analyst",
        )
    assert template().version == saved.version
