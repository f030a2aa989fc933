#!/usr/bin/env bash
# The whole-system benchmark, with the machine's physical limits measured in the same run:
#   1. pgbench of the API's transaction (order + line + timeline + outbox row, one order per commit);
#   2. RabbitMQ PerfTest, publish with confirms (1 producer, persistent);
#   3. the whole system (every bundle in one JVM) under POST /orders at a constant arrival rate (open model,
#      org.eventstream.orders.bench.LoadGenerator), then drained: achieved rate, latency P50/P95/P99/max, errors,
#      end-to-end time (201 -> terminal) P50/P99 from the database, DLQ depth, backlog when the load stops and
#      its trend, orders lost (answered 201 but missing or not terminal after the drain), the JVM's peak RSS, the
#      deadlocks PostgreSQL detected.
# Before anything is measured the system is warmed up at WARMUP_RATE (the first rate measured) for at least
# WARMUP_SECONDS (60) and then until the JIT compilers settle (under JIT_SETTLED_PERCENT, 5 %, of the JVM's CPU in two
# 15 s rounds in a row; at most WARMUP_MAX_SECONDS, 240), and drained; each step reports the JIT's share of the
# JVM's CPU during it. It writes bench-out/<stamp>/report.json and chart.html and appends a row to docs/benchmarks.md.
# --find-ceiling steps the rate up until P99 > 200 ms, errors > 0.1 %, end-to-end P99 > 2 s, the backlog grows or an
# order is lost, and reports the highest rate that held.
# --api-only runs the orders-api bundle alone (no relay, no consumers): the API's own ceiling, to hold against
# pgbench of its transaction; an order then counts as lost when it answered 201 and is not stored.
#
# Everything runs against 127.0.0.1 in a database, a vhost and a Redis database of its own (order_process_bench, bench,
# 2), created or emptied afresh each run; bounded in time; stops by itself.
#
# --compare REV runs git revision REV (built in a worktree under bench-out/) and the working tree's build alternately,
# PAIRS times at one rate, each run on a fresh database and vhost with the same load generator: on a host whose speed
# drifts by a third within an hour, only such side-by-side runs tell what a change bought. It writes
# bench-out/<stamp>/compare.json and appends a row to docs/benchmarks.md; no pgbench or PerfTest then.
# With --compare HEAD, CURRENT_JAVA (a java binary) and CURRENT_JAVA_OPTS apply to the current side only: a JDK or JVM
# flags against the same build, side by side (BENCH_JAVA_OPTS applies to both sides). LOADGEN_JAVA_OPTS are the load
# generator's JVM options (default: C1 only, serial collector).
#
# usage: scripts/bench.sh [--api-only] [RATE] [SECONDS]          (default 300 orders/s for 60 s)
#        scripts/bench.sh [--api-only] --find-ceiling [START] [STEP] [SECONDS]   (default 100, +100, 30 s per step)
#        scripts/bench.sh [--api-only] --compare REV [RATE] [SECONDS] [PAIRS]    (default 60 orders/s, 40 s, 2 pairs)
set -euo pipefail
cd "$(dirname "$0")/.."

ARGS="$*"
MODE=fixed
SCOPE=system
while [ $# -gt 0 ]; do
  case "$1" in
    --find-ceiling) MODE=ceiling; shift ;;
    --api-only) SCOPE=api; shift ;;
    --compare) MODE=compare; BASE_REV="${2:?--compare needs a git revision}"; shift 2 ;;
    *) break ;;
  esac
done
if [ "$MODE" = fixed ]; then
  RATE="${1:-300}"; SECONDS_PER_STEP="${2:-60}"
elif [ "$MODE" = compare ]; then
  RATE="${1:-60}"; SECONDS_PER_STEP="${2:-40}"; PAIRS="${3:-2}"
else
  RATE="${1:-100}"; STEP="${2:-100}"; SECONDS_PER_STEP="${3:-30}"
fi
DB_NAME=order_process_bench
VHOST=bench
# the benchmark's own Redis database: emptied before each run and after the last (millions of idempotency keys
# otherwise stay for their day-long TTL, in the database the tests and a developer's runs use)
REDIS_DB="${BENCH_REDIS_DATABASE:-2}"
DB_USER="${DB_USER:-order_user}"
DB_PASSWORD="${DB_PASSWORD:-order_password}"
RABBITMQ_USER="${RABBITMQ_USER:-order_user}"
RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-order_password}"
HTTP_PORT="${BENCH_HTTP_PORT:-18090}"
PGBENCH_SECONDS="${PGBENCH_SECONDS:-20}"
PGBENCH_CLIENTS="${PGBENCH_CLIENTS:-8}"
PERFTEST_SECONDS="${PERFTEST_SECONDS:-20}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"
# the load generator shares the 2 cores with the system it measures: C1 only and the serial collector cut its CPU by a
# third (1,200 requests at 60/s: 4.6 s of user CPU -> 3.0 s, twice each), which its short runs do not need
LOADGEN_JAVA_OPTS="${LOADGEN_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
JAR=app/target/event-stream-orders.jar
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="bench-out/$STAMP"
DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB_NAME?stringtype=unspecified"
mkdir -p "$OUT"

