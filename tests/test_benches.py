"""The benchmarks under bench/ run as their docstrings say, on a machine with no secret key set
(each is its own process with DEBUG off): at a small size, each exits 0 and prints its
figures, goal line included. Whether a goal is met is judged at full size, by hand, not here:
a timing, even a ratio of two, is no assertion for a test (at 2 letters the batch's start-up
outweighs its gain, and a loaded machine moves any ratio)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*arguments: str, timeout: int = 240) -> str:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name not in ("DATABASE_URL", "VAR_DIR")
    }
    done = subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_the_import_benchmark():
    out = _run("bench/import_casework.py", "--database", "sqlite", "--cases", "3000")
    assert re.search(r"sqlite records .* [\d,]+ cases/s", out)
    assert re.search(r"sqlite files .* [\d,]+ cases/s .*3,000 added", out)
    assert re.search(r"peak RSS of the files import's process: \d+ MiB", out)


@pytest.mark.slow
def test_the_statistics_benchmark():
    out = _run(
        "bench/compute_statistics.py", "--database", "sqlite", "--sizes", "3000", "--repeat", "1"
    )
    assert re.search(r"sqlite +3,000 +[\d.]+s", out)
    assert re.search(r"goal \(project within 5× DuckDB\): (met|NOT met), worst [\d.]+×", out), out[
        -500:
    ]


@pytest.mark.slow
def test_the_letters_benchmark():
    out = _run("bench/letters.py", "--letters", "2", "--processes", "1")
    assert re.search(r"ratio batch / naive: [\d.]+ \(goal <= 0.35: (met|NOT met)\)", out), out[
        -1500:
    ]
    assert "resume, nothing changed" in out


@pytest.mark.browser
@pytest.mark.slow
def test_the_site_benchmark():
    out = _run("bench/site.py", "--renders", "3", "--loads", "1")
    assert re.search(r"map page transfer: [\d.]+ KB gzip", out)
    assert re.search(r"council page render \(median of 3\): [\d.]+ ms", out)
