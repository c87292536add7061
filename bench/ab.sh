#!/usr/bin/env bash
# Side-by-side A/B of benchmark settings on a noisy machine: runs `npm run bench` with each variant in
# turn, PAIRS times (A B A B ...), appending every JSON line (tagged with its variant) to OUT.
#   bench/ab.sh OUT PAIRS "BENCH ARGS" "VARIANT A ARGS" "VARIANT B ARGS"
# e.g. bench/ab.sh /tmp/ab.jsonl 3 "--devices 1000 --concurrency 200 --runs 1" "--dev-server none" "--dev-server default"
set -euo pipefail
out=$1 pairs=$2 common=$3 a=$4 b=$5
root="$(cd "$(dirname "$0")/.." && pwd)"
for i in $(seq 1 "$pairs"); do
  for variant in "$a" "$b"; do
    echo "[ab] pair $i/$pairs: $variant" >&2
    # shellcheck disable=SC2086
    # Temporal Core may print warnings on stdout under load: keep only the result line.
    line=$(cd "$root" && npx tsx bench/batch.ts $common $variant | grep '^{"devices"' | tail -1) || echo "[ab] run failed: $variant" >&2
    [[ -n "${line:-}" ]] && printf '{"variant":"%s","pair":%d,"result":%s}\n' "$variant" "$i" "$line" >>"$out"
  done
done