log() { printf 'bench: %s\n' "$*" >&2; }
psql_() { PGPASSWORD="$DB_PASSWORD" psql -h 127.0.0.1 -U "$DB_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -qtA "$@"; }
LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$LOAD_BEFORE" 'BEGIN { exit !(l > 1.0) }'; then
  log "warning: load average is $LOAD_BEFORE before the run; other work on this machine skews every figure"
fi

APP_PID=""
SAMPLER_PID=""
BASE_DIR=""
cleanup() {
  for pid in "$SAMPLER_PID" "$APP_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  if [ -n "$BASE_DIR" ]; then git worktree remove --force "$BASE_DIR" 2>/dev/null || true; fi
  redis-cli -h 127.0.0.1 -n "$REDIS_DB" FLUSHDB ASYNC >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- a clean database and vhost of the benchmark's own; the jar ----------------------------------------------------
# fresh_servers JAR ROUTES_DIR: an empty database migrated by that build (sql/ beside its routes/), an empty vhost
fresh_servers() {
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
  rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
  rabbitmqctl -q add_vhost "$VHOST"
  rabbitmqctl -q set_permissions -p "$VHOST" "$RABBITMQ_USER" '.*' '.*' '.*'
  redis-cli -h 127.0.0.1 -n "$REDIS_DB" FLUSHDB >/dev/null
  DB_URL="$DB_URL" ROUTES_DIR="$2" java -jar "$1" migrate >"$OUT/migrate.log" 2>&1 || { cat "$OUT/migrate.log" >&2; exit 1; }
}
bash scripts/local-setup.sh >/dev/null
[ -f "$JAR" ] || { log "building $JAR"; ./mvnw -B -q -DskipTests package; }
if [ "$MODE" = compare ]; then
  BASE_DIR="$OUT/base"
  log "building $BASE_REV in $BASE_DIR"
  git worktree add -q --detach "$BASE_DIR" "$BASE_REV"
  (cd "$BASE_DIR" && ./mvnw -B -q -DskipTests package) >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; exit 1; }
fi
[ "$MODE" = compare ] || fresh_servers "$JAR" "$PWD/routes"

# the machine's limits (not in --compare, whose figures are a ratio of two builds on the same host)
PGBENCH_TPS=0
PERFTEST_RATE=0
if [ "$MODE" != compare ]; then
  # --- 1. pgbench: the API's transaction, one order per commit ---------------------------------------------------
  psql_ -c "INSERT INTO catalog.customers (id, name, email) VALUES ('00000000-0000-4000-8000-00000000000c', 'pgbench', 'pgbench@example.com')" \
        -c "INSERT INTO catalog.products (id, sku, name, price, stock_available) VALUES ('00000000-0000-4000-8000-0000000000f0', 'PGBENCH', 'pgbench', 10.00, 1000000000)"
  cat >"$OUT/order.pgbench" <<'SQL'
BEGIN;
SELECT gen_random_uuid() AS oid, gen_random_uuid() AS eid \gset
INSERT INTO orders.orders (id, customer_id, status, total_amount, currency, created_at, updated_at) VALUES (:oid, '00000000-0000-4000-8000-00000000000c', 'PENDING', 20.00, 'USD', now(), now());
INSERT INTO orders.order_items (order_id, line_no, product_id, sku, quantity, unit_price, line_total) VALUES (:oid, 1, '00000000-0000-4000-8000-0000000000f0', 'PGBENCH', 2, 10.00, 20.00);
INSERT INTO orders.order_events (order_id, event_id, type, status, occurred_at) VALUES (:oid, :eid, 'order.created', 'PENDING', now());
INSERT INTO messaging.outbox (event_id, aggregate_type, aggregate_id, event_type, payload, headers) VALUES (:eid, 'order', :oid, 'pgbench.order', '{"order_id":"x","total_amount":20.00,"items":[{"sku":"PGBENCH","quantity":2}]}', '{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}');
END;
SQL
  log "pgbench: $PGBENCH_CLIENTS clients, ${PGBENCH_SECONDS} s of the order + outbox transaction"
  PGPASSWORD="$DB_PASSWORD" pgbench -h 127.0.0.1 -U "$DB_USER" -n -M prepared -c "$PGBENCH_CLIENTS" -j 2 -T "$PGBENCH_SECONDS" \
    -f "$OUT/order.pgbench" "$DB_NAME" >"$OUT/pgbench.txt" 2>&1 || { cat "$OUT/pgbench.txt" >&2; exit 1; }
  PGBENCH_TPS="$(awk '/^tps = / {printf "%d", $3}' "$OUT/pgbench.txt")"
  PGBENCH_LAT="$(awk '/^latency average/ {print $4}' "$OUT/pgbench.txt")"
  psql_ -c "DELETE FROM messaging.outbox WHERE event_type = 'pgbench.order'; DELETE FROM orders.orders WHERE customer_id = '00000000-0000-4000-8000-00000000000c'" >/dev/null
  log "pgbench: $PGBENCH_TPS transactions/s (average latency $PGBENCH_LAT ms)"

  # --- 2. PerfTest: publish with confirms on the same broker ---------------------------------------------------------
  log "PerfTest: 1 producer, confirms (max 500 unconfirmed), persistent, 600-byte bodies, ${PERFTEST_SECONDS} s"
  ./mvnw -B -q -f scripts/perftest/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/perftest.cp" >/dev/null
  timeout $((PERFTEST_SECONDS + 60)) java -cp "$(cat "$OUT/perftest.cp")" com.rabbitmq.perf.PerfTest \
    --uri "amqp://$RABBITMQ_USER:$RABBITMQ_PASSWORD@127.0.0.1:5672/$VHOST" --producers 1 --consumers 0 \
    --confirm 500 --flag persistent --size 600 --queue bench-perftest --auto-delete false \
    --time "$PERFTEST_SECONDS" >"$OUT/perftest.txt" 2>&1 || { tail -20 "$OUT/perftest.txt" >&2; exit 1; }
  PERFTEST_RATE="$(grep -oE 'sending rate avg: [0-9]+' "$OUT/perftest.txt" | awk '{print $4}' | tail -1)"
  rabbitmqctl -q delete_queue -p "$VHOST" bench-perftest >/dev/null 2>&1 || true
  log "PerfTest: $PERFTEST_RATE msg/s"
fi

# --- 3. the system --------------------------------------------------------------------------------------------
BUNDLES=""
[ "$SCOPE" = api ] && BUNDLES=orders-api
queue_depths() { rabbitmqctl -q list_queues -p "$VHOST" name messages 2>/dev/null; }
queued() { queue_depths | awk '$1 !~ /\.dlq$/ && $2 ~ /^[0-9]+$/ {s += $2} END {print s + 0}'; }
dead_lettered() { queue_depths | awk '$1 ~ /\.dlq$/ {s += $2} END {print s + 0}'; }
unpublished() { psql_ -c "SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL"; }
not_terminal() { psql_ -c "SELECT count(*) FROM orders.orders WHERE status NOT IN ('COMPLETED', 'REJECTED', 'CANCELLED')"; }
# what an order answered 201 must be by the end: stored (the API alone), or terminal (the whole system)
if [ "$SCOPE" = api ]; then SETTLED="o.id IS NOT NULL"; else SETTLED="o.status IN ('COMPLETED', 'REJECTED', 'CANCELLED')"; fi

# append_row SECTION ROW_FILE INTRO TABLE_HEADER: the row at the end of that section's table in docs/benchmarks.md
# (the section, its intro and its table header first if it is not there yet), whatever sections follow
append_row() {
  python3 - "$@" <<'PY'
import os, sys
section, row_file, intro, header = sys.argv[1:5]
path = "docs/benchmarks.md"
lines = open(path).read().splitlines() if os.path.exists(path) else ["# Benchmarks"]
if section not in lines:
    lines += ["", section, "", intro, "", header, "|" + "---|" * (header.count("|") - 1)]
at = lines.index(section) + 1
while at < len(lines) and not lines[at].startswith("|"):
    at += 1
while at < len(lines) and lines[at].startswith("|"):
    at += 1
lines.insert(at, open(row_file).read().rstrip("\n"))
open(path, "w").write("\n".join(lines) + "\n")
PY
}

# load_generator ARGS...: the load generator against the system under test
load_generator() {
  # shellcheck disable=SC2086 # LOADGEN_JAVA_OPTS is a list of words
  java $LOADGEN_JAVA_OPTS -cp "$JAR" org.eventstream.orders.bench.LoadGenerator --url "http://127.0.0.1:$HTTP_PORT" "$@"
}

# start_system JAR ROUTES_DIR LOG [JAVA [JAVA_OPTS]]: that build in one JVM, ready, warmed up and drained
start_system() {
  log "starting ${BUNDLES:-every bundle} of $1 in one JVM on 127.0.0.1:$HTTP_PORT (${4:-java} ${BENCH_JAVA_OPTS:-} ${5:-})"
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS, the extra options and BUNDLES are lists of words
  env DB_URL="$DB_URL" RABBITMQ_VHOST="$VHOST" REDIS_DATABASE="$REDIS_DB" HTTP_PORT="$HTTP_PORT" CAMEL_SERVER_HOST=127.0.0.1 LOG_FORMAT=plain ROUTES_DIR="$2" \
    "${4:-java}" ${BENCH_JAVA_OPTS:-} ${5:-} -jar "$1" $BUNDLES >"$3" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null 2>&1 && break
    kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$3" >&2; log "the system died at start"; exit 1; }
    sleep 1
  done
  # warm-up: the JIT compiles the hot paths before anything is measured; then wait for the pipeline to drain.
  # At the (first) rate measured: after a warm-up at 30/s the C2 compiler still took 19 % of the JVM's CPU during a
  # step at 150/s (async-profiler). Until the compilers settle: at 60/s on a slow host they took 21 % of the JVM's CPU
  # in a step after a warm-up of 60 s, and spent 13 % of a core until about 150 s after the start (jstat)
  if [ "$WARMUP_SECONDS" -gt 0 ]; then
    log "warm-up: $WARMUP_RATE orders/s for ${WARMUP_SECONDS}-${WARMUP_MAX_SECONDS} s, until the JIT takes under ${JIT_SETTLED_PERCENT} % of the JVM's CPU (not measured)"
    load_generator --rate "$WARMUP_RATE" --duration "$WARMUP_SECONDS" >/dev/null 2>&1
    # two quiet rounds in a row: jstat counts a compilation's time when it ends, so one quiet round can fall between
    # two long C2 compilations (a run at 02:13 "settled" after one and its first step still had the JIT at 23 %)
    # measured against the JVM's own CPU, not a core: at 40/s 5 % of a core was a quarter of the JVM's CPU (02:18)
    local warmed=$WARMUP_SECONDS quiet=0 cpu_before cpu_after jit_before jit_after
    while [ "$warmed" -lt "$WARMUP_MAX_SECONDS" ] && [ "$quiet" -lt 2 ]; do
      cpu_before=$(jvm_ticks); jit_before=$(jit_seconds)
      load_generator --rate "$WARMUP_RATE" --duration 15 >/dev/null 2>&1
      cpu_after=$(jvm_ticks); jit_after=$(jit_seconds); warmed=$((warmed + 15))
      [ -n "$jit_before" ] && [ -n "$jit_after" ] || break  # no jstat for this JVM: the minimum only
      if awk -v b="$jit_before" -v a="$jit_after" -v cb="$cpu_before" -v ca="$cpu_after" -v limit="$JIT_SETTLED_PERCENT" \
        'BEGIN { exit !(ca > cb && 100 * (a - b) / ((ca - cb) / 100) < limit) }'; then quiet=$((quiet + 1)); else quiet=0; fi
    done
    log "warmed up for ${warmed} s; the JIT compilers have taken $(jit_seconds) s so far"
    for _ in $(seq 1 120); do
      [ "$SCOPE" = api ] || [ "$(not_terminal)" = "0" ] && break
      sleep 1
    done
  fi
}
stop_system() {
  kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
}
WARMUP_SECONDS="${WARMUP_SECONDS:-60}"
WARMUP_MAX_SECONDS="${WARMUP_MAX_SECONDS:-240}"
JIT_SETTLED_PERCENT="${JIT_SETTLED_PERCENT:-5}"
WARMUP_RATE="${WARMUP_RATE:-$RATE}"

# CPU time (clock ticks) the system JVM has used so far
jvm_ticks() {
  awk '{print $14 + $15}' /proc/"$APP_PID"/stat
}
# seconds the system JVM's JIT compilers have spent so far (jstat's Time, all compiler threads); empty if jstat cannot tell
jit_seconds() {
  { jstat -compiler "$APP_PID" 2>/dev/null || true; } | awk 'NR == 2 {print $4}'
}

# CPU time (clock ticks) used so far by the processes pgrep finds with these arguments, their waited-for children included
process_ticks() {
  local sum=0 pid used
  for pid in $(pgrep -d' ' "$@"); do
    used=$(awk '{print $14 + $15 + $16 + $17}' /proc/"$pid"/stat 2>/dev/null)
    sum=$((sum + ${used:-0}))
  done
  echo "$sum"
}
# ... by the whole machine, the system's JVM, PostgreSQL, RabbitMQ, Redis
cpu_ticks() {
  echo "$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat) $(jvm_ticks)" \
       "$(process_ticks -x postgres) $(process_ticks beam.smp) $(process_ticks redis-server)"
}

# messages and batches the consumers have committed so far (consumer_batch_size on GET /metrics; "0 0" for a build
# without batches)
batch_totals() {
  curl -fs "http://127.0.0.1:$HTTP_PORT/metrics" 2>/dev/null \
    | awk '/^consumer_batch_size_sum/ {s += $NF} /^consumer_batch_size_count/ {c += $NF} END {printf "%d %d\n", s, c}'
}

# deadlocks PostgreSQL has detected in the benchmark's database so far (a fresh database each run)
deadlocks() {
  psql_ -c "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
}

# one step: load at a rate, sample the backlog and the RSS meanwhile, drain, measure; prints a JSON object.
# The samples read PostgreSQL only (unpublished outbox rows + orders not yet terminal, which every queued message of an
# order keeps so): one rabbitmqctl costs about half a second of CPU, taken from the system it would measure. The
# broker's queues are read once, when the load stops.
run_step() {
  local rate=$1 seconds=$2 step="$OUT/${3:-rate-$1}"
  mkdir -p "$step"
  ( while :; do
      printf '%s %s %s %s\n' "$(date +%s)" "$(unpublished)" "$(not_terminal)" "$(awk '/VmRSS/ {print $2}' /proc/"$APP_PID"/status)"
      sleep 5
    done ) >"$step/samples.txt" 2>/dev/null &
  SAMPLER_PID=$!
  cpu_ticks >"$step/cpu.txt"
  batch_totals >"$step/batches.txt"
  deadlocks >"$step/deadlocks.txt"
  jit_seconds >"$step/jit.txt"
  load_generator --rate "$rate" --duration "$seconds" --out "$step/load.json" --ids "$step/ids.txt" >/dev/null 2>"$step/load.err"
  local backlog_end; backlog_end="$(( $(unpublished) + $(queued) ))"
  local drain_start=$SECONDS
  while [ "$SCOPE" = system ] && [ "$(not_terminal)" != "0" ] && [ $((SECONDS - drain_start)) -lt "$DRAIN_TIMEOUT" ]; do sleep 1; done
  local drain_seconds=$((SECONDS - drain_start))
  cpu_ticks >>"$step/cpu.txt"
  batch_totals >>"$step/batches.txt"
  sleep 1  # a backend reports its counts to the statistics within a second of going idle
  deadlocks >>"$step/deadlocks.txt"
  jit_seconds >>"$step/jit.txt"
  kill "$SAMPLER_PID"; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
  psql_ -c "CREATE TEMP TABLE run_ids (id uuid)" -c "\copy run_ids FROM '$step/ids.txt'" \
        -c "SELECT json_build_object(
              'answered_201', (SELECT count(*) FROM run_ids),
              'lost', (SELECT count(*) FROM run_ids r LEFT JOIN orders.orders o ON o.id = r.id
                       WHERE NOT coalesce($SETTLED, false)),
              'e2e_p50_ms', (SELECT round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.completed_at - o.created_at)))
                             FROM orders.orders o JOIN run_ids r ON r.id = o.id WHERE o.completed_at IS NOT NULL),
              'e2e_p99_ms', (SELECT round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM o.completed_at - o.created_at)))
                             FROM orders.orders o JOIN run_ids r ON r.id = o.id WHERE o.completed_at IS NOT NULL))" \
        | tail -1 >"$step/db.json"
  python3 - "$step" "$rate" "$backlog_end" "$drain_seconds" "$(dead_lettered)" "$SCOPE" <<'PY'
