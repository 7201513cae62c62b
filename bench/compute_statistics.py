"""Benchmark: compute every authority-year of 1.2 million cases, next to DuckDB.

    .venv/bin/python bench/compute_statistics.py          # SQLite and PostgreSQL, 2 sizes
    .venv/bin/python bench/compute_statistics.py --database sqlite --sizes 100000

For each backend and size, in its own process on a fresh database (a temporary SQLite file; a
PostgreSQL database named by --postgres-url, dropped and created), it loads synthetic casework
over seven reporting years (2018-19 to 2024-25: cases, recommendations, compliance outcomes;
written with bulk SQL, not timed), then times, best of --repeat runs:

- project: ``compute_all_statistics`` for all seven years — the set-based gathering queries,
  the pure statistics core, and storing every authority row and group row (a draft);
- gather:  the gathering queries alone (``gather_years``);
- duckdb:  DuckDB computing the same counts (same groups: year, authority, service area) from
  the same rows, exported from the database to Parquet (the export is not timed).

It checks that DuckDB's counts equal the project's, prints the timings and their ratio (goal:
project within 5 × DuckDB) and, across sizes, the time per million cases (linear growth keeps
it flat).
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's ``statistics``: keep its folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from typing import Any  # noqa: E402

ROOT = _HERE.parent
# A database of this run's own (created and dropped), so two runs on one machine never meet.
DEFAULT_POSTGRES = f"postgres://postgres@127.0.0.1:5432/cp_stats_bench_{os.getpid()}"
YEARS = [f"{y}-{(y + 1) % 100:02d}" for y in range(2018, 2025)]
GOAL_RATIO = 5.0
AREAS = [
    "adult_care",
    "benefits_and_tax",
    "corporate_and_other",
    "education_and_childrens",
    "environment_and_regulation",
    "highways_and_transport",
    "housing",
    "planning_and_development",
]
OUTCOMES = [
    ("invalid_or_incomplete", 10),
    ("advice_given", 10),
    ("referred_back_for_local_resolution", 35),
    ("closed_after_initial_enquiries", 20),
    ("not_upheld", 8),
    ("upheld", 17),
]
GROUPS = [("county", 24), ("district", 180), ("metropolitan", 36), ("unitary", 62), ("london", 33)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="600000,1200000", help="case counts, comma-separated")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cases", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(_child(options.cases, Path(options.scratch), options.repeat)))
        return
    sizes = [int(s) for s in options.sizes.split(",")]
    backends = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    results: list[dict[str, Any]] = []
    for backend in backends:
        for size in sizes:
            with tempfile.TemporaryDirectory() as scratch:
                if backend == "sqlite":
                    url = f"sqlite:///{scratch}/bench.sqlite3"
                else:
                    url = options.postgres_url
                    _recreate_postgres(url)
                print(f"{backend}: loading {size:,} cases …", file=sys.stderr, flush=True)
                done = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        "--cases",
                        str(size),
                        "--scratch",
                        scratch,
                        "--repeat",
                        str(options.repeat),
                    ],
                    env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                )
                if backend == "postgres":
                    _drop_postgres(url)
                if done.returncode != 0:
                    sys.stderr.write(done.stderr)
                    raise SystemExit(f"{backend} at {size} cases failed")
                result = json.loads(done.stdout.strip().splitlines()[-1])
                result["backend"] = backend
                results.append(result)
                _print_result(result)
    _print_summary(results)


def _print_result(r: dict[str, Any]) -> None:
    print(
        f"{r['backend']:<9} {r['cases']:>9,} cases ({r['recommendations']:,} recommendations, "
        f"{r['compliance']:,} compliance outcomes, {r['authority_years']:,} authority-years): "
        f"project {r['project']:.2f}s (gather {r['gather']:.2f}s) · duckdb {r['duckdb']:.2f}s · "
        f"ratio {r['project'] / r['duckdb']:.1f}× (gather {r['gather'] / r['duckdb']:.1f}×) · "
        f"counts {'equal' if r['equal'] else 'DIFFER'} · load {r['load']:.0f}s",
        flush=True,
    )


def _print_summary(results: list[dict[str, Any]]) -> None:
    print("\nbackend   cases      project  gather   duckdb   ratio  s per million (project)")
    for r in results:
        print(
            f"{r['backend']:<9} {r['cases']:>9,}  {r['project']:6.2f}s  {r['gather']:6.2f}s  "
            f"{r['duckdb']:6.2f}s  {r['project'] / r['duckdb']:5.1f}×  "
            f"{r['project'] / r['cases'] * 1e6:6.2f}"
        )
    for backend in sorted({r["backend"] for r in results}):
        mine = sorted((r for r in results if r["backend"] == backend), key=lambda r: r["cases"])
        if len(mine) >= 2:
            small, large = mine[0], mine[-1]
            growth = (large["project"] / small["project"]) / (large["cases"] / small["cases"])
            print(
                f"{backend}: {large['cases'] / small['cases']:.1f}× the cases took "
                f"{large['project'] / small['project']:.2f}× the time "
                f"(1.0 = linear; {growth:.2f} relative)"
            )
    worst = max(r["project"] / r["duckdb"] for r in results)
    verdict = "met" if worst <= GOAL_RATIO else "NOT met"
    print(f"goal (project within {GOAL_RATIO:.0f}× DuckDB): {verdict}, worst {worst:.1f}×")
    if not all(r["equal"] for r in results):
        raise SystemExit("DuckDB's counts differ from the project's")


def _recreate_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _drop_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


# --- the child: one backend, one size ---------------------------------------------------------


def _child(cases: int, scratch: Path, repeat: int) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)  # never a server's
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from councilperf.statistics.gather import gather_years
    from councilperf.statistics.services import compute_all_statistics
    from councilperf.years import ReportingYear

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    sizes = _load(cases)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    load_seconds = time.perf_counter() - started

    years = [ReportingYear.parse(y) for y in YEARS]
    project = _best(repeat, lambda: compute_all_statistics(years=years))
    gather = _best(repeat, lambda: gather_years(years))
    gathered = gather_years(years)

    files = _export_parquet(scratch)
    duckdb_seconds = _best(repeat, lambda: _duckdb_counts(files))
    duck = _duckdb_counts(files)

    ours: Counter[tuple[int, str]] = Counter()
    for label, year in gathered.items():
        start = ReportingYear.parse(label).start_year
        for item in year.authorities:
            for counts in item.by_service_area.values():
                for name, value in counts.items():
                    ours[(start, name)] += value
        for counts in year.unattributed.values():
            for name, value in counts.items():
                ours[(start, name)] += value
    return {
        "cases": cases,
        **sizes,
        "authority_years": sum(len(y.authorities) for y in gathered.values()),
        "load": load_seconds,
        "project": project,
        "gather": gather,
        "duckdb": duckdb_seconds,
        "equal": +ours == +duck,
    }


def _best(repeat: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def _load(cases: int) -> dict[str, int]:
    """Synthetic casework written with bulk SQL (executemany / COPY); not timed."""
    from django.db import connection, transaction

    from councilperf.authorities.models import Authority, AuthorityYear
    from councilperf.casework.models import Dataset

    rng = random.Random(20200722)
    dataset = Dataset.objects.create(slug="bench", name="Benchmark", synthetic=True)
    authorities: list[Authority] = []
    n = 0
    for group, count in GROUPS:
        prefix = {"county": "E10", "district": "E07", "metropolitan": "E08"}.get(group, "E06")
        prefix = "E09" if group == "london" else prefix
        for _ in range(count):
            n += 1
            authorities.append(
                Authority(
                    gss_code=f"{prefix}9{n:05d}",
                    register_code=f"B{n:04d}",
                    official_name=f"Bench Council {n}",
                    short_name=f"Bench {n}",
                    slug=f"bench-{n}",
                    register_type={"county": "CTY", "district": "NMD", "metropolitan": "MD"}.get(
                        group, "LBO" if group == "london" else "UA"
                    ),
                    group=group,
                )
            )
    Authority.objects.bulk_create(authorities)
    authorities = list(Authority.objects.order_by("pk"))
    # The first 10 are abolished after 2019-20; the last 4 start in 2020-21.
    existing: list[list[int]] = []
    rows: list[AuthorityYear] = []
    for index, label in enumerate(YEARS):
        ids = []
        for position, authority in enumerate(authorities):
            if (position < 10 and index > 1) or (position >= len(authorities) - 4 and index < 2):
                continue
            ids.append(authority.pk)
            rows.append(
                AuthorityYear(
                    authority=authority,
                    year=label,
                    group=authority.group,
                    population=rng.randint(40_000, 1_500_000),
                    population_estimate=2018 + index,
                )
            )
        existing.append(ids)
    AuthorityYear.objects.bulk_create(rows)

    first = dt.date(2018, 4, 1)
    last = dt.date(2025, 3, 31)
    day_names = [
        (first + dt.timedelta(days=i)).isoformat() for i in range((last - first).days + 400)
    ]
    horizon = (last - first).days
    outcome_codes = [code for code, weight in OUTCOMES for _ in range(weight)]
    case_rows: list[tuple[Any, ...]] = []
    recommendation_rows: list[tuple[Any, ...]] = []
    compliance_rows: list[tuple[Any, ...]] = []
    next_recommendation = 1
    for case_id in range(1, cases + 1):
        year_index = rng.randrange(7)
        received = min(year_index * 365 + rng.randrange(365), horizon)
        authority_id = rng.choice(existing[year_index])
        decided = received + rng.randint(5, 250) if rng.random() < 0.92 else None
        if decided is not None and decided > horizon:
            decided = None
        outcome = rng.choice(outcome_codes) if decided is not None else ""
        upheld = outcome == "upheld"
        remedied = upheld and rng.random() < 0.1
        report = day_names[decided + 30] if upheld and rng.random() < 0.03 else None  # type: ignore[operator]
        case_rows.append(
            (
                case_id,
                f"B{case_id:09d}",
                dataset.pk,
                authority_id,
                day_names[received],
                day_names[decided] if decided is not None else None,
                rng.choice(AREAS),
                outcome,
                remedied,
                report,
                "",
                "",
            )
        )
        if upheld:
            assert decided is not None
            for _ in range(rng.randint(1, 2)):
                recommendation_rows.append(
                    (
                        next_recommendation,
                        case_id,
                        "procedure_change",
                        "",
                        day_names[decided + 60],
                        rng.random() < 0.4,
                    )
                )
                next_recommendation += 1
            roll = rng.random()
            result = (
                "complied" if roll < 0.85 else "complied_late" if roll < 0.95 else "not_complied"
            )
            compliance_rows.append(
                (case_id, case_id, day_names[decided + rng.randint(60, 120)], result)
            )
    tables = [
        (
            "casework_case",
            "id, reference, dataset_id, authority_id, received_date, decision_date, "
            "service_area, outcome, remedied_by_authority, public_report_date, summary, "
            "statement_url",
            case_rows,
        ),
        (
            "casework_recommendation",
            "id, case_id, kind, description, due_date, service_improvement",
            recommendation_rows,
        ),
        ("casework_complianceoutcome", "id, case_id, recorded_date, outcome", compliance_rows),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, data in tables:
            if connection.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(data[0]))
                for chunk in _chunks(data, 50_000):
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", chunk)
        if connection.vendor == "postgresql":
            for table in ("casework_case", "casework_recommendation", "casework_complianceoutcome"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    return {"recommendations": len(recommendation_rows), "compliance": len(compliance_rows)}


def _chunks(rows: list[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _export_parquet(scratch: Path) -> dict[str, Path]:
    """The same rows, read back from the database and written to Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.db import connection

    queries = {
        "case": (
            "SELECT c.id, c.authority_id, c.received_date, c.decision_date, c.service_area, "
            "c.outcome, c.remedied_by_authority, c.public_report_date, d.synthetic "
            "FROM casework_case c JOIN casework_dataset d ON d.id = c.dataset_id",
            [
                ("id", pa.int64()),
                ("authority_id", pa.int64()),
                ("received_date", pa.date32()),
                ("decision_date", pa.date32()),
                ("service_area", pa.string()),
                ("outcome", pa.string()),
                ("remedied_by_authority", pa.bool_()),
                ("public_report_date", pa.date32()),
                ("synthetic", pa.bool_()),
            ],
        ),
        "recommendation": (
            "SELECT id, case_id, service_improvement FROM casework_recommendation",
            [("id", pa.int64()), ("case_id", pa.int64()), ("service_improvement", pa.bool_())],
        ),
        "compliance": (
            "SELECT id, case_id, recorded_date, outcome FROM casework_complianceoutcome",
            [
                ("id", pa.int64()),
                ("case_id", pa.int64()),
                ("recorded_date", pa.date32()),
                ("outcome", pa.string()),
            ],
        ),
    }
    files: dict[str, Path] = {}
    with connection.cursor() as cursor:
        for name, (sql, schema) in queries.items():
            cursor.execute(sql)
            columns = list(zip(*cursor.fetchall(), strict=True))
            arrays = []
            for values, (_, kind) in zip(columns, schema, strict=True):
                if kind == pa.date32():
                    values = tuple(
                        dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values
                    )
                if kind == pa.bool_():
                    values = tuple(None if v is None else bool(v) for v in values)
                arrays.append(pa.array(values, type=kind))
            table = pa.Table.from_arrays(arrays, names=[column for column, _ in schema])
            files[name] = scratch / f"{name}.parquet"
            pq.write_table(table, files[name])
    return files


