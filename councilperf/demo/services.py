"""Writing the demo data: the generator's records go in through the casework service.

``generate_demo_data`` reads the authorities of each year from the database, runs the pure
generator (``generator.generate``), and writes the records with
``councilperf.casework.services.import_records`` — the importer's one validation path — into
the synthetic dataset ``demo``. Re-running is idempotent: the dataset's description records a
fingerprint of what was written; when the new records have the same fingerprint (and the
dataset still holds as many cases), nothing is written; otherwise the dataset's cases are
replaced. It also gives every authority role-based contacts and dates the review years.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from councilperf.authorities.models import Authority, AuthorityYear, Contact, ContactRole
from councilperf.casework import records
from councilperf.casework.models import Case, ComplianceOutcome, Dataset, Recommendation
from councilperf.casework.services import ImportSource, ImportSummary, import_records
from councilperf.letters.defaults import years as default_years
from councilperf.statistics.models import MethodNote, ReviewYear
from councilperf.statistics.services import get_or_create_review_year
from councilperf.years import ReportingYear

from . import generator, targets, text
from .calibration import Calibration, calibrate
from .generator import DEFAULT_YEARS, AuthorityInput, AuthorityYearInput, DemoData, generate

_GENERATOR_MODULES = (generator, targets, text, records)

DATASET_SLUG = "demo"
DATASET_NAME = "Demonstration data"
DATASET_NOTICE = "Demonstration data — not real ombudsman decisions."
_FINGERPRINT = re.compile(r"Fingerprint: sha256:([0-9a-f]{64}) \(([0-9]+) cases\)")

# Letter and publication dates of each year's review: the letter years' own facts
# (``letters/defaults/years.py``; 2019-20 is the reference letter's, 2024-25's went in May).
REVIEW_DATES: dict[str, tuple[dt.date, dt.date]] = {
    f"{facts.letter_year - 1}-{facts.letter_year % 100:02d}": (
        facts.letter_date,
        facts.publication_date,
    )
    for facts in default_years.FACTS
}

# The reference letter's addressee; everyone else gets a role, not a person.
PINNED_CONTACTS: dict[tuple[str, str], tuple[str, str]] = {
    ("E07000038", ContactRole.CHIEF_EXECUTIVE): ("Mr Hickin", "Director of Corporate Resources"),
}
ROLE_CONTACTS: dict[str, tuple[str, str, str]] = {
    # role: (name as written in a letter, job title, mailbox)
    ContactRole.CHIEF_EXECUTIVE: ("Chief Executive", "Chief Executive", "chief.executive"),
    ContactRole.LINK_OFFICER: ("Complaints Link Officer", "Link Officer", "complaints"),
    ContactRole.LEADER: ("Leader of the Council", "Leader of the Council", "leader"),
    ContactRole.SCRUTINY_CHAIR: (
        "Chair of Scrutiny",
        "Chair of the Scrutiny Committee",
        "scrutiny",
    ),
    # The 2025 letter is copied to the monitoring officer (``letters/defaults/years.py``).
    ContactRole.MONITORING_OFFICER: (
        "Monitoring Officer",
        "Monitoring Officer",
        "monitoring.officer",
    ),
}


@dataclass
class DemoResult:
    authorities: list[AuthorityInput]
    dataset: Dataset
    fingerprint: str
    written: bool
    data: DemoData | None  # None when nothing was written and no report was asked for
    summary: ImportSummary | None
    contacts_written: int
    review_years_written: int
    generate_seconds: float = 0.0
    write_seconds: float = 0.0

    def calibration(self) -> Calibration | None:
        return calibrate(self.data, self.authorities) if self.data is not None else None


def authority_inputs(years: Sequence[ReportingYear]) -> list[AuthorityInput]:
    """Every authority with a row in any of the years, with its groups and populations."""
    labels = [y.label for y in years]
    rows: dict[int, list[AuthorityYearInput]] = defaultdict(list)
    for ay in AuthorityYear.objects.filter(year__in=labels).order_by("authority_id", "year"):
        rows[ay.authority_id].append(AuthorityYearInput(ay.year, ay.group, ay.population))
    out = []
    for authority in Authority.objects.filter(id__in=rows).order_by("gss_code"):
        out.append(
            AuthorityInput(
                gss_code=authority.gss_code,
                start_date=authority.start_date,
                end_date=authority.end_date,
                years=tuple(rows[authority.id]),
            )
        )
    return out


def demo_dataset() -> Dataset:
    dataset, _ = Dataset.objects.get_or_create(
        slug=DATASET_SLUG,
        defaults={"name": DATASET_NAME, "synthetic": True, "description": DATASET_NOTICE},
    )
    if not dataset.synthetic:
        dataset.synthetic = True
        dataset.save(update_fields=["synthetic"])
    return dataset


def stored_fingerprint(dataset: Dataset) -> tuple[str, int] | None:
    """The fingerprint and case count the last generation recorded, if any."""
    match = _FINGERPRINT.search(dataset.description)
    return (match.group(1), int(match.group(2))) if match else None


def input_fingerprint(
    authorities: Sequence[AuthorityInput], *, years: str, seed: int, scale: float
) -> str:
    """sha256 of everything the generated records depend on: the authorities, the options and
    the generator's own source. The generator is deterministic, so equal fingerprints mean
    equal records, and a re-run can skip generating them at all."""
    h = hashlib.sha256()
    h.update(f"{ReportingYear.span(years)}|{seed}|{scale!r}\n".encode())
    for a in authorities:
        h.update(f"{a!r}\n".encode())
    for source in _generator_sources():
        h.update(source.read_bytes())
    return h.hexdigest()


def _generator_sources() -> list[Path]:
    """The source files of ``_GENERATOR_MODULES``: every module of a package (``generator``
    is one), in name order."""
    files: list[Path] = []
    for module in _GENERATOR_MODULES:
        path = Path(module.__file__ or "")
        files += sorted(path.parent.glob("*.py")) if path.name == "__init__.py" else [path]
    return files


def generate_demo_data(
    *,
    years: str = DEFAULT_YEARS,
    seed: int = 1,
    scale: float = 1.0,
    progress: bool = False,
    force: bool = False,
    keep_data: bool = False,
) -> DemoResult:
    """Generate and write the demo casework; skipped when what is stored has the same inputs.

    ``keep_data`` generates the records even when nothing needs writing (for a report).
    """
    span = ReportingYear.span(years)
    authorities = authority_inputs(span)
    if not authorities:
        raise ValueError(
            f"no authorities in {years}: run `python manage.py load_reference_data` first"
        )
    fingerprint = input_fingerprint(authorities, years=years, seed=seed, scale=scale)
    dataset = demo_dataset()
    contacts = ensure_contacts([a.gss_code for a in authorities])
    review_years = ensure_review_years(span)
    result = DemoResult(
        authorities=authorities,
        dataset=dataset,
        fingerprint=fingerprint,
        written=False,
        data=None,
        summary=None,
        contacts_written=contacts,
        review_years_written=review_years,
    )
    stored = stored_fingerprint(dataset)
    up_to_date = (
        not force
        and stored is not None
        and stored[0] == fingerprint
        and Case.objects.filter(dataset=dataset).count() == stored[1]
    )
    if up_to_date and not keep_data:
        return result
    started = time.perf_counter()
    result.data = data = generate(authorities, years=years, seed=seed, scale=scale)
    result.generate_seconds = time.perf_counter() - started
    if up_to_date:
        return result
    started = time.perf_counter()
    result.summary = _replace_casework(
        dataset,
        data,
        notice=(
            f"{DATASET_NOTICE} Made by generate_demo_data (years {years}, seed {seed}, "
            f"scale {scale:g}). Fingerprint: sha256:{fingerprint} ({len(data.cases)} cases)"
        ),
        progress=progress,
    )
    result.write_seconds = time.perf_counter() - started
    result.written = True
    return result


def _replace_casework(
    dataset: Dataset, data: DemoData, *, notice: str, progress: bool
) -> ImportSummary:
    """The dataset's casework replaced by ``data`` through the import service, atomically."""
    with transaction.atomic():
        clear_dataset(dataset)
        summary = import_records(
            cases=data.cases,
            recommendations=data.recommendations,
            compliance=data.compliance,
            dataset=dataset,
            progress=progress,
            source=ImportSource(label="generate_demo_data command"),
        )
        dataset.description = notice
        dataset.save(update_fields=["description"])
    return summary


