"""Benchmark: import 120,000 cases with their recommendations and compliance outcomes.

    .venv/bin/python bench/import_casework.py                 # SQLite, then PostgreSQL
    .venv/bin/python bench/import_casework.py --database sqlite --cases 20000
    .venv/bin/python bench/import_casework.py --cases 5000000 --files-only
    .venv/bin/python bench/import_casework.py --cases 200000 --files-only --compare /work/main

Each backend runs in processes of its own on a fresh database (a temporary SQLite file; a
PostgreSQL database named by --postgres-url, created and dropped). Three timings, each end to
end (validation, writing, the import record), in cases per second:

- records: ``import_records`` given records in memory, as the demo generator calls it;
- again:   the same records a second time (everything unchanged);
- files:   ``import_files`` reading the casework from CSV files into an empty database, in a
  process of its own that never holds the records: its peak RSS is the importer's.

The CSV files are written once, streamed, into a temporary folder (deleted at the end).
``--files-only`` skips the first two (at millions of cases the records alone fill memory);
``--compare DIR`` also times the files import of the code checked out in DIR (e.g. the main
branch) on the same files, and prints the ratio.

The goals: 20,000 cases/s or more; 5 million cases within 1 GiB of peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder would come first on the path and its neighbours (e.g.
# bench/site.py) would hide standard modules of the same name.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
# A database of this run's own (created and dropped), so two runs on one machine never meet.
DEFAULT_POSTGRES = f"postgres://postgres@127.0.0.1:5432/cp_casework_bench_{os.getpid()}"
GOAL = 20_000
RSS_GOAL_MIB = 1024
TODAY = dt.date(2024, 6, 1)
AUTHORITIES = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=120_000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--files-only", action="store_true")
    parser.add_argument("--compare", type=Path, help="another checkout to time the same way")
    parser.add_argument("--child", choices=("records", "files", "generate"), help=argparse.SUPPRESS)
    parser.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        _child(options)
        return
    backends = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-casework-") as folder:
        files = Path(folder) / "files"
        generate = ["--child", "generate", "--cases", str(options.cases), "--files", str(files)]
        failed = _spawn(generate, {}, ROOT)[0] != 0
        for backend in backends:
            rates: dict[str, float] = {}
            runs = [] if options.files_only else [("records", ROOT)]
            runs += [("files", ROOT)] + ([("files", options.compare)] if options.compare else [])
            for mode, code in runs:
                returncode, rate = _one(backend, mode, code, files, options, Path(folder))
                failed = failed or returncode != 0
                if rate is not None and mode == "files":
                    rates[str(code)] = rate
            if options.compare and len(rates) == 2:
                mine, other = rates[str(ROOT)], rates[str(options.compare)]
                print(f"{backend}: files import here / in {options.compare}: {mine / other:.2f}")
    sys.exit(1 if failed else 0)


def _one(
    backend: str, mode: str, code: Path, files: Path, options: Any, folder: Path
) -> tuple[int, float | None]:
    """Run one child on a fresh database; its exit code and its files rate, if any."""
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        if backend == "sqlite":
            url = f"sqlite:///{scratch}/bench.sqlite3"
        else:
            url = options.postgres_url
            _recreate_postgres(url)
        env = {"DATABASE_URL": url, "VAR_DIR": scratch}
        arguments = ["--child", mode, "--cases", str(options.cases), "--files", str(files)]
        returncode, output = _spawn(arguments, env, code)
        if backend == "postgres":
            _drop_postgres(url)
    found = re.search(r"files .*?([\d,]+) cases/s", output)
    return returncode, float(found.group(1).replace(",", "")) if found else None


def _spawn(arguments: list[str], env: dict[str, str], code: Path) -> tuple[int, str]:
    """Run this script as a child with the code of ``code``; echo and return its output."""
    command = [sys.executable, __file__, *arguments]
    child_env = {
        "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 40,
        **os.environ,
        **env,
        "BENCH_CODE": str(code),
    }
    result = subprocess.run(command, env=child_env, cwd=code, capture_output=True, text=True)
    print(result.stdout, end="", flush=True)
    print(result.stderr[-3000:], end="", file=sys.stderr, flush=True)
    return result.returncode, result.stdout


def _admin_connection(url: str):
    import psycopg

    base, _, name = url.rpartition("/")
    return psycopg.connect(f"{base}/postgres", autocommit=True), name


def _recreate_postgres(url: str) -> None:
    connection, name = _admin_connection(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _drop_postgres(url: str) -> None:
    connection, name = _admin_connection(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _child(options: Any) -> None:
    code = Path(os.environ.get("BENCH_CODE", ROOT))
    sys.path.insert(0, str(code))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
    import django

    django.setup()
    if options.child == "generate":
        _generate(options.cases, options.files)
        return
    dataset = _setup()
    if options.child == "records":
        _time_records(options.cases, dataset)
        return
    from councilperf.casework.services import import_files

    paths = sorted(options.files.glob("*.csv"))
    _timed(
        "files",
        options.cases,
        lambda: import_files(paths=paths, dataset=dataset, today=TODAY),
        code=code,
    )
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    verdict = "ok" if peak <= RSS_GOAL_MIB else f"above the goal of {RSS_GOAL_MIB:,} MiB"
    print(f"  peak RSS of the files import's process: {peak:,.0f} MiB ({verdict})", flush=True)


def _setup() -> Any:
    from django.core.management import call_command

    from councilperf.authorities.models import Authority
    from councilperf.casework.models import Dataset

    call_command("migrate", verbosity=0)
    Authority.objects.bulk_create(
        Authority(
            gss_code=f"E07{n:06d}",
            register_code=f"B{n:04d}",
            official_name=f"Bench District {n} Council",
            short_name=f"Bench District {n}",
            slug=f"bench-{n}",
            register_type="NMD",
            group="district",
        )
        for n in range(AUTHORITIES)
    )
    return Dataset.objects.create(slug="bench", name="Benchmark", synthetic=True)


def _timed(label: str, count: int, action: Any, code: Path = ROOT) -> None:
    from django.db import connection

    start, cpu = time.perf_counter(), time.process_time()
    summary = action()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    rate = count / seconds
    verdict = "ok" if rate >= GOAL else f"below the goal of {GOAL:,}"
    print(
        f"  {connection.vendor} {label:8} {seconds:7.2f} s  {rate:9,.0f} cases/s  (CPU of this "
        f"process {cpu:.2f} s) ({verdict}; cases: {summary.cases}; code: {code})",
        flush=True,
    )


def _time_records(count: int, dataset: Any) -> None:
    from django.db import connection

    from councilperf.casework.services import import_records

    cases, recommendations, compliance = [], [], []
    for case, recs, outcome in _records(count):
        cases.append(case)
        recommendations.extend(recs)
        compliance.extend(outcome)
    print(
        f"{connection.vendor}: {len(cases):,} cases, {len(recommendations):,} recommendations, "
        f"{len(compliance):,} compliance outcomes"
    )
    for label in ("records", "again"):
        _timed(
            label,
            count,
            lambda: import_records(
                cases=cases,
                recommendations=recommendations,
                compliance=compliance,
                dataset=dataset,
                today=TODAY,
            ),
        )


def _generate(count: int, folder: Path) -> None:
    """Write the casework as the three CSV files of the import format, streamed."""
    from councilperf.casework.exporting import write_records
    from councilperf.casework.parsing import Kind

    folder.mkdir(parents=True)
    written = []
    for index, kind in enumerate(Kind):
        records = (record for row in _records(count) for record in _flat(row)[index])
        written.append(f"{write_records(folder / f'{kind}.csv', kind, records):,} {kind}")
    print("files: " + ", ".join(written), flush=True)


def _flat(row: tuple[Any, list[Any], list[Any]]) -> tuple[list[Any], list[Any], list[Any]]:
    return [row[0]], row[1], row[2]


def _records(count: int) -> Iterator[tuple[Any, list[Any], list[Any]]]:
    """Each case with its recommendations and compliance outcome (the same every time)."""
    from councilperf.casework.models import Outcome, ServiceArea
    from councilperf.casework.records import CaseRecord, ComplianceRecord, RecommendationRecord

    codes = [f"E07{n:06d}" for n in range(AUTHORITIES)]
    rng = random.Random(2020)
    outcomes = [o.value for o in Outcome]
    weights = [10, 15, 20, 25, 10, 20]
    areas = [a.value for a in ServiceArea]
    first = dt.date(2019, 4, 1)
    for n in range(count):
        reference = f"{19 + n // 1_000_000:02d} {n // 1000 % 1000:03d} {n % 1000:03d}"
        received = first + dt.timedelta(days=rng.randrange(365))
        decided = received + dt.timedelta(days=rng.randrange(20, 300))
        outcome = rng.choices(outcomes, weights)[0]
        upheld = outcome == "upheld"
        case = CaseRecord(
            reference=reference,
            authority_code=codes[n % len(codes)],
            received_date=received,
            decision_date=decided,
            service_area=rng.choice(areas),
            outcome=outcome,
            remedied_by_authority=upheld and rng.random() < 0.1,
            summary=f"Decision statement {n}: the council was at fault." if upheld else "",
            statement_url=f"https://example.org/decisions/{n}" if upheld else "",
        )
        recommendations, compliance = [], []
        if upheld:
            for k in range(rng.randint(1, 3)):
                recommendations.append(
                    RecommendationRecord(
                        reference=reference,
                        kind=("apology", "financial_redress", "procedure_change")[k],
                        due_date=decided + dt.timedelta(days=30 + 30 * k),
                        description="Put things right.",
                        service_improvement=k == 2,
                    )
                )
            compliance.append(
                ComplianceRecord(
                    reference=reference,
                    recorded_date=decided + dt.timedelta(days=100),
                    outcome=rng.choice(("complied", "complied", "complied_late", "not_complied")),
                )
            )
        yield case, recommendations, compliance


if __name__ == "__main__":
    main()
