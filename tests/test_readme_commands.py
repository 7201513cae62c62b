"""Run the README's commands, as written, in the README's order: they must all work.

Placeholders are filled in (FILE, DIR, SLUG); optional parts in [brackets] are run with the
example values the README shows, so the documented options are exercised, not just parsed.
"""

from __future__ import annotations

import io
import shlex
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from councilperf.casework.models import Case
from councilperf.letters.models import Letter
from councilperf.statistics.models import ReviewYear
from tests.test_readme import README

EXAMPLES = README.parent / "docs" / "examples"


def readme_command_lines() -> list[str]:
    lines = []
    for line in README.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("python manage.py "):
            code = line.split("  #", 1)[0]  # drop a trailing comment
            lines.append(code.removeprefix("python manage.py ").strip())
    return lines


REFUSED_HERE = {
    "create_demo_users": "COUNCILPERF_DEMO=1",
    "create_demo_council_users": "COUNCILPERF_DEMO=1",
    "demo_totp": "COUNCILPERF_DEMO=1",
    "generate_demo_returns": "COUNCILPERF_DEMO=1",
    "approve_year": "letter\\(s\\) missing or out of date",
    "send_letters": "not approved",
    # Nothing is published here (no year is approved): the builds of published years refuse,
    # and publish_due, which builds them once they are, finds nothing due.
    "build_review_pdfs": "not a published review year",
    "build_open_data": "Not published, so no open data",
    # No year is opened for councils' returns here.
    "send_reminders": "not open for returns",
}


def _publisher() -> None:
    from django.contrib.auth.models import Group, Permission, User

    # A transactional test flushes the groups the migration made: make the one needed here.
    group, _ = Group.objects.get_or_create(name="publisher")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="distribution",
            codename__in=["approve_year", "edit_letter_template"],
        )
    )
    User.objects.create_user(username="readme-publisher").groups.add(group)


def fill_in(line: str, *, tmp: Path, reference_dir: Path) -> list[str]:
    words = shlex.split(line.replace("[", " ").replace("]", " "))
    args: list[str] = []
    for index, word in enumerate(words):
        before = words[index - 1] if index else ""
        if word == "...":
            continue
        if word == "FILE" and words[0] == "import_casework":
            if "FILE" not in args:  # the first FILE stands for every example file
                args += [str(p) for p in sorted(EXAMPLES.glob("*.csv"))]
                args.append("FILE")
            continue
        if word == "FILE":
            args.append(str(tmp / f"{words[0]}.out"))
        elif word == "DIR":
            if before == "--dir":
                args.append(str(reference_dir))
            else:  # restore reads what the backup line before it wrote
                args.append(str(tmp / ("backup" if words[0] == "restore" else words[0])))
        elif word == "SLUG":
            args.append("readme-check")
        elif word == "USERNAME":
            args.append("readme-publisher")
        else:
            args.append(word)
    return [a for a in args if a != "FILE"]


@pytest.mark.django_db(transaction=True)
def test_readme_commands_run_in_order(reference_dir: Path, tmp_path: Path, settings) -> None:
    settings.BUILD_DIR = tmp_path / "build"
    settings.LETTERS_DIR = tmp_path / "letters"
    lines = readme_command_lines()
    assert [line.split()[0] for line in lines][:2] == ["load_reference_data", "import_casework"]
    _publisher()
    for line in lines:
        args = fill_in(line, tmp=tmp_path, reference_dir=reference_dir)
        out, err = io.StringIO(), io.StringIO()
        if args[0] in REFUSED_HERE:
            # The README's run makes one letter, not the year's 343, and sets no demo flag:
            # these refuse, as documented, with a message and a non-zero exit.
            with pytest.raises(CommandError, match=REFUSED_HERE[args[0]]):
                call_command(*args, stdout=out, stderr=err)
            continue
        call_command(*args, stdout=out, stderr=err)
        assert (out.getvalue() + err.getvalue()).strip(), f"{line!r} said nothing"

    # What the documented commands did, checked against the database and files.
    assert not Case.objects.filter(dataset__slug="readme-check").exists()  # a dry run
    assert Case.objects.filter(dataset__synthetic=True).exists()
    year = ReviewYear.objects.get(year="2019-20")
    assert year.status == ReviewYear.Status.FROZEN
    assert [r.number for r in year.revisions.order_by("number")] == [1, 2]  # the correction
    assert ReviewYear.objects.filter(status=ReviewYear.Status.FROZEN).count() == 7
    exported = (tmp_path / "export_statistics.out").read_text(encoding="utf-8").splitlines()
    assert len(exported) == 1 + 343 and exported[0].startswith("year,authority_code")
    exported_casework = {p.name for p in (tmp_path / "export_casework").iterdir()}
    # The README's import is a dry run and the demo data comes after the export: nothing to
    # export yet, so no file (a header alone is not a file the import takes).
    assert exported_casework == set()
    letter = Letter.objects.get(authority__gss_code="E07000038", review_year=year)
    assert Path(letter.pdf_path).is_file()
    assert Path(letter.pdf_path).is_relative_to(tmp_path / "generate_letters")
    assert any((tmp_path / "build").rglob("*.json"))
