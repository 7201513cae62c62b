"""``manage.py send_letters --year 2019-20 [--authority E07000038] [--dry-run] [--resume]``"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from councilperf.distribution import sending
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import Delivery
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Email each authority its approved letter (PDF and case-level spreadsheet) over one "
        "SMTP connection, exactly once per recipient: a re-run sends only what was never "
        "attempted and lists interrupted attempts as in doubt. --dry-run shows who gets what. "
        "If the mail server stops answering, the run stops (exit 1) with the cause; --resume "
        "then sends exactly the copies never delivered."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="Reporting year, e.g. 2019-20")
        parser.add_argument(
            "--authority",
            action="append",
            metavar="GSS_CODE",
            help="Only this authority (repeat for more), e.g. E07000038",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get what; send nothing"
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="After a run stopped by an outage: send exactly the copies never delivered",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = ReportingYear.parse(options["year"])
            if options["dry_run"]:
                self.dry_run(year, options)
            else:
                self.send(year, options)
        except (CycleError, ValueError) as error:
            raise CommandError(str(error)) from error

    def dry_run(self, year: ReportingYear, options: dict[str, Any]) -> None:
        found = sending.outstanding(year=year, authority_codes=options["authority"])
        for item, count in found.letters:
            to = [r.email for r in item.recipients if not r.copy]
            cc = [r.email for r in item.recipients if r.copy]
            mark = " (corrected)" if item.corrected else ""
            again = f" [resumed: {count} unsent cop(ies) only]" if item.sent_before else ""
            self.stdout.write(
                f"{item.code} {item.name}{mark}: to {', '.join(to) or '-'}; "
                f"cc {', '.join(cc) or '-'}{again}"
            )
        self.stdout.write(
            f"Dry run: {len(found.letters)} letter(s) would be sent ({found.copies} "
            "message(s)); nothing was sent."
        )

    def send(self, year: ReportingYear, options: dict[str, Any]) -> None:
        bars: list[tqdm[Any]] = []

        def progress(total: int) -> Callable[[str], None]:
            bar = tqdm(total=total, unit="email", desc="Sending", disable=options["verbosity"] < 1)
            bars.append(bar)

            def tick(status: str) -> None:
                bar.update(1)

            return tick

        try:
            if options["resume"]:
                tally = sending.resume_letters(year=year, user=None, progress=progress)
            else:
                tally = sending.send_letters(
                    year=year,
                    user=None,
                    authority_codes=options["authority"],
                    progress=progress,
                )
        finally:
            for bar in bars:
                bar.close()
        self.stdout.write(f"{year}: {tally}")
        doubtful = Delivery.objects.filter(
            letter__review_year__year=year.label, status=Delivery.Status.IN_DOUBT
        ).select_related("letter__authority")
        for row in doubtful:
            self.stdout.write(
                f"IN DOUBT {row.letter.authority.gss_code} {row.email} (message {row.message_id})"
            )
        for problem in tally.problems:
            self.stderr.write(problem)
