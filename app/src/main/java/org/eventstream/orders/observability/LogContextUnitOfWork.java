package org.eventstream.orders.observability;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.slf4j.MDC;

/**
 * Camel's unit of work, keeping what a log line is about in the MDC while its exchange runs: the route
 * ({@value #ROUTE_ID}, ECS {@code event.action}) and the order ({@value LogContext#ORDER_ID}, once a route has named it
 * through {@link LogContext}). Both come from the exchange itself, put into the MDC when the exchange enters or
 * leaves a route and before each step, so they follow it to whichever thread runs the step; they are removed after each
 * step and when the exchange is done, so a thread never logs for an exchange it no longer runs. A transacted exchange
 * runs on one thread and Camel skips the per-step calls for it: entering and leaving routes keeps its MDC right.
 *
 * <p>It replaces Camel's MDC unit of work ({@code camel.main.use-mdc-logging}), which at every step also puts the
 * exchange's, message's and context's ids, and copies the thread's whole MDC to carry keys of its own across threads:
 * 7 % of the JVM's CPU under load (profile of 2026-11-29, docs/benchmarks.md), for two fields the logs use.
 * Bound as the context's {@link UnitOfWorkFactory} ({@link Factory}).
 */
public class LogContextUnitOfWork extends DefaultUnitOfWork {

    /** The MDC key of the route, Camel's own name for it; the ECS appender writes it as {@code event.action}. */
    public static final String ROUTE_ID = "camel.routeId";

    private final Factory factory;
    private Exchange exchange;

    LogContextUnitOfWork(Exchange exchange, Factory factory) {
        super(exchange, factory.inflightRepository, factory.allowUseOriginalMessage, factory.useBreadcrumb);
        this.factory = factory;
        this.exchange = exchange;
    }

    @Override
    public boolean onPrepare(Exchange exchange) {
        this.exchange = exchange;
        return super.onPrepare(exchange);
    }

    @Override
    public UnitOfWork createChildUnitOfWork(Exchange childExchange) {
        UnitOfWork child = new LogContextUnitOfWork(childExchange, factory);
        child.setParentUnitOfWork(this);
        return child;
    }

    @Override
    public void pushRoute(Route route) {
        super.pushRoute(route);
        show(route);
    }

    @Override
    public Route popRoute() {
        Route left = super.popRoute();
        show(getRoute());
        return left;
    }

    @Override
    public boolean isBeforeAfterProcess() {
        return true;
    }

    @Override
    public AsyncCallback beforeProcess(Processor processor, Exchange exchange, AsyncCallback callback) {
        show(getRoute());
        return super.beforeProcess(processor, exchange, callback);
    }

    @Override
    public void afterProcess(Processor processor, Exchange exchange, AsyncCallback callback, boolean doneSync) {
        clear();
    }

    @Override
    public void done(Exchange exchange) {
        super.done(exchange);
        clear();
    }

    /** The route and the order of this exchange in the MDC; none outside any route. */
    private void show(Route route) {
        if (route == null) {
            clear();
            return;
        }
        MDC.put(ROUTE_ID, route.getRouteId());
        Object orderId = exchange.getProperty(LogContext.ORDER_ID);
        if (orderId != null) {
            MDC.put(LogContext.ORDER_ID, orderId.toString());
        } else {
            MDC.remove(LogContext.ORDER_ID);
        }
    }

    private static void clear() {
        MDC.remove(ROUTE_ID);
        MDC.remove(LogContext.ORDER_ID);
    }

    @Override
    public String toString() {
        return "LogContextUnitOfWork";
    }

    /** Makes every exchange's unit of work a {@link LogContextUnitOfWork}, with the context's other settings. */
    public static final class Factory implements UnitOfWorkFactory {

        private InflightRepository inflightRepository;
        private boolean allowUseOriginalMessage;
        private boolean useBreadcrumb;

        @Override
        public UnitOfWork createUnitOfWork(Exchange exchange) {
            return new LogContextUnitOfWork(exchange, this);
        }

        @Override
        public void afterPropertiesConfigured(CamelContext context) {
            inflightRepository = context.getInflightRepository();
            allowUseOriginalMessage = Boolean.TRUE.equals(context.isAllowUseOriginalMessage());
            useBreadcrumb = Boolean.TRUE.equals(context.isUseBreadcrumb());
        }
    }
}
