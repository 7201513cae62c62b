#!/usr/bin/env bash
# Makes sure a Redis server answers at 127.0.0.1:6379 (the cache for the test run against
# Redis, and for a production-like demo); starts a throwaway one (no persistence) if not.
set -euo pipefail
port="${REDIS_PORT:-6379}"
if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
  exit 0
fi
command -v redis-server >/dev/null || { echo "redis-server not installed: scripts/system-packages.sh test" >&2; exit 1; }
echo "Starting redis-server on 127.0.0.1:$port"
redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$port" --save "" --appendonly no
for _ in $(seq 50); do
  redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && exit 0
  sleep 0.1
done
echo "redis-server did not answer on 127.0.0.1:$port" >&2
exit 1
