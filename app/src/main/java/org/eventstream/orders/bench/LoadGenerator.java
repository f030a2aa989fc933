package org.eventstream.orders.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

/**
 * Drives {@code POST /orders} at a constant arrival rate, an open model: request {@code i} is due at
 * {@code start + i / rate} whether or not earlier ones have been answered, and its latency counts from that due time,
 * so a server that stalls shows in the percentiles instead of slowing the load down (no coordinated omission).
 * <p>
 * It seeds its own catalog through the API (products with ample stock, so orders complete), writes the id of every
 * order answered 201 (to check none is lost) and prints a JSON report. Only for 127.0.0.1; bounded by
 * {@code --duration}.
 * <pre>
 * java -cp app/target/event-stream-orders.jar org.eventstream.orders.bench.LoadGenerator \
 *      --url http://127.0.0.1:8080 --rate 500 --duration 60 --out report.json --ids ids.txt
 * </pre>
 */
public final class LoadGenerator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The P99 bar of ARCHITECTURE.md section 8: a request slower than this is reported with the second it was due in. */
    private static final long SLOW_MICROS = TimeUnit.MILLISECONDS.toMicros(200);

    private final URI base;
    private final double rate;
    private final int durationSeconds;
    private final int connections;
    private final long maxInFlight;

    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    /** Per second of the run (by due time): requests slower than {@link #SLOW_MICROS}, and the slowest. */
    private final Map<Long, long[]> slowBySecond = new TreeMap<>();
    /** When the first request was due (System.nanoTime); read by the answers' callbacks on the event loop. */
    private volatile long start;
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> createdIds = new ConcurrentLinkedQueue<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    LoadGenerator(URI base, double rate, int durationSeconds, int connections, long maxInFlight) {
        if (!"127.0.0.1".equals(base.getHost()) && !"localhost".equals(base.getHost())) {
            throw new IllegalArgumentException("load is only ever sent to 127.0.0.1, not " + base.getHost());
        }
        this.base = base;
        this.rate = rate;
        this.durationSeconds = durationSeconds;
        this.connections = connections;
        this.maxInFlight = maxInFlight;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        LoadGenerator generator = new LoadGenerator(URI.create(options.getOrDefault("url", "http://127.0.0.1:8080")),
                Double.parseDouble(options.getOrDefault("rate", "200")),
                Integer.parseInt(options.getOrDefault("duration", "30")),
                Integer.parseInt(options.getOrDefault("connections", "200")),
                Long.parseLong(options.getOrDefault("max-in-flight", "20000")));
        Map<String, Object> report = generator.run(Integer.parseInt(options.getOrDefault("customers", "50")),
                Integer.parseInt(options.getOrDefault("products", "20")));
        String json = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        System.out.println(json);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), json);
        }
        if (options.containsKey("ids")) {
            Files.write(Path.of(options.get("ids")), generator.createdIds);
        }
    }

    static Map<String, String> options(String... args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value pairs, not '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    Map<String, Object> run(int customerCount, int productCount) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setDefaultHost(base.getHost()).setDefaultPort(base.getPort()).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        try {
            List<String> customers = new ArrayList<>();
            List<String> products = new ArrayList<>();
            String tag = Long.toString(System.currentTimeMillis(), 36);
            for (int i = 0; i < customerCount; i++) {
                customers.add(create(client, "/customers",
                        "{\"name\":\"Load " + i + "\",\"email\":\"load-" + tag + "-" + i + "@example.com\"}"));
            }
            for (int i = 0; i < productCount; i++) {
                products.add(create(client, "/products", "{\"sku\":\"LOAD-" + tag + "-" + i + "\",\"name\":\"Load " + i
                        + "\",\"price\":" + (5 + i) + ".50,\"stock_available\":1000000000}"));
            }
            return drive(client, customers, products);
        } finally {
            client.close();
            vertx.close();
        }
    }

    private static String create(HttpClient client, String path, String body) throws Exception {
        var response = client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                        .putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(answer -> answer.body().map(buffer -> Map.entry(answer.statusCode(), buffer.toString())))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (response.getKey() != 201) {
            throw new IllegalStateException("seeding " + path + " answered " + response.getKey() + ": " + response.getValue());
        }
        return MAPPER.readTree(response.getValue()).get("id").asText();
    }

    private Map<String, Object> drive(HttpClient client, List<String> customers, List<String> products) throws InterruptedException {
        long total = Math.round(rate * durationSeconds);
        long intervalNanos = Math.round(1_000_000_000d / rate);
        start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (inFlight.get() >= maxInFlight) {
                count("dropped (too many in flight)");
                continue;
            }
            send(client, due, order(customers, products));
        }
        long sendingEnded = System.nanoTime();
        // let the last requests answer (bounded)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long created = outcomes.getOrDefault("201", new AtomicLong()).get();
        long errors = sent.get() - created + outcomes.getOrDefault("dropped (too many in flight)", new AtomicLong()).get();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("target_rate", rate);
        report.put("duration_s", durationSeconds);
        report.put("requests", total);
        report.put("achieved_rate", round(sent.get() / ((sendingEnded - start) / 1e9)));
        report.put("created", created);
        report.put("errors", errors);
        report.put("error_rate", total == 0 ? 0 : round((double) errors / total));
        Map<String, Object> percentiles = new LinkedHashMap<>();
        for (double p : new double[] {50, 90, 95, 99, 99.9}) {
            percentiles.put("p" + (p == Math.floor(p) ? String.valueOf((int) p) : String.valueOf(p)), millis(latency.getValueAtPercentile(p)));
        }
        percentiles.put("max", millis(latency.getMaxValue()));
        report.put("latency_ms", percentiles);
        Map<String, Long> byOutcome = new LinkedHashMap<>();
        outcomes.forEach((key, value) -> byOutcome.put(key, value.get()));
        report.put("outcomes", byOutcome);
        report.put("slow_by_second", slowBySecond());
        report.put("unanswered", inFlight.get());
        return report;
    }

    private static String order(List<String> customers, List<String> products) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String product = products.get(random.nextInt(products.size()));
        return "{\"customer_id\":\"" + customers.get(random.nextInt(customers.size())) + "\",\"items\":[{\"product_id\":\"" + product
                + "\",\"quantity\":" + (1 + random.nextInt(3)) + "}],\"currency\":\"USD\"}";
    }

    private void send(HttpClient client, long due, String body) {
        sent.incrementAndGet();
        inFlight.incrementAndGet();
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/orders").setTimeout(30_000)
                        .putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(buffer -> {
                    if (response.statusCode() == 201) {
                        createdIds.add(idOf(buffer.toString(StandardCharsets.UTF_8)));
                    }
                    return response.statusCode();
                }))
                .onComplete(result -> {
                    record(due);
                    count(result.succeeded() ? String.valueOf(result.result()) : result.cause().getClass().getSimpleName());
                    inFlight.decrementAndGet();
                });
    }

    private static String idOf(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            return node.get("id").asText();
        } catch (IOException e) {
            return "unparsable";
        }
    }

    private synchronized void record(long due) {
        long micros = Math.max(1, (System.nanoTime() - due) / 1000);
        latency.recordValue(Math.min(latency.getHighestTrackableValue(), micros));
        if (micros > SLOW_MICROS) {
            long[] slow = slowBySecond.computeIfAbsent(TimeUnit.NANOSECONDS.toSeconds(due - start), second -> new long[2]);
            slow[0]++;
            slow[1] = Math.max(slow[1], micros);
        }
    }

    /**
     * When the slow requests were due: {@code {"<second of the run>": {"requests": n, "max_ms": m}}}, only seconds with
     * any. A stall of the system or of this generator shows as a few seconds holding them all; an overload as most.
     */
    private synchronized Map<String, Object> slowBySecond() {
        Map<String, Object> seconds = new LinkedHashMap<>();
        slowBySecond.forEach((second, slow) -> {
            Map<String, Object> requests = new LinkedHashMap<>();
            requests.put("requests", slow[0]);
            requests.put("max_ms", millis(slow[1]));
            seconds.put(String.valueOf(second), requests);
        });
        return seconds;
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, key -> new AtomicLong()).incrementAndGet();
    }

    private static double millis(long micros) {
        return round(micros / 1000d);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000d;
    }

    /** For tests: the ids answered 201. */
    List<String> createdIds() {
        return List.copyOf(createdIds);
    }
}
