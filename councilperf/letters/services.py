"""Letter templates for each year: the default, a copy of last year's, the year's own (writes)."""

from __future__ import annotations

from django.db import transaction

from councilperf.letters import defaults, wording, yearcheck
from councilperf.letters.categories import CATEGORIES
from councilperf.letters.defaults import years as default_years
from councilperf.letters.late import LATE_REMEDY
from councilperf.letters.models import LetterTemplate
from councilperf.letters.rendering import LetterError
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import get_or_create_review_year
from councilperf.years import ReportingYear


def default_template(review_year: ReviewYear) -> LetterTemplate:
    """An unsaved template for ``review_year`` from the default text: the year's own facts
    and body when ``defaults.years`` has them, else the latest earlier body."""
    letter_year = ReportingYear.parse(review_year.year).end_year
    # A year after the historical ones starts from the latest year's facts (its signatory,
    # copies and blocks), never from the oldest defaults.
    facts = default_years.facts_for(letter_year) or default_years.latest_before(letter_year)
    template = LetterTemplate(
        review_year=review_year,
        delivery_line=defaults.DELIVERY_LINE,
        title=defaults.TITLE,
        letterhead=defaults.LETTERHEAD,
        body=defaults.default_body(letter_year).text,
        sign_off=defaults.SIGN_OFF,
        signatory=defaults.SIGNATORY,
        map_url=defaults.MAP_URL,
        guidance_url=defaults.GUIDANCE_URL,
    )
    if facts is not None:
        template.signatory = facts.signatory_text
        template.copies = ",".join(facts.copies)
        template.show_upheld = wording.UPHELD in facts.blocks
        template.show_compliance = wording.COMPLIANCE in facts.blocks
        template.show_remedies = wording.REMEDY in facts.blocks
        template.show_upheld_per_100k = wording.UPHELD_PER_100K in facts.blocks
        template.show_categories = CATEGORIES in facts.blocks
        template.show_late_remedies = LATE_REMEDY in facts.blocks
    return template


def has_own_default(review_year: ReviewYear) -> bool:
    """Whether the project carries this year's own facts and body (the demonstration years)."""
    letter_year = ReportingYear.parse(review_year.year).end_year
    return (
        default_years.facts_for(letter_year) is not None
        and defaults.default_body(letter_year).letter_year == letter_year
    )


def copy_template(source: LetterTemplate, *, to: ReviewYear) -> LetterTemplate:
    """A new year's template as a copy of ``source`` (the dates are the new year's own)."""
    if LetterTemplate.objects.filter(review_year=to).exists():
        raise LetterError(f"{to.year} already has a letter template")
    template = _copied(source, to=to)
    template.save()
    return template


def _copied(source: LetterTemplate, *, to: ReviewYear) -> LetterTemplate:
    """An unsaved copy of ``source``'s wording for ``to``."""
    return LetterTemplate(
        review_year=to,
        delivery_line=source.delivery_line,
        title=source.title,
        letterhead=source.letterhead,
        body=source.body,
        sign_off=source.sign_off,
        signatory=source.signatory,
        map_url=source.map_url,
        guidance_url=source.guidance_url,
        show_upheld=source.show_upheld,
        show_compliance=source.show_compliance,
        show_remedies=source.show_remedies,
        show_upheld_per_100k=source.show_upheld_per_100k,
        show_categories=source.show_categories,
        show_late_remedies=source.show_late_remedies,
        copies=source.copies,
    )


def following_review_year(review_year: ReviewYear) -> ReviewYear:
    """The review year after ``review_year``, created as a draft if it does not exist."""
    following, _ = get_or_create_review_year(year=review_year.reporting_year.next)
    return following


@transaction.atomic
def template_for_year(review_year: ReviewYear) -> LetterTemplate:
    """The year's template; a year without one starts from its own default facts and body
    when the project has them (``defaults/years.py``), else as a copy of the latest earlier
    year's, or from the default text when there is none."""
    template = template_candidate(review_year)
    if template.pk is None:
        if has_own_default(review_year) or _latest_before(review_year) is None:
            template.full_clean()
        template.save()
    return template


def template_candidate(review_year: ReviewYear) -> LetterTemplate:
    """The year's template, or (unsaved: reads only) the one :func:`template_for_year`
    would make for it."""
    existing = LetterTemplate.objects.filter(review_year=review_year).first()
    if existing is not None:
        return existing
    if has_own_default(review_year):
        return default_template(review_year)
    previous = _latest_before(review_year)
    if previous is not None:
        return _copied(previous, to=review_year)
    return default_template(review_year)


def _latest_before(review_year: ReviewYear) -> LetterTemplate | None:
    return (
        LetterTemplate.objects.filter(review_year__year__lt=review_year.year)
        .order_by("-review_year__year")
        .first()
    )


def previous_template(template: LetterTemplate) -> LetterTemplate | None:
    """The template of the review year before ``template``'s, if there is one."""
    label = ReportingYear.parse(template.review_year.year).previous.label
    return LetterTemplate.objects.filter(review_year__year=label).first()


def template_problems(template: LetterTemplate) -> list[str]:
    """Why the year's letter is not yet its own (empty: it is): its body is last year's, or
    keeps a paragraph last year's template marked "this year only". Approval is refused
    while there is one (the distribution readiness report lists them)."""
    before = previous_template(template)
    return yearcheck.approval_problems(
        body=template.body,
        previous_body=None if before is None else before.body,
        previous_year="" if before is None else before.review_year.year,
    )
