#!/usr/bin/env bash
# Flotilla on a production-shaped Temporal, on this machine, everything on 127.0.0.1:
#   the Temporal server (v1.29.1, all four services in one process) on PostgreSQL with several history
#   shards and a dynamic config file, or, for comparison, the CLI's dev server on a SQLite file;
#   two Flotilla workers, two gateways behind a round-robin TCP balancer, and the API on a fresh database.
#
#   bench/cluster.sh up            build what is missing, set up the databases, start everything
#   bench/cluster.sh bench N W...  one `npm run bench` batch of N devices per window W, through the API;
#                                  prints bench's JSON line, the CPU each process used meanwhile and the
#                                  peak resident memory of each process since it started
#   bench/cluster.sh down          stop everything this script started
#   bench/cluster.sh run N W...    up, bench, down
#   bench/cluster.sh crash temporal|postgres N W
#                                  one batch of N devices (bench/cluster/crash-check.ts) during which the Temporal
#                                  server (or the cluster's own PostgreSQL) gets SIGKILL and is started again
#                                  (`kill-restart temporal|postgres`); fails unless the batch succeeded, every
#                                  device has one final status and ran once (fleet journal), no batch is left running
#
# Settings (environment): CLUSTER_TEMPORAL=server|dev (default server), CLUSTER_SHARDS (4; fixed once the
# temporal database exists: keep it equal to NUM_HISTORY_SHARDS in docker-compose.yml), CLUSTER_DIR (state,
# logs; default .data/cluster), CLUSTER_FRESH=1 drops Temporal's databases first.
# PostgreSQL: by default a server of the cluster's own (initdb in CLUSTER_DIR/pg, port 15432,
# max_connections 300: five Flotilla processes open up to 21 connections each and Temporal up to 30,
# more than a shared server's default 100 leaves to others). CLUSTER_PG_PORT=5432 (with CLUSTER_PG_HOST,
# CLUSTER_PG_USER; trust auth) uses a running server instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

TEMPORAL_VERSION=v1.29.1
mode="${CLUSTER_TEMPORAL:-server}"
shards="${CLUSTER_SHARDS:-4}"
dir="${CLUSTER_DIR:-$root/.data/cluster}"
pg_host="${CLUSTER_PG_HOST:-127.0.0.1}"
pg_port="${CLUSTER_PG_PORT:-15432}"
pg_user="${CLUSTER_PG_USER:-postgres}"
private_pg=$([[ -z ${CLUSTER_PG_PORT:-} ]] && echo 1 || echo 0)
pg_bin="${CLUSTER_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
bin="$root/.tools/bin"
namespace=default
flotilla_db=flotilla_cluster
# Ports: Temporal frontend 17233 (history 17234, matching 17235, worker 17239, membership 169xx,
# frontend HTTP 17243), API 18080, gateways 18081 and 18082, their balancer 18090, metrics 19466-19474.
temporal_port=17233
api_port=18080
gateway_ports=(18081 18082)
balancer_port=18090

