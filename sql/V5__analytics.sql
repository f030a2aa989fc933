-- Business KPIs kept by the aggregator bundle.
CREATE SCHEMA IF NOT EXISTS analytics;

-- one row per terminal order: the source for percentiles of end-to-end time
CREATE TABLE analytics.order_outcomes (
    order_id       uuid PRIMARY KEY,
    status         text NOT NULL CHECK (status IN ('COMPLETED', 'REJECTED', 'CANCELLED')),
    total_amount   numeric(12,2) NOT NULL,
    currency       char(3) NOT NULL,
    created_at     timestamptz NOT NULL,
    terminal_at    timestamptz NOT NULL,
    processing_ms  bigint NOT NULL CHECK (processing_ms >= 0)
);

CREATE INDEX order_outcomes_terminal_idx ON analytics.order_outcomes (terminal_at);

-- per-minute counters
CREATE TABLE analytics.kpi_minute (
    minute               timestamptz NOT NULL,
    status               text NOT NULL,
    orders               bigint NOT NULL DEFAULT 0,
    revenue              numeric(14,2) NOT NULL DEFAULT 0,
    processing_ms_total  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (minute, status)
);

-- per-day figures, the earlier system's order_metrics
CREATE TABLE analytics.order_metrics (
    day                          date PRIMARY KEY,
    total_orders                 bigint NOT NULL DEFAULT 0,
    completed_orders             bigint NOT NULL DEFAULT 0,
    rejected_orders              bigint NOT NULL DEFAULT 0,
    cancelled_orders             bigint NOT NULL DEFAULT 0,
    total_revenue                numeric(14,2) NOT NULL DEFAULT 0,
    processing_ms_total          bigint NOT NULL DEFAULT 0,
    avg_processing_time_seconds  numeric(12,3) GENERATED ALWAYS AS
        (CASE WHEN total_orders = 0 THEN 0 ELSE processing_ms_total / 1000.0 / total_orders END) STORED,
    success_rate                 numeric(6,4) GENERATED ALWAYS AS
        (CASE WHEN total_orders = 0 THEN 0 ELSE completed_orders::numeric / total_orders END) STORED
);
