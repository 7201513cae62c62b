"""Benchmark: every 2019-20 annual review letter (HTML and PDF) for 343 authorities.

    .venv/bin/python bench/letters.py                  # 343 letters, every core
    .venv/bin/python bench/letters.py --letters 60 --processes 2

On a fresh temporary database (SQLite) it creates 343 fictional authorities with contacts
and seeded 2019-20 statistics (all the wording branches occur), then times, in one run:

- batch: ``generate_letters`` — putting each letter into words, the HTML files, the PDFs on
  every core (forked workers, one font configuration and parsed stylesheet each), the
  records; this is what ``manage.py generate_letters --year 2019-20`` does;
- naive: each letter's HTML file (as written by the batch, stylesheet inside) rendered by
  WeasyPrint one after another in this one process, with the same PDF options
  (``HTML(filename=...).write_pdf(...)``);
- resume: ``generate_letters`` again, every letter unchanged (all skipped).

It prints both times, their ratio (goal: batch ≤ 0.35 × naive) and the machine's load, since
other work on the same cores slows the batch more than the one-process baseline.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from fractions import Fraction  # noqa: E402

from councilperf.letters.wording import LetterStatistics  # noqa: E402  (pure: no Django)

GOAL = 0.35
YEAR = "2019-20"
# Roughly England's councils in 2019-20, by comparison group.
GROUPS = {"county": 26, "district": 188, "metropolitan": 36, "unitary": 60, "london": 33}
PREFIX = {
    "county": "E10",
    "district": "E07",
    "metropolitan": "E08",
    "unitary": "E06",
    "london": "E09",
}
PEERS = {
    "county": Fraction(64, 100),
    "district": Fraction(89, 200),
    "metropolitan": Fraction(58, 100),
    "unitary": Fraction(57, 100),
    "london": Fraction(61, 100),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--letters", type=int, default=sum(GROUPS.values()))
    parser.add_argument("--processes", type=int, default=None, help="default: every core")
    parser.add_argument("--seed", type=int, default=2020)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="letters-bench-") as scratch:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        os.environ["VAR_DIR"] = scratch
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
        os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)  # never a server's
        import django

        django.setup()
        run(Path(scratch), options.letters, options.processes, options.seed)


def make_data(count: int, seed: int) -> dict[str, LetterStatistics]:
    from councilperf.authorities.models import Authority, Contact
    from councilperf.statistics.models import ReviewYear

    ReviewYear.objects.create(
        year=YEAR, letter_date=dt.date(2020, 7, 22), publication_date=dt.date(2020, 7, 29)
    )
    rng = random.Random(seed)
    groups = [group for group, n in GROUPS.items() for _ in range(n)][:count]
    statistics: dict[str, LetterStatistics] = {}
    for n, group in enumerate(groups, start=1):
        code = f"{PREFIX[group]}9{n:05d}"
        name = f"Borsetshire {n:03d} {group.title()} Council"
        authority = Authority.objects.create(
            gss_code=code,
            register_code=f"B{n:04d}",
            official_name=name,
            short_name=f"Borsetshire {n:03d}",
            slug=f"borsetshire-{n:03d}",
            register_type="NMD",
            group=group,
        )
        Contact.objects.create(
            authority=authority,
            role="chief_executive",
            name=f"Ms Example {n}",
            job_title="Chief Executive",
            email=f"chief.executive@b{n:03d}.example.org",
        )
        investigated = rng.choice([0, 1, 2, rng.randint(3, 120)])
        upheld = rng.randint(0, investigated)
        outcomes = rng.randint(0, upheld)
        statistics[code] = LetterStatistics(
            year=YEAR,
            authority_code=code,
            authority_name=name,
            comparison_group=group,
            detailed_investigations=investigated,
            upheld=upheld,
            upheld_with_satisfactory_remedy=rng.randint(0, upheld),
            compliance_outcomes=outcomes,
            not_complied=rng.choice([0, 0, 0, min(1, outcomes)]),
            peer_upheld_rate=PEERS[group],
            peer_satisfactory_remedy_rate=Fraction(12, 100),
            peer_compliance_rate=Fraction(995, 1000),
            revision=1,
            synthetic=True,
        )
    return statistics


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(scratch: Path, count: int, processes: int | None, seed: int) -> None:
    from django.core.management import call_command

    from councilperf.letters import batch
    from councilperf.letters.pdf import PDF_OPTIONS
    from councilperf.years import ReportingYear

    call_command("migrate", verbosity=0)
    statistics = make_data(count, seed)
    workers = processes or batch.default_processes()
    out = scratch / "letters"
    naive_out = scratch / "naive"
    naive_out.mkdir()

    from weasyprint import HTML

    def naive_render(html_file: Path) -> None:
        HTML(filename=str(html_file)).write_pdf(
            str(naive_out / html_file.with_suffix(".pdf").name), **PDF_OPTIONS
        )

    # Warm-up outside the timings (imports, fontconfig's cache): one letter, both ways.
    first = sorted(statistics)[0]
    warm = scratch / "warm"
    batch.generate_letters(
        year=ReportingYear.parse(YEAR), out=warm, statistics={first: statistics[first]}, processes=1
    )
    naive_render(warm / YEAR / f"{first}.html")

    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), cpu_seconds()
    summary = batch.generate_letters(
        year=ReportingYear.parse(YEAR),
        out=out,
        statistics=statistics,
        processes=workers,
        force=True,
    )
    batch_seconds = time.perf_counter() - started
    batch_cpu = cpu_seconds() - cpu_started
    assert len(summary.generated) == len(statistics)

    html_files = sorted((out / YEAR).glob("*.html"))
    started, cpu_started = time.perf_counter(), cpu_seconds()
    for html_file in html_files:
        naive_render(html_file)
    naive_seconds = time.perf_counter() - started
    naive_cpu = cpu_seconds() - cpu_started
    load_after = os.getloadavg()[0]

    started = time.perf_counter()
    again = batch.generate_letters(
        year=ReportingYear.parse(YEAR), out=out, statistics=statistics, processes=workers
    )
    resume_seconds = time.perf_counter() - started
    assert len(again.skipped) == len(statistics)

    letters = len(statistics)
    ratio = batch_seconds / naive_seconds
    verdict = "met" if ratio <= GOAL else "NOT met"
    lines = [
        f"Letters: {letters} ({YEAR}), HTML and PDF each; {workers} worker process(es)",
        f"  naive (one process, WeasyPrint per HTML file): {naive_seconds:7.1f} s "
        f"({naive_seconds / letters * 1000:.0f} ms a letter)",
        f"  batch (generate_letters):                      {batch_seconds:7.1f} s "
        f"({batch_seconds / letters * 1000:.0f} ms a letter)",
        f"  ratio batch / naive: {ratio:.2f} (goal <= {GOAL}: {verdict})",
        f"  CPU time, all processes: naive {naive_cpu:.1f} s, batch {batch_cpu:.1f} s "
        f"(ratio {batch_cpu / naive_cpu:.2f}); on {workers} otherwise idle core(s) the batch "
        f"would take about {batch_cpu / workers:.1f} s and the naive run {naive_cpu:.1f} s: "
        f"ratio {batch_cpu / workers / naive_cpu:.2f}",
        f"  resume, nothing changed: {resume_seconds:.1f} s (all {letters} skipped)",
        f"  load average (1 min) before/after: {load_before:.1f} / {load_after:.1f} "
        f"on {os.cpu_count()} core(s)",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
