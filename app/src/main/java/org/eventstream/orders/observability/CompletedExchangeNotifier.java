package org.eventstream.orders.observability;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Hears only that an exchange started by an endpoint of one type has ended, completed or failed: the one event a
 * per-request or per-delivery meter needs, with every other Camel event switched off at the source.
 *
 * @param <E> the type of endpoint whose exchanges are measured
 */
abstract class CompletedExchangeNotifier<E extends Endpoint> extends EventNotifierSupport {

    private final Class<E> endpointType;

    CompletedExchangeNotifier(Class<E> endpointType) {
        this.endpointType = endpointType;
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return (event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent)
                && endpointType.isInstance(((CamelEvent.ExchangeEvent) event).getExchange().getFromEndpoint());
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        ended(exchange, endpointType.cast(exchange.getFromEndpoint()), event instanceof CamelEvent.ExchangeFailedEvent);
    }

    /** An exchange from {@code endpoint} has ended; {@code failed} when it ended with an exception. */
    protected abstract void ended(Exchange exchange, E endpoint, boolean failed);
}
