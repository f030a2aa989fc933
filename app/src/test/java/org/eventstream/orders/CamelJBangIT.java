package org.eventstream.orders;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.eventstream.orders.support.Catalog;
import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.TestDatabase;
import org.eventstream.orders.support.TestFiles;
import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The orders-api bundle run by Camel JBang with the README's command, from a copy of its folder laid out as in the
 * repository ({@code routes/orders-api}, {@code routes/shared}, {@code sql/}, the project's jar at
 * {@code app/target/event-stream-orders.jar}): Camel JBang at the project's Camel version comes from Maven Central through
 * the camel-jbang module ({@code camel-jbang/target/camel.jar}); the bundle's application.properties adds the project's jar.
 */
class CamelJBangIT {

    private static final String CAMEL_JAR = System.getProperty("camel.jbang.jar", "camel-jbang/target/camel.jar");
    private static final String APP_JAR = System.getProperty("app.jar", "app/target/event-stream-orders.jar");

    /** The README's command, run from routes/orders-api; --max-seconds bounds it should this test's JVM die first. */
    private static final String CAMEL_RUN = "camel run ../shared/*.camel.yaml *.camel.yaml"
            + " --properties=application.properties,../shared/application.properties";

    @TempDir
    Path checkout;

    @Test
    void runsTheOrdersApiBundleWithCamelRunAgainstTheLocalServers() throws Exception {
        assertThat(new File(CAMEL_JAR)).as("built by the camel-jbang module (./mvnw package)").isFile();
        TestFiles.copyTree(Path.of("routes", "shared"), checkout.resolve("routes/shared"));
        TestFiles.copyTree(Path.of("routes", "orders-api"), checkout.resolve("routes/orders-api"));
        TestFiles.copyTree(Path.of("sql"), checkout.resolve("sql"));
        Files.createDirectories(checkout.resolve("app/target"));
        Files.createSymbolicLink(checkout.resolve("app/target/event-stream-orders.jar"), Path.of(APP_JAR).toAbsolutePath());

        int port = TestServers.freePort();
        Path log = checkout.resolve("camel-run.log");
        String command = CAMEL_RUN.replaceFirst("^camel ", "exec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -jar '" + new File(CAMEL_JAR).getAbsolutePath() + "' ") + " --max-seconds=300 --logging-color=false";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command)
                .directory(checkout.resolve("routes/orders-api").toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(TestServers.environment(port));
        Process camel = builder.start();
        try {
            Http http = new Http(port);
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .failFast("camel run exited: " + tail(log), () -> !camel.isAlive())
                    .until(() -> http.get("/health/ready").status() == 200);

            JsonNode checks = http.get("/health/ready?exposureLevel=full").json().get("checks");
            assertThat(checks.findValuesAsText("name")).contains("postgresql", "rabbitmq", "redis");
            Catalog catalog = new Catalog(http);
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            String customer = catalog.customer("JBang" + suffix, false);
            String product = catalog.product("JBANG-" + suffix, "4.00", 10);
            Http.Response placed = http.postJson("/orders", Catalog.order(customer, Map.of(product, 3)));

            assertThat(placed.status()).as(placed.body()).isEqualTo(201);
            String orderId = placed.json().get("id").asText();
            assertThat(placed.json().get("total_amount").decimalValue()).isEqualByComparingTo("12.00");
            assertThat(TestDatabase.count("SELECT count(*) FROM messaging.outbox WHERE aggregate_id = ? AND event_type = 'order.created'",
                    orderId)).isEqualTo(1);
            // the problem+json hook on the HTTP router, installed by the project's Java under camel run too
            assertThat(http.get("/no-such-path").contentType()).isEqualTo("application/problem+json");
            assertThat(Files.readString(log)).contains("Additional jars added to classpath: ../../app/target/event-stream-orders.jar");
        } finally {
            stop(camel);
        }
        assertThat(Files.readString(log)).contains("is shutdown");
    }

    private static void stop(Process camel) throws InterruptedException {
        camel.destroy(); // SIGTERM: Camel's graceful shutdown
        if (!camel.waitFor(45, TimeUnit.SECONDS)) {
            camel.descendants().forEach(ProcessHandle::destroyForcibly);
            camel.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(camel.isAlive()).isFalse();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
