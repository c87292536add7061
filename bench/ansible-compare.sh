#!/usr/bin/env bash
# Ansible beside Flotilla on the same machine, in turns: `ansible all -f FORKS -m command -a true` over an
# inventory of N hosts that are all this machine (ansible_connection=local), then a Flotilla batch of
# `true` over N simulated devices with the same window (npm run bench), ROUNDS times.
#   bench/ansible-compare.sh [N=500] [ROUNDS=3] [FORKS=50]
# Prints one line per measurement ("ansible|flotilla <seconds> s <hosts/s> hosts/s") and the medians.
set -euo pipefail
n=${1:-500} rounds=${2:-3} forks=${3:-50}
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v ansible >/dev/null || { echo "ansible not found (apt-get install -y ansible-core)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
{
  echo "[fleet]"
  for i in $(seq -w 1 "$n"); do echo "host$i"; done
  echo "[fleet:vars]"
  echo "ansible_connection=local"
  echo "ansible_python_interpreter=$(command -v python3)"
} >"$dir/inventory.ini"
export ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_LOAD_CALLBACK_PLUGINS=False
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
: >"$dir/ansible.txt"; : >"$dir/flotilla.txt"
for r in $(seq 1 "$rounds"); do
  echo "[ansible-compare] round $r/$rounds: ansible all -f $forks -m command -a true ($n local hosts)" >&2
  start=$(date +%s.%N)
  ansible all -i "$dir/inventory.ini" -f "$forks" -m command -a true >"$dir/out.txt" 2>&1 || true
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  ok=$(grep -c '| CHANGED |' "$dir/out.txt" || true)
  [[ "$ok" == "$n" ]] || { echo "ansible: only $ok of $n hosts succeeded; last lines:" >&2; tail -5 "$dir/out.txt" >&2; }
  echo "$secs" >>"$dir/ansible.txt"
  printf 'ansible  %.2f s %.1f hosts/s\n' "$secs" "$(echo "$n / $secs" | bc -l)"

  echo "[ansible-compare] round $r/$rounds: flotilla bench, $n devices, window $forks" >&2
  line=$(cd "$root" && npx tsx bench/batch.ts --devices "$n" --concurrency "$forks" --runs 1 --phases flotilla 2>"$dir/bench.err" | grep '^{"devices"' | tail -1) || { tail -5 "$dir/bench.err" >&2; exit 1; }
  secs=$(node -e 'console.log(JSON.parse(process.argv[1]).wallSeconds)' "$line")
  echo "$secs" >>"$dir/flotilla.txt"
  printf 'flotilla %.2f s %.1f hosts/s\n' "$secs" "$(echo "$n / $secs" | bc -l)"
done
for tool in ansible flotilla; do
  m=$(median <"$dir/$tool.txt")
  printf 'median %s: %.2f s, %.1f hosts/s (range %s-%s s over %d rounds)\n' "$tool" "$m" "$(echo "$n / $m" | bc -l)" \
    "$(sort -g "$dir/$tool.txt" | head -1)" "$(sort -g "$dir/$tool.txt" | tail -1)" "$rounds"
done
