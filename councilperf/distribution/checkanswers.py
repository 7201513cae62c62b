"""What the publisher checks before approving a year (the GOV.UK "check your answers"
pattern), and the year's stages as a GOV.UK task list for the dashboard. Reads only."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from councilperf.authorities.models import Contact, ContactRole
from councilperf.casework.models import Case
from councilperf.distribution.lifecycle import Stage
from councilperf.distribution.models import Delivery, YearCycle
from councilperf.distribution.readiness import Readiness
from councilperf.letters.models import Letter, LetterTemplate
from councilperf.statistics import format as fmt
from councilperf.statistics import selectors as stats
from councilperf.statistics.figures import NATIONAL
from councilperf.statistics.measures import METRIC
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

HEADLINE = ("upheld_rate", "compliance_rate", "satisfactory_remedy_rate")

NOT_STARTED = "Not started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
CANNOT_START = "Cannot start yet"


@dataclass(frozen=True)
class Answer:
    key: str
    value: str
    change: str = ""  # the address of the page where it changes ("" when it cannot)
    what: str = ""  # what "Change" changes, for screen readers
    verb: str = "Change"  # "View" where the page shows more but nothing changes there


@dataclass(frozen=True)
class Task:
    name: str
    status: str
    link: str = ""
    hint: str = ""


def _dashboard(year: ReportingYear, anchor: str) -> str:
    return reverse("distribution:year", kwargs={"year": year}) + anchor


def emails_to_send(*, review_year: ReviewYear, template: LetterTemplate, codes: list[str]) -> int:
    """The chief executive of each council and each role the letter copies, with an email."""
    roles = {ContactRole.CHIEF_EXECUTIVE.value, *template.copy_roles}
    return Contact.objects.filter(
        authority__gss_code__in=codes, role__in=roles, email__gt=""
    ).count()


def _headline(year: ReportingYear) -> list[Answer]:
    national = stats.figures(year=year)[1][NATIONAL]
    answers = []
    for code in HEADLINE:
        metric = METRIC[code]
        numerator = sum(national.count(name) for name in metric.numerator)
        denominator = national.count(metric.denominator)
        value = fmt.percent_of(numerator, denominator)
        text = f"{value} ({fmt.count(numerator)} of {fmt.count(denominator)})"
        figures = reverse("distribution:figures", kwargs={"year": year})
        answers.append(Answer(f"England: {metric.label}", text, figures, metric.label, "View"))
    return answers


def answers(*, review_year: ReviewYear, report: Readiness, dates_editable: bool) -> list[Answer]:
    """The rows of the page, each with its Change link where it can change."""
    year = review_year.reporting_year
    template = LetterTemplate.objects.filter(review_year=review_year).first()
    codes = list(stats.figures(year=year)[0])
    dates = _dashboard(year, "#dates") if dates_editable else ""
    edit = reverse("distribution:template", kwargs={"year": year}) if dates_editable else ""
    labels = dict(ContactRole.choices)
    copied = [labels.get(role, role) for role in (template.copy_roles if template else ())]
    emails = (
        emails_to_send(review_year=review_year, template=template, codes=codes) if template else 0
    )
    problems = len(report.problems())
    return [
        Answer("Letter date", _date(review_year.letter_date), dates, "the letter date"),
        Answer("Publication date", _date(review_year.publication_date), dates, "the dates"),
        Answer("Publication time", f"{review_year.publication_time:%H:%M} (UK time)"),
        Answer("Signed by", _signatory(template), edit, "the signatory"),
        Answer("Copied to", ", ".join(copied) or "Nobody", edit, "who is copied"),
        Answer("Councils", fmt.count(len(codes))),
        Answer("Emails to send", fmt.count(emails)),
        *_headline(year),
        Answer(
            "Readiness",
            "Ready" if report.ok else f"{problems} problem{'s' if problems != 1 else ''}",
            _dashboard(year, "#readiness"),
            "the readiness report",
            "View",
        ),
    ]


def _date(day: object) -> str:
    return "Not set" if day is None else f"{day:%-d %B %Y}"


def _signatory(template: LetterTemplate | None) -> str:
    lines = template.signatory.splitlines() if template else []
    return lines[0] if lines else "Nobody"


def tasks(
    *, review_year: ReviewYear, stage: Stage, report: Readiness | None, can_import: bool = False
) -> list[Task]:
    """The year's stages as a task list, each with its status (the import linked for those
    who may import)."""
    year = ReportingYear.parse(review_year.year)
    computed = review_year.revisions.exists()
    frozen = stage is not Stage.DRAFT
    cycle = YearCycle.objects.filter(review_year=review_year).first()
    approved = stage in (Stage.APPROVED, Stage.SENDING, Stage.ISSUED, Stage.PUBLISHED)
    template = LetterTemplate.objects.filter(review_year=review_year).first()
    casework = Case.objects.filter(received_date__range=(year.start, year.end)).exists()
    figures = reverse("distribution:figures", kwargs={"year": year.label})

    def after(done: bool, ready: bool, started: bool = False) -> str:
        if done:
            return COMPLETED
        if started:
            return IN_PROGRESS
        return NOT_STARTED if ready else CANNOT_START

    letters_done = approved or (report is not None and _ok(report, "letters"))
    letters_started = Letter.objects.filter(review_year=review_year).exists()
    reviewed = template is not None and template.reviewed
    sent = Delivery.objects.filter(letter__review_year=review_year).exists()
    issued = cycle is not None and cycle.issued_revision is not None
    return [
        Task(
            "Import casework",
            after(casework or computed, True),
            reverse("distribution:import") if can_import and not frozen else "",
        ),
        Task("Compute the statistics", after(computed, casework)),
        Task("Check the figures", after(frozen, computed), figures if computed else ""),
        Task("Freeze the statistics", after(frozen, computed)),
        Task("Generate the letters", after(letters_done, frozen, letters_started)),
        Task(
            "Review the letter template",
            after(reviewed, template is not None, bool(template and template.reviewed_by)),
            reverse("distribution:template", kwargs={"year": year.label}),
        ),
        Task("Approve", after(approved, frozen and report is not None and report.ok)),
        Task("Send the letters", after(issued, approved, sent)),
        Task("Publish", after(stage is Stage.PUBLISHED, issued)),
    ]


def _ok(report: Readiness, key: str) -> bool:
    return all(check.ok for check in report.checks if check.key == key)
