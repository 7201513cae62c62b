#!/usr/bin/env bash
# The yearly cycle on the demo data, as staff would run it, for the latest demo year:
# review the letter template, make the letters, approve as the publisher (every demo year:
# a year is public only once approved), send every council its letter to the demo's mail
# sink; publication follows on the year's date.
# Every step is idempotent: a re-run sends nothing twice (see docs/cycle.md).
set -euo pipefail
cd "$(dirname "$0")/.."
MANAGE=".venv/bin/python manage.py"
YEARS="${DEMO_YEARS:-2018-19:2024-25}"
LATEST="${YEARS##*:}"
export COUNCILPERF_DEMO=1   # the demo's staff users exist only in the demo

scripts/demo-services.sh start
$MANAGE create_demo_users
# The councils' portal: three councils' officers and approvers and a shared-services officer
# (README), then the latest year opened for complaint-handling returns with synthetic returns,
# self-assessments and replies (all marked synthetic; a re-run changes nothing).
$MANAGE create_demo_council_users
$MANAGE generate_demo_returns --year "$LATEST"
# A publisher reviews each year's letter template (who and when are recorded; below); the demo
# no longer edits template text, so its 2020 letter stays the reference letter word for word.
# An earlier demo appended a line to every template: take it out of a database it touched.
$MANAGE shell -v 0 -c "
from councilperf.letters.models import LetterTemplate
for template in LetterTemplate.objects.select_related('review_year'):
    note = chr(10) * 2 + f'This demonstration letter was reviewed for {template.review_year.year}.'
    if template.body.endswith(note):
        template.body = template.body[: -len(note)]
        template.save()
"
# Every published year's letters exist before anyone asks for them (the site never renders).
$MANAGE generate_letters --year "$YEARS"
# A year is public only once a publisher has approved it and its publication date has come
# (councilperf/published/years.py): every demo year's template is reviewed and the year
# approved; the latest one's letters are sent. An earlier year whose readiness report has a
# problem stays unpublished and the script says why (2018-19: the councils abolished in April
# 2019 have no population in any reference file, and readiness refuses a year with a council
# lacking one); the latest year must be approved.
FROZEN=$($MANAGE shell -v 0 -c "
from councilperf.statistics.models import ReviewYear
print(' '.join(ReviewYear.objects.filter(status='frozen').order_by('year').values_list('year', flat=True)))
")
for year in $FROZEN; do
  $MANAGE review_letter_template --year "$year" --as publisher
  if ! out=$($MANAGE approve_year --year "$year" --as publisher 2>&1); then
    if ! grep -q "already approved" <<<"$out"; then
      [ "$year" = "$LATEST" ] && { echo "$out" >&2; exit 1; }
      echo "$year not approved, so not published in the demo: $out" >&2
      continue
    fi
  fi
  echo "$out"
done
$MANAGE send_letters --year "$LATEST"
echo "Letters of $LATEST are in ${DEMO_MAILBOX:-var/demo-mail.mbox} (read it with: mail -f var/demo-mail.mbox)"
