package org.eventstream.orders.observability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.eventstream.orders.BundleSelection;
import org.eventstream.orders.support.Catalog;
import org.eventstream.orders.support.DashboardFields;
import org.eventstream.orders.support.EcsLogCapture;
import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.PrometheusScrape;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestDatabase;
import org.eventstream.orders.support.TestQueues;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces, logs and metrics of the whole pipeline (every bundle in one JVM, against the real servers): one order
 * placed with a W3C traceparent, followed through HTTP, the outbox, the relay, RabbitMQ and every consumer.
 * Spans go to an in-memory exporter, logs to an ECS JSON capture, metrics are read from GET /metrics. Then 40
 * orders at once, each with its own trace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static OpenTelemetrySdk sdk;
    private static EcsLogCapture logs;
    private static RunningBundles bundles;
    private static Http http;
    private static String orderId;

    @BeforeAll
    static void placeOneOrder() throws Exception {
        TestDatabase.truncateAll();
        TestQueues.purgeAll();
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        logs = EcsLogCapture.start();
        // published rows are kept: the test reads every event's traceparent from the outbox
        bundles = RunningBundles.start(Map.of("outbox.retention-seconds", "3600"), Telemetry.with(sdk, "event-stream-orders"),
                BundleSelection.ALL.toArray(String[]::new));
        http = bundles.http();
        Catalog catalog = new Catalog(http);
        String customer = catalog.customer("Grace", false);
        String product = catalog.product("TRACE-1", "12.50", 10);

        Http.Response created = http.send(http.method("POST", "/orders", Catalog.order(customer, Map.of(product, 2)),
                "application/json", "traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        orderId = created.json().get("id").asText();

        // the aggregator's record of order.completed is the last step of the pipeline
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                TestDatabase.count("SELECT count(*) FROM analytics.order_outcomes WHERE order_id = ?::uuid", orderId) == 1
                        && spanNames(traceSpans()).contains("aggregator-record-outcome"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (bundles != null) {
            bundles.close();
        }
        if (logs != null) {
            logs.close();
        }
        if (sdk != null) {
            sdk.close();
        }
    }

    private static List<SpanData> traceSpans() {
        return SPANS.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(TRACE_ID)).toList();
    }

    private static Set<String> spanNames(List<SpanData> spans) {
        return spans.stream().map(SpanData::getName).collect(Collectors.toSet());
    }

    @Test
    @Order(1)
    void oneOrderIsOneTraceAcrossEveryBundle() {
        List<SpanData> trace = traceSpans();

        assertThat(spanNames(trace)).contains(
                "/orders",                                // orders-api: the HTTP request (POST)
                "orders-api-insert-order",                // its transaction, with the outbox insert
                "publish order.created",                  // outbox-dispatcher: the relay's publish
                "payment-authorize-order", "publish payment.authorized",
                "aggregator-count-created",
                "inventory-reserve-stock", "publish inventory.reserved",
                "notification-send-notice", "publish notification.sent",
                "orders-api-apply-outcome",               // every status update, the terminal one included
                "publish order.completed",
                "aggregator-record-outcome");

        // one tree: every span's parent is in the trace, except the root's, which is the client's span
        Set<String> ids = trace.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
        assertThat(trace).allSatisfy(span -> assertThat(ids.contains(span.getParentSpanId())
                || span.getParentSpanId().equals(CLIENT_SPAN_ID)).as(span.toString()).isTrue());
        assertThat(trace).filteredOn(span -> span.getParentSpanId().equals(CLIENT_SPAN_ID)).extracting(SpanData::getName)
                .containsExactly("/orders");
        // each publish is the parent of the consumer's span that received it
        Map<String, String> nameById = trace.stream().collect(Collectors.toMap(SpanData::getSpanId, SpanData::getName));
        assertThat(trace).filteredOn(span -> span.getName().equals("events"))
                .allSatisfy(consumer -> assertThat(nameById.get(consumer.getParentSpanId())).startsWith("publish "));
        // statements are SQL spans, those written at the commit (sql-deferred) too (observability/SpanDecorators.java)
        assertThat(trace).filteredOn(span -> uri(span).startsWith("sql-deferred:")).isNotEmpty()
                .allSatisfy(span -> assertThat(span.getAttributes().get(AttributeKey.stringKey("db.system"))).isEqualTo("sql"));
        assertThat(trace).filteredOn(span -> uri(span).startsWith("sql:")).isNotEmpty()
                .allSatisfy(span -> assertThat(span.getAttributes().get(AttributeKey.stringKey("db.system"))).isEqualTo("sql"));
    }

    private static String uri(SpanData span) {
        return String.valueOf(span.getAttributes().get(AttributeKey.stringKey("camel.uri")));
    }

    @Test
    @Order(5)
    void concurrentOrdersEachKeepTheirOwnTrace() throws Exception {
        Catalog catalog = new Catalog(http);
        String customer = catalog.customer("Concurrent", false);
        String product = catalog.product("TRACE-2", "1.00", 1000);
        Map<String, String> traceOfOrder = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String traceId = String.format("%032x", 0xabc000L + i);
                sent.add(pool.submit(() -> {
                    Http.Response created = http.send(http.method("POST", "/orders", Catalog.order(customer, Map.of(product, 1)),
                            "application/json", "traceparent", "00-" + traceId + "-" + CLIENT_SPAN_ID + "-01"));
                    assertThat(created.status()).as(created.body()).isEqualTo(201);
                    traceOfOrder.put(created.json().get("id").asText(), traceId);
                }));
            }
            for (java.util.concurrent.Future<?> future : sent) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // every event of an order, whichever thread or bundle wrote it, carries the trace of the request that placed it
        await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.count(
                "SELECT count(*) FROM messaging.outbox WHERE event_type = 'order.completed' AND aggregate_id = ANY (?)",
                (Object) traceOfOrder.keySet().toArray(String[]::new)) == traceOfOrder.size());
        for (Map.Entry<String, String> order : traceOfOrder.entrySet()) {
            assertThat(TestDatabase.text("SELECT string_agg(DISTINCT substr(headers->>'traceparent', 4, 32), ',') "
                    + "FROM messaging.outbox WHERE aggregate_id = ?", order.getKey())).as("order " + order.getKey())
                    .isEqualTo(order.getValue());
        }
    }

    @Test
    @Order(2)
    void timersOpenNoTraces() {
        // every trace recorded starts at an HTTP request: the relay loop, backlog meter and retention purge make none
        List<SpanData> all = SPANS.getFinishedSpanItems();
        Set<String> ids = all.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
        Map<String, List<String>> rootsByTrace = all.stream().filter(span -> !ids.contains(span.getParentSpanId()))
                .collect(Collectors.groupingBy(SpanData::getTraceId, Collectors.mapping(SpanData::getName, Collectors.toList())));

        assertThat(rootsByTrace.keySet()).containsExactlyInAnyOrderElementsOf(all.stream().map(SpanData::getTraceId).distinct().toList());
        assertThat(rootsByTrace.values()).allSatisfy(roots -> assertThat(roots).singleElement().asString().startsWith("/"));
    }

    @Test
    @Order(3)
    void logLinesAreEcsJsonCarryingTheTraceOfTheRequest() {
        List<JsonNode> lines = logs.lines();
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line.has("@timestamp") && line.has("log.level")
                && line.has("message") && line.has("ecs.version") && line.has("service.name")).as(line.toString()).isTrue());

        List<JsonNode> ofTheOrder = lines.stream().filter(line -> TRACE_ID.equals(line.path("trace.id").asText(null))).toList();
        assertThat(ofTheOrder).isNotEmpty().allSatisfy(line -> {
            assertThat(line.path("span.id").asText()).matches("[0-9a-f]{16}");
            assertThat(line.path("order.id").asText()).isEqualTo(orderId);
        });
        // the notification bundle's notice, found by the trace id of the request that placed the order
        assertThat(ofTheOrder).anySatisfy(line -> {
            assertThat(line.path("event.action").asText()).isEqualTo("notification-send-notice");
            assertThat(line.path("message").asText()).contains("ORDER_CONFIRMED");
            assertThat(line.path("service.name").asText()).isEqualTo("event-stream-orders");
        });
    }

    @Test
    @Order(4)
    void thePrometheusEndpointExposesTheSeriesTheDashboardsUse() throws Exception {
        Http.Response response = http.get("/metrics");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        PrometheusScrape scrape = PrometheusScrape.parse(response.body());

        assertThat(scrape.has("http_server_requests_seconds_bucket", Map.of("uri", "/orders", "method", "POST", "le", "0.2"))).isTrue();
        assertThat(scrape.value("http_server_responses_total", Map.of("uri", "/orders", "status", "201", "outcome", "SUCCESS"))).isEqualTo(1);
        assertThat(scrape.value("consumer_messages_total", Map.of("queue", "payment.order.created", "outcome", "consumed"))).isEqualTo(1);
        assertThat(scrape.value("orders_total", Map.of("status", "COMPLETED"))).isEqualTo(1);
        assertThat(scrape.value("orders_revenue_total", Map.of("currency", "USD"))).isEqualTo(25.0);
        assertThat(scrape.value("orders_processing_time_seconds_count", Map.of("status", "COMPLETED"))).isEqualTo(1);
        assertThat(scrape.has("orders_processing_time_seconds_bucket", Map.of("le", "2.0"))).isTrue();
        assertThat(scrape.has("outbox_backlog", Map.of())).isTrue();
        assertThat(scrape.has("outbox_oldest_age_seconds", Map.of())).isTrue();
        assertThat(scrape.families()).allSatisfy(family ->
                assertThat(scrape.labelsOf(family)).as(family).contains("application"));

        // every Prometheus field a dashboard or alert rule reads is one Metricbeat makes of a family served here
        assertThat(DashboardFields.load().prometheusFields()).isNotEmpty()
                .allSatisfy(field -> assertThat(scrape.metricbeatFields()).as("dashboards use " + field).contains(field));
        // and every field they read from the logs is one the log lines carry
        Set<String> logFields = logs.lines().stream().flatMap(line -> iterable(line.fieldNames())).collect(Collectors.toSet());
        assertThat(DashboardFields.load().logFields()).isNotEmpty()
                .allSatisfy(field -> assertThat(logFields).as("dashboards use " + field).contains(field));
    }

    private static java.util.stream.Stream<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list.stream();
    }
}
