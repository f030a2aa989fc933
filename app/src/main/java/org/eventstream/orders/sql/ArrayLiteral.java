package org.eventstream.orders.sql;

import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A PostgreSQL array literal ({@code {"a","b"}}) of values, for one parameter that the statement casts
 * ({@code = ANY (CAST(:#ids AS uuid[]))}). One parameter whatever the number of values: the statement's text and
 * parameter count stay fixed, so camel-sql prepares it once and PostgreSQL keeps its plan, where an {@code :#in:} list
 * is a new statement for each length and costs a round trip for its parameter metadata on every execution.
 */
public final class ArrayLiteral {

    private ArrayLiteral() {
    }

    /** Each value quoted, with {@code "} and {@code \} escaped; an empty collection is {@code {}}. */
    public static String of(Collection<?> values) {
        return values.stream()
                .map(value -> quoted(Objects.requireNonNull(value, "an array literal of these values has no null")))
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** As {@link #of}, with {@code NULL} for a null value: an array of the values of many rows' parameter. */
    public static String withNulls(Collection<?> values) {
        return values.stream().map(value -> value == null ? "NULL" : quoted(value)).collect(Collectors.joining(",", "{", "}"));
    }

    private static String quoted(Object value) {
        return '"' + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
