"""Alerts at publication: the publication job (``publish_due``) sends each confirmed
subscriber whose subscription covers the year one alert per revision — a release, then a
correction with its reason — with RFC 8058 one-click unsubscribe; unconfirmed addresses get
nothing, and an unsubscribed one nothing more."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from councilperf.alerts import releases
from councilperf.alerts.models import Alert, Subscription
from councilperf.distribution.sink import Sink
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.alerts.conftest import ask, header, publish, subscribe_and_confirm, text_of, to
from tests.site.conftest import World

YEAR = ReportingYear.parse("2019-20")


def alerts_to(sink: Sink, email: str) -> list[str]:
    """The subjects of the alerts (not confirmations) received by ``email``."""
    return [header(m, "Subject") for m in to(sink.received, email) if "List-Unsubscribe" in m]


@pytest.mark.slow
def test_confirmed_subscribers_get_one_alert_per_release_and_one_click_stops_them(
    world: World, sink: Sink
) -> None:
    subscribe_and_confirm(sink, "everything@example.org")
    subscribe_and_confirm(sink, "north@example.org", world.north.slug)
    subscribe_and_confirm(sink, "newtown@example.org", world.newtown.slug)  # no 2019-20 figures
    ask(Client(), "unconfirmed@example.org")
    out = publish()
    assert "2019-20 revision 1: published, 2 alert(s) queued" in out
    assert "Alerts: 2 sent, 0 refused, 0 in doubt, 0 left for the next run" in out
    assert alerts_to(sink, "everything@example.org") == [
        "[Demonstration data] Published: the 2019-20 complaint statistics of councils in England"
    ]
    assert alerts_to(sink, "north@example.org") == [
        "[Demonstration data] Published: North Borsetshire Council's 2019-20 complaint statistics"
    ]
    assert alerts_to(sink, "newtown@example.org") == []
    assert len(to(sink.received, "unconfirmed@example.org")) == 1  # its confirmation only

    (alert,) = [m for m in to(sink.received, "north@example.org") if "List-Unsubscribe" in m]
    body = text_of(alert)
    assert body.startswith("Demonstration data")
    assert f"https://alerts.example/councils/{world.north.slug}/2019-20/" in body
    assert "https://alerts.example/review/2019-20/" in body
    row = Subscription.objects.get(email="north@example.org")
    url = f"https://alerts.example/alerts/unsubscribe/{row.unsubscribe_token}/"
    assert header(alert, "List-Unsubscribe") == f"<{url}>"
    assert header(alert, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"

    # A second run publishes nothing and sends nothing.
    before = len(sink.received)
    assert publish().strip() == "Nothing due: every public year is built for its current revision."
    assert len(sink.received) == before

    # One click, as a mail client does it (RFC 8058): the header's URL, POSTed, no CSRF token.
    path = re.sub(r"^https://alerts\.example", "", url)
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(email="north@example.org").exists()
    assert not Alert.objects.filter(subscription_id=row.pk).exists()

    correct_statistics(year=YEAR, reason="A case was misattributed.")
    out = publish()
    assert "2019-20 revision 2: published, 1 alert(s) queued" in out
    subjects = alerts_to(sink, "everything@example.org")
    assert subjects[1:] == [
        "[Demonstration data] Corrected: the 2019-20 complaint statistics of councils in England"
    ]
    correction = text_of(to(sink.received, "everything@example.org")[-1])
    assert "revision 2 replaces revision 1" in correction
    assert "Why: A case was misattributed." in correction
    assert "https://alerts.example/review/2019-20/revisions/1/" in correction
    assert alerts_to(sink, "north@example.org") == alerts_to(sink, "north@example.org")[:1]
    assert len(alerts_to(sink, "north@example.org")) == 1  # unsubscribed: nothing more


def confirmed_rows(world: World, sink: Sink) -> None:
    subscribe_and_confirm(sink, "one@example.org")
    subscribe_and_confirm(sink, "two@example.org", world.south.slug)
    subscribe_and_confirm(sink, "refused@example.org")


def test_queueing_twice_queues_once_and_a_refusal_is_not_retried(world: World, sink: Sink) -> None:
    confirmed_rows(world, sink)
    assert releases.prepare(year=YEAR, revision=1, replaces=None) == 3
    releases.prepare(year=YEAR, revision=1, replaces=None)
    assert Alert.objects.count() == 3
    sink.handler.refuse = {"refused@example.org"}
    first = releases.send_outstanding()
    assert (first.sent, first.failed, first.unsent) == (2, 1, 0)
    assert Alert.objects.get(subscription__email="refused@example.org").status == "failed"
    again = releases.send_outstanding()
    assert not again.anything
    assert len(alerts_to(sink, "one@example.org")) == len(alerts_to(sink, "two@example.org")) == 1


def test_a_deferred_alert_waits_for_the_next_run_and_is_then_sent_once(
    world: World, sink: Sink
) -> None:
    confirmed_rows(world, sink)
    releases.prepare(year=YEAR, revision=1, replaces=None)
    sink.handler.fail_first = 1  # 421 to the first alert
    first = releases.send_outstanding()
    assert (first.sent, first.unsent) == (2, 1)
    second = releases.send_outstanding()
    assert (second.sent, second.unsent) == (1, 0)
    for email in ("one@example.org", "two@example.org", "refused@example.org"):
        assert len(alerts_to(sink, email)) == 1, email


def test_an_alert_left_sending_by_a_killed_run_is_in_doubt_and_never_sent_again(
    world: World, sink: Sink
) -> None:
    confirmed_rows(world, sink)
    releases.prepare(year=YEAR, revision=1, replaces=None)
    Alert.objects.filter(subscription__email="one@example.org").update(status="sending")
    result = releases.send_outstanding()
    assert (result.sent, result.in_doubt) == (2, 1)
    assert alerts_to(sink, "one@example.org") == []
    assert Alert.objects.get(subscription__email="one@example.org").status == "in_doubt"


def test_a_mail_server_that_does_not_answer_leaves_every_alert_for_the_next_run(
    world: World, sink: Sink, settings: Any
) -> None:
    from councilperf.distribution.sink import free_port

    confirmed_rows(world, sink)
    releases.prepare(year=YEAR, revision=1, replaces=None)
    settings.EMAIL_PORT = free_port()
    down = releases.send_outstanding()
    assert (down.sent, down.unsent) == (0, 3)
    assert "did not answer" in down.problems[0]
    settings.EMAIL_PORT = sink.port
    assert releases.send_outstanding().sent == 3
