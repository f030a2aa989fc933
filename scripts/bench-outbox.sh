#!/usr/bin/env bash
# Benchmark of the outbox relay against the broker's own limit, measured in one run on the same machine:
#   1. fills messaging.outbox with N events (one INSERT ... generate_series), dispatcher stopped;
#   2. starts the outbox-dispatcher from the jar and measures the drain: N / (last published_at - first published_at)
#      (so the dispatcher marks rows and keeps them, OUTBOX_RETENTION_SECONDS=3600, where its default deletes them);
#   3. runs RabbitMQ PerfTest on the same broker, just before and just after the drain, with messages of the same
#      shape (body size, properties, the traceparent and ce_* headers), persistent and mandatory, 1 producer, confirms
#      with up to CONFIRM unconfirmed messages, no consumer, PERFTEST_SECONDS each; its figure is the mean of both;
#   4. prints both rates and their ratio, and appends a row to docs/benchmarks.md.
# Targets 127.0.0.1 only. Cleans up after itself: its queues are deleted and its rows leave the outbox.
#
# usage: scripts/bench-outbox.sh [N]      (default 100000)
# settings (environment): DB_URL DB_USER DB_PASSWORD RABBITMQ_USER RABBITMQ_PASSWORD RABBITMQ_VHOST
#   QUEUE_TYPE (classic|quorum, default classic: both sides use it) PERFTEST_SECONDS (10, per run) CONFIRM (500)
#   OUTBOX_* (any dispatcher setting, e.g. OUTBOX_BATCH_SIZE, OUTBOX_WORKERS) DRAIN_TIMEOUT (600 s)
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-100000}"
DB_URL="${DB_URL:-jdbc:postgresql://127.0.0.1:5432/order_process?stringtype=unspecified}"
DB_USER="${DB_USER:-order_user}"
DB_PASSWORD="${DB_PASSWORD:-order_password}"
RABBITMQ_USER="${RABBITMQ_USER:-order_user}"
RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-order_password}"
RABBITMQ_VHOST="${RABBITMQ_VHOST:-/}"
QUEUE_TYPE="${QUEUE_TYPE:-classic}"
PERFTEST_SECONDS="${PERFTEST_SECONDS:-10}"
CONFIRM="${CONFIRM:-500}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-600}"
JAR=app/target/event-stream-orders.jar
EVENT_TYPE=outbox.bench
RELAY_QUEUE=bench.outbox.bench          # the topology entry bench:outbox.bench
PERFTEST_QUEUE=bench-perftest
WORK="$(mktemp -d)"

log() { printf 'bench-outbox: %s\n' "$*" >&2; }
LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$LOAD_BEFORE" 'BEGIN { exit !(l > 1.0) }'; then
  log "warning: load average is $LOAD_BEFORE before the run; other work on this machine will skew both figures"
fi

