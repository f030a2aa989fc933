package org.eventstream.orders.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.RunningBundles;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /health, /health/live and /health/ready, with readiness checking the three servers through Camel's health checks.
 */
class HealthIT {

    @Test
    void readinessChecksPostgresqlRabbitmqAndRedis() throws Exception {
        try (RunningBundles bundles = RunningBundles.start("orders-api")) {
            Http http = bundles.http();

            Http.Response ready = http.get("/health/ready?exposureLevel=full");
            assertThat(ready.status()).isEqualTo(200);
            JsonNode checks = ready.json().get("checks");
            assertThat(checks.findValuesAsText("name")).contains("postgresql", "rabbitmq", "redis");
            checks.forEach(check -> assertThat(check.get("status").asText()).as(check.toString()).isEqualTo("UP"));

            assertThat(http.get("/health/live").status()).isEqualTo(200);
            assertThat(http.get("/health/").json().get("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void readinessIsDownWhileAServerIsUnreachableAndLivenessStaysUp() throws Exception {
        // Redis on a port where nothing listens: the bundle starts, is alive, but not ready
        try (RunningBundles bundles = RunningBundles.start(java.util.Map.of("redis.port", "1"), "orders-api")) {
            Http http = bundles.http();

            Http.Response ready = http.get("/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(ready.body()).contains("redis");
            assertThat(http.get("/health/live").status()).isEqualTo(200);
        }
    }
}
