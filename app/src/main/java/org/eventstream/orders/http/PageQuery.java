package org.eventstream.orders.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eventstream.orders.json.JsonRequest;

/**
 * The query string of a list endpoint: keyset pagination ({@code limit}, {@code after}) plus the filters a route
 * allows. Unknown or repeated parameters and malformed values are a 400 naming the parameter.
 */
public final class PageQuery {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private static final Set<String> PAGING = Set.of("limit", "after");

    private final Map<String, String> values;

    private PageQuery(Map<String, String> values) {
        this.values = values;
    }

    public static PageQuery parse(String rawQuery, Set<String> filters) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!filters.contains(name) && !PAGING.contains(name)) {
                    throw ProblemException.invalid(name, "unknown query parameter");
                }
                if (values.put(name, value) != null) {
                    throw ProblemException.invalid(name, "must be given once");
                }
            }
        }
        return new PageQuery(values);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("query", "malformed percent-encoding");
        }
    }

    /** A parameter's raw value, or {@code null}. */
    public String text(String name) {
        return values.get(name);
    }

    public int limit() {
        String raw = values.get("limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.invalid("limit", "must be an integer between 1 and " + MAX_LIMIT);
    }

    public UUID uuid(String name) {
        String raw = values.get(name);
        if (raw == null) {
            return null;
        }
        if (!JsonRequest.isUuid(raw)) {
            throw ProblemException.invalid(name, "must be a UUID");
        }
        return UUID.fromString(raw);
    }

    public String oneOf(String name, List<String> allowed) {
        String raw = values.get(name);
        if (raw == null) {
            return null;
        }
        String upper = raw.toUpperCase(java.util.Locale.ROOT);
        if (!allowed.contains(upper)) {
            throw ProblemException.invalid(name, "must be one of " + String.join(", ", allowed));
        }
        return upper;
    }

    /** Named parameters for a page query: {@code limit} and {@code after}, plus any filters put by the caller. */
    public Map<String, Object> params() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("limit", limit());
        UUID after = uuid("after");
        params.put("after", after == null ? null : after.toString());
        return params;
    }
}
