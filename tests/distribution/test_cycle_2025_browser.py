"""Acceptance (issue 26): a year the demo has not done, 2025-26, from data alone, through
every stage in Chromium as an analyst and a publisher, with dates the test chooses.

The data: the real reference data for 2025-26 (councils, groups, populations), each council's
role-based contacts, last year's (2024-25) letter template as the ombudsman left it, and a
casework file the test writes — a few synthetic decisions for every council of the year.
In the browser: start the year, upload and import the file, compute, check the figures,
freeze with the chosen dates, edit the template (preview, save), generate the letters; the
publisher reviews the template, reads the readiness report, checks the answers, approves,
dry-runs and sends (to an aiosmtpd server). On the publication date the timer's
``publish_due`` (or the year page's "Publish now", where there is one) publishes the year.

Asserted: every letter (the count, each HTML and every distinct PDF sent) and every email
carry the chosen dates, and the letter is signed by the latest year's signatory; the clicks
are at most 30. Printed (``pytest -s``): the clicks and fields filled, and each job's time.

``CYCLE_2025_COUNCILS`` (default 40) keeps that many councils of the year's reference data
(the first by GSS code; the others' 2025-26 rows are left out): rendering 317 letters in one
process takes minutes on a shared machine. ``CYCLE_2025_COUNCILS=all`` runs the full year.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.utils import timezone

from councilperf.authorities.models import Authority, AuthorityYear
from councilperf.authorities.services import load_reference_data
from councilperf.casework.models import Dataset
from councilperf.casework.parsing import Kind
from councilperf.demo.services import ensure_contacts
from councilperf.distribution import jobs, lifecycle
from councilperf.distribution.models import QueueJob, SentLetter
from councilperf.distribution.sink import Sink
from councilperf.letters import services as letter_services
from councilperf.letters.models import Letter, LetterTemplate
from councilperf.letters.wording import long_date
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.casework.files import csv_text, rows
from tests.distribution.conftest import run_worker
from tests.factories import make_review_year
from tests.letters.pdftools import pdftotext
from tests.site import test_browser as public_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]
chromium = public_browser.chromium  # the same headless Debian Chromium fixture

YEAR = ReportingYear.parse("2025-26")
TODAY = dt.date.today()
# Chosen by the test: in the future, unlike any default (the 2025 defaults are May and July).
LETTER_DATE = TODAY + dt.timedelta(days=3)
PUBLICATION_DATE = TODAY + dt.timedelta(days=9)
COUNCILS = os.environ.get("CYCLE_2025_COUNCILS", "40")
ROLES_COPIED = ("link_officer", "leader", "scrutiny_chair", "monitoring_officer")
CLICK_GOAL = 30
JOB_PAGE = re.compile(r"/staff/jobs/(\d+)/$")
STALE_SENTENCE = re.compile(r" We are sending it in May this year, earlier than before,[^.]*\.")


@dataclass
class Tally:
    """The clicks and fields filled by both people, and the time of each step."""

    clicks: Counter[str] = field(default_factory=Counter)
    fields: Counter[str] = field(default_factory=Counter)
    steps: list[tuple[str, float, str]] = field(default_factory=list)


class Person:
    """A Playwright page whose clicks (click, check) and fields (fill, select_option,
    set_input_files) are counted; everything else goes to the page as it is."""

    def __init__(self, page: Any, who: str, tally: Tally) -> None:
        self.page, self.who, self.tally = page, who, tally

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)

    def _clicked(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.tally.clicks[self.who] += 1
        return action(*args, **kwargs)

    def click(self, *args: Any, **kwargs: Any) -> Any:
        return self._clicked(self.page.click, *args, **kwargs)

    def check(self, *args: Any, **kwargs: Any) -> Any:
        return self._clicked(self.page.check, *args, **kwargs)

    def _filled(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.tally.fields[self.who] += 1
        return action(*args, **kwargs)

    def fill(self, *args: Any, **kwargs: Any) -> Any:
        return self._filled(self.page.fill, *args, **kwargs)

    def select_option(self, *args: Any, **kwargs: Any) -> Any:
        return self._filled(self.page.select_option, *args, **kwargs)

    def set_input_files(self, *args: Any, **kwargs: Any) -> Any:
        return self._filled(self.page.set_input_files, *args, **kwargs)


def job_status(page: Any) -> str:
    """The job page's status: its ``[data-job-status]`` element's, or (the job page before
    it had one) the words of ``#job-status``."""
    tagged = page.locator("[data-job-status]")
    if tagged.count():
        return str(tagged.first.get_attribute("data-job-status"))
    words = page.inner_text("#job-status").strip().lower()
    return {"finished": "done"}.get(words, words)


