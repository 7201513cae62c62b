"""``kill -9`` of a sending process mid-batch, then a re-run: no recipient gets the letter
twice; every recipient got it or is listed as in doubt. The subprocesses use their own
SQLite file (a killed process cannot share the test's transaction)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from django.conf import settings

from councilperf.distribution.sink import Sink

COUNCILS = 4
RECIPIENTS = COUNCILS * 4  # chief executive, link officer, leader, chair of scrutiny


def _env(tmp: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'crash.sqlite3'}",
        VAR_DIR=str(tmp / "var"),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        SEND_BACKOFF_SECONDS="0.01",
        DJANGO_SETTINGS_MODULE="councilperf.settings",
    )
    return env


def test_kill_9_mid_batch_then_rerun_sends_each_letter_at_most_once(tmp_path: Path) -> None:
    root = Path(settings.BASE_DIR)
    manage = [sys.executable, str(root / "manage.py"), "send_letters", "--year", "2019-20"]
    with Sink(delay=0.15) as sink:
        env = _env(tmp_path, sink.port)
        subprocess.run(
            [sys.executable, "-m", "tests.distribution.crash_seed", str(COUNCILS)],
            cwd=root,
            env=env,
            check=True,
            timeout=300,
        )
        sender = subprocess.Popen(
            manage, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        # Kill while the server is answering a message: its row says "sending".
        while sink.handler.started <= RECIPIENTS // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        sender.send_signal(signal.SIGKILL)
        sender.wait(timeout=30)
        killed_at = len(sink.received)
        assert 0 < killed_at < RECIPIENTS, "the kill must land mid-batch"
        time.sleep(0.5)  # let the server finish a message it was answering
        rerun = subprocess.run(
            manage, cwd=root, env=env, capture_output=True, text=True, timeout=300, check=True
        )
    received = Counter(r for item in sink.received for r in item.recipients)
    in_doubt = {
        line.split()[3] for line in rerun.stdout.splitlines() if line.startswith("IN DOUBT")
    }
    print(f"killed after {killed_at} messages; re-run: {rerun.stdout.strip()}")
    assert max(received.values()) == 1, "a recipient received the letter twice"
    assert len(set(received) | in_doubt) == RECIPIENTS
    assert len(in_doubt) == 1  # the one being answered when the process died
