"""Every wording branch, checked in the text of rendered PDFs (three letters, rendered once)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from councilperf.authorities.models import Authority
from councilperf.letters import batch, rendering, services, wording
from councilperf.letters.pdf import PdfRenderer
from councilperf.statistics.models import ReviewYear
from tests.letters.conftest import reference_statistics
from tests.letters.pdftools import flat, pages

PERIOD = "for the period between 1 April 2019 to 31 March 2020"

CASES = {
    "plural": reference_statistics(
        authority_code="E07999991",
        detailed_investigations=200,
        upheld=89,
        upheld_with_satisfactory_remedy=3,
        compliance_outcomes=8,
        not_complied=1,
        population=250_000,
        upheld_per_100k=Fraction(89 * 100_000, 250_000),
        peer_upheld_per_100k=Fraction(41, 10),
        synthetic=False,
    ),
    "singular": reference_statistics(
        authority_code="E07999992",
        detailed_investigations=1,
        upheld=1,
        upheld_with_satisfactory_remedy=1,
        compliance_outcomes=1,
        not_complied=0,
        synthetic=False,
    ),
    "none_investigated": reference_statistics(
        authority_code="E07999993", detailed_investigations=0
    ),
}


@pytest.fixture(scope="module")
def letters() -> dict[str, list[str]]:
    """Each case's PDF, as the text of each page (no database: unsaved model instances)."""
    renderer = PdfRenderer()
    review_year = ReviewYear(
        year="2019-20", letter_date=dt.date(2020, 7, 22), publication_date=dt.date(2020, 7, 29)
    )
    result = {}
    for name, stats in CASES.items():
        template = services.default_template(review_year)
        template.show_upheld_per_100k = name == "plural"
        authority = Authority(gss_code=stats.authority_code, official_name="Borsetshire Council")
        content = rendering.build_letter(
            template=template, authority=authority, statistics=stats, contacts=[]
        )
        whole = rendering.render_html(content, inline_css=False)
        pdf = renderer.render_letter(whole=whole, **batch.pdf_parts(content))
        result[name] = pages(pdf)
    return result


def statistics_page(letters: dict[str, list[str]], name: str) -> str:
    return flat(letters[name][-1])


def test_plural_sentences_and_compliance_below_100(letters: dict[str, list[str]]) -> None:
    text = statistics_page(letters, "plural")
    for sentence in [
        "Complaints upheld 45% of complaints we investigated were upheld.",
        "This compares to an average of 45% in similar authorities.",
        "89 upheld decisions",
        f"Statistics are based on a total of 200 detailed investigations {PERIOD}",
        "Compliance with Ombudsman recommendations In 88% of cases we were satisfied the "
        "authority had successfully implemented our recommendations.",
        "This compares to an average of 99% in similar authorities.",
        wording.COMPLIANCE_BELOW_100,
        f"Statistics are based on a total of 8 compliance outcomes {PERIOD}",
        "Satisfactory remedies provided by the authority In 3% of upheld cases we found the "
        "authority had provided a satisfactory remedy before the complaint reached the "
        "Ombudsman.",
        "This compares to an average of 13% in similar authorities.",
        "3 satisfactory remedy decisions",
        f"Statistics are based on a total of 89 upheld decisions {PERIOD}",
        "Upheld decisions per 100,000 residents 35.6 upheld decisions per 100,000 residents.",
        "This compares to an average of 4.1 in similar authorities.",
        f"Statistics are based on 89 upheld decisions and a population of 250,000 {PERIOD}",
    ]:
        assert sentence in text


def test_singular_sentences_and_full_compliance(letters: dict[str, list[str]]) -> None:
    text = statistics_page(letters, "singular")
    for sentence in [
        "100% of complaints we investigated were upheld.",
        "1 upheld decision Statistics",
        f"Statistics are based on a total of 1 detailed investigation {PERIOD}",
        "In 100% of cases we were satisfied",
        f"Statistics are based on a total of 1 compliance outcome {PERIOD}",
        "1 satisfactory remedy decision Statistics",
        f"Statistics are based on a total of 1 upheld decision {PERIOD}",
    ]:
        assert sentence in text
    assert wording.COMPLIANCE_BELOW_100 not in text
    assert "per 100,000" not in text  # not a block of the 2020 template


def test_no_detailed_investigations(letters: dict[str, list[str]]) -> None:
    text = statistics_page(letters, "none_investigated")
    assert (
        "Complaints upheld We did not complete any detailed investigations for this period. "
        "Compliance with Ombudsman recommendations No recommendations were due for compliance "
        "in this period Satisfactory remedies provided by the authority The Ombudsman did not "
        "uphold any detailed investigations during this period"
    ) in text
    assert "of complaints we investigated were upheld" not in text


def test_statistics_fit_on_their_own_last_page(letters: dict[str, list[str]]) -> None:
    for name, text_pages in letters.items():
        assert len(text_pages) == 3, name
        assert "Yours sincerely," in text_pages[1], name
        assert "Yours sincerely," not in text_pages[2], name


def test_demonstration_label_only_on_synthetic_data(letters: dict[str, list[str]]) -> None:
    assert all(wording.DEMO_LABEL in page for page in letters["none_investigated"])
    assert not any(wording.DEMO_LABEL in page for page in letters["plural"])


def test_role_based_address_without_a_contact(letters: dict[str, list[str]]) -> None:
    first = flat(letters["singular"][0])
    assert "By email Chief Executive Borsetshire Council Dear Chief Executive" in first
