#!/bin/sh
# One-shot: imports the data views and dashboards (dashboards/*.ndjson, saved-objects _import API) and creates the
# alert rules (dashboards/alerts/<rule id>.json, alerting API) into Kibana. Idempotent: objects are overwritten and
# rules replaced, so a second run changes nothing. Exits non-zero when Kibana refuses anything.
set -eu

KIBANA="${KIBANA_URL:-http://kibana:5601}"
DASHBOARDS="${DASHBOARDS_DIR:-/dashboards}"

echo "kibana-setup: waiting for ${KIBANA}"
until curl -fsS "${KIBANA}/api/status" 2>/dev/null | grep -q '"level":"available"'; do
  sleep 5
done

for file in "${DASHBOARDS}"/*.ndjson; do
  echo "kibana-setup: importing ${file}"
  response=$(curl -sS -X POST "${KIBANA}/api/saved_objects/_import?overwrite=true" -H 'kbn-xsrf: true' \
    --form "file=@${file}")
  case "${response}" in
    *'"success":true'*) ;;
    *) echo "kibana-setup: import of ${file} failed: ${response}" >&2; exit 1 ;;
  esac
done

for file in "${DASHBOARDS}"/alerts/*.json; do
  id=$(basename "${file}" .json)
  echo "kibana-setup: creating rule ${id}"
  curl -sS -o /dev/null -X DELETE "${KIBANA}/api/alerting/rule/${id}" -H 'kbn-xsrf: true' || true
  status=$(curl -sS -o /tmp/rule-response -w '%{http_code}' -X POST "${KIBANA}/api/alerting/rule/${id}" \
    -H 'kbn-xsrf: true' -H 'Content-Type: application/json' --data-binary "@${file}")
  if [ "${status}" != "200" ]; then
    echo "kibana-setup: rule ${id} refused (${status}): $(cat /tmp/rule-response)" >&2
    exit 1
  fi
done

echo "kibana-setup: done; open ${KIBANA_PUBLIC_URL:-http://localhost:5601}/app/dashboards"
