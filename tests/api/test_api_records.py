"""``api.records`` read directly on the Borsetshire world (tests/site/conftest.py): every field
of a year, an authority, a decision, a service improvement and a letter; the filters; only
public neighbours; and a year read from a snapshot taken before a correction describes the
snapshot's revision, never the newer one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.http import Http404
from django.test import Client
from django.utils import timezone

from councilperf.api import records
from councilperf.authorities.models import Authority
from councilperf.letters.models import Letter
from councilperf.published import years as public
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.factories import make_authority, make_compliance, make_recommendation
from tests.site.conftest import World, decide

pytestmark = pytest.mark.django_db

Y2019 = ReportingYear(2019)


def test_a_year_read_from_a_snapshot_before_a_correction_is_that_snapshots_revision(
    world: World,
) -> None:
    with public.reading() as before:
        correct_statistics(year=Y2019, reason="A decision was recorded against the wrong council")
        found = records.year(Y2019)
    assert before.pairs == (("2019-20", 1),)
    info = {k: found[k] for k in ("peer_method", "small_number_threshold")}
    assert found == {
        "year": "2019-20",
        "status": "published",
        "revision": 1,
        "publication_date": dt.date(2020, 7, 29),
        "letter_date": dt.date(2020, 7, 22),
        "synthetic": False,
        **info,
        "revision_reason": "First publication.",
        "methodology": (
            "Counts are of decisions made in the year (1 April to 31 March). Rates are exact "
            "fractions of the counts; the 95% interval is Wilson's score interval; an authority "
            f"is compared with the average of its comparison group ({info['peer_method']} "
            f"average) unless the denominator is below {info['small_number_threshold']}. See "
            "/about/ for the full method."
        ),
        "method_notes": [],
        "population_and_boundaries": found["population_and_boundaries"],
    }
    assert info["peer_method"] in ("pooled", "mean") and info["small_number_threshold"] > 0
    assert set(found["population_and_boundaries"]) == {"estimates", "boundaries", "notes"}
    assert records.year(Y2019)["revision_reason"].startswith("A decision was recorded")


def summary(a: Authority, years: list[str]) -> dict[str, Any]:
    return {
        "code": a.gss_code,
        "register_code": a.register_code,
        "name": a.official_name,
        "short_name": a.short_name,
        "slug": a.slug,
        "group": a.group,
        "region": "Test Region",
        "start_date": a.start_date,
        "end_date": a.end_date,
        "years": years,
        "page": f"/councils/{a.slug}/",
    }


def link(a: Authority) -> dict[str, str]:
    return {"code": a.gss_code, "name": a.official_name, "slug": a.slug}


def test_an_authority_names_only_its_public_county_predecessors_and_successors(
    world: World,
) -> None:
    older = make_authority(name="Old North", years=("2019-20",), end_date=dt.date(2020, 3, 31))
    hidden = make_authority(name="Hidden Old North", years=("2021-22",))
    world.north.predecessors.add(older, hidden)
    world.north.successors.add(world.unitary, world.newtown)
    assert records.authority(world.north.gss_code) == {
        **summary(world.north, ["2019-20"]),
        "county": link(world.county),
        "predecessors": [link(older)],
        "successors": [link(world.unitary)],
    }
    assert records.authority(older.gss_code)["end_date"] == dt.date(2020, 3, 31)
    assert records.authority(older.gss_code)["successors"] == [link(world.north)]


def test_a_county_not_public_is_not_named(world: World) -> None:
    county = make_authority(name="Futureshire", group="county", years=("2021-22",))
    lonely = make_authority(name="Lonely", years=("2019-20",))
    lonely.county = county
    lonely.save()
    found = records.authority(lonely.gss_code)
    assert found["county"] is None and found["predecessors"] == found["successors"] == []
    with pytest.raises(Http404, match="No authority with published figures has this code"):
        records.authority(county.gss_code)
    with pytest.raises(Http404):
        records.authority_or_404(world.newtown.gss_code)


def test_authorities_filter_by_year_group_and_region(world: World) -> None:
    gone = make_authority(name="Abolished", years=("2019-20",))  # not in 2020-21
    everything = records.authorities(year=None, group="", region="")
    public_five = [gone, world.county, world.unitary, world.north, world.south]
    assert everything == [summary(a, ["2019-20"]) for a in public_five]
    assert records.authorities(year=Y2019, group="", region="") == everything
    later = records.authorities(year=ReportingYear(2020), group="", region="")
    assert later == everything[1:]
    districts = records.authorities(year=None, group="district", region="")
    assert [a["code"] for a in districts] == [
        gone.gss_code,
        world.north.gss_code,
        world.south.gss_code,
    ]
    # The region as the register writes it (api.choices turns a slug or any case into it).
    assert records.authorities(year=None, group="", region="Test Region") == everything
    assert records.authorities(year=None, group="", region="TEST region") == []
    assert records.authorities(year=None, group="", region="Elsewhere") == []


def test_figures_filter_by_group_region_and_authority(world: World) -> None:
    def codes(**filters: str) -> list[str]:
        options = {"group": "", "region": "", "authority": "", **filters}
        return [f["authority_code"] for f in records.figures_of(Y2019, **options)]

    every = [world.county.gss_code, world.unitary.gss_code]
    every += [world.north.gss_code, world.south.gss_code]
    assert codes() == every
    assert codes(group="district") == [world.north.gss_code, world.south.gss_code]
    assert codes(region="Test Region") == every and codes(region="Elsewhere") == []
    assert codes(authority=world.south.gss_code) == [world.south.gss_code]
    south = records.figures_of(Y2019, group="", region="", authority=world.south.gss_code)
    assert south[0]["slug"] == world.south.slug


def test_a_decision_has_its_public_fields_and_decisions_come_by_date_then_reference(
    world: World,
) -> None:
    found = records.decisions(Y2019, authority=world.county.gss_code, service_area="", outcome="")
    reported = next(d for d in found if d["public_report_date"])
    assert set(reported) == {
        "reference",
        "authority_code",
        "received_date",
        "decision_date",
        "service_area",
        "outcome",
        "remedied_by_authority",
        "public_report_date",
        "summary",
        "statement_url",
        "synthetic",
    }
    assert reported["public_report_date"] == dt.date(2019, 12, 1)
    assert (reported["authority_code"], reported["service_area"]) == (
        world.county.gss_code,
        "adult_care",
    )
    assert reported["statement_url"] == "https://www.example.org/decisions/1"
    assert reported["synthetic"] is False
    early = decide(world.north, "upheld", day=dt.date(2019, 4, 2))  # the last reference
    every = records.decisions(Y2019, authority="", service_area="", outcome="")
    order = [(d["decision_date"], d["reference"]) for d in every]
    assert order == sorted(order) and len(every) == 29
    assert every[0]["reference"] == early.reference
    remedied = [d for d in every if d["remedied_by_authority"]]
    assert [d["authority_code"] for d in remedied] == [world.south.gss_code]


def test_a_service_improvement_has_its_fields_and_compliance(world: World) -> None:
    (county,) = records.improvements(Y2019, authority=world.county.gss_code, service_area="")
    assert county == {
        "case_reference": county["case_reference"],
        "authority_code": world.county.gss_code,
        "decision_date": county["decision_date"],
        "service_area": "adult_care",
        "kind": "procedure_change",
        "description": "Train staff",
        "due_date": dt.date(2019, 9, 1),
        "compliance": "complied_late",
        "compliance_recorded": dt.date(2019, 10, 1),
        "synthetic": False,
    }
    assert county["decision_date"].year == 2019 and county["case_reference"]


def test_a_slug_is_read_again_for_a_code_the_cached_map_lacks(world: World) -> None:
    cache.delete("api:slugs")
    assert records.slug(world.south.gss_code) == world.south.slug
    assert cache.get("api:slugs")[world.north.gss_code] == world.north.slug
    later = make_authority(name="Later")
    assert records.slug(later.gss_code) == later.slug
    assert records.slug("E99999999") == ""
    cache.set("api:slugs", {world.south.gss_code: "kept"}, 60)
    assert records.slug(world.south.gss_code) == "kept"  # a minute's map is trusted


def letter_files(world: World, tmp_path: Path) -> Letter:
    pdf, html = tmp_path / "north.pdf", tmp_path / "north.html"
    pdf.write_bytes(b"%PDF-1.7 letter")
    html.write_text("<p>letter</p>", encoding="utf-8")
    return Letter.objects.create(
        authority=world.north,
        review_year=ReviewYear.objects.get(year="2019-20"),
        statistics_revision=1,
        template_version=1,
        template_hash="t" * 64,
        content_hash="c" * 64,
        html_path=str(html),
        pdf_path=str(pdf),
        generated_at=timezone.now(),
    )


def test_a_letter_of_a_published_year_and_none_of_another(world: World, tmp_path: Path) -> None:
    made = letter_files(world, tmp_path)
    found = records.letter(Y2019, world.north.gss_code)
    assert found == {
        "year": "2019-20",
        "authority_code": world.north.gss_code,
        "title": "2019-20 annual review letter (sent July 2020)",
        "html_url": found["html_url"],
        "pdf_url": found["pdf_url"],
        "content_hash": made.content_hash,
        "synthetic": False,
    }
    assert world.north.slug in found["html_url"] and found["pdf_url"].endswith(".pdf")
    with pytest.raises(Http404, match=r"^No letter has been sent to this authority for this year$"):
        records.letter(ReportingYear(2018), world.north.gss_code)
    Path(made.pdf_path).unlink()  # a published year whose file is missing: listed, size 0
    with pytest.raises(Http404, match=r"^No letter has been sent"):
        records.letter(Y2019, world.north.gss_code)
    with pytest.raises(Http404, match=r"^No authority with published figures"):
        records.letter(Y2019, world.newtown.gss_code)


def test_the_api_answers_a_missing_letter_with_its_reason(client: Client, world: World) -> None:
    answer = client.get(f"/api/v1/years/2019-20/letters/{world.south.gss_code}")
    assert answer.status_code == 404
    assert answer.json()["detail"] == "No letter has been sent to this authority for this year"


def test_authorities_of_one_name_come_by_code_and_list_every_published_year(
    world: World,
) -> None:
    later = make_authority(name="Twin", gss_code="E07999992", years=("2019-20", "2020-21"))
    earlier = make_authority(name="Twin", gss_code="E07999991", years=("2020-21", "2019-20"))
    ReviewYear.objects.filter(year="2020-21").update(publication_date=dt.date(2021, 7, 29))
    found = records.authorities(year=None, group="", region="")
    names = [a["name"] for a in found]
    assert names == sorted(names)
    twins = [a for a in found if a["short_name"] == "Twin"]
    assert [a["code"] for a in twins] == [earlier.gss_code, later.gss_code]
    assert [a["years"] for a in twins] == [["2019-20", "2020-21"]] * 2
    assert records.authority(earlier.gss_code)["years"] == ["2019-20", "2020-21"]


def test_the_slug_map_is_kept_one_minute(world: World, settings: Any) -> None:
    # A cache in this process's memory: Redis (the CI pass) expires keys by its own clock,
    # which time-machine does not move.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.delete("api:slugs")
    start = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert records.slug(world.south.gss_code) == world.south.slug
        Authority.objects.filter(pk=world.south.pk).update(slug="south-renamed")
        clock.shift(59.5)
        assert records.slug(world.south.gss_code) == world.south.slug
        clock.shift(1)
        assert records.slug(world.south.gss_code) == "south-renamed"


def test_no_compliance_yet_or_one_recorded_after_the_cutoff_is_not_shown(world: World) -> None:
    waiting = decide(world.north, "upheld")
    make_recommendation(case=waiting, service_improvement=True, description="Nothing yet")
    late = decide(world.north, "upheld")
    make_recommendation(case=late, service_improvement=True, description="Recorded later")
    make_compliance(case=late, outcome="complied", recorded_date=dt.date(2020, 6, 1))
    found = {
        r["description"]: r
        for r in records.improvements(Y2019, authority=world.north.gss_code, service_area="")
    }
    for description in ("Nothing yet", "Recorded later"):
        assert found[description]["compliance"] is None
        assert found[description]["compliance_recorded"] is None
