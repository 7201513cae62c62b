"""A local SMTP server that keeps what it receives: the demo's mail sink, and the tests' and
benchmark's server (aiosmtpd, a development dependency).

It can misbehave on purpose: answer ``421`` (or ``fail_code``) to the first few messages
(then recover), refuse chosen recipients with ``550``, drop the connection after the final
dot of the first few messages without answering. Each received message is kept in memory
and, given a ``mailbox`` path, appended to that mbox file (readable with ``mail -f FILE``, mutt, or
Python's ``mailbox.mbox``).
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import io
import mailbox
import socket
import threading
import time
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: Message


@dataclass
class Handler:
    refuse: set[str] = field(default_factory=set)
    fail_first: int = 0  # answer fail_code to this many messages, then accept
    fail_code: int = 421
    drop_first: int = 0  # close the connection after the final dot, unanswered, this often
    dropped: int = 0
    delay: float = 0.0  # seconds to wait before answering each message (a slow server)
    mailbox: Path | None = None
    received: list[Received] = field(default_factory=list)
    failed: int = 0
    started: int = 0  # messages whose DATA has begun
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.started += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.dropped < self.drop_first:
                self.dropped += 1
                server.transport.close()  # the message may or may not be kept: it is not
                return "250 never seen by the client"
            if self.failed < self.fail_first:
                self.failed += 1
                return f"{self.fail_code} 4.3.2 Service not available, try again later"
            message = email.message_from_bytes(envelope.content)
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
            if self.mailbox is not None:
                _append_mbox(self.mailbox, envelope.mail_from, message)
        return "250 Message accepted for delivery"


def _append_mbox(path: Path, sender: str, message: Message) -> None:
    """Append one message in mbox format (a "From " line, ">From" quoting), in O(1): the
    mailbox module would re-read the whole file for every message."""
    entry = mailbox.mboxMessage(message)
    entry.set_from(sender or "MAILER-DAEMON", time.gmtime())
    buffer = io.BytesIO()
    BytesGenerator(buffer, mangle_from_=True).flatten(entry, unixfrom=True)
    with path.open("ab") as out:
        out.write(buffer.getvalue().rstrip(b"\n") + b"\n\n")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class Sink:
    """``with Sink() as sink:`` — a running server at ``sink.host``:``sink.port``."""

    def __init__(self, *, port: int = 0, host: str = "127.0.0.1", **handler: Any) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.handler = Handler(**handler)
        self.controller = Controller(self.handler, hostname=host, port=self.port)

    def __enter__(self) -> Sink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received


def main() -> None:
    """``python -m councilperf.distribution.sink --port 1025 --mailbox var/demo-mail.mbox``:
    the demo's mail sink, until stopped."""
    import argparse
    import signal

    parser = argparse.ArgumentParser(description="A local SMTP server that keeps every message")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--mailbox", type=Path, required=True, help="mbox file to append to")
    options = parser.parse_args()
    options.mailbox.parent.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with Sink(host=options.host, port=options.port, mailbox=options.mailbox):
        print(f"Mail sink on {options.host}:{options.port}, mailbox {options.mailbox}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()


if __name__ == "__main__":
    main()
