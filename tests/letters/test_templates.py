"""Letter templates: one per review year, seeded from the default text, copied forward."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.sites import AdminSite
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from councilperf.letters import defaults, rendering, services
from councilperf.letters.admin import LetterTemplateAdmin
from councilperf.letters.models import LetterTemplate
from councilperf.letters.placeholders import fill, unknown_placeholders
from councilperf.statistics.models import ReviewYear
from tests.factories import make_review_year

pytestmark = pytest.mark.django_db


def test_first_year_starts_from_the_default_text() -> None:
    template = services.template_for_year(make_review_year(year="2019-20"))
    assert template.body == (defaults.DIRECTORY / "2020.md").read_text(encoding="utf-8")
    assert template.version == 1 and len(template.content_hash) == 64
    assert template.blocks == ("upheld", "compliance", "remedy")


def test_a_new_year_starts_as_a_copy_of_the_previous_year() -> None:
    # 2026 and 2027 have no facts of their own in defaults/years.py: each copies forward.
    first = services.template_for_year(make_review_year(year="2025-26"))
    first.body = first.body + "\n\nA paragraph added for 2020."
    first.show_upheld_per_100k = True
    first.letter_date = dt.date(2020, 7, 23)
    first.save()
    following = services.template_for_year(
        make_review_year(year="2026-27", letter_date=dt.date(2027, 7, 21))
    )
    assert following.pk != first.pk
    assert following.body.endswith("A paragraph added for 2020.")
    assert following.show_upheld_per_100k
    assert following.letter_date is None  # the new review year's date applies
    assert following.version == 1


def test_editing_content_makes_a_new_version_and_saving_unchanged_does_not() -> None:
    template = services.template_for_year(make_review_year())
    template.save()
    assert template.version == 1
    template.title = "Annual review letter {letter_year}"
    template.save()
    template.refresh_from_db()
    assert template.version == 2


def test_unknown_placeholders_are_refused_before_saving() -> None:
    template = services.template_for_year(make_review_year())
    template.body += " See {map_link}."
    with pytest.raises(ValidationError, match=r"\{map_link\}"):
        template.full_clean()


def test_placeholders() -> None:
    assert unknown_placeholders("{year_end} {nope} {{literal}} {nope}") == ["nope"]
    assert fill("{{x}} {year}", {"year": "2019-20"}) == "{x} 2019-20"
    with pytest.raises(KeyError):
        fill("{year}", {})


def test_admin_action_starts_the_following_year() -> None:
    template = services.template_for_year(make_review_year(year="2019-20"))
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    admin = LetterTemplateAdmin(LetterTemplate, AdminSite())
    admin.start_following_year(request, LetterTemplate.objects.filter(pk=template.pk))
    following = ReviewYear.objects.get(year="2020-21")
    assert following.previous_id == template.review_year_id
    assert following.letter_template.body == template.body
    # A second time: the year has its template already, and nothing changes.
    admin.start_following_year(request, LetterTemplate.objects.filter(pk=template.pk))
    assert LetterTemplate.objects.count() == 2


def test_letter_without_a_letter_date_is_an_error() -> None:
    review_year = make_review_year(letter_date=None)
    template = services.template_for_year(review_year)
    template.letter_date = None  # the year's default facts carry one: take it away
    from councilperf.authorities.models import Authority
    from tests.letters.conftest import reference_statistics

    with pytest.raises(rendering.LetterError, match="no letter date"):
        rendering.build_letter(
            template=template,
            authority=Authority(gss_code="E07000038", official_name="x"),
            statistics=reference_statistics(),
            contacts=[],
        )


def test_role_based_contact_is_written_once() -> None:
    from councilperf.letters.rendering import Recipient

    recipient = Recipient("Chief Executive", "Chief Executive", "Borsetshire County Council")
    assert recipient.lines == ("Chief Executive", "Borsetshire County Council")
    assert recipient.salutation == "Dear Chief Executive"
    named = Recipient("Mr Hickin", "Director of Corporate Resources", "North East Derbyshire")
    assert named.salutation == "Dear Mr Hickin" and len(named.lines) == 3