# --- where: the local servers only ----------------------------------------------------------------
if [[ ! "$DB_URL" =~ ^jdbc:postgresql://(127\.0\.0\.1|localhost):([0-9]+)/([^?]+) ]]; then
  log "DB_URL must point at 127.0.0.1 (got $DB_URL)"; exit 2
fi
PG_PORT="${BASH_REMATCH[2]}"; PG_DB="${BASH_REMATCH[3]}"
psql_() { PGPASSWORD="$DB_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 -qtA "$@"; }
VHOST_ENC="$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$RABBITMQ_VHOST")"
AMQP_URI="amqp://${RABBITMQ_USER}:${RABBITMQ_PASSWORD}@127.0.0.1:5672/${VHOST_ENC}"

DISPATCHER_PID=""
cleanup() {
  if [ -n "$DISPATCHER_PID" ] && kill -0 "$DISPATCHER_PID" 2>/dev/null; then
    kill "$DISPATCHER_PID"; wait "$DISPATCHER_PID" 2>/dev/null || true
  fi
  for q in "$RELAY_QUEUE" "$RELAY_QUEUE.dlq" "$PERFTEST_QUEUE"; do
    rabbitmqctl -q delete_queue -p "$RABBITMQ_VHOST" "$q" >/dev/null 2>&1 || true
  done
  psql_ -c "DELETE FROM messaging.outbox WHERE event_type = '$EVENT_TYPE'" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- what is needed: the jar (built only when missing), PerfTest's classpath, a migrated schema -------
if [ ! -f "$JAR" ]; then
  log "building $JAR"
  ./mvnw -B -q -DskipTests package
fi
./mvnw -B -q -f scripts/perftest/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/perftest.cp" >/dev/null
DB_URL="$DB_URL" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" java -jar "$JAR" migrate >"$WORK/migrate.log" 2>&1 \
  || { cat "$WORK/migrate.log" >&2; exit 1; }
pending="$(psql_ -c "SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL")"
if [ "$pending" != "0" ]; then
  log "messaging.outbox holds $pending unpublished rows of a running system; benchmark on an idle database"; exit 2
fi

# --- 1. fill ------------------------------------------------------------------------------------------
# bodies shaped like order.created (about 400 bytes), 1000 aggregates, a traceparent each
fill_start=$(date +%s.%N)
psql_ -c "
INSERT INTO messaging.outbox (event_id, aggregate_type, aggregate_id, event_type, payload, headers)
SELECT gen_random_uuid(), 'order', 'bench-' || (i % 1000), '$EVENT_TYPE',
       jsonb_build_object('event_id', gen_random_uuid(), 'event_type', 'order.created', 'order_id', gen_random_uuid(),
                          'customer_id', gen_random_uuid(), 'status', 'PENDING', 'currency', 'USD',
                          'total_amount', (i % 500) + 0.99, 'created_at', now(),
                          'items', jsonb_build_array(jsonb_build_object('product_id', gen_random_uuid(), 'sku', 'SKU-' || (i % 97),
                                                                        'quantity', 1 + i % 3, 'unit_price', 12.50))),
       jsonb_build_object('traceparent', '00-' || md5(i::text) || '-' || substr(md5((i * 7)::text), 1, 16) || '-01')
FROM generate_series(1, $N) i" >/dev/null
fill_end=$(date +%s.%N)
BODY_BYTES="$(psql_ -c "SELECT round(avg(octet_length(payload::text))) FROM messaging.outbox WHERE event_type = '$EVENT_TYPE'")"
log "filled $N events (~${BODY_BYTES} bytes each) in $(printf '%.1f' "$(echo "$fill_end - $fill_start" | bc)") s"

# --- 3. the broker's limit: PerfTest, publish with confirms, just before and just after the drain ----------
# the properties and headers the relay puts on each message (non-standard keys become headers)
PROPERTIES="contentType=application/json,type=$EVENT_TYPE,appId=event-stream-orders,messageId=$(cat /proc/sys/kernel/random/uuid)"
PROPERTIES+=",traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01,ce_specversion=1.0"
PROPERTIES+=",ce_id=$(cat /proc/sys/kernel/random/uuid),ce_type=$EVENT_TYPE,ce_source=/event-stream-orders/order"
PROPERTIES+=",ce_subject=bench-1,ce_time=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)"
perftest() { # prints the average sending rate of one PerfTest run
  log "PerfTest: 1 producer, confirms (max $CONFIRM unconfirmed), persistent, ${BODY_BYTES}-byte bodies, $QUEUE_TYPE queue, ${PERFTEST_SECONDS} s"
  timeout $((PERFTEST_SECONDS + 60)) java -cp "$(cat "$WORK/perftest.cp")" com.rabbitmq.perf.PerfTest \
    --uri "$AMQP_URI" --producers 1 --consumers 0 --confirm "$CONFIRM" --flag persistent --flag mandatory \
    --queue "$PERFTEST_QUEUE" --auto-delete false --queue-args "x-queue-type=$QUEUE_TYPE" \
    --size "$BODY_BYTES" --message-properties "$PROPERTIES" --time "$PERFTEST_SECONDS" >"$WORK/perftest.log" 2>&1 \
    || { tail -20 "$WORK/perftest.log" >&2; exit 1; }
  rabbitmqctl -q delete_queue -p "$RABBITMQ_VHOST" "$PERFTEST_QUEUE" >/dev/null
  grep -o 'sending rate avg: [0-9]*' "$WORK/perftest.log" | awk '{print $4}'
}

PERFTEST_BEFORE="$(perftest)"

# --- 2. drain with the dispatcher -----------------------------------------------------------------------
log "starting the outbox-dispatcher ($QUEUE_TYPE queue $RELAY_QUEUE)"
env DB_URL="$DB_URL" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" \
    RABBITMQ_HOST=127.0.0.1 RABBITMQ_USER="$RABBITMQ_USER" RABBITMQ_PASSWORD="$RABBITMQ_PASSWORD" RABBITMQ_VHOST="$RABBITMQ_VHOST" \
    RABBITMQ_QUEUE_TYPE="$QUEUE_TYPE" OUTBOX_TOPOLOGY_QUEUES="bench:$EVENT_TYPE" \
    OUTBOX_RETENTION_SECONDS="${OUTBOX_RETENTION_SECONDS:-3600}" \
    HTTP_PORT="${HTTP_PORT:-18082}" CAMEL_SERVER_HOST=127.0.0.1 \
    java -jar "$JAR" outbox-dispatcher >"$WORK/dispatcher.log" 2>&1 &
DISPATCHER_PID=$!
deadline=$((SECONDS + DRAIN_TIMEOUT))
while :; do
  left="$(psql_ -c "SELECT count(*) FROM messaging.outbox WHERE event_type = '$EVENT_TYPE' AND published_at IS NULL")"
  [ "$left" = "0" ] && break
  if ! kill -0 "$DISPATCHER_PID" 2>/dev/null; then tail -20 "$WORK/dispatcher.log" >&2; log "the dispatcher died"; exit 1; fi
  if [ "$SECONDS" -ge "$deadline" ]; then log "not drained after ${DRAIN_TIMEOUT}s ($left left)"; exit 1; fi
  sleep 0.5
done
read -r DRAIN_SECONDS RELAY_RATE < <(psql_ -F ' ' -c "
SELECT round(extract(epoch FROM max(published_at) - min(published_at))::numeric, 2),
       round(count(*) / nullif(extract(epoch FROM max(published_at) - min(published_at)), 0))
FROM messaging.outbox WHERE event_type = '$EVENT_TYPE'")
kill "$DISPATCHER_PID"; wait "$DISPATCHER_PID" 2>/dev/null || true; DISPATCHER_PID=""
relay_queued="$(rabbitmqctl -q list_queues -p "$RABBITMQ_VHOST" name messages | awk -v q="$RELAY_QUEUE" '$1 == q {print $2}')"
log "relay: $N events drained in ${DRAIN_SECONDS} s = ${RELAY_RATE} events/s (queue $RELAY_QUEUE holds ${relay_queued:-?})"
rabbitmqctl -q delete_queue -p "$RABBITMQ_VHOST" "$RELAY_QUEUE" >/dev/null
rabbitmqctl -q delete_queue -p "$RABBITMQ_VHOST" "$RELAY_QUEUE.dlq" >/dev/null
psql_ -c "DELETE FROM messaging.outbox WHERE event_type = '$EVENT_TYPE'" >/dev/null

PERFTEST_AFTER="$(perftest)"
# on a shared machine the load drifts: the broker's figure is the mean of the runs around the drain
PERFTEST_RATE=$(( (PERFTEST_BEFORE + PERFTEST_AFTER) / 2 ))

# --- 4. report ----------------------------------------------------------------------------------------
RATIO="$(echo "scale=1; 100 * $RELAY_RATE / $PERFTEST_RATE" | bc)"
SETTINGS="$(env | grep -E '^OUTBOX_' | sort | tr '\n' ' ' || true)"
[ "$QUEUE_TYPE" != classic ] && SETTINGS="QUEUE_TYPE=$QUEUE_TYPE $SETTINGS"
COMMAND="scripts/bench-outbox.sh $N${SETTINGS:+ (with ${SETTINGS% })}"
cat <<REPORT
outbox relay benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before the run $LOAD_BEFORE
  events                 $N (${BODY_BYTES}-byte JSON bodies, traceparent + ce_* headers), $QUEUE_TYPE queue
  relay drain            ${RELAY_RATE} events/s  (${DRAIN_SECONDS} s from first to last published_at)
  PerfTest with confirms ${PERFTEST_RATE} msg/s  (mean of ${PERFTEST_BEFORE} before and ${PERFTEST_AFTER} after the drain; same messages, 1 producer, --confirm $CONFIRM, persistent, mandatory, ${PERFTEST_SECONDS} s each)
  relay / PerfTest       ${RATIO} %
REPORT
mkdir -p docs
if [ ! -f docs/benchmarks.md ]; then
  cat >docs/benchmarks.md <<'HEAD'
# Benchmarks

## Outbox relay vs. RabbitMQ PerfTest (`scripts/bench-outbox.sh`)

Rows are appended by the script; each row is one run, both figures measured in that run on the same machine and broker.

| date (UTC) | command | events | queue | load before | relay drain (events/s) | PerfTest with confirms (msg/s) | relay / PerfTest | PerfTest runs |
|---|---|---|---|---|---|---|---|---|
HEAD
fi
echo "| $(date -u +%Y-%m-%d\ %H:%M) | \`$COMMAND\` | $N | $QUEUE_TYPE | $LOAD_BEFORE | $RELAY_RATE | $PERFTEST_RATE | ${RATIO} % | mean of $PERFTEST_BEFORE before and $PERFTEST_AFTER after, same messages |" >>docs/benchmarks.md
log "row appended to docs/benchmarks.md"
