-- Orders, their lines and their timeline, owned by the orders-api bundle.
CREATE SCHEMA IF NOT EXISTS orders;

CREATE TABLE orders.orders (
    id               uuid PRIMARY KEY,
    customer_id      uuid NOT NULL REFERENCES catalog.customers (id),
    status           text NOT NULL DEFAULT 'PENDING'
                     CHECK (status IN ('PENDING', 'PAID', 'RESERVED', 'COMPLETED', 'REJECTED', 'CANCELLED')),
    total_amount     numeric(12,2) NOT NULL CHECK (total_amount >= 0),
    currency         char(3) NOT NULL,
    idempotency_key  text UNIQUE,
    -- SHA-256 of the canonical request, to tell a retry (same body) from a conflict (different body)
    request_hash     text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz
);

-- keyset pagination of a customer's orders, newest first
CREATE INDEX orders_customer_created_idx ON orders.orders (customer_id, created_at DESC, id DESC);
CREATE INDEX orders_created_idx ON orders.orders (created_at DESC, id DESC);

CREATE TABLE orders.order_items (
    order_id    uuid NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
    line_no     integer NOT NULL CHECK (line_no >= 1),
    product_id  uuid NOT NULL REFERENCES catalog.products (id),
    sku         text NOT NULL,
    quantity    integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_price  numeric(12,2) NOT NULL CHECK (unit_price >= 0),
    line_total  numeric(12,2) NOT NULL CHECK (line_total >= 0),
    PRIMARY KEY (order_id, line_no),
    UNIQUE (order_id, product_id)
);

CREATE TABLE orders.order_events (
    id           bigserial PRIMARY KEY,
    order_id     uuid NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
    event_id     uuid NOT NULL UNIQUE,
    type         text NOT NULL,
    status       text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX order_events_order_idx ON orders.order_events (order_id, id);

-- The JSON an API client sees for an order: its lines and its timeline. Every read endpoint selects from here.
CREATE VIEW orders.order_documents AS
SELECT o.id,
       o.customer_id,
       o.status,
       o.created_at,
       json_build_object(
           'id', o.id,
           'customer_id', o.customer_id,
           'status', o.status,
           'total_amount', o.total_amount,
           'currency', o.currency,
           'created_at', o.created_at,
           'updated_at', o.updated_at,
           'completed_at', o.completed_at,
           'items', (SELECT coalesce(json_agg(json_build_object(
                                'product_id', i.product_id,
                                'sku', i.sku,
                                'quantity', i.quantity,
                                'unit_price', i.unit_price,
                                'line_total', i.line_total) ORDER BY i.line_no), '[]'::json)
                     FROM orders.order_items i
                     WHERE i.order_id = o.id),
           'timeline', (SELECT coalesce(json_agg(json_build_object(
                                'event_id', e.event_id,
                                'type', e.type,
                                'status', e.status,
                                'occurred_at', e.occurred_at) ORDER BY e.id), '[]'::json)
                        FROM orders.order_events e
                        WHERE e.order_id = o.id)
       ) AS document
FROM orders.orders o;