import json, sys
step, rate, backlog_end, drain, dlq, scope = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
load = json.load(open(f"{step}/load.json"))
db = json.load(open(f"{step}/db.json"))
samples = [list(map(int, l.split())) for l in open(f"{step}/samples.txt") if len(l.split()) == 4]
# CPU milliseconds per order answered, from the start of the load to the end of the drain (ticks are 1/100 s);
# "machine" is every process: the load generator, the sampler and the one rabbitmqctl (~0.5 s) when the load stops included
before, after = [list(map(int, l.split())) for l in open(f"{step}/cpu.txt")][:2]
cpu = {name: round((b - a) * 10 / max(1, load["requests"]), 1)
       for name, a, b in zip(["machine", "system_jvm", "postgresql", "rabbitmq", "redis"], before, after)}
# messages per consumer batch during the step (the consumers' transactions: one per batch)
(messages_before, batches_before), (messages_after, batches_after) = [list(map(int, l.split())) for l in open(f"{step}/batches.txt")][:2]
per_batch = round((messages_after - messages_before) / (batches_after - batches_before), 2) if batches_after > batches_before else None
# deadlocks PostgreSQL detected during the step: each rolled a consumer batch back, redone message by message
deadlocks_before, deadlocks_after = [int(l) for l in open(f"{step}/deadlocks.txt") if l.strip()][:2]
# the JIT compilers' share of the JVM's CPU during the step (jstat; None without it)
jit = [float(l) for l in open(f"{step}/jit.txt") if l.strip()]
jvm_ms = (after[1] - before[1]) * 10
jit_percent = round(100 * (jit[1] - jit[0]) * 1000 / jvm_ms, 1) if len(jit) == 2 and jvm_ms > 0 else None
backlog = [s[1] + s[2] for s in samples]
half = len(backlog) // 2
# growing: the second half of the run holds clearly more than the first
# (the API alone leaves every order pending and every event unpublished: nothing drains there)
growing = scope == "system" and half > 0 and sum(backlog[half:]) / max(1, len(backlog) - half) > 2 * max(1, sum(backlog[:half]) / half) + rate
result = {
    "target_rate": rate, "achieved_rate": load["achieved_rate"], "requests": load["requests"],
    "error_rate": load["error_rate"], "latency_ms": load["latency_ms"], "outcomes": load["outcomes"],
    "e2e_p50_ms": db["e2e_p50_ms"], "e2e_p99_ms": db["e2e_p99_ms"], "lost": db["lost"], "answered_201": db["answered_201"],
    "dlq": dlq, "backlog_at_end": backlog_end, "backlog_samples": backlog, "backlog_growing": bool(growing),
    "drain_seconds": drain, "cpu_ms_per_order": cpu, "messages_per_batch": per_batch,
    "deadlocks": deadlocks_after - deadlocks_before, "jit_percent_of_jvm": jit_percent, "peak_rss_mib": round(max([s[3] for s in samples] or [0]) / 1024),
    # requests over 200 ms by the second of the step they were due in: a stall shows as a few seconds, an overload as most
    "slow_by_second": load.get("slow_by_second", {}),
}
# the bars of ARCHITECTURE.md section 8; end-to-end only where there is a pipeline (not with --api-only)
e2e_ok = scope != "system" or (result["e2e_p99_ms"] is not None and result["e2e_p99_ms"] <= 2000)
result["held"] = (result["latency_ms"]["p99"] <= 200 and result["error_rate"] <= 0.001 and e2e_ok and not growing
                  and result["lost"] == 0)
json.dump(result, open(f"{step}/result.json", "w"), indent=2)
print(json.dumps(result))
PY
}

RESULTS="$OUT/steps.jsonl"
: >"$RESULTS"
if [ "$MODE" = compare ]; then
  # base, current, base, current, ...: each on a fresh database and vhost, the same load generator
  for pair in $(seq 1 "$PAIRS"); do
    for side in base current; do
      if [ "$side" = base ]; then
        jar="$BASE_DIR/$JAR"; routes="$PWD/$BASE_DIR/routes"; java=java; java_opts=""
      else
        jar="$JAR"; routes="$PWD/routes"; java="${CURRENT_JAVA:-java}"; java_opts="${CURRENT_JAVA_OPTS:-}"
      fi
      fresh_servers "$jar" "$routes"
      start_system "$jar" "$routes" "$OUT/app-$side-$pair.log" "$java" "$java_opts"
      log "run $pair of $PAIRS, $side: $RATE orders/s for $SECONDS_PER_STEP s"
      run_step "$RATE" "$SECONDS_PER_STEP" "$side-$pair" \
        | python3 -c 'import json,sys; r = json.load(sys.stdin); r["side"], r["pair"] = sys.argv[1], int(sys.argv[2]); print(json.dumps(r))' \
          "$side" "$pair" >>"$RESULTS"
      stop_system
    done
  done
  CURRENT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- app routes sql || echo ' + uncommitted changes')"
  if [ -n "${CURRENT_JAVA:-}${CURRENT_JAVA_OPTS:-}" ]; then
    CURRENT="$CURRENT on \`$(echo "${CURRENT_JAVA:-java} ${CURRENT_JAVA_OPTS:-}" | xargs)\`"
  fi
  python3 - "$OUT" "scripts/bench.sh $ARGS" "$(git rev-parse --short "$BASE_REV")" "$CURRENT" "$LOAD_BEFORE" <<'PY'
import json, sys, datetime
out, command, base, current, load_before = sys.argv[1:6]
runs = [json.loads(l) for l in open(f"{out}/steps.jsonl") if l.strip()]
def side(name, pick):
    return "/".join(str(pick(r)) for r in runs if r["side"] == name)
def mean(name, pick):
    values = [pick(r) for r in runs if r["side"] == name]
    return sum(values) / max(1, len(values))
figures = {
    "P99 ms": lambda r: r["latency_ms"]["p99"],
    "e2e P99 ms": lambda r: r["e2e_p99_ms"],
    "CPU ms/order machine": lambda r: r["cpu_ms_per_order"]["machine"],
    "JVM": lambda r: r["cpu_ms_per_order"]["system_jvm"],
    "PostgreSQL": lambda r: r["cpu_ms_per_order"]["postgresql"],
    "RabbitMQ": lambda r: r["cpu_ms_per_order"]["rabbitmq"],
    "messages/batch": lambda r: r.get("messages_per_batch"),
    "deadlocks": lambda r: r.get("deadlocks"),
    "JIT % of JVM": lambda r: r.get("jit_percent_of_jvm"),
    "seconds with a request over 200 ms": lambda r: len(r.get("slow_by_second") or {}),
    "lost": lambda r: r["lost"],
}
compare = {"date": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"), "command": command.strip(), "base": base,
           "current": current, "load_average_before": float(load_before), "runs": runs,
           "machine_cpu_current_over_base": round(mean("current", figures["CPU ms/order machine"]) / max(0.001, mean("base", figures["CPU ms/order machine"])), 2),
           "jvm_cpu_current_over_base": round(mean("current", figures["JVM"]) / max(0.001, mean("base", figures["JVM"])), 2)}
json.dump(compare, open(f"{out}/compare.json", "w"), indent=2)
for name, pick in figures.items():
    print(f"{name:>22}: base {side('base', pick):<24} current {side('current', pick)}")
print(f"CPU per order, current / base (means): machine {compare['machine_cpu_current_over_base']}, JVM {compare['jvm_cpu_current_over_base']}")
cells = "; ".join(f"{name} {side('base', pick)} vs {side('current', pick)}" for name, pick in figures.items())
open(f"{out}/row.md", "w").write(
    f"| {compare['date']} | `{compare['command']}` | {base} | {current} | load average before {load_before}; {cells} "
    f"| {compare['machine_cpu_current_over_base']} / {compare['jvm_cpu_current_over_base']} |\n")
PY
  append_row "## Side by side (\`scripts/bench.sh --compare\`)" "$OUT/row.md" \
    "Two builds alternated on the same host within minutes — base, current, base, current — each run on a fresh database and vhost, warmed up, then one rate from the same load generator. Figures per run, base first (a/b vs c/d); the last column is the current build's CPU per order over the base's (machine / JVM, means). CPU from the start of the load to the end of the drain." \
    "| date | command | base | current | runs | CPU current/base |"
  log "report: $OUT/compare.json; row appended to docs/benchmarks.md"
  exit 0
fi
start_system "$JAR" "$PWD/routes" "$OUT/app.log"
if [ "$MODE" = fixed ]; then
  log "load: $RATE orders/s for $SECONDS_PER_STEP s"
  run_step "$RATE" "$SECONDS_PER_STEP" >>"$RESULTS"
else
  rate=$RATE
  while :; do
    log "ceiling step: $rate orders/s for $SECONDS_PER_STEP s"
    run_step "$rate" "$SECONDS_PER_STEP" >>"$RESULTS"
    tail -1 "$RESULTS" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["held"] else 1)' || break
    rate=$((rate + STEP))
  done
fi

# --- report: JSON, chart, a row in docs/benchmarks.md -----------------------------------------------------------
COMMAND="scripts/bench.sh $ARGS"
python3 - "$OUT" "$PGBENCH_TPS" "$PERFTEST_RATE" "$MODE" "$COMMAND" "$(nproc)" "$LOAD_BEFORE" <<'PY'
import json, sys, datetime
out, pgbench, perftest, mode, command, cores, load_before = sys.argv[1:8]
steps = [json.loads(l) for l in open(f"{out}/steps.jsonl") if l.strip()]
held = [s for s in steps if s["held"]]
report = {"date": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"), "command": command.strip(), "mode": mode,
          "cores": int(cores), "load_average_before": float(load_before),
          "pgbench_order_tps": int(pgbench), "perftest_confirmed_msgs_per_s": int(perftest or 0), "steps": steps,
          "ceiling_orders_per_s": max([s["target_rate"] for s in held], default=None)}
json.dump(report, open(f"{out}/report.json", "w"), indent=2)

# chart: latency percentiles per step, and the backlog samples of the last step (inline SVG, no dependencies)
def polyline(values, width, height, color, top):
    if not values:
        return ""
    step = width / max(1, len(values) - 1)
    pts = " ".join(f"{i * step:.1f},{height - (v / top) * height:.1f}" for i, v in enumerate(values))
    return f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{pts}"/>'
lat_top = max([s["latency_ms"]["p99"] for s in steps] + [200]) * 1.1
rows = "".join(f"<tr><td>{s['target_rate']:.0f}</td><td>{s['achieved_rate']}</td><td>{s['latency_ms']['p50']}</td>"
               f"<td>{s['latency_ms']['p95']}</td><td>{s['latency_ms']['p99']}</td><td>{s['latency_ms']['max']}</td>"
               f"<td>{s['error_rate']}</td><td>{s['e2e_p50_ms']}</td><td>{s['e2e_p99_ms']}</td><td>{s['dlq']}</td>"
               f"<td>{s['backlog_at_end']}</td><td>{s['lost']}</td><td>{s['peak_rss_mib']}</td><td>{'yes' if s['held'] else 'no'}</td></tr>"
               for s in steps)
