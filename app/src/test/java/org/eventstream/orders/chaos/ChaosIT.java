package org.eventstream.orders.chaos;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.eventstream.orders.support.Catalog;
import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.TestDatabase;
import org.eventstream.orders.support.TestQueues;
import org.eventstream.orders.support.TestRedis;
import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CI variant of scripts/chaos.sh: every bundle as its own process from the shaded jar; while orders come in,
 * payment and the outbox-dispatcher are killed with SIGKILL and started again, and Redis forgets every
 * idempotency key. Afterwards every order answered 201 is terminal and no effect was applied twice.
 * (Restarting PostgreSQL and RabbitMQ is left to the script: they are shared with the rest of the suite.)
 */
class ChaosIT {

    private static final String JAR = System.getProperty("app.jar", "app/target/event-stream-orders.jar");
    private static final List<String> BUNDLES = List.of("orders-api", "outbox-dispatcher", "payment", "inventory", "notification", "aggregator");
    private static final Map<String, Process> PROCESSES = new LinkedHashMap<>();
    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();

    @TempDir
    static Path logs;

    private static Process start(String bundle) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", new File(JAR).getAbsolutePath(), bundle)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(bundle + ".log").toFile()));
        Map<String, String> env = builder.environment();
        env.putAll(TestServers.environment(PORTS.get(bundle)));
        env.put("CAMEL_SERVER_HOST", "127.0.0.1");
        env.put("LOG_FORMAT", "plain");
        env.put("CONSUMER_BACKOFF_INITIAL_MS", "50");
        // six processes share the server's 100 connections with the rest of the suite
        env.put("DB_POOL_MAX_SIZE", "5");
        Process process = builder.start();
        PROCESSES.put(bundle, process);
        return process;
    }

    private static void awaitReady(String bundle) {
        Http http = new Http(PORTS.get(bundle));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> http.get("/health/ready").status() == 200);
    }

    @BeforeAll
    static void startEveryBundleAsItsOwnProcess() throws Exception {
        TestServers.resetPipeline();
        for (String bundle : BUNDLES) {
            PORTS.put(bundle, TestServers.freePort());
        }
        // orders-api first: it migrates the schema the others need
        start("orders-api");
        awaitReady("orders-api");
        for (String bundle : BUNDLES.subList(1, BUNDLES.size())) {
            start(bundle);
        }
        for (String bundle : BUNDLES) {
            awaitReady(bundle);
        }
    }

    @AfterAll
    static void stopThem() throws Exception {
        for (Process process : PROCESSES.values()) {
            process.destroy();
        }
        for (Process process : PROCESSES.values()) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static void killAndRestart(String bundle) throws Exception {
        Process process = PROCESSES.get(bundle);
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1_000);
        start(bundle);
        awaitReady(bundle);
    }

    @Test
    void ordersSurviveKilledBundlesAndForgottenIdempotencyKeys() throws Exception {
        Http http = new Http(PORTS.get("orders-api"));
        Catalog catalog = new Catalog(http);
        String customer = catalog.customer("Chaos", false);
        String product = catalog.product("CHAOS-1", "2.00", 100_000);
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<Future<Http.Response>> responses = new ArrayList<>();
        try {
            for (int wave = 0; wave < 3; wave++) {
                for (int i = 0; i < 40; i++) {
                    responses.add(load.submit(() -> http.postJson("/orders", Catalog.order(customer, Map.of(product, 1)))));
                }
                switch (wave) {
                    case 0 -> killAndRestart("payment");
                    case 1 -> killAndRestart("outbox-dispatcher");
                    default -> TestRedis.forgetIdempotencyKeys();
                }
            }
            List<String> created = new ArrayList<>();
            for (Future<Http.Response> response : responses) {
                Http.Response answer = response.get(60, TimeUnit.SECONDS);
                if (answer.status() == 201) {
                    created.add(answer.json().get("id").asText());
                }
            }
            assertThat(created).hasSize(responses.size());

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    TestDatabase.count("SELECT count(*) FROM orders.orders WHERE status = 'COMPLETED'") == created.size());
            assertThat(TestDatabase.count("SELECT count(*) FROM payments.payments")).isEqualTo(created.size());
            assertThat(TestDatabase.count("SELECT count(*) FROM notifications.notifications")).isEqualTo(created.size());
            assertThat(TestDatabase.count("SELECT stock_available FROM catalog.products WHERE sku = 'CHAOS-1'"))
                    .isEqualTo(100_000 - created.size());
            assertThat(TestQueues.deadLettered()).isEmpty();
        } finally {
            load.shutdownNow();
        }
    }
}
