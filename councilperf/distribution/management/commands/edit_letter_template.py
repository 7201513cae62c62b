"""``manage.py edit_letter_template --year 2025-26 --set signatory="Name\\nRole" --as USERNAME``:
change fields of the year's letter template, as the staff page does (the same service:
who and when recorded, letters out of date, a new review needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.distribution import roles, yearstart
from councilperf.distribution.lifecycle import CycleError
from councilperf.letters.models import CONTENT_FIELDS
from councilperf.years import ReportingYear

TRUE = ("yes", "true", "1", "on")
FALSE = ("no", "false", "0", "off")


def parse_setting(text: str) -> tuple[str, str | bool]:
    """``field=value`` as the field and its value: ``\\n`` in the value is a new line, a
    ``show_…`` field takes yes/no, and ``field=@file`` reads the value from a file."""
    name, equals, value = text.partition("=")
    name = name.strip()
    if not equals or name not in CONTENT_FIELDS:
        raise CommandError(
            f"--set takes field=value, the field one of: {', '.join(CONTENT_FIELDS)} "
            f"(not {text[:60]!r})"
        )
    if name.startswith("show_"):
        if value.strip().lower() not in TRUE + FALSE:
            raise CommandError(f"{name} takes yes or no, not {value[:20]!r}")
        return name, value.strip().lower() in TRUE
    if value.startswith("@"):
        try:
            return name, Path(value[1:]).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{name}: cannot read {value[1:]}: {error}") from error
    return name, value.replace("\\n", "\n")


class Command(BaseCommand):
    help = (
        "Change fields of a year's letter template (as the staff template page does): the "
        "letters are then out of date and a publisher reviews the template again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="Reporting year, e.g. 2025-26")
        parser.add_argument(
            "--set",
            dest="settings",
            action="append",
            required=True,
            metavar="FIELD=VALUE",
            help="A field and its new value (repeat for several); \\n is a new line; "
            "FIELD=@path reads the value from a file; show_* fields take yes or no.",
        )
        parser.add_argument(
            "--as", dest="username", required=True, metavar="USERNAME", help="Who edits"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        changes = dict(parse_setting(text) for text in options["settings"])
        try:
            template = yearstart.edit_template(
                year=ReportingYear.parse(options["year"]), user=user, changes=changes
            )
        except ValidationError as invalid:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in invalid.message_dict.items())
            ) from invalid
        except (CycleError, roles.NotAllowed, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{template.review_year.year} letter template is version {template.version} "
            f"(last changed by {template.edited_by or 'nobody'}); generate the letters again "
            "and have a publisher review it."
        )
