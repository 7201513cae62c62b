"""A small year ready for the cycle: three fictional councils with contacts and casework,
statistics frozen, letters generated; staff users of each role; a real SMTP server."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import setproctitle
from django.contrib.auth.models import Group, User
from django.utils import timezone
from rq import SimpleWorker

from councilperf.authorities.models import Authority
from councilperf.distribution.sink import Sink
from councilperf.letters import batch
from councilperf.letters.models import LetterTemplate
from councilperf.letters.pdf import PdfRenderer
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import compute_statistics, freeze_statistics
from councilperf.years import ReportingYear
from tests.factories import make_authority, make_case, make_contact, make_review_year

# The PDFs these tests render, by their input: rendering is deterministic (the same HTML gives
# the same letter), and a letter takes about a second, most of every sending test's set-up.
# Tests here check what is sent, recorded and retried, not the layout (tests/letters do), so
# a letter laid out once in a process is reused; any change to its HTML renders it again.
# In a mutation run (scripts/mutation.sh: every mutant's tests run in a fresh process, in
# mutants/) the letters are also kept on disk there for the next process; the modules it
# mutates do not lay out PDFs, and a mutant that changes a letter's HTML changes its key.
_RENDERED: dict[tuple[str, str, str], bytes] = {}
_MUTATING = "MUTANT_UNDER_TEST" in os.environ
if _MUTATING:
    import weasyprint  # noqa: F401  (loaded once, before mutmut forks a process per mutant)


def _kept(key: tuple[str, str, str]) -> Path:
    digest = hashlib.sha256("\0".join(key).encode()).hexdigest()
    return Path(".letter-pdfs") / f"{digest}.pdf"


@pytest.fixture(autouse=True)
def _pdfs_rendered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    render = PdfRenderer.render_letter

    def remembered(
        self: PdfRenderer, *, whole: str, first: str = "", continuation: str = ""
    ) -> bytes:
        key = (whole, first, continuation)
        if key not in _RENDERED:
            if len(_RENDERED) > 200:
                _RENDERED.clear()
            kept = _kept(key)
            if _MUTATING and kept.is_file():
                _RENDERED[key] = kept.read_bytes()
            else:
                _RENDERED[key] = render(self, whole=whole, first=first, continuation=continuation)
                if _MUTATING:
                    kept.parent.mkdir(exist_ok=True)
                    temporary = kept.with_suffix(f".{os.getpid()}")
                    temporary.write_bytes(_RENDERED[key])
                    temporary.replace(kept)
        return _RENDERED[key]

    monkeypatch.setattr(PdfRenderer, "render_letter", remembered)


NAMES = ("Borsetshire", "Felpersham", "Loxley Barrett")
ROLES = ("chief_executive", "link_officer", "leader", "scrutiny_chair", "monitoring_officer")


def build_year(count: int = len(NAMES), *, label: str = "2019-20") -> ReviewYear:
    """``count`` councils, each with every contact and a few decisions; 2019-20 frozen with
    a publication date a week ahead, letters generated."""
    today = timezone.localdate()
    start = ReportingYear.parse(label).start
    review_year = make_review_year(
        year=label, letter_date=today, publication_date=today + dt.timedelta(days=7)
    )
    for index in range(count):
        name = NAMES[index] if index < len(NAMES) else f"Ambridge {index}"
        # The third is a unitary council: a correction to a district leaves its figures alone.
        group = "unitary" if index == 2 else "district"
        # Fixed codes: the letters' HTML is then the same in every test (rendered once).
        code = f"{'E06' if group == 'unitary' else 'E07'}8{index:05d}"
        authority = make_authority(name=name, group=group, years=(label,), gss_code=code)
        for role in ROLES:
            make_contact(authority=authority, role=role, name=f"{role} of {name}")
        for n in range(3 + index):
            make_case(
                authority=authority,
                received_date=start,
                decision_date=start + dt.timedelta(days=60),
                outcome="upheld" if n % 2 else "not_upheld",
            )
    compute_statistics(year=ReportingYear.parse(label))
    freeze_statistics(year=ReportingYear.parse(label))
    review_year.refresh_from_db()
    batch.generate_letters(year=ReportingYear.parse(label), processes=1)
    mark_reviewed(review_year)
    return review_year


def mark_reviewed(review_year: ReviewYear, *, by: str = "publisher") -> None:
    """The year's template as a publisher reviewed it (``review_template`` without a user)."""
    template = LetterTemplate.objects.get(review_year=review_year)
    LetterTemplate.objects.filter(pk=template.pk).update(
        reviewed_by=by, reviewed_at=timezone.now(), reviewed_hash=template.compute_hash()
    )


@pytest.fixture
def files(settings: Any, tmp_path: Path) -> Path:
    settings.LETTERS_DIR = tmp_path / "letters"
    settings.SENT_LETTERS_DIR = tmp_path / "sent"
    settings.SEND_BACKOFF_SECONDS = 0.01
    return tmp_path


@pytest.fixture
def year(db: None, files: Path) -> ReviewYear:
    return build_year()


def make_user(role: str | None, *, username: str = "") -> User:
    name = username or role or "nobody"
    user = User.objects.create_user(username=name, password="pw", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def users(db: None) -> dict[str, User]:
    return {role: make_user(role) for role in ("analyst", "publisher", "administrator")}


@pytest.fixture
def sink(settings: Any) -> Iterator[Sink]:
    with Sink() as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        yield server


def approve(review_year: ReviewYear, user: User) -> None:
    from councilperf.distribution import lifecycle

    lifecycle.approve_year(year=review_year.reporting_year, user=user)


def authorities() -> list[Authority]:
    return list(Authority.objects.order_by("official_name"))


def edit_template(review_year: ReviewYear) -> LetterTemplate:
    template = LetterTemplate.objects.get(review_year=review_year)
    template.body += "\n\nThank you for your work this year."
    template.save()
    return template


@pytest.fixture
def queue(db: None) -> Iterator[Any]:
    """The real task queue (Redis at REDIS_URL), empty before and after the test."""
    from councilperf.distribution import jobs

    found = jobs.queue()
    found.empty()
    yield found
    found.empty()


def run_worker(queue: Any) -> None:
    """Run a real RQ worker in this process until ``queue`` is empty, then give the process back
    as it was: the worker installs SIGINT and SIGTERM handlers that do not exit (a process
    forked later in the run would inherit them; one once hung the suite) and renames the
    process (``rq:worker:…``)."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    title = setproctitle.getproctitle()
    try:
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        setproctitle.setproctitle(title)
