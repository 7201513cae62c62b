"""One writer at a time, on the database the suite runs on (SQLite and PostgreSQL in CI): the
race (a recommendation added while the case is changed to not upheld), the same new file
imported twice at once, a second writer that gives up with one clear sentence, and readers
that keep working while an import holds the lock."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from councilperf.casework import services
from councilperf.casework.models import Case, Dataset, ImportRun, Recommendation
from councilperf.casework.parsing import Kind
from councilperf.casework.problems import CaseworkValidationError
from councilperf.casework.services import import_files, import_records
from councilperf.writelock import WriterBusy
from tests.casework.builders import TODAY, case, recommendation
from tests.casework.files import CODE, rows, write_csv
from tests.factories import make_authority, make_dataset

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 20.0  # the longest any step here may take before the test fails


@pytest.fixture
def dataset() -> Dataset:
    make_authority(name="Borsetshire", gss_code=CODE)
    dataset = make_dataset()
    import_records(
        cases=[case("19 000 001", CODE)],
        recommendations=[],
        compliance=[],
        dataset=dataset,
        today=TODAY,
    )
    return dataset


class Holder:
    """Makes the first import to reach its writes pause there (holding the lock) until
    released; the others run through."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.holding = threading.Event()
        self.release = threading.Event()
        self._first = threading.Lock()
        original = services.bulk.write

        def write(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            if self._first.acquire(blocking=False):
                self.holding.set()
                assert self.release.wait(WAIT)
            return result

        monkeypatch.setattr(services.bulk, "write", write)


@pytest.fixture
def holder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Holder]:
    found = Holder(monkeypatch)
    yield found
    found.release.set()


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run ``work`` on its own database connection; its result or exception lands in a dict."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["result"] = work()
        except BaseException as error:
            out["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def finish(thread: threading.Thread) -> None:
    thread.join(WAIT)
    assert not thread.is_alive()


def test_the_race_ends_with_the_rules_kept(dataset, holder, settings) -> None:
    settings.WRITER_WAIT_SECONDS = WAIT
    first, added = in_thread(
        lambda: import_records(
            cases=[],
            recommendations=[recommendation("19 000 001")],
            compliance=[],
            dataset=dataset,
            today=TODAY,
        )
    )
    assert holder.holding.wait(WAIT)
    second, changed = in_thread(
        lambda: import_records(
            cases=[case("19 000 001", CODE, outcome="not_upheld")],
            recommendations=[],
            compliance=[],
            dataset=dataset,
            today=TODAY,
        )
    )
    second.join(0.5)
    assert second.is_alive(), "the second import did not wait for the first"
    holder.release.set()
    finish(first)
    finish(second)
    assert "error" not in added, added
    assert isinstance(changed.get("error"), CaseworkValidationError), changed
    assert "only on upheld" in str(changed["error"]) or "recommendation" in str(changed["error"])
    assert Case.objects.get(reference="19 000 001").outcome == "upheld"
    assert Recommendation.objects.count() == 1


def test_the_same_new_file_imported_twice_at_once(dataset, holder, tmp_path, settings) -> None:
    settings.WRITER_WAIT_SECONDS = WAIT
    new = [{"reference": f"19 500 {n:03}"} for n in range(20)]
    path = write_csv(tmp_path / "cases.csv", rows(Kind.CASES, *new))
    runs = ImportRun.objects.count()

    def work() -> Any:
        return import_files(paths=[path], dataset=dataset, today=TODAY)

    first, one = in_thread(work)
    assert holder.holding.wait(WAIT)
    second, two = in_thread(work)
    second.join(0.5)
    holder.release.set()
    finish(first)
    finish(second)
    assert str(one["result"].cases) == "20 added, 0 changed, 0 unchanged"
    assert str(two["result"].cases) == "0 added, 0 changed, 20 unchanged"
    assert Case.objects.filter(reference__startswith="19 500").count() == 20
    assert ImportRun.objects.count() == runs + 2


def test_a_second_writer_gives_up_with_one_sentence(dataset, holder, tmp_path, settings) -> None:
    settings.WRITER_WAIT_SECONDS = 0.3
    path = write_csv(tmp_path / "cases.csv", rows(Kind.CASES, {"reference": "19 600 001"}))
    first, _ = in_thread(
        lambda: import_files(paths=[path], dataset=dataset, today=TODAY, user="alice")
    )
    assert holder.holding.wait(WAIT)
    with pytest.raises(CommandError) as raised:
        call_command("import_casework", str(path), "--dataset", dataset.slug)
    message = str(raised.value)
    assert isinstance(raised.value, WriterBusy)
    assert message.startswith("Cannot start a casework import: another writer (a casework import)")
    assert "since " in message and "started by alice" in message
    assert message.endswith("try again when it ends.") and "\n" not in message
    with pytest.raises(WriterBusy, match="Cannot start a statistics write"):
        call_command("compute_statistics", "--year", "2019-20")
    holder.release.set()
    finish(first)
    assert Case.objects.filter(reference="19 600 001").count() == 1


def test_pages_and_logins_keep_working_during_an_import(dataset, holder, tmp_path) -> None:
    if connection.vendor == "sqlite":
        # The suite's SQLite database is in memory, shared between threads with table locks;
        # the real one is a file in WAL mode, tried in processes of its own.
        _pages_during_a_write_on_a_sqlite_file(tmp_path)
        return
    User.objects.create_user("staff", password="a long password", is_staff=True)
    path = write_csv(tmp_path / "cases.csv", rows(Kind.CASES, {"reference": "19 700 001"}))
    first, _ = in_thread(lambda: import_files(paths=[path], dataset=dataset, today=TODAY))
    assert holder.holding.wait(WAIT)
    assert Client().get("/search/?q=Borset").status_code == 200
    staff = Client()
    login = staff.post(
        "/admin/login/?next=/admin/", {"username": "staff", "password": "a long password"}
    )
    assert login.status_code == 302 and login["Location"] == "/admin/"
    assert staff.get("/admin/").status_code == 200
    holder.release.set()
    finish(first)


HOLD = """
import sys, django
django.setup()
from councilperf.writelock import writing
from councilperf.casework.models import Dataset
with writing(what="a casework import", user="alice"):
    Dataset.objects.create(slug="held", name="Held")
    print("holding", flush=True)
    sys.stdin.readline()
"""
READ = """
import time, django
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
start = time.monotonic()
print(Client().get("/search/?q=Borset").status_code, flush=True)
staff = Client()
form = {"username": "staff", "password": "a long password"}
login = staff.post("/admin/login/?next=/admin/", form)
print(login.status_code, login.get("Location"), flush=True)
print(staff.get("/admin/").status_code, flush=True)
print(f"{time.monotonic() - start:.1f}", flush=True)
"""
STAFF = """
import django
django.setup()
from django.contrib.auth.models import User
User.objects.create_user("staff", password="a long password", is_staff=True)
"""
LAST_LOGIN = """
import django
django.setup()
from django.contrib.auth.models import User
print(User.objects.get(username="staff").last_login, flush=True)
"""


def _pages_during_a_write_on_a_sqlite_file(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    python, root = sys.executable, Path(__file__).resolve().parents[2]
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    subprocess.run([python, "-c", STAFF], cwd=root, env=env, check=True)
    with subprocess.Popen(
        [python, "-c", HOLD],
        cwd=root,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holding:
        assert holding.stdout is not None and holding.stdin is not None
        assert holding.stdout.readline().strip() == "holding"
        read = subprocess.run(
            [python, "-c", READ],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=WAIT,
        )
        page, login, admin, seconds = read.stdout.split("\n")[:4]
        assert (page, login, admin) == ("200", "302 /admin/", "200"), read.stderr[-2000:]
        # The import still holds the write lock: the login wrote nothing (its session is a
        # signed cookie; its last login time is skipped, logged) and did not wait for it (a
        # write waits SQLite's 20 s busy timeout, then fails; here the page, two logins'
        # password hashing and the admin page take a few seconds on a loaded machine).
        assert float(seconds) < 15, seconds
        assert "last login time not recorded, a writer holds the database" in read.stderr
        holding.stdin.write("\n")
        holding.stdin.flush()
        assert holding.wait(WAIT) == 0
    after = subprocess.run(
        [python, "-c", LAST_LOGIN], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert after.stdout.strip() == "None"
