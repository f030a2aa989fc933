#!/usr/bin/env bash
# Provisions the local servers for the defaults in routes/shared/application.properties:
# starts PostgreSQL, Redis and RabbitMQ when they are down, then creates the PostgreSQL role and
# databases and the RabbitMQ user with rights on its vhost. Idempotent: a second run changes nothing.
set -euo pipefail

DB_USER="${DB_USER:-order_user}"
DB_PASSWORD="${DB_PASSWORD:-order_password}"
DB_NAME="${DB_NAME:-order_process}"
TEST_DB_NAME="${TEST_DB_NAME:-order_process_test}"
RABBITMQ_USER="${RABBITMQ_USER:-order_user}"
RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-order_password}"
RABBITMQ_VHOST="${RABBITMQ_VHOST:-/}"
TEST_RABBITMQ_VHOST="${TEST_RABBITMQ_VHOST:-order_process_test}"
PG_ADMIN=(psql -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -qtA)

log() { printf 'local-setup: %s\n' "$*"; }

wait_for() { # wait_for <what> <seconds> <command...>
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "$what did not come up within ${seconds}s" >&2
  return 1
}

# --- PostgreSQL -------------------------------------------------------------------------------
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  wait_for PostgreSQL 60 pg_isready -h 127.0.0.1 -p 5432 -q
fi

# --- Redis ------------------------------------------------------------------------------------
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis 30 redis-cli -h 127.0.0.1 -p 6379 ping
fi

# --- RabbitMQ ---------------------------------------------------------------------------------
if ! rabbitmq-diagnostics -q check_running >/dev/null 2>&1; then
  log "starting RabbitMQ"
  rabbitmq-server -detached
  wait_for RabbitMQ 120 rabbitmq-diagnostics -q check_running
fi
rabbitmqctl -q await_startup >/dev/null

# --- PostgreSQL role and databases --------------------------------------------------------------
if [ "$("${PG_ADMIN[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '${DB_USER}'")" != "1" ]; then
  log "creating PostgreSQL role ${DB_USER}"
  "${PG_ADMIN[@]}" -c "CREATE ROLE \"${DB_USER}\" LOGIN PASSWORD '${DB_PASSWORD}'"
fi
for db in "$DB_NAME" "$TEST_DB_NAME"; do
  if [ "$("${PG_ADMIN[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '${db}'")" != "1" ]; then
    log "creating database ${db}"
    "${PG_ADMIN[@]}" -c "CREATE DATABASE \"${db}\" OWNER \"${DB_USER}\""
  fi
done

# --- RabbitMQ user and permissions ----------------------------------------------------------------
if ! rabbitmqctl -q list_users | awk '{print $1}' | grep -qx "$RABBITMQ_USER"; then
  log "creating RabbitMQ user ${RABBITMQ_USER}"
  rabbitmqctl -q add_user "$RABBITMQ_USER" "$RABBITMQ_PASSWORD"
  rabbitmqctl -q set_user_tags "$RABBITMQ_USER" monitoring
fi
# the tests' own vhost, as they have a database of their own: what they leave in a queue never reaches a running system
for vhost in "$RABBITMQ_VHOST" "$TEST_RABBITMQ_VHOST"; do
  if ! rabbitmqctl -q list_vhosts | grep -qx -- "$vhost"; then
    log "creating RabbitMQ vhost ${vhost}"
    rabbitmqctl -q add_vhost "$vhost"
  fi
  if ! rabbitmqctl -q list_user_permissions "$RABBITMQ_USER" | awk '{print $1}' | grep -qx -- "$vhost"; then
    log "granting ${RABBITMQ_USER} rights on vhost ${vhost}"
    rabbitmqctl -q set_permissions -p "$vhost" "$RABBITMQ_USER" '.*' '.*' '.*'
  fi
done

log "PostgreSQL, Redis and RabbitMQ are up; ${DB_NAME}/${TEST_DB_NAME} and ${RABBITMQ_USER}@${RABBITMQ_VHOST}/${TEST_RABBITMQ_VHOST} are ready"
