"""The demo's complaint-handling returns and replies: every return obeys every rule, most
councils submitted and a few did not, each Code section rated, replies with history and one
returned, everything marked synthetic, the same on every run, a second run changing nothing,
a council's own rows left alone, and nothing without COUNCILPERF_DEMO=1."""

from __future__ import annotations

import datetime as dt
import random
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from councilperf.demo import returns
from councilperf.demo.returns import COUNT_FIELDS, CouncilInput, check_counts, plan_returns
from councilperf.portal.code import SECTION_KEYS
from councilperf.portal.models import (
    ComplaintReturn,
    Reply,
    ReplyVersion,
    ReturnPeriod,
    SelfAssessment,
)
from councilperf.years import ReportingYear
from tests.factories import make_authority, make_case, make_review_year

YEAR = "2024-25"
REPORTING = ReportingYear.parse(YEAR)
GROUPS = ("district", "unitary", "london", "metropolitan", "county")


def councils(n: int) -> list[CouncilInput]:
    rng = random.Random(n)
    return [
        CouncilInput(f"E0{7 + i % 3}9{i:05d}", f"council-{i}", rng.randint(2_000, 1_200_000), i)
        for i in range(n)
    ]


# The plan (pure).


@given(
    seed=st.integers(0, 2**32),
    population=st.integers(0, 12_000_000),
    ombudsman=st.integers(0, 3_000),
)
def test_every_return_obeys_every_rule(seed: int, population: int, ombudsman: int) -> None:
    counts = returns.plan_counts(random.Random(seed), population=population, ombudsman=ombudsman)
    assert set(counts) == set(COUNT_FIELDS)
    assert all(isinstance(v, int) and v >= 0 for v in counts.values())
    assert check_counts({**counts}) == []
    assert counts["stage1_received"] >= 1


@pytest.mark.parametrize(
    ("change", "broken"),
    [
        ({"stage1_in_time": 11}, "stage1_in_time > stage1_responded"),
        ({"stage1_responded": 21}, "stage1_responded > stage1_received"),
        ({"stage1_upheld": 11}, "stage1_upheld > stage1_responded"),
        ({"stage2_in_time": 5}, "stage2_in_time > stage2_responded"),
        ({"stage2_responded": 7}, "stage2_responded > stage2_received"),
        ({"stage2_upheld": 5}, "stage2_upheld > stage2_responded"),
        ({"stage2_received": 11, "stage2_responded": 4}, "stage2_received > stage1_responded"),
        ({"escalated": 5}, "escalated > stage2_responded"),
        ({"stage1_upheld": -1}, "stage1_upheld < 0"),
    ],
)
def test_the_rule_check_finds_each_broken_rule(change: dict, broken: str) -> None:
    good = dict(zip(COUNT_FIELDS, (20, 10, 8, 3, 6, 4, 3, 1, 2), strict=True))
    assert check_counts(good) == []
    assert broken in check_counts({**good, **change})


def test_most_submitted_a_few_draft_a_few_not_started() -> None:
    plan = plan_returns(councils(100), year=REPORTING)
    statuses = [p.status for p in plan.returns]
    assert statuses.count("submitted") == 88
    assert statuses.count("draft") == 7
    assert len(plan.not_started) == 5
    planned = {p.gss_code for p in plan.returns}
    assert planned.isdisjoint(plan.not_started)
    assert len(planned) + len(plan.not_started) == 100


def test_the_demo_portal_councils_are_left_not_started() -> None:
    given_councils = councils(40)
    left = frozenset({given_councils[3].gss_code, given_councils[9].gss_code, "E09999999"})
    plan = plan_returns(given_councils, year=REPORTING, left_open=left)
    assert {given_councils[3].gss_code, given_councils[9].gss_code} <= set(plan.not_started)
    assert "E09999999" not in plan.not_started  # not a council of the year