def clear_dataset(dataset: Dataset) -> int:
    """Delete the dataset's cases with their recommendations and compliance outcomes.

    Plain set-based deletes: loading a million cases to delete them one by one is too slow.
    """
    cases = Case.objects.filter(dataset=dataset)
    count = cases.count()
    if not count:
        return 0
    ComplianceOutcome.objects.filter(case__dataset=dataset).delete()
    Recommendation.objects.filter(case__dataset=dataset).delete()
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Case._meta.db_table)
        cursor.execute(f"DELETE FROM {table} WHERE dataset_id = %s", [dataset.pk])
    return count


def ensure_contacts(gss_codes: Sequence[str]) -> int:
    """Role-based contacts (example.org) for each authority that lacks them.

    Contacts already there are left as they are (someone may have edited them), except the
    reference letter's addressee, which is always set as pinned.
    """
    authorities = Authority.objects.filter(gss_code__in=gss_codes).order_by("gss_code")
    existing = {
        (c.authority_id, c.role): c for c in Contact.objects.filter(authority__in=authorities)
    }
    missing: list[Contact] = []
    changed = 0
    for authority in authorities:
        domain = f"{authority.slug}.example.org"
        for role, (name, title, mailbox) in ROLE_CONTACTS.items():
            pinned = PINNED_CONTACTS.get((authority.gss_code, role))
            name, title = pinned or (name, title)
            contact = existing.get((authority.pk, role))
            if contact is None:
                missing.append(
                    Contact(
                        authority=authority,
                        role=role,
                        name=name,
                        job_title=title,
                        email=f"{mailbox}@{domain}",
                    )
                )
            elif pinned and (contact.name, contact.job_title) != pinned:
                contact.name, contact.job_title = pinned
                contact.save(update_fields=["name", "job_title"])
                changed += 1
    Contact.objects.bulk_create(missing, batch_size=500)
    return len(missing) + changed


