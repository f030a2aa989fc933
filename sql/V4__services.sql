-- Effects of the saga services. Each unique constraint is the source of truth against applying
-- an effect twice (Redis is only the fast path): one payment, one reservation per order,
-- one notification per order and kind.
CREATE SCHEMA IF NOT EXISTS payments;
CREATE SCHEMA IF NOT EXISTS inventory;
CREATE SCHEMA IF NOT EXISTS notifications;

CREATE TABLE payments.payments (
    id           bigserial PRIMARY KEY,
    order_id     uuid NOT NULL UNIQUE,
    amount       numeric(12,2) NOT NULL CHECK (amount >= 0),
    currency     char(3) NOT NULL,
    status       text NOT NULL CHECK (status IN ('AUTHORIZED', 'DECLINED', 'REFUNDED')),
    reason       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inventory.reservations (
    id           bigserial PRIMARY KEY,
    order_id     uuid NOT NULL UNIQUE,
    -- [{"product_id": ..., "quantity": ...}]
    lines        jsonb NOT NULL,
    status       text NOT NULL CHECK (status IN ('RESERVED', 'REJECTED', 'RELEASED')),
    reason       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notifications.notifications (
    id           bigserial PRIMARY KEY,
    order_id     uuid NOT NULL,
    kind         text NOT NULL,
    channel      text NOT NULL,
    recipient    text,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, kind)
);
