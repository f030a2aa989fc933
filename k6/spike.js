// A spike: BASE_RATE orders/s, a jump to SPIKE_RATE in 10 s held for 30 s, and back; the system must absorb it
// without errors and drain afterwards.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e BASE_RATE=200 -e SPIKE_RATE=3000 k6/spike.js
import { placeOrder, drainedWithin } from './lib/orders.js';

export { setup } from './lib/orders.js';

const BASE_RATE = Number(__ENV.BASE_RATE || '200');
const SPIKE_RATE = Number(__ENV.SPIKE_RATE || '3000');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      startRate: BASE_RATE,
      timeUnit: '1s',
      preAllocatedVUs: 200,
      maxVUs: Number(__ENV.MAX_VUS || '3000'),
      stages: [
        { duration: '30s', target: BASE_RATE },
        { duration: '10s', target: SPIKE_RATE },
        { duration: '30s', target: SPIKE_RATE },
        { duration: '10s', target: BASE_RATE },
        { duration: '30s', target: BASE_RATE },
      ],
    },
  },
  thresholds: {
    'http_req_failed{name:POST /orders}': ['rate<0.001'],
    orders_not_terminal: ['count<1'],
  },
};

export default placeOrder;

export const teardown = drainedWithin(120);
