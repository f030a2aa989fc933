// The earlier system's resilience demo: steady load while a service is stopped and started again. Run it, and
// during the run stop one bundle (e.g. `docker compose stop payment`, wait 30 s, `docker compose start payment`).
// Orders keep being accepted (the API does not depend on payment), and once payment is back every order
// accepted during the outage reaches a terminal status: nothing is lost.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e RATE=300 -e DURATION=3m k6/resilience.js
import { constantRate, placeOrder, drainedWithin } from './lib/orders.js';

export { setup } from './lib/orders.js';

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    steady: constantRate('300', '3m'),
  },
  thresholds: {
    'http_req_failed{name:POST /orders}': ['rate<0.001'],
    orders_not_terminal: ['count<1'],
  },
};

export default placeOrder;

// the stopped service works off its backlog once it is back
export const teardown = drainedWithin(300);
