package org.eventstream.orders;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.TestDatabase;
import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shaded jar as users run it: {@code java -jar app/target/event-stream-orders.jar [bundle ...|migrate]}.
 */
class LauncherIT {

    private static final String JAR = System.getProperty("app.jar", "app/target/event-stream-orders.jar");

    @TempDir
    Path elsewhere;

    private static ProcessBuilder java(Path workingDir, Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", new File(JAR).getAbsolutePath()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(TestServers.environment(TestServers.freePort()));
        builder.environment().put("LOG_FORMAT", "plain");
        builder.environment().putAll(env);
        return builder;
    }

    private static String run(ProcessBuilder builder, int expectedExit) throws Exception {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(expectedExit);
        return output;
    }

    @Test
    void anUnknownBundleExitsNonZeroListingTheValidOnes() throws Exception {
        String output = run(java(Path.of("."), Map.of(), "orders-api", "shipping"), 2);

        assertThat(output).contains("unknown bundle shipping")
                .contains("orders-api", "outbox-dispatcher", "payment", "inventory", "notification", "aggregator");
    }

    @Test
    void migrateOnlyAppliesTheMigrationsFromTheJar() throws Exception {
        String output = run(java(elsewhere, Map.of(), "migrate"), 0);

        assertThat(output).contains("schema at version").contains("classpath:db/migration");
        assertThat(TestDatabase.count("SELECT count(*) FROM flyway_schema_history WHERE success")).isGreaterThanOrEqualTo(5);
    }

    @Test
    void servesOrdersFromTheJarsRoutesAndFinishesInFlightWorkOnSigterm() throws Exception {
        TestDatabase.truncateAll();
        int port = TestServers.freePort();
        Process process = java(elsewhere, Map.of("HTTP_PORT", String.valueOf(port)), "orders-api")
                .redirectOutput(elsewhere.resolve("app.log").toFile())
                .start();
        try {
            Http http = new Http(port);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.get("/health/ready").status() == 200);
            String customer = http.postJson("/customers", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}").json().get("id").asText();
            String product = http.postJson("/products", "{\"sku\":\"W-1\",\"name\":\"W\",\"price\":1.25,\"stock_available\":3}")
                    .json().get("id").asText();
            String order = "{\"customer_id\":\"" + customer + "\",\"items\":[{\"product_id\":\"" + product + "\",\"quantity\":2}]}";
            assertThat(http.postJson("/orders", order).status()).isEqualTo(201);

            // the next order's transaction takes 2 s; SIGTERM arrives while it runs
            TestDatabase.execute("""
                    CREATE OR REPLACE FUNCTION messaging.test_slow_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN PERFORM pg_sleep(2); RETURN NEW; END $$;
                    CREATE TRIGGER test_slow_outbox BEFORE INSERT ON messaging.outbox
                        FOR EACH ROW EXECUTE FUNCTION messaging.test_slow_outbox();
                    """);
            CompletableFuture<Http.Response> inFlight = CompletableFuture.supplyAsync(() -> http.postJson("/orders", order));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    TestDatabase.count("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'WITH requested AS (%'") > 0);
            process.destroy(); // SIGTERM

            Http.Response response = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(response.status()).isEqualTo(201);
            assertThat(process.waitFor(45, TimeUnit.SECONDS)).isTrue();
            assertThat(TestDatabase.count("SELECT count(*) FROM orders.orders")).isEqualTo(2);
            assertThat(TestDatabase.count("SELECT count(*) FROM messaging.outbox")).isEqualTo(2);
            assertThat(Files.readString(elsewhere.resolve("app.log"))).contains("routes from the jar");
        } finally {
            process.destroyForcibly();
            TestDatabase.execute("DROP TRIGGER IF EXISTS test_slow_outbox ON messaging.outbox; "
                    + "DROP FUNCTION IF EXISTS messaging.test_slow_outbox()");
        }
    }

}
