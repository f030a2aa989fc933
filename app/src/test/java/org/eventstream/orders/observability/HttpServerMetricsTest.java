package org.eventstream.orders.observability;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HttpServerMetricsTest {

    @Test
    void latencyByOperationAndResponsesByStatusAndOutcome() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HttpServerMetrics metrics = new HttpServerMetrics(registry);

        metrics.record("POST", "/orders", 201, Duration.ofMillis(40));
        metrics.record("POST", "/orders", 201, Duration.ofMillis(250));
        metrics.record("POST", "/orders", 422, Duration.ofMillis(5));

        var latency = registry.get(HttpServerMetrics.REQUESTS).tags("method", "POST", "uri", "/orders").timer();
        assertThat(latency.count()).isEqualTo(3);
        assertThat(latency.takeSnapshot().histogramCounts()).anySatisfy(bucket -> {
            assertThat(bucket.bucket(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(200.0);
            assertThat(bucket.count()).isEqualTo(2);
        });
        assertThat(registry.get(HttpServerMetrics.RESPONSES).tags("status", "201", "outcome", "SUCCESS").counter().count()).isEqualTo(2);
        assertThat(registry.get(HttpServerMetrics.RESPONSES).tags("status", "422", "outcome", "CLIENT_ERROR").counter().count()).isEqualTo(1);
    }

    @Test
    void outcomesFollowTheStatusClass() {
        assertThat(HttpServerMetrics.outcome(200)).isEqualTo("SUCCESS");
        assertThat(HttpServerMetrics.outcome(304)).isEqualTo("REDIRECTION");
        assertThat(HttpServerMetrics.outcome(404)).isEqualTo("CLIENT_ERROR");
        assertThat(HttpServerMetrics.outcome(503)).isEqualTo("SERVER_ERROR");
    }
}
