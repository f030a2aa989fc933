package org.eventstream.orders.observability;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryTest {

    @Test
    void withoutACollectorSpansAreMadeButNotExported() {
        Map<String, String> defaults = Telemetry.defaults(key -> null);

        assertThat(defaults).containsEntry("otel.traces.exporter", "none").containsEntry("otel.traces.sampler", "parentbased_always_off")
                .containsEntry("otel.metrics.exporter", "none")
                .containsEntry("otel.logs.exporter", "none").containsEntry("otel.service.name", "event-stream-orders");
    }

    @Test
    void anOtlpEndpointTurnsTheTraceExporterOn() {
        Map<String, String> settings = Map.of("otel.exporter.otlp.endpoint", "http://apm-server:8200");

        assertThat(Telemetry.defaults(settings::get)).doesNotContainKeys("otel.traces.exporter", "otel.traces.sampler");
        assertThat(Telemetry.defaults(Map.of("otel.exporter.otlp.traces.endpoint", "http://c:4318/v1/traces")::get))
                .doesNotContainKey("otel.traces.exporter");
    }

    @Test
    void withoutACollectorTraceIdsStillReachTheOutboxAndTheLogs() throws Exception {
        Telemetry telemetry = Telemetry.fromEnvironment();
        try {
            var span = telemetry.openTelemetry().getTracer("test").spanBuilder("probe").startSpan();
            assertThat(span.getSpanContext().isValid()).isTrue();
            assertThat(span.isRecording()).isFalse();
            span.end();
        } finally {
            telemetry.stop();
        }
    }

    @Test
    void theServiceNameLabelsEveryMeter() {
        assertThat(Telemetry.serviceName(Map.of("otel.service.name", " payment ")::get)).isEqualTo("payment");
        assertThat(Telemetry.serviceName(key -> null)).isEqualTo("event-stream-orders");

        Telemetry telemetry = Telemetry.with(io.opentelemetry.api.OpenTelemetry.noop(), "payment");
        telemetry.meterRegistry().counter("probe").increment();
        assertThat(telemetry.meterRegistry().scrape()).contains("probe_total{application=\"payment\"} 1.0");
        assertThat(telemetry.beans(true)).containsKeys("openTelemetry", "openTelemetryTracer", "openTelemetryPropagators",
                "pipelineTracer", "metricsRegistry", "httpServerMetrics", "consumerMetrics");
        // camel-main would start a tracer it finds in the registry even with camel.opentelemetry2.enabled=false
        assertThat(telemetry.beans(false)).doesNotContainKey("pipelineTracer").containsKey("metricsRegistry");
    }
}
