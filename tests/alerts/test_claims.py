"""The exactly-once piece the alerts share with the letters (``distribution.claims``): a row
is claimed once before its SMTP transaction and its answer recorded after; a row claimed by
another run is not sent; a row left ``sending`` becomes in doubt."""

from __future__ import annotations

from councilperf.alerts import releases
from councilperf.alerts.models import Alert
from councilperf.distribution import claims
from councilperf.distribution.sink import Sink
from councilperf.distribution.smtp import Transport
from councilperf.years import ReportingYear
from tests.alerts.conftest import subscribe_and_confirm
from tests.site.conftest import World

RAW = b"Subject: a test\r\n\r\nHello\r\n"


def test_a_row_is_claimed_once_sent_once_and_a_stranded_claim_is_in_doubt(
    world: World, sink: Sink
) -> None:
    # Built in the test, not at import: its SQL is part of what the test checks.
    table = claims.Claims(Alert._meta.db_table)
    subscribe_and_confirm(sink, "a@example.org")
    subscribe_and_confirm(sink, "b@example.org")
    releases.prepare(year=ReportingYear.parse("2019-20"), revision=1, replaces=None)
    first, second = Alert.objects.order_by("pk")
    before = len(sink.received)
    transport = Transport()
    try:
        status, result = claims.transmit(
            claims=table, pk=first.pk, transport=transport, recipient="a@example.org", data=RAW
        )
        assert status == "sent" and result is not None
        again = claims.transmit(
            claims=table, pk=first.pk, transport=transport, recipient="a@example.org", data=RAW
        )
        assert again == (None, None)  # settled: not sent again
        assert table.claim(second.pk) and not table.claim(second.pk)
        taken = claims.transmit(
            claims=table, pk=second.pk, transport=transport, recipient="b@example.org", data=RAW
        )
        assert taken == (None, None)  # claimed by "another run": left alone
    finally:
        transport.close()
    assert len(sink.received) == before + 1
    first.refresh_from_db()
    assert (first.status, first.tries, first.last_error) == ("sent", 1, "")
    assert claims.settle_interrupted(Alert.objects.all()) == 1
    second.refresh_from_db()
    assert second.status == "in_doubt" and "interrupted" in second.last_error


def test_the_admin_lists_alerts_and_subscriptions_read_only(world: World, sink: Sink) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    subscribe_and_confirm(sink, "a@example.org")
    releases.prepare(year=ReportingYear.parse("2019-20"), revision=1, replaces=None)
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    listing = admin.get("/admin/alerts/alert/")
    assert listing.status_code == 200 and "2019-20" in listing.content.decode()
    assert admin.get("/admin/alerts/subscription/").status_code == 200
    assert admin.get("/admin/alerts/alert/add/").status_code == 403
