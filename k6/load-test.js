// The PRD scenario: 30 s ramp, 2 min plateau at RATE orders/s (constant arrival rate, open model), 30 s ramp-down.
// Pass: P99 of POST /orders < 200 ms, under 0.1 % errors, end-to-end P99 < 2 s, every order terminal.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e RATE=2000 k6/load-test.js
import { placeOrder, drainedWithin } from './lib/orders.js';

export { setup } from './lib/orders.js';

const RATE = Number(__ENV.RATE || '2000');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    orders: {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1s',
      preAllocatedVUs: Number(__ENV.VUS || '200'),
      maxVUs: Number(__ENV.MAX_VUS || '2000'),
      stages: [
        { duration: __ENV.RAMP_UP || '30s', target: RATE },
        { duration: __ENV.PLATEAU || '2m', target: RATE },
        { duration: __ENV.RAMP_DOWN || '30s', target: 0 },
      ],
    },
  },
  thresholds: {
    'http_req_duration{name:POST /orders}': ['p(99)<200'],
    'http_req_failed{name:POST /orders}': ['rate<0.001'],
    e2e_time: ['p(99)<2000'],
    orders_not_terminal: ['count<1'],
  },
  summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'],
};

export default placeOrder;

export const teardown = drainedWithin(60);