log() { echo "[cluster] $*" >&2; }
psql_admin() { psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

build() {
  mkdir -p "$bin"
  local name pkg
  for name in server sql; do
    [[ -x "$bin/$name" ]] && continue
    [[ $name == server ]] && pkg=go.temporal.io/server/cmd/server || pkg=go.temporal.io/server/cmd/tools/sql
    log "building $pkg@$TEMPORAL_VERSION into .tools/bin (several minutes the first time)"
    GOBIN="$bin" go install "$pkg@$TEMPORAL_VERSION"
  done
  [[ -x "$bin/temporal" ]] || bash scripts/install-temporal.sh >/dev/null
}

# PostgreSQL's tools refuse to run as root: run them as the postgres user then.
as_postgres() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_private_postgres() {
  local pg="$dir/pg"
  if [[ ! -d $pg/data ]]; then
    mkdir -p "$pg"
    [[ $(id -u) == 0 ]] && chown postgres: "$pg"
    as_postgres "$pg_bin/initdb" -D "$pg/data" -U "$pg_user" -A trust --no-instructions >"$pg/initdb.log"
  fi
  as_postgres "$pg_bin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w start \
    -o "-p $pg_port -k $pg -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
  log "PostgreSQL of its own on 127.0.0.1:$pg_port ($pg)"
}

stop_private_postgres() {
  [[ -f $dir/pg/data/postmaster.pid ]] && as_postgres "$pg_bin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null
  return 0
}

sql_tool() { "$bin/sql" --plugin postgres12 --ep "$pg_host" -p "$pg_port" -u "$pg_user" "$@" >>"$dir/logs/sql-tool.log" 2>&1; }

# Creates (if missing) and brings up to date Temporal's two databases, with the schemas the sql tool embeds.
setup_temporal_databases() {
  local db schema
  mkdir -p "$dir/logs"
  for db in temporal temporal_visibility; do
    [[ ${CLUSTER_FRESH:-0} == 1 ]] && psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    [[ $db == temporal ]] && schema=postgresql/v12/temporal || schema=postgresql/v12/visibility
    if [[ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
      sql_tool --db "$db" create-database
      sql_tool --db "$db" setup-schema -v 0.0
    fi
    sql_tool --db "$db" update-schema --schema-name "$schema"
  done
  log "temporal and temporal_visibility are at the schema version $TEMPORAL_VERSION ships"
}

write_server_config() {
  mkdir -p "$dir/config"
  cat >"$dir/config/cluster.yaml" <<YAML
# Written by bench/cluster.sh. Keys as in the server's config/development-postgres12.yaml; pprof, metrics
# and archival are left out (off).
log:
  stdout: true
  level: warn
persistence:
  numHistoryShards: $shards
  defaultStore: default
  visibilityStore: visibility
  datastores:
    default:
      sql:
        pluginName: postgres12
        databaseName: temporal
        connectAddr: "$pg_host:$pg_port"
        connectProtocol: tcp
        user: "$pg_user"
        maxConns: 20
        maxIdleConns: 20
        maxConnLifetime: 1h
    visibility:
      sql:
        pluginName: postgres12
        databaseName: temporal_visibility
        connectAddr: "$pg_host:$pg_port"
        connectProtocol: tcp
        user: "$pg_user"
        maxConns: 10
        maxIdleConns: 10
        maxConnLifetime: 1h
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:
    rpc: { grpcPort: $temporal_port, membershipPort: 16933, bindOnLocalHost: true, httpPort: 17243 }
  history:
    rpc: { grpcPort: 17234, membershipPort: 16934, bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: 17235, membershipPort: 16935, bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: 17239, membershipPort: 16939, bindOnLocalHost: true }
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:$temporal_port"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "$root/bench/cluster/dynamicconfig.yaml"
  pollInterval: 10s
YAML
}

# Starts a background process in its own session; its pid goes to $dir/pids/NAME, its output to $dir/logs/NAME.log.
spawn() {
  local name=$1
  shift
  mkdir -p "$dir/pids" "$dir/logs"
  setsid "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/pids/$name"
}

wait_for() {
  local what=$1 tries=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    tries=$((tries - 1))
    ((tries > 0)) || { log "gave up waiting for $what"; return 1; }
    sleep 1
  done
}

temporal_cli() { "$bin/temporal" --address "127.0.0.1:$temporal_port" "$@"; }

# The frontend rejects a new search attribute until its cache has it: start (and end) a probe workflow
# carrying every one of Flotilla's attributes until it is accepted.
probe_search_attributes() {
  local args=() name id="cluster-probe-$RANDOM"
  for name in $search_attributes; do args+=(--search-attribute "$name=\"probe\""); done
  temporal_cli workflow start --namespace "$namespace" --task-queue cluster-probe --type probe --workflow-id "$id" "${args[@]}" &&
    temporal_cli workflow terminate --namespace "$namespace" --workflow-id "$id" --reason probe
}

start_temporal_server() {
  spawn temporal "$bin/server" --root "$dir" --config config --env cluster --allow-no-auth start
  wait_for "the Temporal frontend on 127.0.0.1:$temporal_port" 90 temporal_cli operator cluster health
}

start_temporal() {
  if [[ $mode == dev ]]; then
    mkdir -p "$dir/dev"
    local sa=() name
    for name in $search_attributes; do sa+=(--search-attribute "$name=Keyword"); done
    # The same flags as src/temporal/dev-server.ts gives it (WAL, synchronous=normal).
    spawn temporal "$bin/temporal" server start-dev --ip 127.0.0.1 --port "$temporal_port" --headless --log-level warn \
      --namespace "$namespace" --db-filename "$dir/dev/temporal.db" --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal "${sa[@]}"
    wait_for "the Temporal dev server" 60 temporal_cli operator namespace describe --namespace "$namespace"
    return
  fi
  setup_temporal_databases
  write_server_config
  start_temporal_server
  if ! temporal_cli operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
    temporal_cli operator namespace create --namespace "$namespace" --retention 168h
  fi
  # A new namespace reaches the frontend's cache some seconds after it is registered.
  wait_for "namespace $namespace" 60 temporal_cli operator search-attribute list --namespace "$namespace"
  local name
  for name in $search_attributes; do
    if ! temporal_cli operator search-attribute list --namespace "$namespace" | grep -qw "$name"; then
      temporal_cli operator search-attribute create --namespace "$namespace" --name "$name" --type Keyword
    fi
  done
  wait_for "the search attributes to be usable" 120 probe_search_attributes
}

fresh_flotilla_database() {
  psql_admin -c "DROP DATABASE IF EXISTS $flotilla_db WITH (FORCE)"
  psql_admin -c "CREATE DATABASE $flotilla_db"
}

flotilla() {
  local name=$1 entry=$2
  shift 2
  spawn "$name" env "${flotilla_env[@]}" "$@" node --import tsx "src/main/$entry.ts"
}

api_ready() { curl -sf "http://127.0.0.1:$api_port/v1/health"; }

# Waits until a started process logs "ready"; fails at once, with its last lines, if it ends first.
wait_ready() {
  local name=$1 pid tries=300
  pid=$(cat "$dir/pids/$name")
  until grep -q '"msg":"ready"' "$dir/logs/$name.log"; do
    if ! kill -0 "$pid" 2>/dev/null || ((--tries == 0)); then
      log "$name did not start; the end of $dir/logs/$name.log:"
      tail -n 15 "$dir/logs/$name.log" >&2
      return 1
    fi
    sleep 1
  done
}

ports_free() {
  local port busy=0
  for port in "$temporal_port" 17234 17235 17239 17243 16933 16934 16935 16939 "$api_port" "${gateway_ports[@]}" "$balancer_port"; do
    if ss -Hltn "sport = :$port" | grep -q .; then log "port $port is in use"; busy=1; fi
  done
  return "$busy"
}

up() {
  [[ -e "$dir/pids" ]] && [[ -n "$(ls -A "$dir/pids")" ]] && { log "already up (bench/cluster.sh down first)"; return 1; }
  ports_free || return 1
  build
  mkdir -p "$dir"
  [[ $private_pg == 1 ]] && start_private_postgres
  # Flotilla's search attribute names, from their one home (src/workflows/definitions.ts).
  search_attributes=$(node --import tsx -e "console.log(require('./src/workflows/definitions.ts').SEARCH_ATTRIBUTE_REGISTRATIONS.map((s) => s.name).join(' '))")
  echo "$mode" >"$dir/mode"
  start_temporal
  fresh_flotilla_database
  local token
  token="adm_$(openssl rand -hex 16)"
  echo "$token" >"$dir/admin-token"
  chmod 600 "$dir/admin-token"
  flotilla_env=(
    DATABASE_URL="postgres://$pg_user@$pg_host:$pg_port/$flotilla_db"
    TEMPORAL_ADDRESS="127.0.0.1:$temporal_port" TEMPORAL_NAMESPACE="$namespace"
    FLOTILLA_ADMIN_TOKEN="$token" FLOTILLA_SECRET_KEY="$(openssl rand -hex 32)"
    FLOTILLA_BIND_HOST=127.0.0.1 FLOTILLA_LOG_LEVEL="${FLOTILLA_LOG_LEVEL:-info}" FLOTILLA_RATE_LIMIT_RPS=0
    FLOTILLA_DATA_DIR="$dir/flotilla"
  )
  # The API first: it applies the database migrations the others expect.
  # Each process serves its metrics and the Temporal SDK's on ports of its own (1946x).
  flotilla api api FLOTILLA_API_PORT=$api_port FLOTILLA_SDK_METRICS_PORT=19466
  wait_for "the API" 300 api_ready
  flotilla worker-1 worker FLOTILLA_SDK_METRICS_PORT=19467 FLOTILLA_WORKER_METRICS_PORT=19471
  flotilla worker-2 worker FLOTILLA_SDK_METRICS_PORT=19468 FLOTILLA_WORKER_METRICS_PORT=19472
  local i
  for i in 0 1; do
    flotilla "gateway-$((i + 1))" gateway FLOTILLA_GATEWAY_ID="cluster-gw-$((i + 1))" FLOTILLA_GATEWAY_PORT="${gateway_ports[$i]}" \
      FLOTILLA_SDK_METRICS_PORT=$((19469 + i)) FLOTILLA_GATEWAY_METRICS_PORT=$((19473 + i))
  done
  for name in worker-1 worker-2 gateway-1 gateway-2; do wait_ready "$name"; done
  spawn balancer node --import tsx bench/cluster/balancer.ts "$balancer_port" "127.0.0.1:${gateway_ports[0]}" "127.0.0.1:${gateway_ports[1]}"
  log "up ($mode): API http://127.0.0.1:$api_port, gateways ws://127.0.0.1:$balancer_port, Temporal 127.0.0.1:$temporal_port; logs in $dir/logs"
}

down() {
  local f pid
  for f in "$dir"/pids/*; do
    [[ -e $f ]] || continue
    pid=$(cat "$f")
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for f in "$dir"/pids/*; do
    [[ -e $f ]] || continue
    pid=$(cat "$f")
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$f"
  done
  [[ $private_pg == 1 ]] && stop_private_postgres
  rm -f "$dir/admin-token"
  log "down"
}

# CPU ticks (user+system) of each process this script started, and of the PostgreSQL backends serving
# each database of the run: "name pid ticks" lines.
cpu_ticks() {
  local f pid
  for f in "$dir"/pids/*; do
    pid=$(cat "$f")
    [[ -r /proc/$pid/stat ]] && awk -v n="$(basename "$f")" -v p="$pid" '{ print n, p, $14 + $15 }' "/proc/$pid/stat"
  done
  psql_admin -F ' ' -c "SELECT datname, pid FROM pg_stat_activity WHERE datname IN ('temporal', 'temporal_visibility', '$flotilla_db')" |
    while read -r db pid; do
      [[ -r /proc/$pid/stat ]] && awk -v n="postgres:$db" -v p="$pid" '{ print n, p, $14 + $15 }' "/proc/$pid/stat"
    done
  # The whole machine (every core, every user): busy and idle ticks.
  awk '$1 == "cpu" { print "machine:busy", "busy", $2 + $3 + $4 + $7 + $8; print "machine:idle", "idle", $5 + $6 }' /proc/stat
  return 0
}

# Peak resident memory (VmHWM, since the process started) of each process this script started, as JSON members.
peak_rss() {
  local f pid kb out=""
  for f in "$dir"/pids/*; do
    pid=$(cat "$f")
    kb=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    [[ -n "$kb" ]] && out+="${out:+,}\"$(basename "$f")\":$((kb / 1024))"
  done
  echo "$out"
}

bench() {
  local devices=$1
  shift
  [[ -r "$dir/admin-token" ]] || { log "not up"; return 1; }
  local hz window before after start end own ran
  hz=$(getconf CLK_TCK)
  ran=$(cat "$dir/mode")
  for window in "$@"; do
    before=$(cpu_ticks)
    start=$(date +%s.%N)
    FLOTILLA_TOKEN="$(cat "$dir/admin-token")" /usr/bin/time -f '%U %S' -o "$dir/bench-time" \
      node --import tsx bench/batch.ts --devices "$devices" --concurrency "$window" \
      --api "http://127.0.0.1:$api_port" --gateway "ws://127.0.0.1:$balancer_port" || true
    end=$(date +%s.%N)
    after=$(cpu_ticks)
    own=$(tail -n 1 "$dir/bench-time" | awk '{ print $1 + $2 }')
    # CPU seconds per process over the whole bench command (floor, registration, batch); a backend that
    # ended meanwhile is left out, one that started is counted whole. "bench" includes its fleet process.
    awk -v hz="$hz" -v wall="$(echo "$end - $start" | bc)" -v mode="$ran" -v own="$own" -v rss="$(peak_rss)" '
      NR == FNR { before[$2] = $3; next }
      { used[$1] += ($3 - ($2 in before ? before[$2] : 0)) / hz }
      END {
        busy = used["machine:busy"]; idle = used["machine:idle"]; delete used["machine:busy"]; delete used["machine:idle"]
        printf "{\"temporal\":\"%s\",\"benchWallSeconds\":%.1f,\"machineBusyPercent\":%.0f,\"cpuSeconds\":{\"bench\":%.1f", mode, wall, 100 * busy / (busy + idle), own
        for (n in used) printf ",\"%s\":%.1f", n, used[n]
        printf "},\"peakRssMb\":{%s}}\n", rss
      }' <(echo "$before") <(echo "$after")
  done
}

psql_flotilla() { psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$flotilla_db" -v ON_ERROR_STOP=1 -qAt "$@"; }

kill_and_wait() {
  local pid
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "$@"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
}

# SIGKILL to the Temporal server, or to the cluster's PostgreSQL (postmaster and every backend: each backend
# runs in a session of its own), then, 3 s later, the same start as `up`.
kill_restart() {
  local what=$1
  if [[ $what == temporal ]]; then
    [[ $(cat "$dir/mode") == server ]] || { log "kill-restart temporal needs CLUSTER_TEMPORAL=server"; return 1; }
    kill_and_wait "$(cat "$dir/pids/temporal")"
    sleep 3
    start_temporal_server
  elif [[ $what == postgres ]]; then
    [[ $private_pg == 1 ]] || { log "kill-restart postgres needs the cluster's own PostgreSQL"; return 1; }
    local postmaster
    postmaster=$(head -n 1 "$dir/pg/data/postmaster.pid")
    # shellcheck disable=SC2046 # one pid per word
    kill_and_wait "$postmaster" $(ps -o pid= --ppid "$postmaster")
    sleep 3
    start_private_postgres
  else
    log "kill-restart temporal|postgres"
    return 2
  fi
}

crash() {
  local what=$1 devices=$2 window=$3 rc=0 running
  [[ -r "$dir/admin-token" ]] || { log "not up"; return 1; }
  FLOTILLA_TOKEN="$(cat "$dir/admin-token")" node --import tsx bench/cluster/crash-check.ts \
    --api "http://127.0.0.1:$api_port" --gateway "ws://127.0.0.1:$balancer_port" --devices "$devices" --window "$window" \
    --after $((devices / 5)) --crash "bash $root/bench/cluster.sh kill-restart $what" || rc=$?
  running=$(psql_flotilla -c "SELECT count(*) FROM batches WHERE status IN ('running', 'paused')")
  log "crash-check exit $rc; batches left running: $running"
  ((rc == 0 && running == 0))
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  bench) shift; bench "$@" ;;
  crash) shift; crash "$@" ;;
  kill-restart) shift; kill_restart "$@" ;;
  run)
    shift
    trap down EXIT
    up
    bench "$@"
    ;;
  *) sed -n '2,25p' "$0" >&2; exit 2 ;;
esac
