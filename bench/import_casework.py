"""Benchmark: import 120,000 cases with their recommendations and compliance outcomes.

    .venv/bin/python bench/import_casework.py                 # SQLite, then PostgreSQL
    .venv/bin/python bench/import_casework.py --database sqlite --cases 20000

Each backend runs in its own process on a fresh database (a temporary SQLite file; a
PostgreSQL database named by --postgres-url, created and dropped). Three timings, each end to
end (validation, writing, the import record), in cases per second:

- records: ``import_records`` given records in memory, as the demo generator calls it;
- again:   the same records a second time (everything unchanged);
- files:   ``import_files`` reading the same casework from CSV files into an empty database.

It ends with the process's peak RSS (all three runs, the records in memory included).

The goal is 20,000 cases/s or more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder would come first on the path and its neighbours (e.g.
# bench/site.py) would hide standard modules of the same name.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/cp_casework_bench"
GOAL = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=120_000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        _run(options.cases)
        return
    backends = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    failed = False
    for backend in backends:
        with tempfile.TemporaryDirectory() as scratch:
            if backend == "sqlite":
                url = f"sqlite:///{scratch}/bench.sqlite3"
            else:
                url = options.postgres_url
                _recreate_postgres(url)
            env = {**os.environ, "DATABASE_URL": url, "VAR_DIR": scratch}
            command = [sys.executable, __file__, "--child", "--cases", str(options.cases)]
            result = subprocess.run(command, env=env, cwd=ROOT, check=False)
            failed = failed or result.returncode != 0
            if backend == "postgres":
                _drop_postgres(url)
    sys.exit(1 if failed else 0)


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


def _run(count: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from councilperf.authorities.models import Authority
    from councilperf.casework.exporting import export_casework
    from councilperf.casework.models import Dataset
    from councilperf.casework.services import import_files, import_records

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
        for n in range(300)
    )
    codes = [f"E07{n:06d}" for n in range(300)]
    cases, recommendations, compliance = _records(count, codes)
    dataset = Dataset.objects.create(slug="bench", name="Benchmark", synthetic=True)
    today = dt.date(2024, 6, 1)
    print(
        f"{connection.vendor}: {len(cases):,} cases, {len(recommendations):,} recommendations, "
        f"{len(compliance):,} compliance outcomes"
    )

    def timed(label: str, action) -> None:
        start, cpu = time.perf_counter(), time.process_time()
        summary = action()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        rate = len(cases) / seconds
        verdict = "ok" if rate >= GOAL else f"below the goal of {GOAL:,}"
        print(
            f"  {label:8} {seconds:6.2f} s  {rate:9,.0f} cases/s  (CPU of this process "
            f"{cpu:.2f} s) "
            f"({verdict}; cases: {summary.cases})",
            flush=True,
        )

    timed(
        "records",
        lambda: import_records(
            cases=cases,
            recommendations=recommendations,
            compliance=compliance,
            dataset=dataset,
            today=today,
        ),
    )
    timed(
        "again",
        lambda: import_records(
            cases=cases,
            recommendations=recommendations,
            compliance=compliance,
            dataset=dataset,
            today=today,
        ),
    )
    with tempfile.TemporaryDirectory() as scratch:
        files = [exported.path for exported in export_casework(directory=Path(scratch))]
        _empty_tables()
        timed("files", lambda: import_files(paths=files, dataset=dataset, today=today))
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"  peak RSS of this process: {peak / 1024:,.0f} MiB", flush=True)


def _empty_tables() -> None:
    """Start the file import on empty tables, as a first import would (no dead rows)."""
    from django.db import connection

    from councilperf.casework.models import Case, ComplianceOutcome, Recommendation

    tables = [m._meta.db_table for m in (ComplianceOutcome, Recommendation, Case)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(tables))
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def _records(count: int, codes: list[str]):
    from councilperf.casework.models import Outcome, ServiceArea
    from councilperf.casework.records import CaseRecord, ComplianceRecord, RecommendationRecord

    rng = random.Random(2020)
    outcomes = [o.value for o in Outcome]
    weights = [10, 15, 20, 25, 10, 20]
    areas = [a.value for a in ServiceArea]
    first = dt.date(2019, 4, 1)
    cases, recommendations, compliance = [], [], []
    for n in range(count):
        reference = f"{19 + n // 900_000:02d} {n // 1000 % 1000:03d} {n % 1000:03d}"
        received = first + dt.timedelta(days=rng.randrange(365))
        decided = received + dt.timedelta(days=rng.randrange(20, 300))
        outcome = rng.choices(outcomes, weights)[0]
        upheld = outcome == "upheld"
        cases.append(
            CaseRecord(
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
        )
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
    return cases, recommendations, compliance


if __name__ == "__main__":
    main()
