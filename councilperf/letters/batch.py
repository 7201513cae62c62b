"""Generate a year's letters (HTML and PDF) for every authority, on every core, resumably.

The parent process reads the database, puts every letter into words (cheap) and decides
which letters are already up to date: a letter is skipped when its record's content hash —
of its words and figures (statistics, template, contact) and of the layout — is unchanged
and both files are in place. Worker processes (forked, one per core) render the HTML and
the PDF, each reusing one font configuration and one parsed stylesheet for all its letters:
WeasyPrint is CPU-bound, so the cores are the speed. Files are written under a temporary
name and renamed; the record of a letter is saved only after both of its files are in
place, so an interrupted run resumes without duplicates or half-written files.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.diskspace import full_disk_as
from councilperf.letters import pdf, rendering, services, sources
from councilperf.letters.models import Letter, LetterTemplate
from councilperf.letters.wording import LetterStatistics
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear


@dataclass(frozen=True, slots=True)
class Job:
    """One letter to render (picklable: it goes to a worker process)."""

    authority_code: str
    content: rendering.LetterContent
    content_hash: str
    html_path: str
    pdf_path: str


@dataclass
class Summary:
    year: ReportingYear
    directory: Path
    generated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.year}: {len(self.generated)} letter(s) generated, "
            f"{len(self.skipped)} unchanged and skipped, in {self.directory}"
        )


def letters_directory(out: Path | str | None = None) -> Path:
    return Path(out or settings.LETTERS_DIR).resolve()


def letter_paths(directory: Path, year: ReportingYear, authority_code: str) -> tuple[Path, Path]:
    folder = directory / year.label
    return folder / f"{authority_code}.html", folder / f"{authority_code}.pdf"


def _up_to_date(record: Letter | None, digest: str, html_path: Path, pdf_path: Path) -> bool:
    return (
        record is not None
        and record.content_hash == digest
        and record.html_path == str(html_path)
        and record.pdf_path == str(pdf_path)
        and html_path.is_file()
        and pdf_path.is_file()
    )


def plan(
    *,
    review_year: ReviewYear,
    template: LetterTemplate,
    statistics: Mapping[str, LetterStatistics],
    directory: Path,
    force: bool = False,
) -> tuple[list[Job], list[str], dict[str, Authority]]:
    """(letters to render, codes already up to date, authorities by code)."""
    authorities = {
        authority.gss_code: authority
        for authority in Authority.objects.filter(gss_code__in=list(statistics)).prefetch_related(
            "contacts"
        )
    }
    missing = sorted(set(statistics) - set(authorities))
    if missing:
        raise rendering.LetterError(f"unknown authority code(s): {', '.join(missing[:5])}")
    records = {
        letter.authority.gss_code: letter
        for letter in Letter.objects.filter(review_year=review_year).select_related("authority")
    }
    jobs: list[Job] = []
    skipped: list[str] = []
    year = review_year.reporting_year
    for code in sorted(statistics):
        authority = authorities[code]
        content = rendering.build_letter(
            template=template,
            authority=authority,
            statistics=statistics[code],
            contacts=list(authority.contacts.all()),
        )
        digest = rendering.content_hash(content)
        html_path, pdf_path = letter_paths(directory, year, code)
        if not force and _up_to_date(records.get(code), digest, html_path, pdf_path):
            skipped.append(code)
            continue
        jobs.append(Job(code, content, digest, str(html_path), str(pdf_path)))
    return jobs, skipped, authorities


def render_job(job: Job) -> str:
    """Render and write one letter's files (in whichever process runs it)."""
    page = rendering.render_html(job.content, inline_css=False)
    rendered = pdf.shared_renderer().render_letter(
        whole=page, **pdf_parts(job.content) if job.content.continuation_html else {}
    )
    # A full disk is one sentence (a LetterError: the command and the job say it), and
    # write_atomically leaves no half-written file.
    with full_disk_as(rendering.LetterError, Path(job.pdf_path), "letters"):
        pdf.write_atomically(Path(job.pdf_path), rendered)
        pdf.write_atomically(Path(job.html_path), rendering.with_stylesheet(page).encode())
    return job.authority_code


def pdf_parts(content: rendering.LetterContent) -> dict[str, str]:
    """The two parts the renderer assembles a letter from (see ``pdf.PdfRenderer``)."""
    return {
        "first": rendering.render_html(content, inline_css=False, part="first"),
        "continuation": rendering.render_html(content, inline_css=False, part="continuation"),
    }


