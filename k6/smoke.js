// A smoke run of POST /orders against the compose stack (docker compose --profile loadtest run --rm k6):
// creates a customer and a product, then places orders at a modest constant rate and checks each is accepted.
// The load-test scenarios (load-test.js, spike.js, soak.js, resilience.js; k6/README.md) run the same way: pick one
// with K6_SCRIPT.
import http from 'k6/http';
import { check } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://localhost:8080';
const JSON_HEADERS = { headers: { 'Content-Type': 'application/json' } };

export const options = {
  scenarios: {
    orders: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 20),
      timeUnit: '1s',
      duration: __ENV.DURATION || '30s',
      preAllocatedVUs: 20,
      maxVUs: 100,
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    http_req_duration: ['p(99)<200'],
  },
};

export function setup() {
  const suffix = Date.now();
  const customer = http.post(`${BASE_URL}/customers`,
    JSON.stringify({ name: 'k6 smoke', email: `k6-${suffix}@example.com` }), JSON_HEADERS);
  const product = http.post(`${BASE_URL}/products`,
    JSON.stringify({ sku: `K6-${suffix}`, name: 'k6 widget', price: 9.99, stock_available: 1000000 }), JSON_HEADERS);
  if (customer.status !== 201 || product.status !== 201) {
    throw new Error(`catalog setup failed: ${customer.status} ${product.status}`);
  }
  return { customer: customer.json('id'), product: product.json('id') };
}

export default function (catalog) {
  const response = http.post(`${BASE_URL}/orders`, JSON.stringify({
    customer_id: catalog.customer,
    items: [{ product_id: catalog.product, quantity: 1 }],
  }), JSON_HEADERS);
  check(response, { 'order accepted (201)': (r) => r.status === 201 });
}
