// A soak: a steady RATE orders/s for DURATION (default 30 minutes); latency must not creep up and nothing may
// pile up (compare the first and last minutes of e2e_time and the backlog on the dashboards).
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e RATE=500 -e DURATION=30m k6/soak.js
import { constantRate, placeOrder, drainedWithin } from './lib/orders.js';

export { setup } from './lib/orders.js';

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    soak: constantRate('500', '30m'),
  },
  thresholds: {
    'http_req_duration{name:POST /orders}': ['p(99)<200'],
    'http_req_failed{name:POST /orders}': ['rate<0.001'],
    e2e_time: ['p(99)<2000'],
    orders_not_terminal: ['count<1'],
  },
};

export default placeOrder;

export const teardown = drainedWithin(120);
