"""``python manage.py generate_demo_data``: synthetic casework for every council, calibrated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.casework.services import CaseworkValidationError
from councilperf.demo.calibration import report_lines, with_doc_table
from councilperf.demo.generator import DEFAULT_YEARS
from councilperf.demo.services import generate_demo_data


class Command(BaseCommand):
    help = (
        "Generate demonstration casework (synthetic, labelled as such) for every authority in "
        "each year, calibrated to the ombudsman's national figures, and write it through the "
        "casework import service. Re-running with the same options writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--years",
            default=DEFAULT_YEARS,
            help=f"first:last reporting year (default {DEFAULT_YEARS})",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="multiply every volume (default 1.0)"
        )
        parser.add_argument(
            "--report", action="store_true", help="print the calibration table: targets and figures"
        )
        parser.add_argument(
            "--update-doc",
            action="store_true",
            help="also write the calibration table into docs/demo-data.md",
        )
        parser.add_argument(
            "--force", action="store_true", help="replace the demo cases even if identical"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = generate_demo_data(
                years=options["years"],
                seed=options["seed"],
                scale=options["scale"],
                progress=options["verbosity"] >= 1,
                force=options["force"],
                keep_data=options["report"] or options["update_doc"],
            )
        except CaseworkValidationError as error:
            raise CommandError(
                f"The generated records did not pass validation:\n{error}"
            ) from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        data = result.data
        if result.written and data is not None:
            self.stdout.write(
                f"Demo data written: {len(data.cases):,} cases, {len(data.recommendations):,} "
                f"recommendations and {len(data.compliance):,} compliance outcomes for "
                f"{len(result.authorities):,} authorities, {data.years[0]} to {data.years[-1]} "
                f"(generated in {result.generate_seconds:.1f} s, written in "
                f"{result.write_seconds:.1f} s)."
            )
        else:
            self.stdout.write(
                f"Demo data already up to date for {options['years']} (seed {options['seed']}, "
                f"scale {options['scale']:g}): nothing written."
            )
        self.stdout.write(
            f"Dataset “{result.dataset.slug}” is marked synthetic; input fingerprint "
            f"sha256:{result.fingerprint}"
        )
        calibration = result.calibration()
        if calibration is None:
            return
        if options["report"]:
            assert data is not None
            self.stdout.write(f"Records digest: sha256:{data.digest()}")
            self.stdout.write("")
            for line in report_lines(calibration):
                self.stdout.write(line)
        if options["update_doc"]:
            path = Path(settings.BASE_DIR) / "docs" / "demo-data.md"
            try:
                document = with_doc_table(
                    path.read_text(encoding="utf-8"), report_lines(calibration, markdown=True)
                )
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot update {path}: {error}") from error
            path.write_text(document, encoding="utf-8")
            self.stdout.write(f"Calibration table written to {path}")
        if not calibration.ok:
            names = ", ".join(f"{f.year} {f.name}" for f in calibration.failures())
            self.stderr.write(f"Warning: off target by more than the tolerance: {names}")
