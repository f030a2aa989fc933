-- The transactional outbox: every bundle writes its events here in the transaction of its effect;
-- the outbox-dispatcher relays them to RabbitMQ.
CREATE SCHEMA IF NOT EXISTS messaging;

CREATE TABLE messaging.outbox (
    id              bigserial PRIMARY KEY,
    event_id        uuid NOT NULL UNIQUE,
    aggregate_type  text NOT NULL,
    aggregate_id    text NOT NULL,
    event_type      text NOT NULL,
    payload         jsonb NOT NULL,
    -- traceparent and any other headers to put on the AMQP message
    headers         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz
);

-- the relay claims the oldest unpublished rows; published rows are deleted in the background
CREATE INDEX outbox_unpublished_idx ON messaging.outbox (id) WHERE published_at IS NULL;

-- wake the relay on commit instead of polling: one notification per inserting statement,
-- and PostgreSQL folds identical notifications of one transaction into one
CREATE FUNCTION messaging.notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON messaging.outbox
    FOR EACH STATEMENT EXECUTE FUNCTION messaging.notify_outbox();
