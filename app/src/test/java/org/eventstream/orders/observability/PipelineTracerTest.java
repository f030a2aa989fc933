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
}
