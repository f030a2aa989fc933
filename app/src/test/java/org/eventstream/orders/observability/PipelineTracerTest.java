package org.eventstream.orders.observability;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineTracerTest {

    private static Exchange from(CamelContext context, String uri) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getExchangeExtension().setFromEndpoint(context.getEndpoint(uri));
        return exchange;
    }

    @Test
    void anExchangeStartedAtAnExcludedEndpointIsNotTracedAtAll() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            PipelineTracer tracer = new PipelineTracer();
            tracer.setExcludePatterns("timer:*");

            assertThat(tracer.startedAtExcludedEndpoint(from(context, "timer:outbox-relay?delay=0&period=1"))).isTrue();
            assertThat(tracer.startedAtExcludedEndpoint(from(context, "direct:orders-api-create-order"))).isFalse();
            assertThat(tracer.startedAtExcludedEndpoint(new DefaultExchange(context))).isFalse();
        }
    }

    @Test
    void rememberedAnswersFollowThePatternsInForce() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            PipelineTracer tracer = new PipelineTracer();
            tracer.setExcludePatterns("timer:*,sql:SELECT*");
            for (int i = 0; i < 3; i++) {
                assertThat(tracer.exclude("timer://outbox-relay?period=250", context)).isTrue();
                assertThat(tracer.exclude("sql:SELECT 1", context)).isTrue();
                assertThat(tracer.exclude("sql:INSERT INTO t VALUES (1)", context)).isFalse();
            }

            tracer.setExcludePatterns("sql:*");

            assertThat(tracer.exclude("timer://outbox-relay?period=250", context)).isFalse();
            assertThat(tracer.exclude("sql:INSERT INTO t VALUES (1)", context)).isTrue();
        }
    }
}
