#!/usr/bin/env bash
# The yearly cycle on demonstration data, in order. Every step is idempotent, so re-running
# `make demo` is quick: unchanged demo data is not rewritten, frozen years are left alone and
# letters whose statistics and template are unchanged are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
MANAGE=".venv/bin/python manage.py"
YEARS="${DEMO_YEARS:-2018-19:2024-25}"

$MANAGE migrate --noinput -v 0
$MANAGE load_reference_data --years "$YEARS"
$MANAGE generate_demo_data --years "$YEARS"
$MANAGE compute_statistics --all
$MANAGE freeze_statistics --year "$YEARS" --skip-frozen
# Letters of every year (the site serves them, never renders them); the latest year's are
# approved and emailed to the demo's mail sink, as staff would (scripts/demo-cycle.sh).
DEMO_YEARS="$YEARS" scripts/demo-cycle.sh
$MANAGE collectstatic --noinput -v 0
# Publication, as the timer runs it (docs/deployment.md): each public year's review PDF, open
# data and map data, then its pages into the page cache; years already built are skipped.
$MANAGE publish_due