def finish(person: Person, queue: Any, tally: Tally, step: str, started: float) -> None:
    """After an action: on a job page (``staff/jobs/<pk>/``), run the worker until the job
    is done (failing on failed), then back to the year's page by its back link; an action
    still run in the request has returned to the year's page already."""
    page = person.page
    page.wait_for_load_state()
    found = JOB_PAGE.search(page.url)
    if found is None:
        tally.steps.append((step, time.monotonic() - started, "in the request"))
        return
    address, status, worked = page.url, "", 0.0
    for _ in range(20):
        # The person waits elsewhere while the worker runs here: the job page's polling
        # would read the job's row beside the worker's writes, which an in-memory SQLite
        # database shared between threads refuses ("table is locked").
        page.goto("about:blank")
        began = time.monotonic()
        run_worker(queue)
        worked += time.monotonic() - began
        page.goto(address)
        status = job_status(page)
        if status in ("done", "failed"):
            break
        time.sleep(0.2)
    row = QueueJob.objects.get(pk=int(found.group(1)))
    assert status == "done", f"{step}: job {row.pk} ended {status}: {row.message}"
    # The job's own times where the job records them (started_at, finished_at), else the
    # time the worker took to run it.
    start, end = getattr(row, "started_at", None), getattr(row, "finished_at", None)
    took = (end - start).total_seconds() if start and end else worked
    tally.steps.append((step, time.monotonic() - started, f"job {row.pk}: {took:.1f} s"))
    if row.review_year is not None:
        person.click(f"a.govuk-back-link:has-text('Back to {YEAR}')")


def timed(tally: Tally, step: str) -> Callable[[], None]:
    started = time.monotonic()
    return lambda: tally.steps.append((step, time.monotonic() - started, "in the request"))


def casework_file(directory: Path, codes: list[str]) -> Path:
    """Four decisions for each council, received and decided in 2025-26 (two upheld)."""
    changes = []
    for index, code in enumerate(codes):
        for n in range(4):
            received = YEAR.start + dt.timedelta(days=(index * 7 + n * 30) % 200)
            changes.append(
                {
                    "reference": f"25 {index:03d} {n:03d}",
                    "authority_code": code,
                    "received_date": received.isoformat(),
                    "decision_date": (received + dt.timedelta(days=90)).isoformat(),
                    "outcome": "upheld" if n % 2 else "not_upheld",
                    "remedied_by_authority": "yes" if n == 3 and index % 3 == 0 else "no",
                    "statement_url": "",
                    "summary": "A synthetic decision for the 2025-26 acceptance test.",
                }
            )
    path = directory / "cases-2025-26.csv"
    path.write_text(csv_text(rows(Kind.CASES, *changes)), encoding="utf-8")
    return path


@dataclass(frozen=True)
class World:
    codes: list[str]
    casework: Path
    signatory: str  # the latest year's (2024-25's) first line


