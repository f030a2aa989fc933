#!/usr/bin/env python3
"""End-to-end latency of single orders, one at a time, against a running system (no load: each order is placed
after the previous one completed). Prints, for N orders, the server's created_at -> completed_at and the client's
POST sent -> COMPLETED seen (polling GET /orders/{id} every 5 ms).

  scripts/e2e-latency.py [BASE_URL] [N]        default http://127.0.0.1:8080 and 50

It creates one customer and one product (stock 100000) with a random suffix; nothing else is touched.
This is not a load test (docs/adr/0005-load-testing.md).
"""
import json
import sys
import time
import urllib.request
import uuid
from datetime import datetime

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 50
TERMINAL = ("COMPLETED", "REJECTED", "CANCELLED")


def call(method, path, body=None):
    request = urllib.request.Request(BASE + path, method=method, headers={"Content-Type": "application/json"},
                                     data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


suffix = uuid.uuid4().hex[:8]
_, customer = call("POST", "/customers", {"name": "Latency " + suffix, "email": "latency-%s@example.com" % suffix})
_, product = call("POST", "/products", {"sku": "LATENCY-" + suffix, "name": "Latency probe", "price": 5.00,
                                        "stock_available": 100000})
server, client = [], []
for _ in range(N):
    started = time.perf_counter()
    status, order = call("POST", "/orders", {"customer_id": customer["id"],
                                             "items": [{"product_id": product["id"], "quantity": 1}]})
    if status != 201:
        sys.exit("POST /orders answered %d" % status)
    deadline = started + 30
    while True:
        _, document = call("GET", "/orders/" + order["id"])
        if document["status"] in TERMINAL or time.perf_counter() > deadline:
            break
        time.sleep(0.005)
    if document["status"] != "COMPLETED":
        sys.exit("order %s ended %s" % (order["id"], document["status"]))
    client.append((time.perf_counter() - started) * 1000)
    server.append((datetime.fromisoformat(document["completed_at"])
                   - datetime.fromisoformat(document["created_at"])).total_seconds() * 1000)

for name, values in (("created_at -> completed_at (server clock)", server),
                     ("POST sent -> COMPLETED seen (client, 5 ms polling)", client)):
    print("%-52s n=%d min=%.0f p50=%.0f p95=%.0f max=%.0f ms"
          % (name, len(values), min(values), quantile(values, .5), quantile(values, .95), max(values)))