def _duckdb_counts(files: dict[str, Path]) -> Counter[tuple[int, str]]:
    """The same grouped counts as ``gather_years``, by DuckDB over the Parquet files."""
    import duckdb

    def ry(column: str) -> str:
        return f"(year({column}) - CASE WHEN month({column}) < 4 THEN 1 ELSE 0 END)"

    span = "BETWEEN DATE '2018-04-01' AND DATE '2025-03-31'"
    case = f"read_parquet('{files['case']}')"
    recommendation = f"read_parquet('{files['recommendation']}')"
    compliance = f"read_parquet('{files['compliance']}')"
    outcome_columns = ", ".join(
        f"count(*) FILTER (WHERE outcome = '{code}') AS \"{code}\"" for code, _ in OUTCOMES
    )
    queries = {
        "received": f"""
            SELECT {ry("received_date")} AS ry, authority_id, service_area,
                   count(*) AS complaints_received, count(*) FILTER (WHERE synthetic) AS synthetic
            FROM {case} WHERE received_date {span} GROUP BY ALL""",
        "decided": f"""
            SELECT {ry("decision_date")} AS ry, authority_id, service_area, {outcome_columns},
                   count(*) FILTER (WHERE outcome = 'upheld' AND remedied_by_authority)
                       AS upheld_with_satisfactory_remedy,
                   count(*) FILTER (WHERE synthetic) AS synthetic
            FROM {case} WHERE decision_date {span} AND outcome <> '' GROUP BY ALL""",
        "reports": f"""
            SELECT {ry("public_report_date")} AS ry, authority_id, service_area,
                   count(*) AS public_reports, count(*) FILTER (WHERE synthetic) AS synthetic
            FROM {case} WHERE public_report_date {span} GROUP BY ALL""",
        "compliance": f"""
            SELECT {ry("o.recorded_date")} AS ry, c.authority_id, c.service_area,
                   count(*) FILTER (WHERE o.outcome = 'complied') AS complied,
                   count(*) FILTER (WHERE o.outcome = 'complied_late') AS complied_late,
                   count(*) FILTER (WHERE o.outcome = 'not_complied') AS not_complied,
                   count(*) FILTER (WHERE c.synthetic) AS synthetic
            FROM {compliance} o JOIN {case} c ON c.id = o.case_id
            WHERE o.recorded_date {span} GROUP BY ALL""",
        "improvements": f"""
            SELECT {ry("c.decision_date")} AS ry, c.authority_id, c.service_area,
                   count(*) AS service_improvements, count(*) FILTER (WHERE c.synthetic)
                       AS synthetic
            FROM {recommendation} r JOIN {case} c ON c.id = r.case_id
            WHERE r.service_improvement AND c.decision_date {span} GROUP BY ALL""",
    }
    renames = {"referred_back_for_local_resolution": "referred_back_for_local_resolution"}
    totals: Counter[tuple[int, str]] = Counter()
    with duckdb.connect() as connection:
        for sql in queries.values():
            result = connection.execute(sql)
            names = [d[0] for d in result.description]
            for row in result.fetchall():
                for name, value in zip(names[3:], row[3:], strict=True):
                    if name != "synthetic" and value:
                        totals[(row[0], renames.get(name, name))] += value
    return totals


if __name__ == "__main__":
    main()
