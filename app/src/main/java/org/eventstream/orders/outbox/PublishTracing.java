package org.eventstream.orders.outbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * The relay's part of each order's trace: a PRODUCER span per published event, child of the trace context its outbox
 * row carries (the span that wrote the row), ended when the broker confirms the batch. The message carries the
 * publish span's context in place of the row's, so the consuming route's span is the publish's child.
 */
final class PublishTracing {

    static final String INSTRUMENTATION = "org.eventstream.orders.outbox";

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    PublishTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** One event on its way to the broker: its span, and the event as published (with the span's context). */
    record Publish(Span span, OutboxEvent event) {
    }

    Publish start(OutboxEvent event) {
        Context parent = propagator.extract(Context.root(), event.headers(), HEADERS);
        Span span = tracer.spanBuilder("publish " + event.eventType())
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parent)
                .setAttribute("messaging.system", "rabbitmq")
                .setAttribute("messaging.operation.type", "publish")
                .setAttribute("messaging.destination.name", EventTopology.EXCHANGE)
                .setAttribute("messaging.rabbitmq.destination.routing_key", event.routingKey())
                .setAttribute("messaging.message.id", event.eventId())
                .startSpan();
        if (!span.getSpanContext().isValid()) {
            // tracing is off: the row's own context travels on
            return new Publish(span, event);
        }
        Map<String, String> headers = new LinkedHashMap<>(event.headers());
        propagator.inject(parent.with(span), headers, Map::put);
        return new Publish(span, event.withHeaders(headers));
    }

    static void confirmed(List<Publish> batch) {
        batch.forEach(publish -> publish.span().end());
    }

    static void failed(List<Publish> batch, Throwable failure) {
        for (Publish publish : batch) {
            publish.span().recordException(failure);
            publish.span().setStatus(StatusCode.ERROR, "not confirmed: the batch rolled back and will be published again");
            publish.span().end();
        }
    }
}
