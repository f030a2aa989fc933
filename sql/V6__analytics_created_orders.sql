-- Orders the aggregator has counted as created: the unique order_id keeps a redelivered order.created from
-- counting twice (Redis is only the fast path).
CREATE TABLE analytics.created_orders (
    order_id    uuid PRIMARY KEY,
    created_at  timestamptz NOT NULL
);