def ensure_review_years(years: Sequence[ReportingYear]) -> int:
    """A review year row for each demo year, its letter and publication dates filled in,
    and the known method notes of those years.

    Dates already set (or a frozen year) are left alone: they may have been set deliberately.
    """
    written = 0
    previous: ReviewYear | None = ReviewYear.objects.filter(year=years[0].previous.label).first()
    for year in years:
        letter, publication = REVIEW_DATES.get(year.label, (None, None))
        row, created = get_or_create_review_year(
            year=year, letter_date=letter, publication_date=publication
        )
        changed = []
        if row.letter_date is None and letter is not None:
            row.letter_date = letter
            changed.append("letter_date")
        if row.publication_date is None and publication is not None:
            row.publication_date = publication
            changed.append("publication_date")
        if row.previous_id is None and previous is not None and not _has_following(previous):
            row.previous = previous
            changed.append("previous")
        if changed:
            row.save(update_fields=changed)
        written += created or bool(changed)
        previous = row
    ensure_method_notes(years)
    return written


# Changes of method the ombudsman has described in its reviews (public facts, not demo data).
METHOD_NOTES: tuple[tuple[str, str, str], ...] = (
    (
        "2022-23",
        "upheld_rate",
        "Change to triage: borderline cases are no longer investigated, so fewer complaints "
        "are investigated and a larger share of those are upheld (nationally about 8 points).",
    ),
)


def ensure_method_notes(years: Sequence[ReportingYear]) -> int:
    """The known method notes of the demo years, each once."""
    labels = {year.label for year in years}
    made = 0
    for year, measure, words in METHOD_NOTES:
        if year in labels:
            _, created = MethodNote.objects.get_or_create(year=year, measure=measure, text=words)
            made += created
    return made


def _has_following(review_year: ReviewYear) -> bool:
    return ReviewYear.objects.filter(previous=review_year).exists()
