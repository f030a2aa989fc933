package org.eventstream.orders.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
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
 * Camel asks {@link #exclude} on every span it would open or close (each SQL statement, each send), and answers by
 * normalizing the endpoint URI and compiling the patterns again: a fifth of the CPU of the whole pipeline under load
 * (JFR, docs/benchmarks.md). The answer depends on the URI only, so it is remembered per URI.
 * <p>
 * Configured like the tracer it extends ({@code camel.opentelemetry2.*}); camel-main finds it in the registry.
 */
public class PipelineTracer extends OpenTelemetryTracer {

    /** Endpoint URIs are a fixed set unless a route sends to computed ones; past this many, answers are not kept. */
    static final int REMEMBERED_URIS = 10_000;

    private final Map<String, Boolean> excluded = new ConcurrentHashMap<>();

    @Override
    public void setExcludePatterns(String excludePatterns) {
        super.setExcludePatterns(excludePatterns);
        excluded.clear();
    }

    @Override
    public boolean exclude(String endpointUri, CamelContext context) {
        Boolean known = excluded.get(endpointUri);
        if (known != null) {
            return known;
        }
        boolean answer = super.exclude(endpointUri, context);
        if (excluded.size() < REMEMBERED_URIS) {
            excluded.put(endpointUri, answer);
        }
        return answer;
    }

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
        return exclude(from.getEndpointUri(), exchange.getContext());
    }
}
