#!/usr/bin/env bash
# Makes sure a Temporal CLI is available and prints its path on stdout (progress goes to stderr).
# Order: $TEMPORAL_CLI, `temporal` on PATH, .tools/bin/temporal, else build it with Go (a few minutes once).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="v1.5.1" # newest tag whose go.mod has no replace directive, so `go install` works
if [[ -n "${TEMPORAL_CLI:-}" ]]; then
  [[ -x "$TEMPORAL_CLI" ]] || { echo "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable" >&2; exit 1; }
  echo "$TEMPORAL_CLI"; exit 0
fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
local_bin="$root/.tools/bin/temporal"
if [[ -x "$local_bin" ]]; then echo "$local_bin"; exit 0; fi
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
The Temporal CLI is missing and Go is not installed to build it.
Download the release for your platform from https://github.com/temporalio/cli/releases ($version or newer),
put the 'temporal' binary on PATH (or set TEMPORAL_CLI=/path/to/temporal), and run this again.
MSG
  exit 1
fi
echo "Building the Temporal CLI $version with Go into .tools/bin (first time only: 3 to 8 minutes on 2 cores with an empty Go cache)..." >&2
mkdir -p "$root/.tools/bin"
log="$root/.tools/temporal-build.log"
( GOBIN="$root/.tools/bin" GOFLAGS=-mod=mod go install -x "github.com/temporalio/cli/cmd/temporal@$version" >"$log" 2>&1 ) &
pid=$!
start=$SECONDS
while kill -0 "$pid" 2>/dev/null; do
  sleep 15
  pkgs=$(grep -c '^mkdir -p \$WORK/b' "$log" 2>/dev/null || true)
  echo "  ... still building the Temporal CLI: $((SECONDS - start))s, ${pkgs:-0} packages compiled" >&2
done
if ! wait "$pid"; then
  echo "Building the Temporal CLI failed; the last lines of $log:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi
echo "Temporal CLI built in $((SECONDS - start))s: $local_bin" >&2
echo "$local_bin"
