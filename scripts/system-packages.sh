#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing. Safe to re-run.
#   scripts/system-packages.sh runtime   WeasyPrint's libraries and fonts (make demo)
#   scripts/system-packages.sh test      the same, plus Chromium, poppler-utils, wrk, redis-server, Java (vnu) (make test)
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libcairo2 fonts-dejavu-core fonts-liberation2 shared-mime-info)
if [ "${1:-runtime}" = "test" ]; then
  want+=(chromium poppler-utils wrk redis-server default-jre-headless)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
