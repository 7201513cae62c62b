"""compute_statistics --year 2019-20 | --all: recompute draft statistics and summarise."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.authorities.models import AuthorityYear
from councilperf.statistics.management.commands._common import parse_year
from councilperf.statistics.models import StatisticsRevision
from councilperf.statistics.selectors import group_averages, national_totals
from councilperf.statistics.services import (
    StatisticsError,
    compute_all_statistics,
    compute_statistics,
)
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Compute a reporting year's statistics from the casework as a draft (creating the "
        "review year if needed) and print a summary. Frozen years are left alone: record a "
        "correction with correct_statistics instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--year", help='reporting year, e.g. "2019-20"')
        which.add_argument(
            "--all",
            action="store_true",
            help="every year with authorities loaded (frozen years are skipped)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            labels = sorted(set(AuthorityYear.objects.values_list("year", flat=True)))
            years = [ReportingYear.parse(label) for label in labels]
            if not years:
                raise CommandError("no authorities loaded: run load_reference_data first")
            started = time.perf_counter()
            computed = {r.review_year.year: r for r in compute_all_statistics(years=years)}
            seconds = time.perf_counter() - started
            for label in labels:
                if label in computed:
                    self._summarise(computed[label])
                else:
                    self.stdout.write(f"{label}: frozen, skipped")
            self.stdout.write(f"{len(computed)} years computed in {seconds:.2f}s")
        else:
            year = parse_year(options["year"])
            started = time.perf_counter()
            try:
                revision = compute_statistics(year=year)
            except StatisticsError as error:
                raise CommandError(str(error)) from error
            self._summarise(revision, time.perf_counter() - started)

    def _summarise(self, revision: StatisticsRevision, seconds: float | None = None) -> None:
        label = revision.review_year.year
        timing = "" if seconds is None else f" in {seconds:.2f}s"
        year = revision.review_year.reporting_year
        national = national_totals(year=year)
        groups = group_averages(year=year)
        note = " — SYNTHETIC demonstration data" if revision.synthetic else ""
        self.stdout.write(
            f"{label} (draft, {revision.peer_method} peer averages){note}: "
            f"{national['authorities']} authorities, "
            f"{national['complaints_received']} received, "
            f"{national['decisions_made']} decisions, "
            f"{national['detailed_investigations']} detailed investigations, "
            f"{national['upheld']} upheld ({_percent(national['upheld_rate_percent'])}), "
            f"{national['compliance_outcomes']} compliance outcomes "
            f"({_percent(national['compliance_rate_percent'])} complied){timing}"
        )
        for group, average in groups.items():
            self.stdout.write(
                f"  {group:<13} {average['authorities']:>4} authorities, upheld "
                f"{_percent(average['upheld_rate_percent'])}, satisfactory remedy "
                f"{_percent(average['satisfactory_remedy_rate_percent'])}, compliance "
                f"{_percent(average['compliance_rate_percent'])}"
            )
        for code, counts in revision.unattributed.items():
            self.stderr.write(
                f"  warning: {code} did not exist in {label} but has casework counted then: "
                + ", ".join(f"{k} {v}" for k, v in counts.items())
            )


def _percent(value: object) -> str:
    return "–" if value is None else f"{value}%"
