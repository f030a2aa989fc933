-- The JSON document of an order, written once: the view every read endpoint selects from, and POST /orders, which
-- answers with the document of the order it has just written, built from the rows its own statement inserted (a read
-- after the insert was a third statement, and a round trip, per request). Both call these functions, so the two cannot
-- drift apart. STABLE, not IMMUTABLE: a timestamptz's JSON text depends on the session's time zone. Plain SQL
-- expressions, which PostgreSQL inlines into the query that calls them.
CREATE FUNCTION orders.order_item_document(i orders.order_items) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN json_build_object(
        'product_id', i.product_id,
        'sku', i.sku,
        'quantity', i.quantity,
        'unit_price', i.unit_price,
        'line_total', i.line_total);

CREATE FUNCTION orders.order_event_document(e orders.order_events) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN json_build_object(
        'event_id', e.event_id,
        'type', e.type,
        'status', e.status,
        'occurred_at', e.occurred_at);

-- items and timeline: the json arrays of the order's item and event documents (in line and event order)
CREATE FUNCTION orders.order_document(o orders.orders, items json, timeline json) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN json_build_object(
        'id', o.id,
        'customer_id', o.customer_id,
        'status', o.status,
        'total_amount', o.total_amount,
        'currency', o.currency,
        'created_at', o.created_at,
        'updated_at', o.updated_at,
        'completed_at', o.completed_at,
        'items', items,
        'timeline', timeline);

CREATE OR REPLACE VIEW orders.order_documents AS
SELECT o.id,
       o.customer_id,
       o.status,
       o.created_at,
       orders.order_document(o,
           (SELECT coalesce(json_agg(orders.order_item_document(i) ORDER BY i.line_no), '[]'::json)
            FROM orders.order_items i
            WHERE i.order_id = o.id),
           (SELECT coalesce(json_agg(orders.order_event_document(e) ORDER BY e.id), '[]'::json)
            FROM orders.order_events e
            WHERE e.order_id = o.id)) AS document
FROM orders.orders o;
