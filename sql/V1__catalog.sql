-- Catalog: products and customers, owned by the orders-api bundle.
CREATE SCHEMA IF NOT EXISTS catalog;

CREATE TABLE catalog.products (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    sku             text NOT NULL UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    price           numeric(12,2) NOT NULL CHECK (price >= 0),
    stock_available integer NOT NULL CHECK (stock_available >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE catalog.customers (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email       text NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    -- payment declines every order of a flagged customer (a documented, deterministic rule)
    payment_blocked boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The JSON an API client sees for products and customers.
CREATE VIEW catalog.product_documents AS
SELECT p.id,
       p.created_at,
       json_build_object(
           'id', p.id,
           'sku', p.sku,
           'name', p.name,
           'price', p.price,
           'stock_available', p.stock_available,
           'created_at', p.created_at,
           'updated_at', p.updated_at) AS document
FROM catalog.products p;

CREATE VIEW catalog.customer_documents AS
SELECT c.id,
       c.created_at,
       json_build_object(
           'id', c.id,
           'name', c.name,
           'email', c.email,
           'payment_blocked', c.payment_blocked,
           'created_at', c.created_at) AS document
FROM catalog.customers c;
