"""Each letter year's own facts and body (letters 2019 to 2025), and the templates made from
them: signatory, dates, copies, blocks; every body its own; approval refused otherwise."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from councilperf.letters import defaults, services, yearcheck
from councilperf.letters.defaults import years
from councilperf.letters.models import LetterTemplate
from tests.factories import make_review_year

LETTER_YEARS = range(2019, 2026)


def body(letter_year: int) -> str:
    return (defaults.DIRECTORY / f"{letter_year}.md").read_text(encoding="utf-8")


def sentences(text: str) -> set[str]:
    plain = re.sub(r"<!--.*?-->", " ", text)
    found = re.split(r"(?<=[.!?])\s+", " ".join(plain.split()))
    return {s for s in found if len(s.split()) >= 6}


def test_every_demo_letter_year_has_facts_and_a_body_of_its_own() -> None:
    assert defaults.available_years() == list(LETTER_YEARS)
    assert [f.letter_year for f in years.FACTS] == list(LETTER_YEARS)
    for letter_year in LETTER_YEARS:
        assert defaults.default_body(letter_year).letter_year == letter_year


def test_signatories_by_year() -> None:
    names = {f.letter_year: f.signatory[0] for f in years.FACTS}
    assert names == {
        2019: "Michael King",
        2020: "Michael King",
        2021: "Michael King",
        2022: "Michael King",
        2023: "Paul Najsarek",
        2024: "Amerdeep Somal",
        2025: "Amerdeep Somal",
    }
    assert years.BY_LETTER_YEAR[2023].signatory[1].startswith("Interim ")


def test_dates_copies_and_blocks_by_year() -> None:
    facts = years.BY_LETTER_YEAR
    assert (facts[2020].letter_date, facts[2020].publication_date) == (
        dt.date(2020, 7, 22),
        dt.date(2020, 7, 29),
    )
    for f in years.FACTS:
        assert f.letter_date.year == f.publication_date.year == f.letter_year
        assert f.letter_date < f.publication_date
        assert f.letter_date.month == (5 if f.letter_year >= 2025 else 7)
        assert ("monitoring_officer" in f.copies) == (f.letter_year >= 2025)
        assert ("upheld_per_100k" in f.blocks) == (f.letter_year >= 2024)
        assert ("categories" in f.blocks) == (f.letter_year >= 2025)


def test_only_the_2020_body_is_a_real_letter_and_the_others_say_so() -> None:
    for letter_year in LETTER_YEARS:
        demonstration = body(letter_year).startswith(defaults.DEMONSTRATION)
        assert demonstration == years.BY_LETTER_YEAR[letter_year].demonstration
        assert demonstration == (letter_year != 2020)


def test_no_demonstration_body_repeats_a_sentence_of_the_reference_letter() -> None:
    reference = sentences(body(2020))
    assert len(reference) > 20
    for letter_year in LETTER_YEARS:
        if letter_year != 2020:
            assert not sentences(body(letter_year)) & reference, letter_year


def test_each_year_body_passes_the_check_against_the_year_before() -> None:
    for letter_year in LETTER_YEARS[1:]:
        problems = yearcheck.approval_problems(
            body=body(letter_year),
            previous_body=body(letter_year - 1),
            previous_year=str(letter_year - 1),
        )
        assert problems == [], letter_year
    # 2020's Covid paragraph and its seminar and training figures are marked.
    marked = " ".join(yearcheck.marked_paragraphs(body(2020)))
    assert "Given the exceptional pressures" in marked
    assert "link officer seminars" in marked and "118 courses" in marked


@pytest.mark.django_db
def test_templates_take_the_year_facts() -> None:
    made = {}
    for letter_year in LETTER_YEARS:
        label = f"{letter_year - 1}-{letter_year % 100:02d}"
        made[letter_year] = services.template_for_year(make_review_year(year=label))
    assert made[2021].body == body(2021) and made[2020].body == body(2020)
    assert made[2023].signatory.splitlines()[0] == "Paul Najsarek"
    assert made[2025].copy_roles[-1] == "monitoring_officer"
    assert made[2025].show_categories and not made[2024].show_categories
    assert made[2024].blocks == ("upheld", "compliance", "remedy", "upheld_per_100k")
    for template in made.values():
        assert services.template_problems(template) == []


@pytest.mark.django_db
def test_approval_problems_for_last_year_body_and_for_a_kept_marked_paragraph() -> None:
    first = services.template_for_year(make_review_year(year="2019-20"))
    second = services.template_for_year(make_review_year(year="2020-21"))
    second.body = first.body
    second.save()
    assert services.template_problems(second) == [
        "the body is the same as 2019-20's: write this year's letter"
    ]
    covid = yearcheck.paragraphs(first.body)[0]
    second.body = body(2021) + "\n\n" + covid
    second.save()
    (problem,) = services.template_problems(second)
    assert "“I write to you with our annual summary" in problem


@pytest.mark.django_db
def test_unknown_copy_role_is_refused() -> None:
    from django.core.exceptions import ValidationError

    template = services.template_for_year(make_review_year(year="2024-25"))
    template.copies = "leader,treasurer"
    with pytest.raises(ValidationError, match="treasurer"):
        template.full_clean()
    assert LetterTemplate.objects.count() == 1