@pytest.fixture
def world(transactional_db: None, settings: Any, tmp_path: Path, reference_dir: Path) -> World:
    settings.LETTERS_DIR = tmp_path / "letters"
    settings.SENT_LETTERS_DIR = tmp_path / "sent"
    settings.VAR_DIR = tmp_path
    # The worker runs in this process, beside the live server's and Playwright's threads:
    # no forking there (a fork of a threaded process can deadlock).
    settings.LETTER_JOB_PROCESSES = 1
    load_reference_data(directory=reference_dir, years=[YEAR])
    in_year = AuthorityYear.objects.filter(year=YEAR.label).order_by("authority__gss_code")
    codes = list(in_year.values_list("authority__gss_code", flat=True))
    if COUNCILS != "all":
        codes = codes[: int(COUNCILS)]
        in_year.exclude(authority__gss_code__in=codes).delete()
    ensure_contacts(codes)  # each council's contacts, as staff keep them
    Dataset.objects.create(slug="ombudsman", name="Ombudsman casework")
    # Last year as the ombudsman left it: its template is the one 2025-26 starts from.
    latest = letter_services.template_for_year(make_review_year(year="2024-25"))
    for role in ("analyst", "publisher"):
        user = User.objects.create_user(username=role, password=f"{role}-pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    return World(codes, casework_file(tmp_path, codes), latest.signatory.splitlines()[0])


@pytest.fixture
def sink(settings: Any) -> Iterator[Sink]:
    with Sink() as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        yield server


@pytest.fixture
def queue() -> Iterator[Any]:
    found = jobs.queue()
    found.empty()
    yield found
    found.empty()


def log_in(chromium: Any, base: str, role: str, tally: Tally) -> Person:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    person = Person(context.new_page(), role, tally)
    person.goto(f"{base}/staff/")  # the one address typed: the login page follows
    person.fill("#id_username", role)
    person.fill("#id_password", f"{role}-pw")
    person.click("input[type=submit]")
    person.wait_for_url(f"{base}/staff/")
    return person


def analyst_prepares(analyst: Person, world: World, queue: Any, tally: Tally) -> None:
    """Start the year, import, compute, check the figures, freeze, edit the template,
    generate the letters."""
    analyst.fill("#start-year", YEAR.label)
    analyst.click("button:has-text('Start the year')")
    analyst.click("#tasks a:has-text('Import casework')")
    analyst.select_option("#dataset", "ombudsman")
    analyst.set_input_files("#casework-files", str(world.casework))
    done = timed(tally, "check the casework file")
    analyst.click("text=Check the files")
    analyst.wait_for_selector("text=Check the import before you confirm")
    done()
    started = time.monotonic()
    analyst.click("text=Import these files")
    finish(analyst, queue, tally, "import", started)
    # An import job belongs to no year: its page leads back to the import, the header home.
    analyst.click(".govuk-generic-header__homepage-link")
    analyst.fill("#year", YEAR.label)
    started = time.monotonic()
    analyst.click("button:has-text('Compute')")
    finish(analyst, queue, tally, "compute", started)
    assert analyst.inner_text("#stage") == "Draft"
    analyst.click("#check-figures")
    assert "Complaints received" in analyst.inner_text("#national")
    analyst.click(f"a:has-text('Back to {YEAR}')")
    analyst.fill("#letter_date", LETTER_DATE.isoformat())
    analyst.fill("#publication_date", PUBLICATION_DATE.isoformat())
    started = time.monotonic()
    analyst.click(f"button:has-text('Freeze {YEAR}')")
    finish(analyst, queue, tally, "freeze", started)
    assert analyst.inner_text("#stage") == "Frozen"
    edit_the_template(analyst, tally)
    started = time.monotonic()
    analyst.click("button:has-text('Generate the year')")
    finish(analyst, queue, tally, "generate letters", started)


def edit_the_template(analyst: Person, tally: Tally) -> None:
    """Take last year's "this year only" sentence out of the body, preview, save."""
    analyst.click("#edit-template")
    preview = analyst.inner_text("#letter-preview")
    assert long_date(LETTER_DATE) in preview and "Michael King" not in preview
    body = analyst.input_value("#body")
    assert STALE_SENTENCE.search(body), "last year's May sentence is not in the body"
    analyst.fill("#body", STALE_SENTENCE.sub("", body))
    done = timed(tally, "save the template")
    analyst.click("#save-template")
    analyst.wait_for_selector("#stage")
    done()
    template = LetterTemplate.objects.get(review_year__year=YEAR.label)
    assert template.edited_by == "analyst" and not STALE_SENTENCE.search(template.body)


def publisher_signs_off(publisher: Person, queue: Any, tally: Tally) -> None:
    """Review the template, read the readiness report, check the answers, approve, send."""
    publisher.click(f"a:has-text('{YEAR}')")
    publisher.click("#edit-template")
    assert "Reviewed" not in publisher.inner_text("#review-state")
    publisher.click("#review-template")
    checks = publisher.inner_text("#readiness + table").splitlines()
    assert len(checks) >= 8 and all(row.endswith("Ready") for row in checks), checks
    publisher.click("a:has-text('Approve figures')")
    answers = publisher.inner_text("#answers")
    assert long_date(LETTER_DATE).replace(" ", "") in answers.replace(" ", "")
    started = time.monotonic()
    publisher.click("#confirm-approve")
    finish(publisher, queue, tally, "approve", started)  # approving is a job (readiness again)
    assert publisher.inner_text("#stage") == "Approved"
    publisher.click("a:has-text('Send letters (dry run first)')")
    publisher.check("#confirm")
    started = time.monotonic()
    publisher.click("button:has-text('Send letters')")
    finish(publisher, queue, tally, "send", started)
    assert publisher.inner_text("#stage") == "Issued"


def publish(tally: Tally) -> None:
    """On the publication date the timer runs ``publish_due`` (docs/deployment.md): nothing
    typed in a shell, no click (the staff sessions of the days before have expired)."""
    from councilperf.publishing.services import publish_due

    started = time.monotonic()
    done = publish_due(progress=lambda line: None)
    assert [p.year for p in done] == [YEAR]
    tally.steps.append(("publish (the timer)", time.monotonic() - started, "publish_due"))


def check_the_letters(world: World, sink: Sink) -> None:
    """Every letter and email carries the chosen dates and the latest signatory."""
    letter_text, publication_text = long_date(LETTER_DATE), long_date(PUBLICATION_DATE)
    letters = list(Letter.objects.filter(review_year__year=YEAR.label))
    assert len(letters) == len(world.codes)
    for letter in letters:
        words = " ".join(Path(letter.html_path).read_text(encoding="utf-8").split())
        assert f'datetime="{LETTER_DATE.isoformat()}"' in words, letter.html_path
        assert publication_text in words and world.signatory in words
    expected = len(world.codes) * (1 + len(ROLES_COPIED))
    assert len(sink.received) == expected
    pdfs: dict[str, bytes] = {}
    for item in sink.received:
        message = item.message
        text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        body = " ".join(bytes(text.get_payload(decode=True)).decode().split())
        assert f"published on {publication_text}" in body
        attached = next(p for p in message.walk() if str(p.get_filename()).endswith(".pdf"))
        pdfs[str(attached.get_filename())] = bytes(attached.get_payload(decode=True))
    assert len(pdfs) == len(world.codes) == SentLetter.objects.count()
    for name, data in pdfs.items():
        words = " ".join(pdftotext(data).split())
        assert letter_text in words and publication_text in words, name
        assert world.signatory in words and "Michael King" not in words, name
        assert "21 May 2025" not in words and "16 July 2025" not in words, name


def report(tally: Tally, councils: int) -> int:
    clicks = sum(tally.clicks.values())
    print(f"\n2025-26 cycle in the browser ({councils} councils, {len(tally.steps)} steps):")
    for who in tally.clicks:
        print(f"  {who}: {tally.clicks[who]} clicks, {tally.fields[who]} fields filled")
    print(f"  total: {clicks} clicks (goal <= {CLICK_GOAL}), {sum(tally.fields.values())} fields")
    for step, seconds, how in tally.steps:
        print(f"  {step:28} {seconds:7.1f} s  ({how})")
    return clicks


def test_a_new_year_from_data_alone_through_every_stage(
    world: World, live_server: Any, chromium: Any, sink: Sink, queue: Any
) -> None:
    base, tally = live_server.url, Tally()
    analyst = log_in(chromium, base, "analyst", tally)
    analyst_prepares(analyst, world, queue, tally)
    publisher = log_in(chromium, base, "publisher", tally)
    publisher_signs_off(publisher, queue, tally)
    check_the_letters(world, sink)

    anonymous = chromium.new_context().new_page()
    code = world.codes[0]
    slug = Authority.objects.get(gss_code=code).slug
    letter = f"{base}/councils/{slug}/{YEAR}/letter.pdf"
    assert anonymous.request.get(letter).status == 404  # not before its date
    moment = ReviewYear.objects.get(year=YEAR.label).publication_at  # date and time (09:30)
    assert moment is not None and timezone.localdate(moment) == PUBLICATION_DATE
    with time_machine.travel(moment, tick=True):
        cache.clear()
        publish(tally)
        published = ReviewYear.objects.get(year=YEAR.label)
        assert published.publication_date == PUBLICATION_DATE
        assert lifecycle.stage(published) is lifecycle.Stage.PUBLISHED
        served = anonymous.request.get(letter)
        assert served.status == 200
        assert (
            served.body()
            == Path(SentLetter.objects.get(authority__gss_code=code).pdf_path).read_bytes()
        )
        assert anonymous.request.get(f"{base}/councils/{slug}/{YEAR}/").status == 200
    assert report(tally, len(world.codes)) <= CLICK_GOAL
