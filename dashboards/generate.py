#!/usr/bin/env python3
"""Writes the Kibana saved objects of dashboards/*.ndjson (Lens panels by value, saved searches, data views).

The NDJSON files are what `docker compose` imports (config/kibana-setup.sh, saved-objects _import API); this script is
how they are kept readable: edit a panel here, run `python3 dashboards/generate.py`, commit both. Field names follow
what the services emit as Metricbeat indexes it (use_types, rate_counters: prometheus.<counter>.rate is the increase
since the previous scrape, prometheus.<histogram>.histogram an Elasticsearch histogram) and the ECS log fields; the
tests check every field against a real scrape and real log lines (ObservabilityIT, DeploymentFilesTest).
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
METRICS, LOGS, TRACES = "eso-metrics", "eso-logs", "eso-traces"
CORE = {"coreMigrationVersion": "8.8.0"}
PANEL_VERSION = "8.11.0"


# --- Lens columns ---------------------------------------------------------------------------------------------------

def date():
    return {"label": "@timestamp", "dataType": "date", "operationType": "date_histogram", "sourceField": "@timestamp",
            "isBucketed": True, "scale": "interval",
            "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False}}


def terms(field, order_by, size=10):
    return {"label": "Top values of " + field, "dataType": "string", "operationType": "terms", "sourceField": field,
            "isBucketed": True, "scale": "ordinal",
            "params": {"size": size, "orderBy": {"type": "column", "columnId": order_by}, "orderDirection": "desc",
                       "otherBucket": True, "missingBucket": False, "parentFormat": {"id": "terms"}}}


def metric(operation, field, label, kql=None, per=None, percentile=None):
    column = {"label": label, "customLabel": True, "dataType": "number", "operationType": operation,
              "sourceField": field, "isBucketed": False, "scale": "ratio", "params": {"emptyAsNull": True}}
    if kql:
        column["filter"] = {"query": kql, "language": "kuery"}
    if per:
        column["timeScale"] = per  # Lens "normalize by unit": the sum per second (s) or minute (m)
    if percentile is not None:
        column["params"] = {"percentile": percentile}
    return column


def ratio_percent(column_id, label, numerator, denominator):
    """A Lens formula `A / B * 100`, stored the way Lens saves one: its parts as hidden columns and a math column."""
    def part(operation, field, kql):
        text = operation + "(" + field + ("" if kql is None else ", kql='" + kql + "'") + ")"
        column = metric(operation, field, "Part of " + label, kql)
        column["params"] = {"emptyAsNull": False}
        return text, column

    text_a, col_a = part(*numerator)
    text_b, col_b = part(*denominator)
    formula = text_a + " / " + text_b + " * 100"
    a, b, m = column_id + "X0", column_id + "X1", column_id + "X2"
    ast = {"type": "function", "name": "multiply",
           "args": [{"type": "function", "name": "divide", "args": [a, b],
                     "location": {"min": 0, "max": len(text_a) + 3 + len(text_b)}, "text": text_a + " / " + text_b},
                    100],
           "location": {"min": 0, "max": len(formula)}, "text": formula}
    math = {"label": "Part of " + label, "customLabel": True, "dataType": "number", "operationType": "math",
            "isBucketed": False, "scale": "ratio", "params": {"tinymathAst": ast}, "references": [a, b]}
    main = {"label": label, "customLabel": True, "dataType": "number", "operationType": "formula", "isBucketed": False,
            "scale": "ratio", "params": {"formula": formula, "isFormulaBroken": False,
                       "format": {"id": "number", "params": {"decimals": 3}}},
            "references": [m]}
    return {a: col_a, b: col_b, m: math, column_id: main}


# --- Lens visualizations ------------------------------------------------------------------------------------------

def xy(title, data_view, metrics, split=None, series="line", query=""):
    """Time series: x = @timestamp, one line per metric column, or per value of `split` (a field) for one metric."""
    layer = "layer1"
    columns, order = {}, []
    if split:
        columns["split"] = terms(split, next(iter(metrics)))
        order.append("split")
    columns["x"] = date()
    order.append("x")
    accessors = []
    for column_id, column in metrics.items():
        if isinstance(column, dict) and column.get("operationType") is None:  # a formula's columns
            columns.update(column)
            order.extend(column.keys())
            accessors.append(column_id)
        else:
            columns[column_id] = column
            order.append(column_id)
            accessors.append(column_id)
    data_layer = {"layerId": layer, "layerType": "data", "seriesType": series, "xAccessor": "x",
                  "accessors": accessors, "position": "top", "showGridlines": False}
    if split:
        data_layer["splitAccessor"] = "split"
    visualization = {"legend": {"isVisible": True, "position": "right"}, "valueLabels": "hide",
                     "fittingFunction": "None", "preferredSeriesType": series, "layers": [data_layer],
                     "axisTitlesVisibilitySettings": {"x": False, "yLeft": True, "yRight": True},
                     "yLeftExtent": {"mode": "full"}}
    return lens(title, "lnsXY", data_view, layer, columns, order, visualization, query)


def single_value(title, data_view, column_id, columns, query=""):
    layer = "layer1"
    visualization = {"layerId": layer, "layerType": "data", "metricAccessor": column_id}
    return lens(title, "lnsMetric", data_view, layer, columns, list(columns.keys()), visualization, query)


def lens(title, kind, data_view, layer, columns, order, visualization, query):
    return {"title": title, "visualizationType": kind, "type": "lens",
            "references": [{"type": "index-pattern", "id": data_view, "name": "indexpattern-datasource-layer-" + layer}],
            "state": {"visualization": visualization, "query": {"query": query, "language": "kuery"}, "filters": [],
                      "datasourceStates": {"formBased": {"layers": {layer: {"columns": columns, "columnOrder": order,
                                                                             "incompleteColumns": {}}}},
                                           "textBased": {"layers": {}}},
                      "internalReferences": [], "adHocDataViews": {}}}


# --- saved objects ---------------------------------------------------------------------------------------------------

def data_view(object_id, title, name):
    return {"type": "index-pattern", "id": object_id, **CORE, "typeMigrationVersion": "8.0.0", "references": [],
            "attributes": {"title": title, "name": name, "timeFieldName": "@timestamp"}}


def saved_search(object_id, title, data_view_id, columns, query):
    source = {"query": {"query": query, "language": "kuery"}, "filter": [],
              "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"}
    return {"type": "search", "id": object_id, **CORE, "typeMigrationVersion": "7.9.3",
            "references": [{"type": "index-pattern", "id": data_view_id,
                            "name": "kibanaSavedObjectMeta.searchSourceJSON.index"}],
            "attributes": {"title": title, "description": "", "hits": 0, "columns": columns,
                           "sort": [["@timestamp", "desc"]], "version": 1,
                           "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source)}}}


def markdown(object_id, title, text):
    vis = {"title": title, "type": "markdown", "aggs": [],
           "params": {"fontSize": 12, "openLinksInNewTab": False, "markdown": text}}
    return {"type": "visualization", "id": object_id, **CORE, "typeMigrationVersion": "7.14.0", "references": [],
            "attributes": {"title": title, "description": "", "version": 1, "uiStateJSON": "{}",
                           "visState": json.dumps(vis),
                           "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
                               {"query": {"query": "", "language": "kuery"}, "filter": []})}}}


def dashboard(object_id, title, description, panels):
    """panels: (width, height, lens attributes | saved object) in reading order, laid out left to right on 48 columns."""
    panels_json, references, x, y, row_height = [], [], 0, 0, 0
    for index, (width, height, content) in enumerate(panels, start=1):
        if x + width > 48:
            x, y, row_height = 0, y + row_height, 0
        panel_id = "p" + str(index)
        grid = {"x": x, "y": y, "w": width, "h": height, "i": panel_id}
        if content.get("type") == "lens":
            panels_json.append({"version": PANEL_VERSION, "type": "lens", "gridData": grid, "panelIndex": panel_id,
                                "embeddableConfig": {"attributes": content, "enhancements": {}},
                                "title": content["title"]})
            for reference in content["references"]:
                references.append({**reference, "name": panel_id + ":" + reference["name"]})
        else:
            panels_json.append({"version": PANEL_VERSION, "type": content["type"], "gridData": grid,
                                "panelIndex": panel_id, "embeddableConfig": {"enhancements": {}},
                                "panelRefName": "panel_" + panel_id})
            references.append({"type": content["type"], "id": content["id"], "name": panel_id + ":panel_" + panel_id})
        x += width
        row_height = max(row_height, height)
    return {"type": "dashboard", "id": object_id, **CORE, "typeMigrationVersion": "8.7.0", "references": references,
            "attributes": {"title": title, "description": description, "version": 1, "timeRestore": True,
                           "timeFrom": "now-15m", "timeTo": "now", "refreshInterval": {"pause": False, "value": 10000},
                           "optionsJSON": json.dumps({"useMargins": True, "syncColors": False, "syncCursor": True,
                                                      "syncTooltips": False, "hidePanelTitles": False}),
                           "panelsJSON": json.dumps(panels_json),
                           "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
                               {"query": {"query": "", "language": "kuery"}, "filter": []})}}}


# --- the dashboards --------------------------------------------------------------------------------------------------

P = "prometheus."
RESPONSES = P + "http_server_responses_total.rate"
LATENCY = P + "http_server_requests_seconds.histogram"
CONSUMED = P + "consumer_messages_total.rate"
APP, QUEUE, OUTCOME = P + "labels.application", P + "labels.queue", P + "labels.outcome"
POST_ORDERS = P + 'labels.uri : "/orders" and ' + P + 'labels.method : "POST"'
ORDERS = P + "orders_total.rate"
TERMINAL = P + 'labels.status : ("COMPLETED" or "REJECTED" or "CANCELLED")'
E2E = P + "orders_processing_time_seconds.histogram"


def percentiles(field):
    return {"p50": metric("percentile", field, "P50", percentile=50),
            "p95": metric("percentile", field, "P95", percentile=95),
            "p99": metric("percentile", field, "P99", percentile=99)}


performance = dashboard("eso-dashboard-performance", "Event Stream Orders · Performance",
    "Throughput, latency percentiles and error rate of every service (Prometheus metrics via Metricbeat); "
    "targets: P99 <= 200 ms, errors <= 0.1 %.", [
        (24, 12, xy("Throughput by service (requests/s)", METRICS,
                    {"rps": metric("sum", RESPONSES, "requests/s", per="s")}, split=APP)),
        (24, 12, xy("POST /orders latency P50 / P95 / P99 (s; target P99 0.2 s)", METRICS, percentiles(LATENCY),
                    query=POST_ORDERS)),
        (24, 12, xy("Error rate by service (% of responses that are 5xx; target 0.1 %)", METRICS,
                    {"errors": ratio_percent("errors", "5xx %", ("sum", RESPONSES, OUTCOME + ' : "SERVER_ERROR"'),
                                             ("sum", RESPONSES, None))}, split=APP)),
        (24, 12, xy("Responses by status (per s)", METRICS,
                    {"rps": metric("sum", RESPONSES, "responses/s", per="s")}, split=P + "labels.status",
                    series="bar_stacked")),
        (24, 12, xy("Latency P99 by operation (s)", METRICS, {"p99": metric("percentile", LATENCY, "P99", percentile=99)},
                    split=P + "labels.uri")),
        (24, 12, xy("Messages consumed by queue (per s)", METRICS,
                    {"mps": metric("sum", CONSUMED, "messages/s", kql=OUTCOME + ' : "consumed"', per="s")}, split=QUEUE)),
        (24, 12, xy("Outbox: backlog (rows) and oldest unpublished row (s)", METRICS,
                    {"backlog": metric("max", P + "outbox_backlog.value", "backlog (rows)"),
                     "age": metric("max", P + "outbox_oldest_age_seconds.value", "oldest age (s)")})),
        (24, 12, xy("Outbox relay: events published per s", METRICS,
                    {"published": metric("sum", P + "outbox_published_total.rate", "events/s", per="s")}, split=APP)),
        (24, 12, xy("JVM heap used by service (bytes)", METRICS,
                    {"heap": metric("max", P + "jvm_memory_used_bytes.value", "heap used",
                                    kql=P + 'labels.area : "heap"')}, split=APP)),
        (24, 12, xy("Process CPU by service", METRICS,
                    {"cpu": metric("max", P + "process_cpu_usage.value", "CPU (0-1)")}, split=APP)),
    ])

rabbitmq = dashboard("eso-dashboard-rabbitmq", "Event Stream Orders · RabbitMQ",
    "Queues of the events exchange (Metricbeat rabbitmq module) and what the services publish, consume and "
    "dead-letter (their Prometheus metrics); target: DLQ <= 0.1 % of messages.", [
        (24, 12, xy("Ready messages by queue", METRICS,
                    {"ready": metric("max", "rabbitmq.queue.messages.ready.count", "ready")}, split="rabbitmq.queue.name",
                    query='metricset.name : "queue"')),
        (24, 12, xy("Unacknowledged messages by queue", METRICS,
                    {"unacked": metric("max", "rabbitmq.queue.messages.unacknowledged.count", "unacked")},
                    split="rabbitmq.queue.name", query='metricset.name : "queue"')),
        (24, 12, xy("Publish rate into the events exchange (per s)", METRICS,
                    {"in": metric("max", "rabbitmq.exchange.messages.publish_in.details.rate", "published/s")},
                    split="rabbitmq.exchange.name", query='rabbitmq.exchange.name : "events"')),
        (24, 12, xy("Acks: messages consumed by queue (per s)", METRICS,
                    {"acked": metric("sum", CONSUMED, "acked/s", kql=OUTCOME + ' : ("consumed" or "duplicate")',
                                     per="s")}, split=QUEUE)),
        (24, 12, xy("Dead-letter queue depth", METRICS,
                    {"dlq": metric("max", "rabbitmq.queue.messages.total.count", "messages")},
                    split="rabbitmq.queue.name", query='rabbitmq.queue.name : *.dlq', series="bar_stacked")),
        (24, 12, xy("Dead-lettered and failed deliveries by queue (per min)", METRICS,
                    {"dead": metric("sum", CONSUMED, "dead-lettered/min", kql=OUTCOME + ' : "dead_lettered"', per="m"),
                     "failed": metric("sum", CONSUMED, "failed attempts/min", kql=OUTCOME + ' : "failed"', per="m")})),
        (24, 12, xy("Dead-lettered (% of messages; target 0.1 %)", METRICS,
                    {"dlqshare": ratio_percent("dlqshare", "dead-lettered %",
                                               ("sum", CONSUMED, OUTCOME + ' : "dead_lettered"'),
                                               ("sum", CONSUMED, OUTCOME + ' : ("consumed" or "duplicate" or "dead_lettered")'))})),
        (24, 12, xy("Consumers by queue", METRICS,
                    {"consumers": metric("max", "rabbitmq.queue.consumers.count", "consumers")},
                    split="rabbitmq.queue.name", query='metricset.name : "queue"')),
    ])

business = dashboard("eso-dashboard-business", "Event Stream Orders · Business",
    "Orders by status, revenue, success rate and end-to-end time (orders-api's Prometheus metrics); "
    "target: end to end P99 <= 2 s.", [
        (16, 8, single_value("Orders placed", METRICS, "placed",
                             {"placed": metric("sum", ORDERS, "orders placed", kql=P + 'labels.status : "PENDING"')})),
        (16, 8, single_value("Revenue (completed orders)", METRICS, "revenue",
                             {"revenue": metric("sum", P + "orders_revenue_total.rate", "revenue")})),
        (16, 8, single_value("Success rate (% of ended orders completed)", METRICS, "success",
                             ratio_percent("success", "completed %",
                                           ("sum", ORDERS, P + 'labels.status : "COMPLETED"'), ("sum", ORDERS, TERMINAL)))),
        (24, 12, xy("Orders by status (per min)", METRICS,
                    {"orders": metric("sum", ORDERS, "orders/min", per="m")}, split=P + "labels.status",
                    series="bar_stacked")),
        (24, 12, xy("Revenue (per min)", METRICS,
                    {"revenue": metric("sum", P + "orders_revenue_total.rate", "revenue/min", per="m")},
                    split=P + "labels.currency")),
        (24, 12, xy("Success rate (% of ended orders completed)", METRICS,
                    {"success": ratio_percent("success", "completed %",
                                              ("sum", ORDERS, P + 'labels.status : "COMPLETED"'),
                                              ("sum", ORDERS, TERMINAL))})),
        (24, 12, xy("End to end, placed to terminal status: P50 / P95 / P99 (s; target P99 2 s)", METRICS,
                    percentiles(E2E))),
    ])

traces_help = markdown("eso-traces-help", "Traces: where to look",
    "**Every order is one trace**: the POST to orders-api, its transaction, each relay publish "
    "(`publish <event>`), each consumer (`events` → `<bundle>-<verb>-<noun>`), the terminal status update.\n\n"
    "* [APM services](/app/apm/services) · [service map](/app/apm/service-map) · [traces](/app/apm/traces)\n"
    "* Open a trace from the table below (its `trace.id`), or paste a `trace.id` into the logs search: every log "
    "line of the order carries it, with `order.id` and `event.action` (the route).")
transactions = saved_search("eso-search-transactions", "Traces: transactions", TRACES,
    ["service.name", "transaction.name", "transaction.duration.us", "event.outcome", "trace.id"],
    'processor.event : "transaction"')
order_logs = saved_search("eso-search-order-logs", "Logs: by trace and order", LOGS,
    ["service.name", "log.level", "event.action", "order.id", "trace.id", "message"], "trace.id : *")
traces = dashboard("eso-dashboard-traces", "Event Stream Orders · Traces",
    "Distributed traces (APM, fed by the services' OTLP export) and the log lines of each trace.", [
        (16, 14, traces_help),
        (32, 14, transactions),
        (48, 16, order_logs),
    ])

FILES = {
    "00-data-views.ndjson": [
        data_view(METRICS, "metricbeat-*", "Event Stream Orders metrics (Metricbeat)"),
        data_view(LOGS, "filebeat-*", "Event Stream Orders logs (Filebeat, ECS)"),
        data_view(TRACES, "traces-apm*", "Event Stream Orders traces (APM)"),
    ],
    "performance.ndjson": [performance],
    "rabbitmq.ndjson": [rabbitmq],
    "business.ndjson": [business],
    "traces.ndjson": [traces_help, transactions, order_logs, traces],
}

if __name__ == "__main__":
    for name, objects in FILES.items():
        with open(HERE / name, "w", encoding="utf-8") as out:
            for saved_object in objects:
                out.write(json.dumps(saved_object, separators=(",", ":"), sort_keys=False) + "\n")
        print("wrote dashboards/" + name)
