"""``kill -9`` of the publication job while it sends the alerts, then a re-run: no subscriber
gets an alert twice, every other alert goes, and the one being answered when the process
died is in doubt — listed, never sent again by itself; sent again once when the operator
says why. Then every subscriber has exactly one alert. The subprocesses use their own SQLite
file."""

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

SUBSCRIBERS = 12


def _env(tmp: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'crash.sqlite3'}",
        VAR_DIR=str(tmp / "var"),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        SITE_URL="https://alerts.example",
        DJANGO_SETTINGS_MODULE="tests.settings",  # static files without a manifest
    )
    return env


@pytest.mark.slow
def test_kill_9_mid_round_then_rerun_every_subscriber_has_exactly_one_alert(
    tmp_path: Path,
) -> None:
    root = Path(settings.BASE_DIR)
    manage = [sys.executable, str(root / "manage.py"), "publish_due"]
    with Sink(delay=0.15) as sink:
        env = _env(tmp_path, sink.port)
        seed = [sys.executable, "-m", "tests.alerts.crash_seed", str(SUBSCRIBERS)]
        subprocess.run(seed, cwd=root, env=env, check=True, timeout=300)
        job = subprocess.Popen(
            manage, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 300
        # Kill while the server is answering an alert: its row says "sending".
        while sink.handler.started <= SUBSCRIBERS // 3 and time.monotonic() < deadline:
            assert job.poll() is None, "the publication job ended before the kill"
            time.sleep(0.01)
        job.send_signal(signal.SIGKILL)
        job.wait(timeout=30)
        killed_at = len(sink.received)
        assert 0 < killed_at < SUBSCRIBERS, "the kill must land mid-round"
        time.sleep(0.5)  # let the server finish the message it was answering
        rerun = subprocess.run(
            manage, cwd=root, env=env, capture_output=True, text=True, timeout=300, check=True
        )
        received = Counter(r for item in sink.received for r in item.recipients)
        print(f"killed after {killed_at} alerts; re-run: {rerun.stdout.strip()}")
        assert "Nothing due" in rerun.stdout  # the year was recorded before the alerts went
        sent = SUBSCRIBERS - killed_at - 1
        assert f"Alerts: {sent} sent, 0 refused, 1 in doubt" in rerun.stdout
        assert max(received.values()) == 1, "a subscriber received the alert twice"
        listed = _command(["--in-doubt"], root, env).splitlines()
        # The one being answered when the process died: the server dropped it with the
        # connection (aiosmtpd does), so it is the only subscriber without an alert.
        everyone = {f"reader{n}@example.org" for n in range(SUBSCRIBERS)}
        assert [line.split()[5] for line in listed] == sorted(everyone - set(received))
        again = _command(["--send-again", "The job was killed mid-send."], root, env)
        assert "Alerts: 1 sent" in again
        assert "Alerts: 0 sent" in _command(["--send-again", "Twice?"], root, env)
    received = Counter(r for item in sink.received for r in item.recipients)
    assert set(received) == everyone
    assert max(received.values()) == 1, "a subscriber received the alert twice"
    assert all("List-Unsubscribe" in item.message for item in sink.received)


def _command(args: list[str], root: Path, env: dict[str, str]) -> str:
    manage = [sys.executable, str(root / "manage.py"), "send_alerts", *args]
    done = subprocess.run(
        manage, cwd=root, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout
