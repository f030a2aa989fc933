#!/usr/bin/env bash
# The chaos suite: every bundle runs as its own process; under a steady load of POST /orders, one fault at a time:
#   kill -9 of each bundle, then its restart (payment's row is the earlier system's "stop payment under load" demo);
#   a RabbitMQ restart; a PostgreSQL restart; a Redis restart that loses every key.
# After each fault it waits for quiescence (every order terminal, every queue empty) and checks the invariants of
# ARCHITECTURE.md section 7 against the database: every order answered 201 is terminal; exactly one payment per
# order; stock = initial - reserved; one notification per order and kind; the DLQs hold nothing (no poison is
# injected here). It prints a table (fault, orders, lost, duplicated effects, recovery time) and writes it to
# docs/resilience.md.
#
# It RESTARTS the local PostgreSQL, RabbitMQ and Redis: run it on a machine where nothing else uses them.
# Load only to 127.0.0.1, bounded in time; a database and a vhost of its own (order_process_chaos, chaos).
#
# usage: scripts/chaos.sh [RATE] [SECONDS_PER_FAULT]        (default 50 orders/s, 30 s)
#        FAULTS="kill:payment redis" scripts/chaos.sh      (a subset: kill:<bundle>, rabbitmq, postgresql, redis)
set -euo pipefail
cd "$(dirname "$0")/.."

RATE="${1:-50}"
SECONDS_PER_FAULT="${2:-30}"
FAULTS="${FAULTS:-kill:orders-api kill:outbox-dispatcher kill:payment kill:inventory kill:notification kill:aggregator rabbitmq postgresql redis}"
QUIESCENCE_TIMEOUT="${QUIESCENCE_TIMEOUT:-180}"
DB_NAME=order_process_chaos
VHOST=chaos
DB_USER="${DB_USER:-order_user}"
DB_PASSWORD="${DB_PASSWORD:-order_password}"
RABBITMQ_USER="${RABBITMQ_USER:-order_user}"
JAR=app/target/event-stream-orders.jar
OUT="bench-out/chaos-$(date -u +%Y%m%dT%H%M%SZ)"
BUNDLES=(orders-api outbox-dispatcher payment inventory notification aggregator)
declare -A PORT=([orders-api]=18180 [outbox-dispatcher]=18182 [payment]=18183 [inventory]=18184 [notification]=18185 [aggregator]=18181)
declare -A PID=()
mkdir -p "$OUT"

