package org.eventstream.orders.observability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The route and the order a log line is about, in the MDC while each step of an exchange runs
 * ({@link LogContextUnitOfWork}): on whichever thread runs it, and on none after it.
 */
class LogContextTest {

    /** What a step saw in the MDC, and on which thread. */
    record Seen(String step, String thread, String routeId, String orderId) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private Processor see(String step) {
        return exchange -> seen.add(new Seen(step, Thread.currentThread().getName(), MDC.get(LogContextUnitOfWork.ROUTE_ID),
                MDC.get(LogContext.ORDER_ID)));
    }

    @Test
    void theRouteAndTheOrderFollowTheExchangeAcrossThreadsAndNoFurther() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getCamelContextExtension().addContextPlugin(UnitOfWorkFactory.class, new LogContextUnitOfWork.Factory());
            context.getRegistry().bind("logContext", new LogContext());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:order").routeId("payment-authorize-order")
                            .process(see("before"))
                            .setVariable("orderId", body())
                            .bean("logContext", "order")
                            .process(see("named"))
                            .to("direct:inner")
                            .process(see("back"))
                            .threads(1).threadName("other")
                            .process(see("other thread"));
                    from("direct:inner").routeId("payment-read-customer")
                            .process(see("inner"));
                }
            });
            context.start();

            context.createProducerTemplate().sendBody("direct:order", "o-1");
            String caller = Thread.currentThread().getName();
            assertThat(seen).containsExactly(
                    new Seen("before", caller, "payment-authorize-order", null),
                    new Seen("named", caller, "payment-authorize-order", "o-1"),
                    new Seen("inner", caller, "payment-read-customer", "o-1"),
                    new Seen("back", caller, "payment-authorize-order", "o-1"),
                    new Seen("other thread", seen.get(4).thread(), "payment-authorize-order", "o-1"));
            assertThat(seen.get(4).thread()).contains("other");
            assertThat(MDC.get(LogContext.ORDER_ID)).as("after the exchange").isNull();
            assertThat(MDC.get(LogContextUnitOfWork.ROUTE_ID)).as("after the exchange").isNull();

            seen.clear();
            context.createProducerTemplate().sendBody("direct:order", null);
            assertThat(seen).as("an exchange without an order").extracting(Seen::orderId).containsOnlyNulls();
        }
    }

    /** Camel runs a transacted exchange's steps without its unit of work's per-step calls: entering a route counts. */
    @Test
    void aTransactedExchangeLogsForTheRouteItIsIn() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getCamelContextExtension().addContextPlugin(UnitOfWorkFactory.class, new LogContextUnitOfWork.Factory());
            context.getRegistry().bind("transactionManager", new AbstractPlatformTransactionManager() {
                @Override
                protected Object doGetTransaction() {
                    return new Object();
                }

                @Override
                protected void doBegin(Object transaction, TransactionDefinition definition) {
                }

                @Override
                protected void doCommit(DefaultTransactionStatus status) {
                }

                @Override
                protected void doRollback(DefaultTransactionStatus status) {
                }
            });
            context.getRegistry().bind("logContext", new LogContext());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:consume").routeId("notification-consume-inventory-reserved")
                            .transacted()
                            .bean("logContext", "event")
                            .process(see("consumer"))
                            .to("direct:send")
                            .process(see("consumer again"));
                    from("direct:send").routeId("notification-send-notice")
                            .to("direct:read")
                            .filter(constant(true))
                                .process(see("filtered"));
                    from("direct:read").routeId("notification-read-customer")
                            .process(see("read"));
                }
            });
            context.start();

            context.createProducerTemplate().sendBody("direct:consume", Map.of("order_id", "o-3"));
            assertThat(seen).extracting(Seen::step, Seen::routeId, Seen::orderId).containsExactly(
                    tuple("consumer", "notification-consume-inventory-reserved", "o-3"),
                    tuple("read", "notification-read-customer", "o-3"),
                    tuple("filtered", "notification-send-notice", "o-3"),
                    tuple("consumer again", "notification-consume-inventory-reserved", "o-3"));
            assertThat(MDC.get(LogContext.ORDER_ID)).as("after the exchange").isNull();
            assertThat(MDC.get(LogContextUnitOfWork.ROUTE_ID)).as("after the exchange").isNull();
        }
    }

    @Test
    void anEventNamesItsOrder() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        try {
            new LogContext().event(Map.of("order_id", "o-2"), exchange);
            assertThat(exchange.getProperty(LogContext.ORDER_ID)).isEqualTo("o-2");
            assertThat(MDC.get(LogContext.ORDER_ID)).as("for the step naming it").isEqualTo("o-2");
        } finally {
            MDC.clear();
        }
    }
}
