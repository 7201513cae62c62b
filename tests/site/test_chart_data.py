"""Every chart is data: beside each chart, its figures as CSV and the chart as SVG, at stable
addresses that reproduce it. The CSV holds the figures the chart draws: checked by reading
the values back from the drawing (positions against the labelled axis) and comparing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from councilperf.site.presentation import colours
from councilperf.site.presentation.charts import STYLES
from councilperf.statistics.models import ReviewYear
from tests.site.conftest import World

SVG = "{http://www.w3.org/2000/svg}"
TOLERANCE = 0.003  # positions are rounded to 0.1 px on axes 180 to 400 px long


@pytest.fixture
def two_years(world: World) -> World:
    """2020-21 public too (its publication date past), so the trend charts have two years."""
    ReviewYear.objects.filter(year="2020-21").update(publication_date=dt.date(2021, 7, 29))
    return world


def rows_of(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def svg_of(client: Client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    text = response.content.decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text)  # well-formed XML, or this fails


def number(label: str) -> float:
    """An axis label as a number ("25%" → 0.25, "1,200" → 1200)."""
    text = label.replace(",", "").strip()
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def scale(ticks: list[tuple[float, str]]) -> Any:
    """The axis's inverse, from its two outermost labelled ticks: position → value."""
    (p0, l0), (p1, l1) = ticks[0], ticks[-1]
    v0, v1 = number(l0), number(l1)
    return lambda p: v0 + (p - p0) * (v1 - v0) / (p1 - p0)


def y_ticks(svg: ET.Element) -> list[tuple[float, str]]:
    """Ticks drawn as a text at the left of the plot (text-anchor end) with a y."""
    found = [
        (float(t.get("y", "0")), t.text or "")
        for t in svg.iter(f"{SVG}text")
        if t.get("text-anchor") == "end" and re.fullmatch(r"[\d,.]+%?", (t.text or "").strip())
    ]
    return sorted(found)


def close(a: float | None, b: str) -> bool:
    return a is not None and b != "" and abs(a - float(b)) <= TOLERANCE * max(1, abs(float(b)))


def test_council_trend_chart_csv_is_what_it_draws(client: Client, two_years: World) -> None:
    base = f"/councils/{two_years.south.slug}/2020-21/chart"
    rows = rows_of(client, base + ".csv")
    assert [r["year"] for r in rows] == ["2019-20", "2020-21"]
    assert rows[0]["council"] == "South Borsetshire Council" and rows[0]["synthetic"] == "false"
    assert float(rows[0]["upheld_rate"]) == 0.5  # 9 of 18 upheld
    svg = svg_of(client, base + ".svg")
    value = scale(y_ticks(svg))
    dots = [float(c.get("cy", "0")) for c in svg.iter(f"{SVG}circle")]
    drawn = [r for r in rows if r["upheld_rate"] != ""]  # 2020-21: nothing to measure
    assert rows[1]["upheld_rate"] == "" and len(dots) == len(drawn) == 1
    for row, cy in zip(drawn, dots, strict=True):
        assert close(value(cy), row["upheld_rate"]), (row, value(cy))
    peer_line = next(p for p in svg.iter(f"{SVG}polyline") if p.get("stroke-dasharray"))
    peers = [float(xy.split(",")[1]) for xy in (peer_line.get("points") or "").split()]
    for row, y in zip(rows, peers, strict=True):
        assert close(value(y), row["similar_councils_upheld_rate"]), row
    # The page draws the same chart and links to both files.
    html = client.get(f"/councils/{two_years.south.slug}/2020-21/").content.decode()
    assert all(f'cy="{c.get("cy")}"' in html for c in svg.iter(f"{SVG}circle"))
    assert f'href="{base}.csv"' in html and f'href="{base}.svg"' in html


