#!/usr/bin/env bash
# Profiles one benchmark run: V8 CPU profiles of the bench process and its threads (it holds the API,
# the workflow worker and the gateway; the fleet, its own process, is not profiled) plus per-thread CPU time of the bench
# process and the Temporal dev server's CPU time, sampled with ps until the run ends.
#   bench/profile.sh OUTDIR [bench args...]   e.g. bench/profile.sh /tmp/prof-w200 --devices 1000 --concurrency 200 --runs 1 --phases flotilla
# Then: npx tsx bench/profile-summary.ts OUTDIR/*.cpuprofile
set -euo pipefail
out=$1; shift
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$out"
cd "$root"
# (--cpu-prof is refused in NODE_OPTIONS: node runs the bench itself, with tsx as a loader.)
node --cpu-prof --cpu-prof-dir="$out" --import tsx bench/batch.ts "$@" >"$out/result.json" 2>"$out/bench.err" &
bench=$!
temporal=""
while kill -0 "$bench" 2>/dev/null; do
  [[ -n "$temporal" ]] || temporal=$(pgrep -P "$bench" -x temporal | head -1 || true)
  if kill -0 "$bench" 2>/dev/null; then
    ps -L -o comm=,time= -p "$bench" >"$out/threads.tmp" 2>/dev/null && mv "$out/threads.tmp" "$out/threads.txt"
    [[ -z "$temporal" ]] || ps -o time= -p "$temporal" >"$out/temporal-cpu.txt" 2>/dev/null || true
  fi
  sleep 2
done
wait "$bench" || echo "bench exited with $?" >&2
# Threads by name, CPU seconds summed (ps TIME is [[dd-]hh:]mm:ss).
awk '{ n=split($NF,t,":"); s=t[n]+60*t[n-1]+(n>2?3600*t[n-2]:0); $NF=""; c[$0]+=s } END { for (k in c) printf "%7d s  %s\n", c[k], k }' \
  "$out/threads.txt" | sort -rn >"$out/threads-summary.txt"
echo "bench process threads (CPU s):"; cat "$out/threads-summary.txt"
echo "temporal dev server CPU: $(cat "$out/temporal-cpu.txt" 2>/dev/null || echo '?')"
cat "$out/result.json"
