package org.eventstream.orders.observability;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

/** The order id a route puts into the MDC lasts for its exchange, with the MDC settings of the shared configuration. */
class LogContextTest {

    @Test
    void theOrderIdLastsForItsExchangeAndNoLonger() throws Exception {
        Properties shared = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("routes/shared/application.properties"))) {
            shared.load(in);
        }
        try (CamelContext context = new DefaultCamelContext()) {
            context.setUseMDCLogging(Boolean.parseBoolean(shared.getProperty("camel.main.use-mdc-logging")));
            context.setMDCLoggingKeysPattern(shared.getProperty("camel.main.mdc-logging-keys-pattern"));
            context.getRegistry().bind("logContext", new LogContext());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:order").routeId("payment-authorize-order")
                            .bean("logContext", "order(${body})")
                            .process(exchange -> exchange.getMessage().setHeader("logged", MDC.get(LogContext.ORDER_ID)));
                }
            });
            context.start();

            Exchange first = context.createProducerTemplate().request("direct:order", exchange -> exchange.getMessage().setBody("o-1"));
            assertThat(first.getMessage().getHeader("logged")).isEqualTo("o-1");
            assertThat(MDC.get(LogContext.ORDER_ID)).as("after the exchange").isNull();

            Exchange second = context.createProducerTemplate().request("direct:order", exchange -> exchange.getMessage().setBody(null));
            assertThat(second.getMessage().getHeader("logged")).as("an exchange without an order").isNull();
        }
    }
}
