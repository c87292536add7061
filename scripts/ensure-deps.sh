#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than package-lock.json,
# then makes sure the Temporal CLI exists and the web console is built (dist/console, rebuilt when any
# of its sources is newer). Safe to run on every start.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "Installing npm dependencies..." >&2
  # npm install (not npm ci): npm 11 writes lock files without other platforms' optional packages and
  # then refuses them in npm ci; npm install still installs exactly the locked versions.
  npm install --no-audit --no-fund --loglevel=error >&2
fi
bash scripts/install-temporal.sh >/dev/null
npx tsx src/console/build.ts >&2