log() { printf 'chaos: %s\n' "$*" >&2; }
psql_() { PGPASSWORD="$DB_PASSWORD" psql -h 127.0.0.1 -U "$DB_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -qtA "$@"; }

start_bundle() {
  local bundle=$1
  env DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB_NAME?stringtype=unspecified" RABBITMQ_VHOST="$VHOST" \
      HTTP_PORT="${PORT[$bundle]}" CAMEL_SERVER_HOST=127.0.0.1 LOG_FORMAT=plain DB_POOL_MAX_SIZE="${DB_POOL_MAX_SIZE:-8}" \
      java -jar "$JAR" "$bundle" >>"$OUT/$bundle.log" 2>&1 &
  PID[$bundle]=$!
}
await_ready() {
  local bundle=$1
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:${PORT[$bundle]}/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  log "$bundle did not become ready"; return 1
}
cleanup() {
  for bundle in "${BUNDLES[@]}"; do
    if [ -n "${PID[$bundle]:-}" ] && kill -0 "${PID[$bundle]}" 2>/dev/null; then kill "${PID[$bundle]}" 2>/dev/null || true; fi
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# --- restarts of the servers, with the commands this kind of machine uses ---------------------------------------
restart_rabbitmq() {
  rabbitmqctl -q stop >/dev/null 2>&1 || true
  sleep 2
  rabbitmq-server -detached
  # the node registers a moment after the command returns
  for _ in $(seq 1 60); do rabbitmq-diagnostics -q check_running >/dev/null 2>&1 && break; sleep 1; done
  rabbitmqctl -q await_startup
}
restart_postgresql() { pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main restart; }
restart_redis() {
  redis-cli -h 127.0.0.1 shutdown nosave >/dev/null 2>&1 || true
  sleep 1
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
}

# --- a fresh database and vhost; every bundle as its own process ---------------------------------------------------
bash scripts/local-setup.sh >/dev/null
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
rabbitmqctl -q add_vhost "$VHOST"
rabbitmqctl -q set_permissions -p "$VHOST" "$RABBITMQ_USER" '.*' '.*' '.*'
[ -f "$JAR" ] || ./mvnw -B -q -DskipTests package
DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB_NAME?stringtype=unspecified" java -jar "$JAR" migrate >"$OUT/migrate.log" 2>&1
for bundle in "${BUNDLES[@]}"; do start_bundle "$bundle"; done
for bundle in "${BUNDLES[@]}"; do await_ready "$bundle"; done
log "every bundle runs as its own process"

not_terminal() { psql_ -c "SELECT count(*) FROM orders.orders WHERE status NOT IN ('COMPLETED', 'REJECTED', 'CANCELLED')"; }
queued() { rabbitmqctl -q list_queues -p "$VHOST" name messages messages_unacknowledged 2>/dev/null | awk '$1 !~ /\.dlq$/ {s += $2 + $3} END {print s + 0}'; }
dead_lettered() { rabbitmqctl -q list_queues -p "$VHOST" name messages 2>/dev/null | awk '$1 ~ /\.dlq$/ {s += $2} END {print s + 0}'; }
unpublished() { psql_ -c "SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL"; }

ROWS="$OUT/rows.txt"
: >"$ROWS"
for fault in $FAULTS; do
  log "fault $fault under $RATE orders/s for ${SECONDS_PER_FAULT} s"
  java -cp "$JAR" org.eventstream.orders.bench.LoadGenerator --url "http://127.0.0.1:${PORT[orders-api]}" --rate "$RATE" \
    --duration "$SECONDS_PER_FAULT" --customers 10 --products 5 --out "$OUT/$fault.load.json" --ids "$OUT/$fault.ids" \
    >/dev/null 2>"$OUT/$fault.load.err" &
  load_pid=$!
  sleep $((SECONDS_PER_FAULT / 3))
  fault_at=$(date +%s)
  case "$fault" in
    kill:*)
      bundle="${fault#kill:}"
      kill -9 "${PID[$bundle]}"; wait "${PID[$bundle]}" 2>/dev/null || true
      sleep 5
      start_bundle "$bundle"; await_ready "$bundle" ;;
    rabbitmq) restart_rabbitmq ;;
    postgresql) restart_postgresql ;;
    redis) restart_redis ;;
    *) log "unknown fault $fault"; exit 2 ;;
  esac
  wait "$load_pid" || true
  # quiescence: every order terminal, nothing queued or unpublished, for 3 s in a row
  quiet=0
  while [ $(( $(date +%s) - fault_at )) -lt "$QUIESCENCE_TIMEOUT" ]; do
    if [ "$(not_terminal)" = "0" ] && [ "$(queued)" = "0" ] && [ "$(unpublished)" = "0" ]; then
      quiet=$((quiet + 1)); [ "$quiet" -ge 3 ] && break
    else
      quiet=0
    fi
    sleep 1
  done
  recovery=$(( $(date +%s) - fault_at - quiet ))
  psql_ -c "DROP TABLE IF EXISTS run_ids" -c "CREATE TABLE run_ids (id uuid)" -c "\copy run_ids FROM '$OUT/$fault.ids'"
  orders="$(psql_ -c "SELECT count(*) FROM run_ids")"
  lost="$(psql_ -c "SELECT count(*) FROM run_ids r LEFT JOIN orders.orders o ON o.id = r.id
                    WHERE o.id IS NULL OR o.status NOT IN ('COMPLETED', 'REJECTED', 'CANCELLED')")"
  # duplicated effects: a payment, a reservation or a notice more than the order's outcome allows, stock that
  # does not match what the completed orders reserved
  duplicated="$(psql_ -c "
    SELECT (SELECT count(*) FROM orders.orders o WHERE (SELECT count(*) FROM payments.payments p WHERE p.order_id = o.id) <> 1)
         + (SELECT count(*) FROM orders.orders o WHERE (SELECT count(*) FROM notifications.notifications n WHERE n.order_id = o.id)
              <> CASE WHEN o.status IN ('COMPLETED', 'REJECTED', 'CANCELLED') THEN 1 ELSE 0 END)
         + (SELECT count(*) FROM catalog.products p WHERE p.stock_available <> 1000000000 - coalesce((
              SELECT sum(i.quantity) FROM orders.order_items i JOIN inventory.reservations r ON r.order_id = i.order_id
              WHERE r.status = 'RESERVED' AND i.product_id = p.id), 0))")"
  dlq="$(dead_lettered)"
  printf '| %s | %s | %s | %s | %s | %s s |\n' "$fault" "$orders" "$lost" "$duplicated" "$dlq" "$recovery" | tee -a "$ROWS" >&2
done

TABLE="| fault | orders answered 201 | lost | duplicated effects | in DLQs | recovery time (fault to quiescence) |
|---|---|---|---|---|---|
$(cat "$ROWS")"
printf '\n%s\n' "$TABLE"
[ -f docs/resilience.md ] || printf '# Resilience\n\nRuns of the chaos suite (`scripts/chaos.sh`) and what they showed. The CI variant is `ChaosIT`.\n' >docs/resilience.md
{
  printf '\n## %s: `FAULTS="%s" scripts/chaos.sh %s %s`\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$FAULTS" "$RATE" "$SECONDS_PER_FAULT"
  printf 'Every bundle as its own process on %s cores; %s orders/s of POST /orders during each fault.\n\n%s\n' "$(nproc)" "$RATE" "$TABLE"
} >>docs/resilience.md
log "table appended to docs/resilience.md; logs in $OUT"