def test_review_charts_csv_is_what_they_draw(client: Client, two_years: World) -> None:
    base = "/review/2020-21/chart-"
    received = rows_of(client, base + "received.csv")
    svg = svg_of(client, base + "received.svg")
    value = scale(y_ticks(svg))
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == STYLES[0][0]]
    assert [r["year"] for r in received] == ["2019-20", "2020-21"] and len(bars) == 2
    for row, bar in zip(received, bars, strict=True):
        assert close(value(float(bar.get("y", "0"))), row["complaints_received"]), row
        assert int(row["complaints_received"]) > 0
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert labels == [r["complaints_received"] for r in received]

    rates = rows_of(client, base + "rates.csv")
    svg = svg_of(client, base + "rates.svg")
    value = scale(y_ticks(svg))
    columns = ("upheld_rate", "compliance_rate", "satisfactory_remedy_rate")
    for column, (colour, _) in zip(columns, STYLES, strict=False):
        drawn = [
            float(c.get("cy", "0")) for c in svg.iter(f"{SVG}circle") if c.get("fill") == colour
        ]
        shown = [r for r in rates if r[column] != ""]
        assert len(drawn) == len(shown) and (shown or column != "upheld_rate"), column
        for row, cy in zip(shown, drawn, strict=True):
            assert close(value(cy), row[column]), (column, row)
    html = client.get("/review/2020-21/").content.decode()
    assert 'href="/review/2020-21/chart-rates.csv"' in html
    assert 'href="/review/2020-21/chart-received.svg"' in html


@pytest.mark.parametrize(
    "metric", ["upheld", "compliance", "satisfactory_remedy", "upheld_per_100k"]
)
def test_funnel_plot_csv_is_what_it_draws(client: Client, world: World, metric: str) -> None:
    group, slug = (
        ("county", world.county.slug)
        if metric == "upheld_per_100k"
        else ("district", world.south.slug)
    )
    base = f"/compare/2019-20/{group}/funnel-{metric}"
    rows = rows_of(client, f"{base}.csv?council={slug}")
    svg = svg_of(client, f"{base}.svg?council={slug}")
    value = scale(y_ticks(svg))
    x_ticks = sorted(
        (float(t.get("x", "0")), t.text or "")
        for t in svg.iter(f"{SVG}text")
        if t.get("text-anchor") == "middle" and re.fullmatch(r"[\d,]+", t.text or "")
    )
    count = scale(x_ticks)
    points = {}
    for link in svg.iter(f"{SVG}a"):
        circle = list(link.iter(f"{SVG}circle"))[-1]  # the ring of a highlighted one first
        name = (link.get("aria-label") or "").split(":")[0]
        points[name] = (float(circle.get("cx", "0")), float(circle.get("cy", "0")))
    plotted = [r for r in rows if r["value"] != ""]
    assert plotted and len(points) == len(plotted)
    for row in plotted:
        cx, cy = points[row["council"]]
        assert close(value(cy), row["value"]), row
        assert close(count(cx), row["denominator"]), row
    # The highlighted council of the page is highlighted in the SVG too.
    assert any(c.get("r") == "9" for c in svg.iter(f"{SVG}circle"))
    html = client.get(f"/compare/2019-20/{group}/?council={slug}").content.decode()
    assert f'href="{base}.csv?council={slug}"' in html


def test_unknown_charts_and_formats_are_404(client: Client, world: World) -> None:
    south = f"/councils/{world.south.slug}"
    for url in (
        f"{south}/2019-20/chart.png",
        f"{south}/2020-21/chart.csv",  # not published yet
        "/review/2019-20/chart-nothing.csv",
        "/compare/2019-20/district/funnel-nothing.svg",
        "/compare/2019-20/nowhere/funnel-upheld.svg",
    ):
        assert client.get(url).status_code == 404, url


def test_chart_files_go_through_the_page_cache(client: Client, world: World) -> None:
    url = f"/councils/{world.south.slug}/2019-20/chart.csv"
    first = client.get(url)
    again = client.get(url)
    assert first["X-Page-Cache"] == "miss" and again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "public" in first["Cache-Control"]


