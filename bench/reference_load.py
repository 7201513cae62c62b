"""Benchmark of ``load_reference_data``: the first load into an empty database and a repeat.

    .venv/bin/python bench/reference_load.py             # 3 rounds on a temporary SQLite file
    .venv/bin/python bench/reference_load.py --rounds 5

Each round makes a fresh temporary SQLite database, migrates it, then times a first load of
the real register, populations and boundaries (2018-19 to 2024-25) and a second, unchanged
one. It prints the median of each and the bordering pairs stored per boundary vintage.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="cp-bench-ref-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from councilperf.authorities import services
    from councilperf.years import ReportingYear

    years = ReportingYear.span("2018-19:2024-25")
    directory = Path(settings.REFERENCE_DATA_DIR)
    first, repeat = [], []
    for _ in range(args.rounds):
        connection.close()
        Path(f"{workdir}/bench.sqlite3").unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        services.load_reference_data(directory=directory, years=years)
        first.append(time.perf_counter() - started)
        started = time.perf_counter()
        services.load_reference_data(directory=directory, years=years)
        repeat.append(time.perf_counter() - started)
    print(f"first load:  median {statistics.median(first):.2f} s of {args.rounds}")
    print(f"repeat load: median {statistics.median(repeat):.2f} s of {args.rounds}")
    counts = getattr(services, "border_counts", None)
    if counts is not None:
        for (tier, vintage), n in sorted(counts().items()):
            print(f"bordering pairs, {tier} tier, {vintage}: {n}")


if __name__ == "__main__":
    main()
