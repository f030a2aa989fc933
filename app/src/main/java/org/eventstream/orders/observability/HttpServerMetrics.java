package org.eventstream.orders.observability;

import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.support.http.HttpUtil;

/**
 * The HTTP API's latency and responses, per operation, from every exchange a {@code platform-http} route completes.
 * Prometheus names:
 * <ul>
 *   <li>{@code http_server_requests_seconds} (histogram; labels method, uri): latency, with buckets fine enough for
 *       P50/P95/P99 and one at the 200 ms target;</li>
 *   <li>{@code http_server_responses_total} (labels method, uri, status, outcome): throughput and errors by status;
 *       outcome is SUCCESS, REDIRECTION, CLIENT_ERROR or SERVER_ERROR.</li>
 * </ul>
 * {@code uri} is the route's path template ({@code /orders/{id}}), never the request's path, so the label stays small.
 * Health and metrics requests are served beside the routes and are not counted.
 */
public class HttpServerMetrics extends CompletedExchangeNotifier<PlatformHttpEndpoint> {

    public static final String REQUESTS = "http.server.requests";
    public static final String RESPONSES = "http.server.responses";
    static final Duration LATENCY_TARGET = Duration.ofMillis(200);

    private final MeterRegistry registry;

    public HttpServerMetrics(MeterRegistry registry) {
        super(PlatformHttpEndpoint.class);
        this.registry = registry;
    }

    @Override
    protected void ended(Exchange exchange, PlatformHttpEndpoint endpoint, boolean failed) {
        record(method(exchange, endpoint), endpoint.getPath(), status(exchange), Duration.ofMillis(exchange.getClock().elapsed()));
    }

    void record(String method, String uri, int status, Duration latency) {
        Timer.builder(REQUESTS)
                .description("HTTP requests by operation: latency")
                .tags("method", method, "uri", uri)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .serviceLevelObjectives(LATENCY_TARGET)
                .register(registry)
                .record(latency);
        Counter.builder(RESPONSES)
                .description("HTTP responses by operation and status")
                .tags("method", method, "uri", uri, "status", String.valueOf(status), "outcome", outcome(status))
                .register(registry)
                .increment();
    }

    /** The route's one method (REST operations have one); the request's when the route takes several. */
    private static String method(Exchange exchange, PlatformHttpEndpoint endpoint) {
        String restricted = endpoint.getHttpMethodRestrict();
        if (restricted != null && !restricted.contains(",")) {
            return restricted.toUpperCase(Locale.ROOT);
        }
        String requested = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
        return requested == null ? "UNKNOWN" : requested.toUpperCase(Locale.ROOT);
    }

    /** The status the response went out with, worked out the way platform-http does. */
    private static int status(Exchange exchange) {
        return HttpUtil.determineResponseCode(exchange, exchange.getMessage().getBody());
    }

    static String outcome(int status) {
        if (status >= 500) {
            return "SERVER_ERROR";
        }
        if (status >= 400) {
            return "CLIENT_ERROR";
        }
        return status >= 300 ? "REDIRECTION" : "SUCCESS";
    }
}
