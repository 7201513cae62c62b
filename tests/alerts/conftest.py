"""A published world (tests/site's), a real SMTP server (aiosmtpd), and the steps a reader
takes: ask for alerts, open the emailed link, press the button."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import Message
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from councilperf.distribution.sink import Received, Sink
from tests.site.conftest import World, build_world


@pytest.fixture
def sink(settings: Any) -> Iterator[Sink]:
    with Sink() as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        yield server


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> World:
    settings.BUILD_DIR = tmp_path / "build"
    settings.SITE_URL = "https://alerts.example"
    return build_world(synthetic=True)


def text_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def to(received: list[Received], email: str) -> list[Message]:
    return [r.message for r in received if email in r.recipients]


def link(message: Message, kind: str) -> str:
    """The path of the site link of ``kind`` (confirm, unsubscribe) in an email's text."""
    found = re.search(rf"https://alerts\.example(/alerts/{kind}/[^/\s]+/)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def ask(client: Client, email: str, council: str = "") -> Any:
    return client.post("/alerts/", {"email": email, "council": council})


def subscribe_and_confirm(sink: Sink, email: str, council: str = "") -> None:
    client = Client()
    assert ask(client, email, council).status_code == 200
    (confirmation,) = to(sink.received, email)
    assert client.post(link(confirmation, "confirm")).status_code == 200


def publish() -> str:
    out = StringIO()
    call_command("publish_due", stdout=out)
    return out.getvalue()


class NoWrites(CaptureQueriesContext):
    """Fails if any query in the block writes."""

    def __init__(self) -> None:
        super().__init__(connection)

    def __exit__(self, *exc: Any) -> None:
        super().__exit__(*exc)
        writes = [
            q["sql"]
            for q in self.captured_queries
            if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
        ]
        assert not writes, writes


def header(message: Message, name: str) -> str:
    """A header's value, unfolded (RFC 5322 folds long headers over lines)."""
    return re.sub(r"\r?\n(?=[ \t])", "", str(message[name])).strip()