def test_demonstration_charts_say_so(client: Client, demo_world: World) -> None:
    rows = rows_of(client, "/review/2019-20/chart-received.csv")
    assert {r["synthetic"] for r in rows} == {"true"}
    svg = client.get("/review/2019-20/chart-received.svg").content.decode()
    assert "Demonstration data — not real ombudsman decisions" in svg


def test_side_by_side_chart_csv_is_what_it_draws(client: Client, two_years: World) -> None:
    councils = f"{two_years.north.slug},{two_years.south.slug}"
    base = "/compare/chart-upheld_rate"
    rows = rows_of(client, f"{base}.csv?councils={councils}")
    svg = svg_of(client, f"{base}.svg?councils={councils}")
    value = scale(y_ticks(svg))
    names = ["North Borsetshire", "South Borsetshire"]
    assert {r["council"] for r in rows} == set(names)
    for name, (colour, _) in zip(names, STYLES, strict=False):
        shown = [r for r in rows if r["council"] == name and r["upheld_rate"] != ""]
        drawn = [
            float(c.get("cy", "0")) for c in svg.iter(f"{SVG}circle") if c.get("fill") == colour
        ]
        assert shown and len(drawn) == len(shown), name
        for row, cy in zip(shown, drawn, strict=True):
            assert close(value(cy), row["upheld_rate"]), row
        bars = [p.get("d", "") for p in svg.iter(f"{SVG}path") if p.get("stroke") == colour]
        for row, d in zip(shown, bars, strict=True):
            low, high = (float(n) for n in re.findall(r"M[\d.]+,([\d.]+).*V([\d.]+)", d)[0])
            assert close(value(low), row["lower_95"]) and close(value(high), row["upper_95"])
    html = client.get(f"/compare/?councils={councils}").content.decode()
    assert f'href="{base}.csv?councils={councils}"' in html
    assert client.get(f"{base}.csv?councils={two_years.north.slug}").status_code == 404


def script_fill(authority: dict[str, Any], figures: dict[str, Any], tier: str, colour: str) -> str:
    """The map script's colourFor (static/site/js/map.js), in Python, for upheld_rate."""
    code, value = "upheld_rate", authority["values"]["upheld_rate"]
    if value is None:
        return colours.NO_DATA_COLOUR
    if authority["small"][code]:
        return colours.HATCH
    if colour == "compared":
        return colours.COMPARISON_COLOURS.get(
            authority["comparisons"][code], colours.NO_DATA_COLOUR
        )
    breaks = figures["breaks"][tier][code]
    return colours.CLASS_COLOURS[sum(1 for b in breaks if value >= b)]


@pytest.mark.parametrize(("tier", "colour"), [("lower", "compared"), ("upper", "value")])
def test_map_csv_is_what_the_map_draws(
    client: Client, map_build: Any, world: World, tier: str, colour: str
) -> None:
    base = f"/map-data/2019-20/map-{tier}-upheld_rate"
    rows = {r["code"]: r for r in rows_of(client, f"{base}.csv?colour={colour}")}
    svg = svg_of(client, f"{base}.svg?colour={colour}")
    drawn = {p.get("data-code", ""): p.get("fill") for p in svg.iter(f"{SVG}path")}
    assert drawn and set(drawn) <= set(rows)
    assert all(rows[code]["fill"] == fill for code, fill in drawn.items())
    # The figures the page's map script draws from give the same values and colours.
    figures = client.get("/map-data/2019-20/figures.json").json()
    for code, row in rows.items():
        found = figures["authorities"][code]
        shown = found["values"]["upheld_rate"]
        assert (shown is None) == (row["upheld_rate"] == "")
        assert shown is None or close(shown, row["upheld_rate"])
        assert row["fill"] == script_fill(found, figures, tier, colour), code
    html = client.get(f"/?year=2019-20&tier={tier}&metric=upheld_rate&colour={colour}")
    assert f'href="{base}.svg?colour={colour}"' in html.content.decode()
