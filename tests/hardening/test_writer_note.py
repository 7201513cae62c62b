"""The one writer's note (``VAR_DIR/writer.json``): there while the lock is held, naming what,
who and which process; gone when the writer ends, however it ends; another process's note is
never removed; and the sentence a waiting writer gets reads it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from councilperf import writelock

pytestmark = pytest.mark.django_db(transaction=True)  # outside a test's transaction


@pytest.fixture
def note(settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path / "writer.json"


def test_the_note_is_there_while_writing_and_gone_after(note: Path) -> None:
    with writelock.writing(what="an import", user="ann"):
        held = json.loads(note.read_text())
        assert (held["what"], held["user"], held["pid"]) == ("an import", "ann", os.getpid())
        assert "Cannot start a statistics write: another writer (an import) is running since " in (
            writelock.busy_message("a statistics write")
        )
        assert ", started by ann (process " in writelock.busy_message("x")
    assert not note.exists()
    assert not list(note.parent.glob("writer.*.tmp"))


def test_the_note_goes_when_the_writer_fails(note: Path) -> None:
    with pytest.raises(RuntimeError), writelock.writing(what="an import"):
        assert note.exists()
        raise RuntimeError("the import failed")
    assert not note.exists()


def test_another_processs_note_is_left_alone(note: Path) -> None:
    with writelock.writing(what="an import"):
        other = {"what": "a statistics write", "user": "", "since": "2026-12-07T06:00:00+00:00"}
        note.write_text(json.dumps({**other, "pid": os.getpid() + 1}))
    assert json.loads(note.read_text())["pid"] == os.getpid() + 1
    assert writelock.busy_message("an import") == (
        "Cannot start an import: another writer (a statistics write) is running since "
        "06:00:00 on 07/12/2026 (process " + str(os.getpid() + 1) + "); try again when it ends."
    )


def test_without_a_note_the_sentence_is_still_one_sentence(note: Path) -> None:
    assert writelock.busy_message("an import") == (
        "Cannot start an import: another writer (an import or a statistics write) is "
        "running; try again when it ends."
    )
    note.write_text("not json")
    assert "(an import or a statistics write)" in writelock.busy_message("an import")
