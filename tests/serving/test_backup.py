"""Backup and restore: a round trip through an emptied database and letter directory gives
back every year's statistics exports and every letter, equal by hash."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from councilperf.letters.batch import generate_letters
from councilperf.letters.models import Letter
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.factories import make_contact
from tests.site.conftest import build_world


def export_hashes(tmp: Path) -> dict[str, str]:
    """The SHA-256 of every year's every export (each revision, and the draft)."""
    hashes = {}
    for year in ReviewYear.objects.order_by("year"):
        numbers = [r.number for r in year.revisions.order_by("number")]
        for number in numbers:
            for fmt in ("csv", "json"):
                out = tmp / f"{year.year}-{number}.{fmt}"
                options: dict[str, Any] = {"year": year.year, "format": fmt, "out": str(out)}
                if number is not None:
                    options["revision"] = number
                call_command("export_statistics", stdout=io.StringIO(), **options)
                hashes[out.name] = hashlib.sha256(out.read_bytes()).hexdigest()
                out.unlink()
    return hashes


def letter_hashes(letters: Path) -> dict[str, str]:
    files = {
        str(p.relative_to(letters)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(letters.rglob("*"))
        if p.is_file()
    }
    records = sorted(
        Letter.objects.values_list("authority__gss_code", "review_year__year", "content_hash")
    )
    return {**files, "records": json.dumps(records)}


@pytest.fixture
def site(transactional_db: None, settings: Any, tmp_path: Path) -> Path:
    settings.LETTERS_DIR = tmp_path / "letters"
    world = build_world()
    correct_statistics(
        year=ReportingYear(2019), reason="A decision was recorded against the wrong council"
    )
    for authority in (world.north, world.south, world.county):
        make_contact(authority=authority, name="A Chief Executive", job_title="Chief Executive")
    generate_letters(year=ReportingYear(2019), processes=1)
    return Path(settings.LETTERS_DIR)


def test_backup_then_restore_into_an_empty_database_is_equal_by_hash(
    site: Path, tmp_path: Path
) -> None:
    before_exports = export_hashes(tmp_path)
    before_letters = letter_hashes(site)
    assert len(before_exports) >= 8 and len(before_letters) >= 7  # 3 letters, 2 files each

    call_command("backup", out=str(tmp_path / "backup"), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(site)
    assert not ReviewYear.objects.exists() and not site.exists()

    out = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), interactive=False, stdout=out)
    assert "every hash matches" in out.getvalue()
    assert export_hashes(tmp_path) == before_exports
    assert letter_hashes(site) == before_letters


def test_a_damaged_backup_is_refused_before_anything_changes(site: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    call_command("backup", out=str(backup), stdout=io.StringIO())
    letter = next(p for p in (backup / "files").rglob("*.pdf"))
    letter.write_bytes(letter.read_bytes() + b"tampered")
    before = letter_hashes(site)
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(backup), interactive=False, stdout=io.StringIO())
    assert letter_hashes(site) == before


def test_a_backup_never_overwrites_another(site: Path, tmp_path: Path) -> None:
    call_command("backup", out=str(tmp_path / "backup"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", out=str(tmp_path / "backup"), stdout=io.StringIO())


def test_restore_asks_first(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    call_command("backup", out=str(tmp_path / "backup"), stdout=io.StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    letters_before = letter_hashes(site)
    Letter.objects.all().delete()
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(tmp_path / "backup"), stdout=io.StringIO())
    assert not Letter.objects.exists()  # nothing was restored
    assert letter_hashes(site) != letters_before


def test_a_full_disk_is_one_sentence_and_leaves_no_partial_backup(
    transactional_db: None, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from councilperf.serving import backup

    letters = tmp_path / "letters" / "2019-20"
    letters.mkdir(parents=True)
    for code in ("E07000038", "E07000039"):
        (letters / f"{code}.pdf").write_bytes(b"%PDF letter")
    settings.LETTERS_DIR = tmp_path / "letters"
    copied: list[str] = []

    def copy2(source: Path, target: Path) -> None:
        if copied:
            Path(target).write_bytes(b"%PD")  # half a file, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        shutil.copyfile(source, target)
        copied.append(str(target))

    monkeypatch.setattr(backup.shutil, "copy2", copy2)
    out = tmp_path / "backups" / "tonight"
    with pytest.raises(CommandError) as raised:
        call_command("backup", out=str(out), stdout=io.StringIO())
    message = str(raised.value)
    assert message.startswith(f"backup: the disk is full writing {out} (")
    assert message.endswith("free); nothing was kept: free some space and run it again.")
    assert "Traceback" not in message and "\n" not in message
    assert not out.exists() and list((tmp_path / "backups").iterdir()) == []
