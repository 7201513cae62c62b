"""What became of each message, as ``smtp.Transport`` says it: on a real SMTP server (aiosmtpd,
``sink.Sink``) for the replies a server gives, and on a scripted connection for the steps a
well-behaved server never refuses. A drop after the final dot is in doubt (never "temporary":
retrying it may send a second letter); a 4xx is temporary; a 500 or 550 is permanent."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.mail.backends.smtp import EmailBackend

from councilperf.distribution.sink import Sink, free_port
from councilperf.distribution.smtp import Outcome, Result, Transport, _reply, _wire

SENDER = "ombudsman@example.org"
TO = "leader@borsetshire.example.org"


def message(body: str = "Dear Leader,\n.hidden dot\n..two dots\nEnd") -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = SENDER, TO, "Annual letter"
    mail.set_content(body)
    return mail.as_bytes()


def transport(sink: Sink) -> Transport:
    return Transport(EmailBackend(host=sink.host, port=sink.port, timeout=5))


def send(link: Transport, to: str = TO) -> Result:
    return link.send(sender=SENDER, recipient=to, data=message())


def test_accepted_messages_are_sent_over_one_connection_with_their_dots_intact():
    with Sink() as sink:
        link = transport(sink)
        first, second = send(link), send(link, "chief@felpersham.example.org")
    assert first == Result(Outcome.SENT, "250 Message accepted for delivery")
    assert second.outcome is Outcome.SENT and link.opened == 1
    assert [r.recipients for r in sink.received] == [[TO], ["chief@felpersham.example.org"]]
    assert sink.received[0].sender == SENDER
    body = str(sink.received[0].message.get_payload()).replace("\r\n", "\n")
    assert body == "Dear Leader,\n.hidden dot\n..two dots\nEnd\n"
    assert link.address == f"127.0.0.1:{sink.port}"


def test_a_drop_after_the_final_dot_is_in_doubt_not_temporary():
    with Sink(drop_first=1) as sink:
        link = transport(sink)
        doubtful = send(link)
        after = send(link)
    assert doubtful.outcome is Outcome.IN_DOUBT and not doubtful.unreachable
    assert doubtful.detail.startswith("no reply after the message: ")
    assert sink.handler.started == 2  # the server had the first message's data
    assert after.outcome is Outcome.SENT and link.opened == 2  # a new connection


@pytest.mark.parametrize("code", [450, 451, 499])
def test_a_4xx_after_the_data_is_temporary_and_the_connection_kept(code):
    with Sink(fail_first=1, fail_code=code) as sink:
        link = transport(sink)
        deferred = send(link)
        after = send(link)
    assert deferred.outcome is Outcome.TEMPORARY and not deferred.unreachable
    assert deferred.detail == f"{code} 4.3.2 Service not available, try again later"
    assert after.outcome is Outcome.SENT and link.opened == 1


def test_a_421_is_temporary_and_the_connection_is_closed():
    with Sink(fail_first=1, fail_code=421) as sink:
        link = transport(sink)
        closing = send(link)
        assert link.backend.connection is None
        after = send(link)
    assert closing.outcome is Outcome.TEMPORARY and not closing.unreachable
    assert after.outcome is Outcome.SENT and link.opened == 2


@pytest.mark.parametrize("code", [500, 554])
def test_a_5xx_after_the_data_is_permanent(code):
    with Sink(fail_first=1, fail_code=code) as sink:
        link = transport(sink)
        refused = send(link)
    assert refused.outcome is Outcome.PERMANENT and not refused.unreachable
    assert refused.detail.startswith(f"{code} ")


def test_a_refused_recipient_is_permanent_and_the_connection_reused():
    with Sink(refuse={"nobody@example.org"}) as sink:
        link = transport(sink)
        refused = send(link, "nobody@example.org")
        after = send(link)
    assert refused == Result(Outcome.PERMANENT, "550 5.1.1 No such user here")
    assert after.outcome is Outcome.SENT and link.opened == 1
    assert [r.recipients for r in sink.received] == [[TO]]


def test_no_server_is_temporary_and_unreachable():
    link = Transport(EmailBackend(host="127.0.0.1", port=free_port(), timeout=5))
    result = send(link)
    assert result.outcome is Outcome.TEMPORARY and result.unreachable
    assert result.detail.startswith("ConnectionRefusedError: ")
    assert link.opened == 0 and link.backend.connection is None


class Scripted:
    """An SMTP connection that gives the listed replies, in order, and records the calls."""

    def __init__(self, *replies: tuple[int, bytes] | Exception) -> None:
        self.replies = list(replies)
        self.calls: list[str] = []

    def _next(self, call: str) -> tuple[int, bytes]:
        self.calls.append(call)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    def ehlo_or_helo_if_needed(self) -> None:
        self.calls.append("ehlo")

    def mail(self, sender: str) -> tuple[int, bytes]:
        return self._next("mail")

    def rcpt(self, recipient: str) -> tuple[int, bytes]:
        return self._next("rcpt")

    def putcmd(self, command: str) -> None:
        self.calls.append(command)

    def getreply(self) -> tuple[int, bytes]:
        return self._next("reply")

    def send(self, data: bytes) -> None:
        self.calls.append("send")

    def rset(self) -> tuple[int, bytes]:
        return self._next("rset")


class Backend:
    host, port = "mail.example.org", 2525

    def __init__(self, connection: Scripted, *, close_fails: bool = False) -> None:
        self.connection: Any = connection
        self.close_fails = close_fails
        self.closed = 0

    def open(self) -> None:
        raise AssertionError("the connection is open already")

    def close(self) -> None:
        self.closed += 1
        if self.close_fails:
            raise smtplib.SMTPServerDisconnected("gone")
        self.connection = None


def scripted(*replies: tuple[int, bytes] | Exception, close_fails: bool = False) -> Any:
    connection = Scripted(*replies)
    return connection, Backend(connection, close_fails=close_fails)


def test_a_refused_sender_is_answered_without_asking_for_the_recipient():
    connection, backend = scripted((451, b"try later"), (250, b"reset"))
    result = Transport(backend).send(sender=SENDER, recipient=TO, data=b"x")
    assert result == Result(Outcome.TEMPORARY, "451 try later")
    assert connection.calls == ["ehlo", "mail", "rset"] and backend.closed == 0


def test_a_251_recipient_is_accepted_and_a_refused_data_command_answered():
    connection, backend = scripted((250, b"ok"), (251, b"forwarded"), (503, b"no"), (250, b""))
    result = Transport(backend).send(sender=SENDER, recipient=TO, data=b"x")
    assert result == Result(Outcome.PERMANENT, "503 no")
    assert connection.calls == ["ehlo", "mail", "rcpt", "data", "reply", "rset"]


def test_a_421_before_the_data_closes_instead_of_resetting():
    connection, backend = scripted((250, b"ok"), (421, b"closing"))
    result = Transport(backend).send(sender=SENDER, recipient=TO, data=b"x")
    assert result == Result(Outcome.TEMPORARY, "421 closing")
    assert connection.calls == ["ehlo", "mail", "rcpt"] and backend.closed == 1


def test_a_421_to_the_data_command_closes_instead_of_resetting():
    connection, backend = scripted((250, b"ok"), (250, b"ok"), (421, b"closing"))
    result = Transport(backend).send(sender=SENDER, recipient=TO, data=b"x")
    assert result == Result(Outcome.TEMPORARY, "421 closing")
    assert connection.calls == ["ehlo", "mail", "rcpt", "data", "reply"] and backend.closed == 1


def test_the_default_transport_reports_a_missing_server_rather_than_failing_silently(settings):
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    link = Transport()
    result = send(link)
    assert result.outcome is Outcome.TEMPORARY and result.unreachable
    assert link.address == f"127.0.0.1:{settings.EMAIL_PORT}"


def test_a_failed_reset_closes_the_connection():
    gone = smtplib.SMTPServerDisconnected("gone")
    _, backend = scripted((250, b"ok"), (550, b"no such user"), gone)
    result = Transport(backend).send(sender=SENDER, recipient=TO, data=b"x")
    assert result == Result(Outcome.PERMANENT, "550 no such user")
    assert backend.closed == 1 and backend.connection is None


def test_a_close_that_fails_forgets_the_connection():
    gone = smtplib.SMTPServerDisconnected("gone")
    connection, backend = scripted((250, b"ok"), (250, b"ok"), (354, b"go on"), gone)
    backend.close_fails = True
    result = Transport(backend).send(sender=SENDER, recipient=TO, data=b"x")
    assert result == Result(Outcome.IN_DOUBT, "no reply after the message: gone")
    assert backend.connection is None
    assert connection.calls == ["ehlo", "mail", "rcpt", "data", "reply", "send", "reply"]


def test_replies_by_code():
    assert _reply(200, b"ok") == Result(Outcome.SENT, "200 ok")
    assert _reply(250, b"ok") == Result(Outcome.SENT, "250 ok")
    assert _reply(299, "ok") == Result(Outcome.SENT, "299 ok")
    assert _reply(300, "odd").outcome is Outcome.PERMANENT
    assert _reply(199, "odd").outcome is Outcome.PERMANENT
    assert _reply(400, "busy").outcome is Outcome.TEMPORARY
    assert _reply(500, "no").outcome is Outcome.PERMANENT
    assert _reply(-1, "") == Result(Outcome.TEMPORARY, "-1")  # smtplib: the server closed
    assert _reply(550, b"caf\xe9") == Result(Outcome.PERMANENT, "550 caf\ufffd")


def test_the_wire_form_ends_lines_in_crlf_doubles_leading_dots_and_ends_with_a_dot():
    assert _wire(b"a\nb\r\nc\rd") == b"a\r\nb\r\nc\r\nd\r\n.\r\n"
    assert _wire(b".one\n..two\nthree.\n") == b"..one\r\n...two\r\nthree.\r\n.\r\n"
    assert _wire(b"") == b"\r\n.\r\n"