last = steps[-1]
svg_lat = (f'<svg width="640" height="240" style="border:1px solid #ccc">'
           f'<line x1="0" x2="640" y1="{240 - 200 / lat_top * 240:.1f}" y2="{240 - 200 / lat_top * 240:.1f}" stroke="red" stroke-dasharray="4"/>'
           + polyline([s["latency_ms"]["p50"] for s in steps], 640, 240, "#2a7", lat_top)
           + polyline([s["latency_ms"]["p99"] for s in steps], 640, 240, "#c60", lat_top) + "</svg>")
svg_backlog = ('<svg width="640" height="160" style="border:1px solid #ccc">'
               + polyline(last["backlog_samples"], 640, 160, "#36c", max(last["backlog_samples"] + [1]) * 1.1) + "</svg>")
open(f"{out}/chart.html", "w").write(f"""<!doctype html><meta charset="utf-8"><title>Event Stream Orders benchmark {report['date']}</title>
<h1>Benchmark {report['date']}</h1><p><code>{report['command']}</code> on {cores} cores; pgbench of the order transaction:
<b>{pgbench}</b> tps; PerfTest publish with confirms: <b>{perftest}</b> msg/s.</p>
<h2>POST /orders latency by rate (green P50, orange P99, red 200 ms)</h2>{svg_lat}
<h2>Backlog (unpublished outbox rows + orders not yet terminal), every 5 s, last step</h2>{svg_backlog}
<table border="1" cellpadding="4"><tr><th>rate</th><th>achieved</th><th>P50</th><th>P95</th><th>P99</th><th>max</th><th>errors</th>
<th>e2e P50</th><th>e2e P99</th><th>DLQ</th><th>backlog at end</th><th>lost</th><th>RSS MiB</th><th>held</th></tr>{rows}</table>""")

def slow_seconds(step, shown=8):
    """second:requests for the first seconds of the step with a request over 200 ms"""
    slow = list(step["slow_by_second"].items())
    return " ".join(f"{second}:{s['requests']}" for second, s in slow[:shown]) + (f" and {len(slow) - shown} seconds more" if len(slow) > shown else "")
line = (f"| {report['date']} | `{report['command']}` | {pgbench} | {perftest} | load average before {load_before}; "
        + "; ".join(f"{s['target_rate']:.0f}/s: achieved {s['achieved_rate']}, P50/P95/P99/max {s['latency_ms']['p50']}/{s['latency_ms']['p95']}/"
                    f"{s['latency_ms']['p99']}/{s['latency_ms']['max']} ms, errors {s['error_rate']}, e2e P50/P99 {s['e2e_p50_ms']}/{s['e2e_p99_ms']} ms, "
                    f"DLQ {s['dlq']}, backlog {s['backlog_at_end']}{' (growing)' if s['backlog_growing'] else ''}, lost {s['lost']}, RSS {s['peak_rss_mib']} MiB, "
                    f"CPU ms/order {'/'.join(str(v) for v in s['cpu_ms_per_order'].values())}"
                    + (f", {s['messages_per_batch']} messages/batch" if s.get('messages_per_batch') else "")
                    + (f", {s['deadlocks']} deadlocks" if s.get('deadlocks') is not None else "")
                    + (f", JIT {s['jit_percent_of_jvm']} % of the JVM" if s.get('jit_percent_of_jvm') is not None else "")
                    + (f", over 200 ms by second of the step {slow_seconds(s)}" if s.get('slow_by_second') else "")
                    for s in steps)
        + f" | {report['ceiling_orders_per_s'] or 'none'} |")
print(json.dumps(report, indent=2))
open(f"{out}/row.md", "w").write(line + "\n")
PY
append_row "## Whole system under POST /orders (\`scripts/bench.sh\`)" "$OUT/row.md" \
  "Every bundle in one JVM, PostgreSQL, RabbitMQ, Redis and the load generator on the same machine (rows run with \`--api-only\`: the orders-api bundle alone). The load is an open model (constant arrival rate, latency from each request's due time). pgbench: the API's transaction, one order per commit, 8 clients. PerfTest: 1 producer, publisher confirms, persistent 600-byte messages. e2e: 201 to terminal status, from the database. Held: P99 <= 200 ms, errors <= 0.1 %, e2e P99 <= 2 s (since 18:40), no growing backlog, 0 lost. CPU ms/order: CPU time per order of the machine/the system's JVM/PostgreSQL/RabbitMQ/Redis, from the start of the load to the end of the drain (2 cores give 2,000 ms per second)." \
  "| date | command | pgbench order tx/s | PerfTest confirmed msg/s | steps | highest rate that held |"
log "report: $OUT/report.json, $OUT/chart.html; row appended to docs/benchmarks.md"
