package org.eventstream.orders.http;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.camel.Header;
import org.eventstream.orders.json.JsonRequest;

/**
 * Validates path and query parameters of the read endpoints into the named parameters of their SQL.
 */
public class RequestParameters {

    public static final List<String> ORDER_STATUSES =
            List.of("PENDING", "PAID", "RESERVED", "COMPLETED", "REJECTED", "CANCELLED");

    /** {@code GET /orders?customer_id=&status=&limit=&after=} */
    public Map<String, Object> orderPage(@Header("CamelHttpQuery") String query) {
        PageQuery page = PageQuery.parse(query, Set.of("customer_id", "status"));
        Map<String, Object> params = page.params();
        UUID customerId = page.uuid("customer_id");
        params.put("customerId", customerId == null ? null : customerId.toString());
        params.put("status", page.oneOf("status", ORDER_STATUSES));
        return params;
    }

    /** {@code GET /products?limit=&after=} and {@code GET /customers?limit=&after=} */
    public Map<String, Object> page(@Header("CamelHttpQuery") String query) {
        return PageQuery.parse(query, Set.of()).params();
    }

    /** {@code GET /metrics/daily?date=YYYY-MM-DD}: the day, required and a real calendar date. */
    public Map<String, Object> day(@Header("CamelHttpQuery") String query) {
        PageQuery parsed = PageQuery.parse(query, Set.of("date"));
        String date = parsed.text("date");
        if (date == null) {
            throw ProblemException.invalid("date", "is required, as YYYY-MM-DD");
        }
        try {
            return Map.of("date", java.time.LocalDate.parse(date, java.time.format.DateTimeFormatter.ISO_LOCAL_DATE).toString());
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalid("date", "must be a date as YYYY-MM-DD");
        }
    }

    /** The document a read found, or a 404 naming what was looked for. */
    public Object found(Object document, String what, String id) {
        if (document == null) {
            throw ProblemException.notFound(what, id);
        }
        return document;
    }

    /** A path id that is not a UUID names no resource: 404, like any unknown id. */
    public String pathId(@Header("id") String id, String what) {
        if (!JsonRequest.isUuid(id)) {
            throw ProblemException.notFound(what, id);
        }
        return id.toLowerCase(java.util.Locale.ROOT);
    }
}
