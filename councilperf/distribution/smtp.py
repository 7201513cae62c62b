"""One SMTP connection, reused for every message, that says exactly what became of each.

Each message is one transaction with one envelope recipient. The outcome is one of:

- ``SENT``: the server accepted the message (250 after the final dot);
- ``TEMPORARY``: it certainly was not accepted and may be tried again — a 4xx reply, a
  refused connection, a timeout or a dropped connection before the final dot (the last
  three are ``unreachable``: the server did not answer at all, an outage rather than a reply);
- ``PERMANENT``: refused with a 5xx reply (a bad address, say); not retried;
- ``IN_DOUBT``: the connection failed after the final dot and before the reply, so the server
  may or may not have the message; never retried silently.

The connection comes from Django's SMTP backend, so ``EMAIL_HOST``, ``EMAIL_PORT``,
``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``/``SSL`` and ``EMAIL_TIMEOUT``
apply as for any Django email.
"""

from __future__ import annotations

import re
import smtplib
import socket
from dataclasses import dataclass
from enum import Enum

from django.core.mail.backends.smtp import EmailBackend


class Outcome(Enum):
    SENT = "sent"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"
    IN_DOUBT = "in_doubt"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    detail: str = ""
    unreachable: bool = False  # no answer from the server (refused, timed out, dropped)


_NETWORK_ERRORS = (smtplib.SMTPException, OSError, socket.timeout)


def _reply(code: int, message: bytes | str) -> Result:
    text = message.decode(errors="replace") if isinstance(message, bytes) else message
    detail = f"{code} {text}".strip()
    if 200 <= code < 300:
        return Result(Outcome.SENT, detail)
    if 400 <= code < 500 or code < 0:
        return Result(Outcome.TEMPORARY, detail)
    return Result(Outcome.PERMANENT, detail)


def _wire(data: bytes) -> bytes:
    """The message as sent after DATA: CRLF line ends, leading dots doubled, the final dot."""
    lines = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    quoted = re.sub(rb"(?m)^\.", b"..", lines)
    if not quoted.endswith(b"\r\n"):
        quoted += b"\r\n"
    return quoted + b".\r\n"


class Transport:
    """Send prepared messages over one connection, reopened only after a failure."""

    def __init__(self, backend: EmailBackend | None = None) -> None:
        self.backend = backend or EmailBackend(fail_silently=False)
        self.opened = 0  # connections opened, for tests and the benchmark

    @property
    def address(self) -> str:
        """The mail server's ``host:port``, for messages that name it."""
        return f"{self.backend.host}:{self.backend.port}"

    def close(self) -> None:
        try:
            self.backend.close()
        except _NETWORK_ERRORS:
            self.backend.connection = None

    def _smtp(self) -> smtplib.SMTP:
        if self.backend.connection is None:
            self.backend.open()
            self.opened += 1
        assert self.backend.connection is not None
        return self.backend.connection

    def send(self, *, sender: str, recipient: str, data: bytes) -> Result:
        try:
            smtp = self._smtp()
            smtp.ehlo_or_helo_if_needed()
            code, message = smtp.mail(sender)
            if code == 250:
                code, message = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._reset(smtp, code)
                return _reply(code, message)
            smtp.putcmd("data")
            code, message = smtp.getreply()
            if code != 354:
                self._reset(smtp, code)
                return _reply(code, message)
            smtp.send(_wire(data))
        except _NETWORK_ERRORS as error:
            self.close()
            return Result(Outcome.TEMPORARY, f"{type(error).__name__}: {error}", unreachable=True)
        try:
            code, message = smtp.getreply()
        except _NETWORK_ERRORS as error:
            self.close()
            return Result(Outcome.IN_DOUBT, f"no reply after the message: {error}")
        if code == 421:
            self.close()
        return _reply(code, message)

    def _reset(self, smtp: smtplib.SMTP, code: int) -> None:
        if code == 421:  # the server is closing the connection
            self.close()
            return
        try:
            smtp.rset()
        except _NETWORK_ERRORS:
            self.close()
