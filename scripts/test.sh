#!/usr/bin/env bash
# The test command (npm test): installs what is missing (npm packages, the Temporal CLI, Debian's chromium
# for the browser tests), typechecks, lints, then runs every test against
# real PostgreSQL (DATABASE admin URL below), a real Temporal dev server, real gateways and agents.
# Ends with the line "N passed, N failed" and a non-zero exit when anything failed.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/ensure-deps.sh || exit 1
export TEMPORAL_CLI="${TEMPORAL_CLI:-$(bash scripts/install-temporal.sh)}"
bash scripts/install-chromium.sh || exit 1
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432; set TEST_DATABASE_ADMIN_URL to a server the tests may create databases on." >&2
fi
echo "== typecheck" && npx tsc --noEmit && npx tsc --noEmit -p src/console/app || exit 1
echo "== lint" && npx eslint src test bench || exit 1
mkdir -p .tools
report=.tools/vitest-report.json
rm -f "$report"
echo "== tests"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
if [[ -f "$report" ]]; then
  node -e '
    const r = require(require("path").resolve(process.argv[1]));
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
    if (r.numTotalTests === 0) process.exit(1);
  ' "$report" || status=1
else
  echo "0 passed, 1 failed"
  status=1
fi
exit $status
