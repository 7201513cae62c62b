"""``kill -9`` of ``send_reminders`` mid-round, then a re-run: no recipient gets the round's
reminder twice, every other one goes, and the one being answered when the process died is in
doubt — listed, never sent again by itself; sent again once when the operator says why. Then
every recipient has exactly one reminder of the round. The subprocesses use their own SQLite
file and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from councilperf.distribution.sink import Sink

COUNCILS = 12
YEAR = "2026-27"
SEED = (
    "import django; django.setup(); "
    "from tests.portal.factories_returns import seed_crash_world; seed_crash_world({})"
)


def _env(tmp: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'crash.sqlite3'}",
        VAR_DIR=str(tmp / "var"),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        SITE_URL="https://reminders.example",
        DJANGO_SETTINGS_MODULE="tests.settings",
    )
    return env


def _command(args: list[str], root: Path, env: dict[str, str]) -> str:
    manage = [sys.executable, str(root / "manage.py"), "send_reminders", "--year", YEAR, *args]
    done = subprocess.run(
        manage, cwd=root, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


@pytest.mark.slow
def test_kill_9_mid_round_then_resume_every_recipient_has_exactly_one_reminder(
    tmp_path: Path,
) -> None:
    root = Path(settings.BASE_DIR)
    manage = [sys.executable, str(root / "manage.py"), "send_reminders", "--year", YEAR]
    everyone = {f"officer{n}@example.org" for n in range(COUNCILS)}
    with Sink(delay=0.15) as sink:
        env = _env(tmp_path, sink.port)
        seed = [sys.executable, "-c", SEED.format(COUNCILS)]
        subprocess.run(seed, cwd=root, env=env, check=True, timeout=300)
        job = subprocess.Popen(
            manage, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 300
        # Kill while the server is answering a reminder: its row says "sending".
        while sink.handler.started <= COUNCILS // 3 and time.monotonic() < deadline:
            assert job.poll() is None, "the sending ended before the kill"
            time.sleep(0.01)
        job.send_signal(signal.SIGKILL)
        job.wait(timeout=30)
        killed_at = len(sink.received)
        assert 0 < killed_at < COUNCILS, "the kill must land mid-round"
        time.sleep(0.5)  # let the server finish the message it was answering
        rerun = _command([], root, env)
        received = Counter(r for item in sink.received for r in item.recipients)
        print(f"killed after {killed_at} reminders; re-run: {rerun.strip()}")
        sent = COUNCILS - killed_at - 1
        assert f"Reminders: {sent} sent, 0 refused, 1 in doubt" in rerun
        assert max(received.values()) == 1, "a recipient received the reminder twice"
        # The one being answered when the process died: the server dropped it with the
        # connection, so it is the only recipient without a reminder, and it is listed.
        listed = _command(["--in-doubt"], root, env).splitlines()
        assert [line.split()[-1] for line in listed] == sorted(everyone - set(received))
        assert "Reminders: 0 sent, 0 refused, 0 in doubt" in _command([], root, env)
        again = _command(["--send-again", "The run was killed mid-round."], root, env)
        assert "Reminders: 1 sent" in again
        assert "Reminders: 0 sent" in _command(["--send-again", "Twice?"], root, env)
    received = Counter(r for item in sink.received for r in item.recipients)
    assert set(received) == everyone
    assert max(received.values()) == 1, "a recipient received the reminder twice"
