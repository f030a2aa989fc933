// Shared pieces of the k6 scenarios: configuration from the environment, catalog seeding, placing an order,
// and the end-to-end time (201 -> terminal status) of a sample of the orders.
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';

export const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
/** Share of orders whose end-to-end time is measured by polling GET /orders/{id} (0..1). */
export const E2E_SAMPLE = Number(__ENV.E2E_SAMPLE || '0.01');
/** The longest an order may take to reach a terminal status before it counts as not terminal. */
export const E2E_TIMEOUT_S = Number(__ENV.E2E_TIMEOUT_S || '10');

const JSON_HEADERS = { headers: { 'Content-Type': 'application/json' } };
const TERMINAL = ['COMPLETED', 'REJECTED', 'CANCELLED'];

export const e2eTime = new Trend('e2e_time', true);
export const ordersNotTerminal = new Counter('orders_not_terminal');
export const ordersCreated = new Counter('orders_created');

/**
 * Seeds a catalog through the API: customers, and products with ample stock so orders complete.
 * @returns {{customers: string[], products: string[]}}
 */
export function seedCatalog() {
  /** @type {string[]} */
  const customers = [];
  /** @type {string[]} */
  const products = [];
  const tag = `${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;
  const customerCount = Number(__ENV.CUSTOMERS || '50');
  const productCount = Number(__ENV.PRODUCTS || '20');
  for (let i = 0; i < customerCount; i++) {
    const res = http.post(`${BASE_URL}/customers`,
      JSON.stringify({ name: `k6 customer ${i}`, email: `k6-${tag}-${i}@example.com` }), JSON_HEADERS);
    check(res, { 'customer created': (r) => r.status === 201 });
    customers.push(String(res.json('id')));
  }
  for (let i = 0; i < productCount; i++) {
    const res = http.post(`${BASE_URL}/products`, JSON.stringify({
      sku: `K6-${tag}-${i}`, name: `k6 product ${i}`, price: 5 + i + 0.5, stock_available: 1000000000,
    }), JSON_HEADERS);
    check(res, { 'product created': (r) => r.status === 201 });
    products.push(String(res.json('id')));
  }
  return { customers, products };
}

function pick(list) {
  return list[Math.floor(Math.random() * list.length)];
}

/**
 * Places one order over the seeded catalog; for a sample of them, waits for the terminal status and records
 * the end-to-end time.
 * @param {{customers: string[], products: string[]}} catalog
 */
export function placeOrder(catalog) {
  const body = JSON.stringify({
    customer_id: pick(catalog.customers),
    items: [{ product_id: pick(catalog.products), quantity: 1 + Math.floor(Math.random() * 3) }],
    currency: 'USD',
  });
  const started = Date.now();
  const res = http.post(`${BASE_URL}/orders`, body, { headers: JSON_HEADERS.headers, tags: { name: 'POST /orders' } });
  const created = check(res, { 'order created (201)': (r) => r.status === 201 });
  if (!created) {
    return;
  }
  ordersCreated.add(1);
  if (Math.random() < E2E_SAMPLE) {
    awaitTerminal(String(res.json('id')), started);
  }
}

/**
 * Polls an order until it is terminal; records the time since the POST was sent.
 * @param {string} id
 * @param {number} started epoch millis of the POST
 */
export function awaitTerminal(id, started) {
  const deadline = started + E2E_TIMEOUT_S * 1000;
  while (Date.now() < deadline) {
    const res = http.get(`${BASE_URL}/orders/${id}`, { tags: { name: 'GET /orders/{id}' } });
    if (res.status === 200 && TERMINAL.includes(String(res.json('status')))) {
      e2eTime.add(Date.now() - started);
      return;
    }
    sleep(0.05);
  }
  ordersNotTerminal.add(1);
}

/**
 * Waits until no order is left in a non-terminal status (the pipeline has drained), at most timeoutSeconds.
 * @param {number} timeoutSeconds
 * @returns {number} the orders still not terminal
 */
export function awaitDrained(timeoutSeconds) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let pending = 0;
  do {
    pending = 0;
    for (const status of ['PENDING', 'PAID', 'RESERVED']) {
      const res = http.get(`${BASE_URL}/orders?status=${status}&limit=100`);
      const items = res.status === 200 ? res.json('items') : null;
      pending += Array.isArray(items) ? items.length : 1;
    }
    if (pending === 0) {
      return 0;
    }
    sleep(1);
  } while (Date.now() < deadline);
  return pending;
}

/**
 * A steady open-model load: RATE orders/s for DURATION (k6 starts each iteration on schedule, whatever the
 * answers, with up to MAX_VUS virtual users).
 * @param {string} defaultRate orders per second unless RATE says otherwise
 * @param {string} defaultDuration unless DURATION says otherwise, e.g. '3m'
 * @returns {import('k6/options').Scenario}
 */
export function constantRate(defaultRate, defaultDuration) {
  return {
    executor: 'constant-arrival-rate',
    rate: Number(__ENV.RATE || defaultRate),
    timeUnit: '1s',
    duration: __ENV.DURATION || defaultDuration,
    preAllocatedVUs: 100,
    maxVUs: Number(__ENV.MAX_VUS || '1000'),
  };
}

/** The setup of every scenario: a catalog of its own. */
export const setup = seedCatalog;

/**
 * The teardown of a scenario: waits for the pipeline to drain and counts the orders left not terminal.
 * @param {number} defaultSeconds the longest wait unless DRAIN_TIMEOUT_S says otherwise
 */
export function drainedWithin(defaultSeconds) {
  return function teardown() {
    ordersNotTerminal.add(awaitDrained(Number(__ENV.DRAIN_TIMEOUT_S || String(defaultSeconds))));
  };
}
