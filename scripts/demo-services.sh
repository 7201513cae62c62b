#!/usr/bin/env bash
# The demo's background services: a local mail sink (every letter emailed lands in an mbox
# file) and the task-queue worker for the staff pages' jobs. Safe to re-run.
#   scripts/demo-services.sh start    start whichever is not running (and Redis if need be)
#   scripts/demo-services.sh stop     stop both
#   scripts/demo-services.sh status
# Read the mailbox with `mail -f var/demo-mail.mbox`, mutt -f, or Python's mailbox.mbox.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
RUN="${VAR_DIR:-var}/run"
mkdir -p "$RUN"
PORT="${EMAIL_PORT:-1025}"
MAILBOX="${DEMO_MAILBOX:-var/demo-mail.mbox}"

running() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start() {
  if ! redis-cli -u "${REDIS_URL:-redis://127.0.0.1:6379/0}" ping >/dev/null 2>&1; then
    echo "Starting Redis for the task queue"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 >/dev/null
  fi
  if ! running mail-sink; then
    nohup $PY -m councilperf.distribution.sink --port "$PORT" --mailbox "$MAILBOX" \
      >"$RUN/mail-sink.log" 2>&1 & echo $! >"$RUN/mail-sink.pid"
    for _ in $(seq 50); do grep -q "Mail sink on" "$RUN/mail-sink.log" 2>/dev/null && break; sleep 0.1; done
  fi
  if ! running worker; then
    nohup $PY manage.py run_worker >"$RUN/worker.log" 2>&1 & echo $! >"$RUN/worker.pid"
  fi
  echo "Mail sink on 127.0.0.1:$PORT (mailbox $MAILBOX); worker pid $(cat "$RUN/worker.pid")"
}

stop() {
  for name in worker mail-sink; do
    if running "$name"; then kill "$(cat "$RUN/$name.pid")"; fi
    rm -f "$RUN/$name.pid"
  done
  echo "Demo mail sink and worker stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) for n in mail-sink worker; do running "$n" && echo "$n running" || echo "$n stopped"; done ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
