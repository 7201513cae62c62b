"""A PostgreSQL connection the server dropped while it was kept between requests (a restart, a
failover, an idle timeout) is replaced when the next request starts, not answered with an
error: CONN_HEALTH_CHECKS, as the production settings have it. The control, with the check
off, shows the same drop failing the request's first query (the audit's 39 dropped
connections, 39 errors)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connection

pytestmark = [
    pytest.mark.django_db(transaction=True),  # a request's connection, outside a test transaction
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the server dropping a connection is PostgreSQL's"
    ),
]


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The default connection, kept for a minute between requests as in production."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    yield connection
    connection.close()  # whatever state the test left it in; the next use reconnects


def open_and_drop(health_checks: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """One request's use of the kept connection, then the server ends it between requests."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", health_checks)
    request_started.send(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    request_finished.send(sender=None)
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))
    request_started.send(sender=None)  # the next request


def test_a_dropped_connection_is_replaced_before_the_next_request(kept, monkeypatch) -> None:
    open_and_drop(True, monkeypatch)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_without_the_check_the_next_request_fails_on_the_dropped_connection(
    kept, monkeypatch
) -> None:
    open_and_drop(False, monkeypatch)
    with (
        pytest.raises(OperationalError, match="terminating connection"),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1")
