"""Benchmark: send all 2019-20 letters to a local aiosmtpd, against a bare smtplib baseline.

    .venv/bin/python bench/send_letters.py --database FILE [--crash]

FILE is a SQLite database holding the demo data's 2019-20 year, frozen, with its letters
generated (load_reference_data, generate_demo_data, compute_statistics, freeze_statistics,
generate_letters for 2019-20). It is copied first, so the benchmark never changes it (the
letters as sent go to its folder's sent/). The run approves the year, sends every letter
(send_letters: delivery rows, one reused connection), then sends the same prepared
messages with a bare smtplib loop over one connection, and prints the ratio of throughputs
(goal: at least 0.7). --crash instead kills send_letters with SIGKILL mid-batch, re-runs it
and prints how many recipients got the letter twice (must be 0) and how many are in doubt.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from councilperf.years import ReportingYear

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
GOAL = 0.7


def setup(database: Path, scratch: Path) -> Path:
    copy = scratch / "bench.sqlite3"
    shutil.copy(database, copy)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{copy}",
        VAR_DIR=str(database.resolve().parent),  # where its letters were generated
        DJANGO_SETTINGS_MODULE="councilperf.settings",
        SEND_BACKOFF_SECONDS="0.01",
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)  # never a server's
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from councilperf.distribution import lifecycle

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench-publisher")
    user.groups.add(Group.objects.get(name="publisher"))
    year = lifecycle.review_year_or_error(ReportingYear(2019))
    if lifecycle.cycle_of(year).approved_revision != lifecycle.latest_revision(year):
        lifecycle.approve_year(year=ReportingYear(2019), user=user)
    return copy


def throughput() -> None:
    from django.test import override_settings

    from councilperf.distribution import delivering, sending
    from councilperf.distribution.models import Delivery
    from councilperf.distribution.sink import Sink

    marks: list[float] = []

    def progress(total: int) -> Callable[[str], None]:
        marks.append(time.perf_counter())  # preparation done: the deliveries begin
        return lambda status: None

    with Sink() as sink, override_settings(EMAIL_PORT=sink.port):
        start = time.perf_counter()
        tally = sending.send_letters(year=ReportingYear(2019), user=None, progress=progress)
        end = time.perf_counter()
        ours, prepare = end - marks[0], marks[0] - start
        count = len(sink.received)
        prepared: dict[int, delivering._Prepared] = {}
        messages = []
        for row in Delivery.objects.select_related("letter"):
            if row.letter_id not in prepared:
                prepared[row.letter_id] = delivering._Prepared(row.letter)
            messages.append((row.email, prepared[row.letter_id].data(row)))
        start = time.perf_counter()
        with smtplib.SMTP(sink.host, sink.port) as smtp:
            for recipient, data in messages:
                smtp.sendmail("bench@example.org", [recipient], data)
        bare = time.perf_counter() - start
    ratio = (count / ours) / (len(messages) / bare)
    print(f"preparation (record 343 letters as sent, spreadsheets, emails): {prepare:.2f} s")
    print(f"send_letters: {count} messages ({tally}) in {ours:.2f} s = {count / ours:.0f}/s")
    print(f"bare smtplib: {len(messages)} messages in {bare:.2f} s = {len(messages) / bare:.0f}/s")
    print(f"ratio {ratio:.2f} (goal >= {GOAL}): {'met' if ratio >= GOAL else 'NOT met'}")
    whole = (count / (ours + prepare)) / (len(messages) / bare)
    print(f"end to end, preparation included: ratio {whole:.2f}")


def crash(after: int) -> None:
    from councilperf.distribution.models import Delivery, SentLetter
    from councilperf.distribution.sink import Sink

    manage = [sys.executable, str(ROOT / "manage.py"), "send_letters", "--year", "2019-20"]
    with Sink(delay=0.002) as sink:
        env = dict(os.environ, EMAIL_HOST=sink.host, EMAIL_PORT=str(sink.port))
        sender = subprocess.Popen(manage, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        while sink.handler.started <= after and sender.poll() is None:
            time.sleep(0.001)
        sender.send_signal(signal.SIGKILL)
        sender.wait()
        killed = len(sink.received)
        time.sleep(0.5)
        subprocess.run(manage, cwd=ROOT, env=env, check=True, capture_output=True)
    received = Counter(r for item in sink.received for r in item.recipients)
    rows = Counter(Delivery.objects.values_list("status", flat=True))
    total = Delivery.objects.count()
    twice = sum(1 for n in received.values() if n > 1)
    letters = SentLetter.objects.count()
    print(f"killed after {killed} messages; {total} recipients of {letters} letters")
    print(f"received once: {len(received) - twice}, twice: {twice}; delivery rows: {dict(rows)}")
    covered = len(
        set(received)
        | set(Delivery.objects.filter(status="in_doubt").values_list("email", flat=True))
    )
    print(f"received or listed in doubt: {covered} of {total}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--crash", action="store_true")
    parser.add_argument("--kill-after", type=int, default=500)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        setup(options.database, Path(scratch))
        if options.crash:
            crash(options.kill_after)
        else:
            throughput()


if __name__ == "__main__":
    main()
