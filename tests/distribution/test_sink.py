"""The demo's mail sink keeps every message in an mbox file that mail readers open."""

from __future__ import annotations

import mailbox
import smtplib
from pathlib import Path

from councilperf.distribution.sink import Sink


def test_every_message_lands_in_the_mbox_once(tmp_path: Path) -> None:
    path = tmp_path / "demo-mail.mbox"
    with Sink(mailbox=path) as sink, smtplib.SMTP(sink.host, sink.port) as client:
        for n in range(3):
            body = f"Subject: letter {n}\r\n\r\nFrom the ombudsman\r\n".encode()
            client.sendmail("sender@example.org", [f"r{n}@example.org"], body)
    messages = list(mailbox.mbox(path))
    assert [m["Subject"] for m in messages] == ["letter 0", "letter 1", "letter 2"]
    assert messages[0].get_payload() == ">From the ombudsman\n"  # mbox quoting of "From "
