package org.eventstream.orders.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.telemetry.Op;

/**
 * Camel's OpenTelemetry tracer, except that an exchange whose route starts at an excluded endpoint
 * ({@code camel.opentelemetry2.exclude-patterns}, e.g. {@code timer:*}) is not traced at all: neither its route nor
 * anything it calls. Camel alone leaves out only the route's own span, so every poll of the relay loop, of the backlog
 * meter and of the retention purge would still open a new trace for each SQL statement it runs.
 * <p>
 * Configured like the tracer it extends ({@code camel.opentelemetry2.*}); camel-main finds it in the registry.
 */
public class PipelineTracer extends OpenTelemetryTracer {

    private final Map<String, Boolean> excludedOrigins = new ConcurrentHashMap<>();

    @Override
    protected void beginEventSpan(Exchange exchange, Endpoint endpoint, Op op) throws Exception {
        if (!startedAtExcludedEndpoint(exchange)) {
            super.beginEventSpan(exchange, endpoint, op);
        }
    }

    @Override
    protected void endEventSpan(Exchange exchange, Endpoint endpoint) throws Exception {
        if (!startedAtExcludedEndpoint(exchange)) {
            super.endEventSpan(exchange, endpoint);
        }
    }

    boolean startedAtExcludedEndpoint(Exchange exchange) {
        Endpoint from = exchange.getFromEndpoint();
        if (from == null) {
            return false;
        }
        // matching normalizes the URI: remember the answer per endpoint rather than work it out for every event
        return excludedOrigins.computeIfAbsent(from.getEndpointUri(), uri -> exclude(uri, exchange.getContext()));
    }
}
