package org.eventstream.orders.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A bundle process's telemetry: the OpenTelemetry SDK its traces go through and the Prometheus registry its meters
 * live in, bound into Camel's registry under the names the tracer, the metrics service and the beans use.
 * <p>
 * The SDK is configured by the standard {@code OTEL_*} variables (OTLP exporter, sampler, resource). Without a
 * collector ({@code OTEL_EXPORTER_OTLP_ENDPOINT} unset) spans are still made, so trace ids reach the logs and the
 * outbox, but they are not sampled unless the caller's traceparent asks for it, and nothing is exported. Metrics and logs leave through Prometheus and stdout,
 * so the SDK exports neither unless told to. Closed after Camel has stopped, so the last spans are flushed.
 */
public final class Telemetry extends ServiceSupport {

    /** The service name when {@code OTEL_SERVICE_NAME} does not give one (all bundles in one JVM). */
    public static final String DEFAULT_SERVICE_NAME = "event-stream-orders";

    private final OpenTelemetry openTelemetry;
    private final boolean ownsSdk;
    private final PrometheusMeterRegistry meterRegistry;
    private final ConsumerMetrics consumerMetrics;
    private final String serviceName;

    private Telemetry(OpenTelemetry openTelemetry, boolean ownsSdk, String serviceName) {
        this.openTelemetry = openTelemetry;
        this.ownsSdk = ownsSdk;
        this.serviceName = serviceName;
        this.meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // the label dashboards and alerts group by: one value per service (per container in docker compose)
        meterRegistry.config().commonTags("application", serviceName);
        this.consumerMetrics = new ConsumerMetrics(meterRegistry);
    }

    /** The SDK as the {@code OTEL_*} environment (or {@code otel.*} system properties) configure it. */
    public static Telemetry fromEnvironment() {
        Map<String, String> env = System.getenv();
        UnaryOperator<String> setting = key -> System.getProperty(key, env.get(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_')));
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults(setting))
                // closed by the Camel context after its routes, not by a JVM hook racing Camel's own shutdown
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        return new Telemetry(sdk, true, serviceName(setting));
    }

    /** Another SDK, e.g. a test's in-memory exporter; its owner closes it. */
    public static Telemetry with(OpenTelemetry openTelemetry, String serviceName) {
        return new Telemetry(openTelemetry, false, serviceName);
    }

    /**
     * The lowest-priority settings of the SDK: the service name, no exporter for metrics and logs, and neither a trace
     * exporter nor sampling unless an OTLP endpoint is configured.
     */
    static Map<String, String> defaults(UnaryOperator<String> setting) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("otel.service.name", DEFAULT_SERVICE_NAME);
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        if (setting.apply("otel.exporter.otlp.endpoint") == null && setting.apply("otel.exporter.otlp.traces.endpoint") == null) {
            defaults.put("otel.traces.exporter", "none");
            // nothing to export to: spans keep valid ids (logs, outbox rows) but record nothing, which costs little;
            // a caller's sampled traceparent is still honoured and passed on
            defaults.put("otel.traces.sampler", "parentbased_always_off");
        }
        return defaults;
    }

    static String serviceName(UnaryOperator<String> setting) {
        String name = setting.apply("otel.service.name");
        return name == null || name.isBlank() ? DEFAULT_SERVICE_NAME : name.strip();
    }

    /**
     * The beans by the names the tracer, the metrics service and the YAML beans look them up with.
     *
     * @param tracing {@code camel.opentelemetry2.enabled}: camel-main configures the tracer it finds in the registry,
     *                and would start it as a route policy factory even when tracing is off, so it is bound only when on
     */
    public Map<String, Object> beans(boolean tracing) {
        Map<String, Object> beans = new LinkedHashMap<>();
        beans.put("openTelemetry", openTelemetry);
        // camel-opentelemetry2 takes the one Tracer and ContextPropagators of the registry
        beans.put("openTelemetryTracer", openTelemetry.getTracer("org.apache.camel"));
        beans.put("openTelemetryPropagators", openTelemetry.getPropagators());
        if (tracing) {
            beans.put("pipelineTracer", new PipelineTracer());
        }
        // camel-micrometer-prometheus serves the registry bound under this name on GET /metrics
        beans.put("metricsRegistry", meterRegistry);
        beans.put("httpServerMetrics", new HttpServerMetrics(meterRegistry));
        beans.put("consumerMetrics", consumerMetrics);
        return beans;
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    public PrometheusMeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** Counts the messages of every consumer queue; the dead-letter recoverer reports to it too. */
    public ConsumerMetrics consumerMetrics() {
        return consumerMetrics;
    }

    public String serviceName() {
        return serviceName;
    }

    @Override
    protected void doStop() {
        if (ownsSdk && openTelemetry instanceof OpenTelemetrySdk sdk) {
            sdk.close();
        }
        meterRegistry.close();
    }
}
