package org.eventstream.orders.bench;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The benchmark's load generator against the orders-api bundle and the real PostgreSQL: what it reports is what the
 * server stored. Figures are only checked for what they must be, never for speed.
 */
class LoadGeneratorIT {

    private static RunningBundles bundles;

    @BeforeAll
    static void start() throws Exception {
        TestDatabase.truncateAll();
        bundles = RunningBundles.start("orders-api");
    }

    @AfterAll
    static void stop() throws Exception {
        bundles.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void sendsEveryDueRequestAndReportsTheOrdersTheServerStored() throws Exception {
        LoadGenerator generator = new LoadGenerator(URI.create("http://127.0.0.1:" + bundles.port()), 20, 2, 10, 1000);

        Map<String, Object> report = generator.run(3, 2);

        assertThat(report.get("requests")).isEqualTo(40L);
        assertThat((Map<String, Long>) report.get("outcomes")).containsExactly(Map.entry("201", 40L));
        assertThat(report.get("created")).isEqualTo(40L);
        assertThat(report.get("errors")).isEqualTo(0L);
        assertThat(report.get("unanswered")).isEqualTo(0L);
        Map<String, Double> latency = (Map<String, Double>) report.get("latency_ms");
        assertThat(latency).containsOnlyKeys("p50", "p90", "p95", "p99", "p99.9", "max");
        assertThat(latency.get("p50")).isPositive().isLessThanOrEqualTo(latency.get("p99"));
        assertThat(latency.get("p99")).isLessThanOrEqualTo(latency.get("max"));

        List<String> ids = generator.createdIds();
        assertThat(ids).hasSize(40).doesNotHaveDuplicates();
        assertThat(TestDatabase.count("SELECT count(*) FROM orders.orders WHERE id = ANY (?::uuid[])", (Object) ids.toArray(String[]::new)))
                .isEqualTo(40);
        assertThat(TestDatabase.count("SELECT count(*) FROM catalog.customers")).isEqualTo(3);
        assertThat(TestDatabase.count("SELECT count(*) FROM catalog.products")).isEqualTo(2);
    }

    @Test
    void neverTargetsAnotherHost() {
        assertThatThrownBy(() -> new LoadGenerator(URI.create("http://example.com:8080"), 10, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.1");
    }
}