def _init_worker() -> None:
    # A worker is a fork of the process that runs the batch, and inherits its signal handlers:
    # an RQ worker's SIGTERM handler does not exit, so the pool, which stops its workers with
    # SIGTERM when it closes, could wait for one for ever. Workers take the defaults back.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    pdf.shared_renderer()  # parse the stylesheet and set up fonts once per worker


def default_processes() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_jobs(jobs: Sequence[Job], *, processes: int) -> Iterator[str]:
    """Render ``jobs``, yielding each authority code as its files are in place."""
    if processes <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield render_job(job)
        return
    # Workers never touch the database; close the parent's connections before forking so
    # that no child shares a database socket (not inside a transaction: a test's, say).
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
    context = multiprocessing.get_context("fork")
    workers = min(processes, len(jobs))
    with context.Pool(workers, initializer=_init_worker) as pool:
        # Small chunks: few round trips, yet the last letters still spread over the cores.
        chunksize = max(1, min(8, len(jobs) // (workers * 8)))
        yield from pool.imap_unordered(render_job, jobs, chunksize=chunksize)


def generate_letters(
    *,
    year: ReportingYear,
    authority_codes: Iterable[str] | None = None,
    out: Path | str | None = None,
    force: bool = False,
    processes: int | None = None,
    statistics: Mapping[str, LetterStatistics] | None = None,
    progress: Callable[[int], Callable[[], None]] | None = None,
) -> Summary:
    """Write ``<out>/<year>/<GSS code>.html`` and ``.pdf`` for each authority of the year.

    ``statistics`` defaults to the statistics engine's figures for the year; ``progress``,
    given the number of letters to render, returns a function called after each one.
    """
    review_year = ReviewYear.objects.filter(year=year.label).first()
    if review_year is None:
        raise rendering.LetterError(f"no review year {year}: compute its statistics first")
    template = services.template_for_year(review_year)
    if statistics is None:
        statistics = sources.load_statistics(year)
    if authority_codes is not None:
        wanted = set(authority_codes)
        unknown = sorted(wanted - set(statistics))
        if unknown:
            raise rendering.LetterError(f"no {year} statistics for {', '.join(unknown)}")
        statistics = {code: value for code, value in statistics.items() if code in wanted}
    directory = letters_directory(out)
    (directory / year.label).mkdir(parents=True, exist_ok=True)
    pdf.remove_stale_temporaries(directory / year.label)
    jobs, skipped, authorities = plan(
        review_year=review_year,
        template=template,
        statistics=statistics,
        directory=directory,
        force=force,
    )
    summary = Summary(year=year, directory=directory / year.label, skipped=skipped)
    by_code = {job.authority_code: job for job in jobs}
    tick = progress(len(jobs)) if progress else None
    for code in run_jobs(jobs, processes=processes or default_processes()):
        job = by_code[code]
        Letter.objects.update_or_create(
            authority=authorities[code],
            review_year=review_year,
            defaults={
                "statistics_revision": statistics[code].revision,
                "template_version": template.version,
                "template_hash": template.content_hash,
                "content_hash": job.content_hash,
                "synthetic": statistics[code].synthetic,
                "html_path": job.html_path,
                "pdf_path": job.pdf_path,
                "generated_at": timezone.now(),
            },
        )
        summary.generated.append(code)
        if tick:
            tick()
    return summary


def ensure_letter(
    *, authority: Authority, year: ReportingYear, out: Path | str | None = None
) -> Letter:
    """One authority's letter, generated now if it is missing or out of date (the same
    files and the same record as a batch run would make)."""
    generate_letters(year=year, authority_codes=[authority.gss_code], out=out, processes=1)
    return Letter.objects.select_related("authority", "review_year").get(
        authority=authority, review_year__year=year.label
    )


def letter_now(*, authority: Authority, year: ReportingYear) -> Path | bytes:
    """One authority's letter as it would be made now, writing nothing: the stored PDF when
    it is up to date, else the PDF rendered in memory. For a published year, whose stored
    files are what the public pages serve until its letters are sent (a correction waiting
    for approval must not reach them by way of a staff member's look)."""
    review_year = ReviewYear.objects.get(year=year.label)
    code = authority.gss_code
    statistics = sources.load_statistics(year)
    if code not in statistics:
        raise rendering.LetterError(f"no {year} statistics for {code}")
    directory = letters_directory()
    jobs, _, _ = plan(
        review_year=review_year,
        template=services.template_for_year(review_year),
        statistics={code: statistics[code]},
        directory=directory,
    )
    if not jobs:
        return letter_paths(directory, year, code)[1]
    content = jobs[0].content
    return pdf.shared_renderer().render_letter(
        whole=rendering.render_html(content, inline_css=False),
        **pdf_parts(content) if content.continuation_html else {},
    )