def test_submitted_returns_rate_every_section_and_drafts_are_half_done() -> None:
    plan = plan_returns(councils(60), year=REPORTING)
    ratings = []
    for planned in plan.returns:
        if planned.status == "submitted":
            assert [s for s, _, _ in planned.assessments] == list(SECTION_KEYS)
            assert all(c.startswith("Demonstration comment") for _, _, c in planned.assessments)
            assert planned.url.split("/")[2].endswith(".example")
            assert planned.assessed_on and ReportingYear.parse(YEAR).contains(planned.assessed_on)
            assert None not in planned.counts.values()
            ratings += [r for _, r, _ in planned.assessments]
        else:
            assert planned.assessments == () and planned.counts["stage2_received"] is None
            assert planned.counts["stage1_received"] is not None
    # Mostly meets, some partly, few does not.
    assert ratings.count("meets") > ratings.count("partly") > ratings.count("does_not") > 0


def test_the_plan_is_deterministic_and_does_not_depend_on_order() -> None:
    given_councils = councils(50)
    first = plan_returns(given_councils, year=REPORTING, seed=3)
    assert plan_returns(list(reversed(given_councils)), year=REPORTING, seed=3) == first
    assert plan_returns(given_councils, year=REPORTING, seed=4) != first
    assert plan_returns(given_councils, year=ReportingYear.parse("2023-24"), seed=3) != first


def test_more_residents_and_ombudsman_complaints_mean_more_own_complaints() -> None:
    def received(population: int, ombudsman: int) -> int:
        return sum(
            returns.plan_counts(random.Random(s), population=population, ombudsman=ombudsman)[
                "stage1_received"
            ]
            for s in range(200)
        )

    assert received(300_000, 20) > 2 * received(100_000, 20)
    assert received(100_000, 200) > received(100_000, 20)


def test_replies_five_accepted_one_with_history_and_one_returned() -> None:
    plan = plan_returns(councils(40), year=REPORTING)
    statuses = [[status for status, _, _ in r.versions] for r in plan.replies]
    assert statuses == [["accepted", "accepted"], *[["accepted"]] * 4, ["returned"]]
    for reply in plan.replies:
        for _, text, _ in reply.versions:
            assert text.startswith("This is a demonstration reply")
            assert len(text.split()) <= 500
    assert plan.replies[-1].versions[0][2].startswith("Demonstration reason")
    submitted = {p.gss_code for p in plan.returns if p.status == "submitted"}
    assert {r.gss_code for r in plan.replies} <= submitted


# Written to the database.


@pytest.fixture
def demo_world(db, monkeypatch):
    monkeypatch.setenv("COUNCILPERF_DEMO", "1")
    call_command("create_demo_users", stdout=StringIO())
    made = [
        make_authority(
            name=f"Council {i}",
            group=GROUPS[i % 5],
            years=(YEAR,),
            population=40_000 + 9_000 * i,
        )
        for i in range(24)
    ]
    made.append(make_authority(name="North East Derbyshire", gss_code="E07000038", years=(YEAR,)))
    for i, council in enumerate(made[:10]):
        for _ in range(i):
            make_case(authority=council, received_date=dt.date(2024, 6, 1))
    make_review_year(
        year=YEAR, letter_date=dt.date(2025, 5, 20), publication_date=dt.date(2025, 7, 1)
    )
    return made


