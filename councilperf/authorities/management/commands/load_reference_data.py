"""python manage.py load_reference_data [--dir DIR] [--years 2018-19:2024-25]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.authorities.reference.files import ReferenceDataError
from councilperf.authorities.services import LoadSummary, border_counts, load_reference_data
from councilperf.groups import GROUP_CODES
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Load English councils, their populations and boundaries from REFERENCE_DATA_DIR. "
        "Atomic and idempotent: a second run changes nothing and says so."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, help="reference data directory")
        parser.add_argument(
            "--years",
            help="reporting years to plan, e.g. 2018-19:2024-25 "
            "(default: 2018-19 to the last complete year)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["dir"] or settings.REFERENCE_DATA_DIR)
        try:
            years = ReportingYear.span(options["years"]) if options["years"] else None
            summary = load_reference_data(directory=directory, years=years)
        except (ReferenceDataError, ValueError) as exc:
            raise CommandError(f"Reference data not loaded: {exc}") from exc
        self._report(summary)

    def _report(self, summary: LoadSummary) -> None:
        write = self.stdout.write
        if summary.nothing_changed:
            write("Nothing changed: the database already matches the reference data.")
        else:
            parts = []
            for label, counter in (
                ("added", summary.added),
                ("changed", summary.changed),
                ("removed", summary.removed),
            ):
                parts += [f"{n} {kind} {label}" for kind, n in sorted(counter.items()) if n]
            write("Loaded: " + "; ".join(parts) + ".")
        groups = list(GROUP_CODES)
        write("")
        write("Authorities per reporting year and comparison group:")
        write(f"  {'year':8} {'total':>5} " + " ".join(f"{g:>12}" for g in groups))
        for year, counts in sorted(summary.per_year.items()):
            write(
                f"  {year:8} {sum(counts.values()):>5} "
                + " ".join(f"{counts.get(g, 0):>12}" for g in groups)
            )
        write("")
        write("Bordering pairs per boundary vintage (touching or within 100 m):")
        for (tier, vintage), n in sorted(border_counts().items()):
            write(f"  {vintage:8} {tier:6} {n:>5}")
        for title, missing in (
            ("without a population estimate", summary.missing_population),
            ("without a boundary", summary.missing_boundary),
        ):
            if not missing:
                write(f"Every authority has a population and boundary: none {title}.")
                continue
            write("")
            write(f"Authorities {title}:")
            for year, names in sorted(missing.items()):
                write(f"  {year} ({len(names)}): {', '.join(sorted(names))}")
