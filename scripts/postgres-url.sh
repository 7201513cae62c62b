#!/usr/bin/env bash
# Prints the PostgreSQL DATABASE_URL the test suite should use, or nothing if no server answers.
# Starts the local cluster if it is installed but stopped. REQUIRE_POSTGRES=1 makes absence fatal.
set -uo pipefail
url="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/councilperf}"
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! ready && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for v in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true
  done
  for _ in 1 2 3 4 5 6 7 8 9 10; do ready && break; sleep 1; done
fi
if ready; then
  echo "$url"
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL is required (REQUIRE_POSTGRES=1) but nothing answers at 127.0.0.1:5432" >&2
  exit 1
fi
