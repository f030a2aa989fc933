package org.eventstream.orders.observability;

import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EcsContextAppenderTest {

    private static final SpanContext SPAN = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
            TraceFlags.getSampled(), TraceState.getDefault());

    @Test
    void mdcNamesBecomeEcsFieldsAndTheActiveSpanIsAdded() {
        Map<String, String> context = EcsContextAppender.ecsContext(
                Map.of("camel.routeId", "payment-authorize-order", "order.id", "o-1", "camel.exchangeId", "x-1"), SPAN);

        assertThat(context).containsEntry("event.action", "payment-authorize-order").containsEntry("order.id", "o-1")
                .containsEntry("camel.exchangeId", "x-1").containsEntry("trace.id", "4bf92f3577b34da6a3ce929d0e0e4736")
                .containsEntry("span.id", "00f067aa0ba902b7").doesNotContainKey("camel.routeId");
    }

    @Test
    void withoutASpanThereIsNoTraceId() {
        assertThat(EcsContextAppender.ecsContext(Map.of(), SpanContext.getInvalid())).isEmpty();
    }

    @Test
    void theEventHandedOnCarriesTheMappedContextAndEverythingElseUnchanged() {
        LoggingEvent event = new LoggingEvent("test", new LoggerContext().getLogger("probe"), Level.INFO, "hello {}", null,
                new Object[] {"world"});
        event.setMDCPropertyMap(Map.of("camel.routeId", "orders-api-create-order"));

        ILoggingEvent handed = EcsContextAppender.withEcsContext(event, SPAN);

        assertThat(handed.getMDCPropertyMap()).containsEntry("event.action", "orders-api-create-order")
                .containsEntry("trace.id", "4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(handed.getFormattedMessage()).isEqualTo("hello world");
        assertThat(handed.getLevel()).isEqualTo(Level.INFO);
    }
}
