"""What an alert says: a correction names its reason and, to a council's follower, whether
that council's figures changed; real figures carry no demonstration label."""

from __future__ import annotations

from typing import Any

from councilperf.alerts.compose import DEMO, Release, body, subject
from councilperf.alerts.models import Subscription
from councilperf.authorities.models import Authority
from councilperf.years import ReportingYear

YEAR = ReportingYear.parse("2019-20")


def _row(authority: Authority | None) -> Subscription:
    return Subscription(email="a@example.org", authority=authority, unsubscribe_token="tok")


def _correction(changed: frozenset[str], synthetic: bool = False) -> Release:
    return Release(
        year=YEAR, revision=3, replaces=2, reason="Late decisions.", synthetic=synthetic,
        changed=changed,
    )  # fmt: skip


def test_a_council_follower_is_told_whether_its_figures_changed(settings: Any) -> None:
    settings.SITE_URL = "https://alerts.example"
    council = Authority(gss_code="E07000001", official_name="Ambridge Council", slug="ambridge")
    changed = body(_row(council), _correction(frozenset({"E07000001"})))
    unchanged = body(_row(council), _correction(frozenset({"E07000002"})))
    assert "Ambridge Council's figures changed in this correction." in changed
    assert "Ambridge Council's figures are unchanged in this correction." in unchanged
    assert "Why: Late decisions." in changed
    assert "revision 3 replaces revision 2" in changed
    assert "https://alerts.example/review/2019-20/revisions/2/" in changed
    assert "https://alerts.example/alerts/unsubscribe/tok/" in changed
    assert subject(_row(council), _correction(frozenset())) == (
        "Corrected: Ambridge Council's 2019-20 complaint statistics"
    )
    assert DEMO not in changed


def test_demonstration_figures_say_so_first(settings: Any) -> None:
    text = body(_row(None), _correction(frozenset(), synthetic=True))
    assert text.startswith(DEMO)
    assert subject(_row(None), _correction(frozenset(), synthetic=True)).startswith(
        "[Demonstration data] Corrected:"
    )
