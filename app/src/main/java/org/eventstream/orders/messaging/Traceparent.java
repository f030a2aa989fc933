package org.eventstream.orders.messaging;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * W3C trace context for an outbox row, so every event of an order can be followed under one trace id: the span
 * active when the row is written (the relay's publish becomes its child), else, with tracing off, a child of the
 * request's {@code traceparent} when it carries a valid one, else the root of a new trace.
 */
public final class Traceparent {

    private static final Pattern VALID = Pattern.compile("^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Traceparent() {
    }

    /** The active span's context when there is one, else {@link #childOf(String)} of the incoming header. */
    public static String forOutbox(String incoming) {
        return current(Span.current().getSpanContext(), incoming);
    }

    static String current(SpanContext active, String incoming) {
        if (active.isValid()) {
            return "00-" + active.getTraceId() + "-" + active.getSpanId() + "-" + active.getTraceFlags().asHex();
        }
        return childOf(incoming);
    }

    public static String childOf(String incoming) {
        var matcher = incoming == null ? null : VALID.matcher(incoming.strip());
        if (matcher != null && matcher.matches() && !matcher.group(1).equals(ZERO_TRACE) && !matcher.group(2).equals(ZERO_SPAN)) {
            return "00-" + matcher.group(1) + "-" + randomHex(8) + "-" + matcher.group(3);
        }
        return "00-" + randomHex(16) + "-" + randomHex(8) + "-01";
    }

    private static String randomHex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }
}
