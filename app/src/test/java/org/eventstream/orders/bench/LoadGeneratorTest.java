package org.eventstream.orders.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the slow requests were due, against a stand-in for the API that stalls on purpose (the generator's report, not
 * the system: {@link LoadGeneratorIT} drives the real API and PostgreSQL).
 */
class LoadGeneratorTest {

    private HttpServer server;
    private ExecutorService threads;

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportsTheSecondsTheSlowRequestsWereDueIn() throws Exception {
        // 10 orders a second for 3 s: the 12th to 14th order (due in the second second) are answered after 400 ms
        AtomicInteger orders = new AtomicInteger();
        start(path -> path.equals("/orders") && orders.incrementAndGet() >= 12 && orders.get() <= 14 ? 400 : 0);

        Map<String, Object> report = new LoadGenerator(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), 10, 3, 20, 1000)
                .run(1, 1);

        assertThat(report.get("created")).isEqualTo(30L);
        Map<String, Map<String, Object>> slow = (Map<String, Map<String, Object>>) report.get("slow_by_second");
        assertThat(slow).containsOnlyKeys("1");
        assertThat(slow.get("1").get("requests")).isEqualTo(3L);
        assertThat((Double) slow.get("1").get("max_ms")).isGreaterThanOrEqualTo(400.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportsNoSecondWhenNothingWasSlow() throws Exception {
        start(path -> 0);

        Map<String, Object> report = new LoadGenerator(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), 10, 1, 20, 1000)
                .run(1, 1);

        assertThat(report.get("created")).isEqualTo(10L);
        assertThat((Map<String, Object>) report.get("slow_by_second")).isEmpty();
    }

    /** Answers every POST 201 with a fresh id, after the delay (ms) the path is given. */
    private void start(ToIntFunction<String> delayMillis) throws IOException {
        threads = Executors.newFixedThreadPool(8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> answer(exchange, delayMillis.applyAsInt(exchange.getRequestURI().getPath())));
        server.start();
    }

    private static void answer(HttpExchange exchange, int delayMillis) throws IOException {
        exchange.getRequestBody().readAllBytes();
        try {
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = ("{\"id\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(201, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
