#!/usr/bin/env bash
# Mutation testing of the pure cores and of the code where a mistake costs most: sending,
# the page cache, backups, the API's records (slow: not part of CI or `make test`).
#
#   scripts/mutation.sh                       # every module below, from a clean slate
#   scripts/mutation.sh councilperf/years.py  # only the modules named
#   MUTATION_KEEP=1 scripts/mutation.sh       # keep earlier results: only changed code re-runs
#
# mutmut (config in pyproject.toml, [tool.mutmut]) copies the code into mutants/, makes small
# deliberate bugs in the modules listed there, and runs against each only the tests (listed
# there too) that call the mutated function. Tests that need a database run on SQLite in
# memory (MUTATION_DATABASE_URL to choose another), with tests/settings.py as pytest does. One module at a time, on at most MUTATION_JOBS processes (2 by
# default: the machine is shared). It prints per module the mutants killed, the survivors
# (each with its change), the equivalent ones listed in scripts/mutation-equivalent.txt, the
# score (killed / non-equivalent) and the run time.
set -euo pipefail
cd "$(dirname "$0")/.."

# The modules mutated; each must also be under [tool.mutmut] only_mutate in pyproject.toml.
MODULES=(
  councilperf/years.py
  councilperf/statistics/core
  councilperf/statistics/measures.py
  councilperf/statistics/format.py
  councilperf/casework/codes.py
  councilperf/casework/validation.py
  councilperf/casework/rules.py
  councilperf/casework/cells.py
  councilperf/casework/case_checks.py
  councilperf/authorities/reference/plan.py
  councilperf/letters/wording.py
  councilperf/site/presentation/funnel.py  # its tests: tests/site/test_compare_funnel.py
  # Django modules; their tests: tests/distribution/test_{smtp,roles,preview_links}.py,
  # test_{send_guards,outages,sending,corrections,years_approval}.py and the quick
  # test_{lifecycle,delivering,sending_steps,sending_revisions}.py (scripted transports);
  # tests/serving/test_pagecache*.py and test_backup*.py; tests/api/test_api*.py, test_shape.py,
  # test_pages_of.py and test_embargo.py.
  councilperf/distribution/smtp.py
  councilperf/distribution/roles.py
  councilperf/distribution/preview.py
  councilperf/distribution/lifecycle.py
  councilperf/distribution/delivering.py
  councilperf/distribution/claims.py  # claim before sending, settle after (letters and alerts)
  councilperf/distribution/sending.py
  councilperf/serving/pagecache.py
  councilperf/serving/backup.py
  councilperf/api/shape.py
  councilperf/api/records.py
)
if [ "$#" -gt 0 ]; then MODULES=("$@"); fi

MUTMUT=.venv/bin/mutmut
[ -x "$MUTMUT" ] || { echo "mutmut is missing: .venv/bin/pip install -r requirements/dev.in" >&2; exit 1; }
[ "${MUTATION_KEEP:-0}" = 1 ] || rm -rf mutants
export DATABASE_URL="${MUTATION_DATABASE_URL:-sqlite:///:memory:}"
export DJANGO_SETTINGS_MODULE=tests.settings

started=$(date +%s)
for module in "${MODULES[@]}"; do
  dotted=${module%.py}
  dotted=${dotted//\//.}
  echo "── mutating $module"
  module_start=$(date +%s)
  # mutmut exits non-zero when a mutant survives; the report below says which.
  "$MUTMUT" run --max-children "${MUTATION_JOBS:-2}" "$dotted.*" >"${TMPDIR:-/tmp}/mutation-$$.log" 2>&1 \
    || { grep -q "Stopping early" "${TMPDIR:-/tmp}/mutation-$$.log" && cat "${TMPDIR:-/tmp}/mutation-$$.log" >&2; true; }
  echo "   $(( $(date +%s) - module_start )) s"
done
rm -f "${TMPDIR:-/tmp}/mutation-$$.log"
status=0
.venv/bin/python scripts/mutation_report.py "${MODULES[@]}" || status=$?
echo "Run time: $(( $(date +%s) - started )) s"
exit "$status"