def run(*args: str) -> str:
    out = StringIO()
    call_command("generate_demo_returns", "--year", YEAR, *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[list[dict[str, Any]]]:
    models: tuple[Any, ...] = (ReturnPeriod, ComplaintReturn, SelfAssessment, Reply, ReplyVersion)
    return [list(model.objects.order_by("pk").values()) for model in models]


def test_refused_without_the_demo_flag(demo_world, monkeypatch):
    monkeypatch.delenv("COUNCILPERF_DEMO")
    with pytest.raises(CommandError, match="COUNCILPERF_DEMO=1"):
        run()
    assert snapshot() == [[], [], [], [], []]


def test_refused_without_the_year(demo_world):
    with pytest.raises(CommandError, match="no review year 2023-24"):
        call_command("generate_demo_returns", "--year", "2023-24", stdout=StringIO())


def test_written_synthetic_obeying_every_rule(demo_world):
    output = run()
    assert "Returns for 2024-25 opened, deadline 2025-06-17" in output
    period = ReturnPeriod.objects.get()
    assert period.opened_by.username == "publisher"
    rows = list(ComplaintReturn.objects.all())
    assert len(rows) == 24  # all but North East Derbyshire, left for the demo's visitors
    assert not ComplaintReturn.objects.filter(authority__gss_code="E07000038").exists()
    assert all(row.synthetic for row in rows)
    submitted = [r for r in rows if r.status == "submitted"]
    assert len(submitted) == 22
    for row in rows:
        assert check_counts({f: getattr(row, f) for f in COUNT_FIELDS}) == []
    for row in submitted:
        assert row.assessments.count() == len(SECTION_KEYS)
        assert row.signed_off_at and row.signed_off_at.date() <= period.deadline
        assert row.self_assessment_date
        assert ReportingYear.parse(YEAR).contains(row.self_assessment_date)
    versions = ReplyVersion.objects.all()
    assert versions.count() == 7 and all(v.synthetic for v in versions)
    assert Reply.objects.count() == 6
    returned = versions.get(status="returned")
    assert returned.reason and returned.decided_by
    assert returned.decided_by.username == "publisher"
    assert all(v.written_at.date() >= dt.date(2025, 5, 20) for v in versions)


def test_a_second_run_changes_nothing_and_a_changed_row_is_put_back(demo_world):
    run()
    first = snapshot()
    again = run()
    assert "24 unchanged; 0 removed" in again and "6 unchanged" in again
    assert snapshot() == first
    ComplaintReturn.objects.filter(status="submitted").update(stage1_received=10**6)
    SelfAssessment.objects.filter(section="staff").delete()
    run()
    now = snapshot()
    assert now[1] == first[1]  # each return put back in place, as planned

    def without_ids(rows: list[dict]) -> list[dict]:
        return [{k: v for k, v in row.items() if k != "id"} for row in rows]

    assert without_ids(now[2]) == without_ids(first[2])
    assert now[3:] == first[3:]


def test_a_councils_own_return_and_reply_are_left_alone(demo_world):
    run()
    own = ComplaintReturn.objects.filter(status="submitted").first()
    assert own is not None
    ComplaintReturn.objects.filter(pk=own.pk).update(synthetic=False, stage1_received=4)
    reply = Reply.objects.first()
    assert reply is not None
    reply.versions.update(synthetic=False, text="Our own words.")
    run()
    assert ComplaintReturn.objects.get(pk=own.pk).stage1_received == 4
    assert set(reply.versions.values_list("text", flat=True)) == {"Our own words."}


def test_every_planned_return_passes_the_portals_own_checks() -> None:
    """The returns part's checks (``portal/returncheck.py``), the ones a council's return
    meets in the portal, where they exist: drafts as drafts, submitted returns as for
    sign-off. Until that part is merged, the inequalities above stand in for them."""
    returncheck = pytest.importorskip("councilperf.portal.returncheck")
    start, deadline = ReportingYear.parse(YEAR).start, dt.date(2025, 6, 17)
    for planned in plan_returns(councils(300), year=REPORTING).returns:
        raw = {name: str(v) for name, v in planned.counts.items() if v is not None}
        complete = planned.status == "submitted"
        if complete:
            assert planned.assessed_on is not None
            raw[returncheck.URL] = planned.url
            raw[returncheck.DATE] = planned.assessed_on.isoformat()
            for section, rating, comment in planned.assessments:
                raw[returncheck.rating_field(section)] = rating
                raw[returncheck.comment_field(section)] = comment
        checked = returncheck.check(raw, start=start, deadline=deadline, complete=complete)
        assert not checked.errors, (planned.gss_code, checked.errors)
