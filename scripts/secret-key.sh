#!/usr/bin/env bash
# The demo's secret key: generated once into var/secret-key (readable by this user only) and
# kept, so sessions survive a restart. A real deployment sets DJANGO_SECRET_KEY instead.
set -euo pipefail
cd "$(dirname "$0")/.."
key=var/secret-key
if [ ! -s "$key" ]; then
  mkdir -p var
  (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' >"$key")
  echo "Generated a secret key in $key"
fi
