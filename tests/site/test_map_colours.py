"""The map's colours: quintile class breaks from the year's data, a diverging comparison
scale, hatching for councils with too few cases; and, on generated demo data for several
years, no class holding more than 40 % of the councils coloured by their figure."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from councilperf.site.pages.home import map_figures
from councilperf.site.presentation import colours
from councilperf.statistics.measures import METRIC, METRICS
from councilperf.years import ReportingYear
from tests.factories import make_review_year, publish_year


def test_quintile_breaks_by_rank() -> None:
    # 10 values: each class holds 2 (class i + 1 starts at rank ⌈i·10/5⌉ + 1 = 3, 5, 7, 9).
    assert colours.quantile_breaks(range(1, 11)) == (3, 5, 7, 9)
    assert [colours.value_class((3, 5, 7, 9), v) for v in range(1, 11)] == [
        0,
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    # Ties stay together: 106 councils at 100 % and 8 below make two classes, not five.
    assert colours.quantile_breaks([0.5] * 8 + [1.0] * 106) == (1.0,)
    assert colours.quantile_breaks([]) == ()
    assert colours.quantile_breaks([3.0]) == ()
    assert colours.value_class((), 0.7) == 0
    assert colours.value_class((1.0,), None) is None


def test_value_legend_names_each_class() -> None:
    items = colours.value_legend(METRIC["upheld_rate"], (0.5, 0.6))
    assert [i["text"] for i in items] == ["0% to under 50%", "50% to under 60%", "60% or more"]
    assert [i["colour"] for i in items] == list(colours.CLASS_COLOURS[:3])


def test_the_comparison_scale_is_diverging_and_contrasted() -> None:
    """Lower and higher each stand 3:1 (WCAG non-text contrast) from similar; the two ends
    are told apart by hue (blue and orange, distinct in every common colour-vision
    deficiency), not by lightness."""
    similar = colours.COMPARISON_COLOURS["similar"]
    for end in ("lower", "higher"):
        assert colours.contrast(colours.COMPARISON_COLOURS[end], similar) >= 3.0, end
    assert colours.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert colours.comparison_colour("higher", small=True) == colours.HATCH
    assert colours.comparison_colour("lower", small=False) == "#2166ac"
    assert colours.comparison_colour(None, small=False) == colours.NO_DATA_COLOUR
    words = [i["text"] for i in colours.comparison_legend()]
    assert words[0].startswith("Lower") and words[-1].startswith("Higher")


YEARS = ("2019-20", "2020-21", "2021-22", "2022-23", "2023-24")


@pytest.fixture
def demo_years(transactional_db: None, settings: Any, tmp_path: Path) -> None:
    """The demo data of five years, loaded and generated at once (a load names every year it
    keeps), each year frozen and published."""
    settings.BUILD_DIR = tmp_path / "build"
    quiet = {"stdout": open(os.devnull, "w"), "verbosity": 0}  # noqa: SIM115
    span = f"{YEARS[0]}:{YEARS[-1]}"
    call_command("load_reference_data", years=span, **quiet)
    call_command("generate_demo_data", years=span, **quiet)
    for year in YEARS:
        start = int(year[:4]) + 1
        make_review_year(
            year=year,
            letter_date=dt.date(start, 7, 22),
            publication_date=dt.date(start, 7, 29),
        )
        publish_year(year)


def class_shares(year: str) -> dict[tuple[str, str], tuple[int, int, float]]:
    """Per tier and measure: councils coloured by their figure, the largest class, its share."""
    data = map_figures(ReportingYear.parse(year))
    found = {}
    for tier, codes in data["tiers"].items():
        for m in METRICS:
            breaks = data["breaks"][tier][m.code]
            classes = Counter(
                colours.value_class(breaks, data["authorities"][c]["values"][m.code])
                for c in codes
                if data["authorities"][c]["values"][m.code] is not None
                and not data["authorities"][c]["small"][m.code]
            )
            coloured = sum(classes.values())
            top = max(classes.values(), default=0)
            found[(tier, m.code)] = (coloured, top, top / coloured if coloured else 0.0)
    return found


def tied(year: str, tier: str, code: str, share: float) -> bool:
    """Whether one single value is held by that share of the coloured councils (a tie no
    honest class can split, such as compliance of 100 %)."""
    data = map_figures(ReportingYear.parse(year))
    values = Counter(
        data["authorities"][c]["values"][code]
        for c in data["tiers"][tier]
        if data["authorities"][c]["values"][code] is not None
        and not data["authorities"][c]["small"][code]
    )
    total = sum(values.values())
    return bool(total) and max(values.values()) / total >= share - 1e-12


@pytest.mark.slow
def test_no_class_holds_more_than_40_percent_on_demo_data(demo_years: None) -> None:
    """Every demo year, tier and measure: no class of the figure holds more than 40 % of the
    councils coloured by it, unless one tied value alone holds that many (then that value is
    its class). Councils with too few cases are hatched, in no class."""
    for year in YEARS:
        for (tier, code), (coloured, _top, share) in class_shares(year).items():
            assert coloured > 0, (year, tier, code)
            assert share <= 0.40 or tied(year, tier, code, share), (year, tier, code, share)
