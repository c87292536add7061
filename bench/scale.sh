#!/usr/bin/env bash
# The scale table in one session: `npm run bench` (Flotilla beside the bare-SDK reference of the same shape)
# for every fleet size and window, one after another on an otherwise idle machine, then Temporal's own
# cost of the batch shape with and without each design lever (npm run bench:shapes).
#   bench/scale.sh OUT [SIZES="1000 3000 10000"] [WINDOWS="200 1000"]
# Appends one JSON line per measurement to OUT (bench's line, or bench:shapes' lines) and prints a table.
set -euo pipefail
out=$1 sizes=${2:-1000 3000 10000} windows=${3:-200 1000}
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
for n in $sizes; do
  for w in $windows; do
    echo "[scale] $n devices, window $w" >&2
    # Temporal Core may print warnings on stdout under load: keep only the result line.
    npx tsx bench/batch.ts --devices "$n" --concurrency "$w" --phases reference,flotilla --timeout 1800 | grep '^{"devices"' | tail -1 >>"$out" ||
      echo "[scale] $n devices, window $w failed" >&2
  done
done
echo "[scale] Temporal's own cost of the shape, with and without the design levers" >&2
npx tsx bench/temporal-shapes.ts --devices 1000 --windows "${windows// /,}" --runs 2 --shapes today,paced,local,local+paced,shards | grep '^{"shape"' >>"$out" || echo "[scale] shapes failed" >&2
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
  console.log("| devices | window | Flotilla wall | devices/s | bare-SDK wall | temporalRatio | CPU s node + fleet + Temporal | peak RSS MB |");
  for (const r of lines.filter((l) => l.devices && !l.shape)) {
    const c = r.cpuSeconds.flotilla;
    console.log(`| ${r.devices} | ${r.concurrency} | ${r.wallSeconds} s | ${r.devicesPerSecond} | ${r.temporalFloorSeconds} s | ${r.temporalRatio} | ${c.node} + ${c.fleet} + ${c.temporal} | ${r.peakRssMb} |`);
  }
  console.log("\n| shape | window | wall | devices/s | speedup | CPU s node + Temporal |");
  for (const r of lines.filter((l) => l.shape)) console.log(`| ${r.shape} | ${r.window} | ${r.wallSeconds} s | ${r.devicesPerSecond} | ${r.speedup} | ${r.cpuSeconds.node} + ${r.cpuSeconds.temporal} |`);
' "$out"
