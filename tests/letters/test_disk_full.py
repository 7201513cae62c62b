"""Letters on a full disk: one sentence naming the path and the free space, no file left."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from councilperf.authorities.models import Authority
from councilperf.letters import pdf
from councilperf.letters.models import Letter
from councilperf.statistics.models import ReviewYear
from tests.letters.conftest import reference_statistics


def test_a_full_disk_is_one_sentence_and_leaves_no_letter_file(
    review_year: ReviewYear,
    north_east_derbyshire: Authority,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    statistics = {"E07000038": reference_statistics()}
    monkeypatch.setattr("councilperf.letters.sources.load_statistics", lambda year: statistics)

    class StandIn:
        def render_letter(self, **parts: str) -> bytes:
            return b"%PDF-1.7 stand-in " * 100

    monkeypatch.setattr(pdf, "shared_renderer", StandIn)
    real_fdopen = os.fdopen

    class HalfWritten:
        """A file that takes half the bytes, then the disk is full."""

        def __init__(self, handle: Any) -> None:
            self.file = handle

        def __enter__(self) -> HalfWritten:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> int:
            self.file.write(data[: len(data) // 2])
            self.file.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pdf.os, "fdopen", lambda fd, mode: HalfWritten(real_fdopen(fd, mode)))
    with pytest.raises(CommandError) as raised:
        call_command(
            "generate_letters", year="2019-20", out=str(tmp_path), processes=1, stdout=io.StringIO()
        )
    message = str(raised.value)
    assert message.startswith(f"letters: the disk is full writing {tmp_path / '2019-20'}")
    assert " free); nothing was kept" in message and "\n" not in message
    assert list((tmp_path / "2019-20").iterdir()) == []  # no PDF, no temporary file
    assert not Letter.objects.exists()
