"""Fault tests: an import killed with SIGKILL in the middle of its writes leaves the database
as it was (its transaction never commits, its lock goes with it), and a re-run completes; a
letters batch killed while writing a letter leaves each recorded letter with its files, and a
re-run writes the rest and clears the half-written file. Run in processes of their own against
the suite's database (PostgreSQL), or a SQLite file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from councilperf.casework.parsing import Kind
from tests.casework.files import rows, write_csv

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
WAIT = 60

SEED = """
import django
django.setup()
from tests.factories import make_authority, make_dataset
make_authority(name="Borsetshire", gss_code="E07999001")
make_dataset()
"""
# The import, made to stop for good in the middle: after its rows are written, before commit.
KILLED_IMPORT = """
import sys, time, django
from pathlib import Path
django.setup()
from councilperf.casework import services
from councilperf.casework.models import Dataset
original = services.bulk.write
def write(*args, **kwargs):
    original(*args, **kwargs)
    print("written", flush=True)
    time.sleep(600)
services.bulk.write = write
services.import_files(paths=[Path(sys.argv[1])], dataset=Dataset.objects.get(slug="test"))
"""
COUNT = """
import django
django.setup()
from councilperf.casework.models import Case, ImportRun
print(Case.objects.count(), ImportRun.objects.count())
"""


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var")}
    if connection.vendor == "postgresql":
        found = connection.settings_dict
        user, host, port = found["USER"], found["HOST"], found["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{found['NAME']}"
        return env
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    _run(["manage.py", "migrate", "-v0"], env)
    return env


def _run(arguments: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_an_import_killed_mid_write_leaves_nothing_and_a_rerun_completes(tmp_path) -> None:
    env = _environment(tmp_path)
    _run(["-c", SEED], env)
    changes = [{"reference": f"19 800 {n:03}"} for n in range(50)]
    path = write_csv(tmp_path / "cases.csv", rows(Kind.CASES, *changes))
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "written"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(WAIT) == -signal.SIGKILL
    assert _run(["-c", COUNT], env).split() == ["0", "0"]
    # The killed import's note of itself is left behind; it does not stop the next one.
    assert (tmp_path / "var" / "writer.json").is_file()
    again = _run(["manage.py", "import_casework", str(path), "--no-progress"], env)
    assert "Cases: 50 added, 0 changed, 0 unchanged" in again
    assert _run(["-c", COUNT], env).split() == ["50", "1"]


LETTERS_SEED = """
import datetime as dt, django
django.setup()
from tests.factories import make_authority, make_case, make_contact, make_dataset, make_review_year
from councilperf.statistics.services import compute_statistics, freeze_statistics
from councilperf.years import ReportingYear
make_review_year(year="2019-20")
demo = make_dataset(synthetic=True)
for number in range(4):
    council = make_authority(name=f"Borsetshire {number}", gss_code=f"E0799910{number}")
    make_contact(authority=council, name="Ms Example", job_title="Chief Executive")
    for day in (3, 4, 5):
        make_case(authority=council, dataset=demo, decision_date=dt.date(2019, 8, day),
                  outcome="upheld" if day == 3 else "not_upheld")
compute_statistics(year=ReportingYear(2019))
freeze_statistics(year=ReportingYear(2019))
"""
# The batch, made to stop for good while writing its third letter (a temporary file begun).
KILLED_LETTERS = """
import os, sys, tempfile, time, django
from pathlib import Path
django.setup()
from councilperf.letters import batch
from councilperf.years import ReportingYear
original, done = batch.render_job, []
def render_job(job):
    if len(done) == 2:
        path = Path(job.pdf_path)
        tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
        print("writing", flush=True)
        time.sleep(600)
    done.append(original(job))
    return done[-1]
batch.render_job = render_job
batch.generate_letters(year=ReportingYear(2019), out=sys.argv[1], processes=1)
"""
LETTERS = """
import sys, django
from pathlib import Path
django.setup()
from councilperf.letters import batch
from councilperf.letters.models import Letter
from councilperf.years import ReportingYear
if len(sys.argv) > 2:
    summary = batch.generate_letters(year=ReportingYear(2019), out=sys.argv[1], processes=1)
    print(len(summary.generated), len(summary.skipped))
letters = Letter.objects.all()
files = all(Path(x.pdf_path).is_file() and Path(x.html_path).is_file() for x in letters)
print(Letter.objects.count(), files, len(list(Path(sys.argv[1], "2019-20").glob(".*.tmp"))))
"""


def test_a_letters_batch_killed_mid_letter_resumes(tmp_path) -> None:
    env = _environment(tmp_path)
    _run(["-c", LETTERS_SEED], env)
    out = str(tmp_path / "letters")
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_LETTERS, out],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(WAIT) == -signal.SIGKILL
    # Two letters recorded, each with both files; the third half-written, not recorded.
    assert _run(["-c", LETTERS, out], env).split() == ["2", "True", "1"]
    again = _run(["-c", LETTERS, out, "rerun"], env).split()
    assert again == ["2", "2", "4", "True", "0"]
