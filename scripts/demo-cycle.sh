#!/usr/bin/env bash
# The yearly cycle on the demo data, as staff would run it, for the latest demo year:
# review the letter template, make the letters, approve as the publisher, send every
# council its letter to the demo's mail sink; publication follows on the year's date.
# Every step is idempotent: a re-run sends nothing twice (see docs/cycle.md).
set -euo pipefail
cd "$(dirname "$0")/.."
MANAGE=".venv/bin/python manage.py"
YEARS="${DEMO_YEARS:-2018-19:2024-25}"
LATEST="${YEARS##*:}"
export COUNCILPERF_DEMO=1   # the demo's staff users exist only in the demo

scripts/demo-services.sh start
$MANAGE create_demo_users
# Staff edit each year's template in the admin; the demo's stand-in adds a paragraph naming
# the year, so that the readiness report's "template unchanged" check is satisfied honestly.
$MANAGE shell -v 0 -c "
from councilperf.letters import services
from councilperf.statistics.models import ReviewYear
for review_year in ReviewYear.objects.filter(status='frozen').order_by('year'):
    template = services.template_for_year(review_year)
    note = f'This demonstration letter was reviewed for {review_year.year}.'
    if note not in template.body:
        template.body = template.body.rstrip() + chr(10) * 2 + note
        template.save()
"
# Every published year's letters exist before anyone asks for them (the site never renders).
$MANAGE generate_letters --year "$YEARS"
if ! out=$($MANAGE approve_year --year "$LATEST" --as publisher 2>&1); then
  grep -q "already approved" <<<"$out" || { echo "$out" >&2; exit 1; }
fi
echo "$out"
$MANAGE send_letters --year "$LATEST"
echo "Letters of $LATEST are in ${DEMO_MAILBOX:-var/demo-mail.mbox} (read it with: mail -f var/demo-mail.mbox)"
