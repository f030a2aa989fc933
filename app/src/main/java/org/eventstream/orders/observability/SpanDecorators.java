package org.eventstream.orders.observability;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.telemetry.SpanContextPropagationExtractor;
import org.apache.camel.telemetry.decorators.DirectSpanDecorator;
import org.apache.camel.telemetry.decorators.SqlSpanDecorator;
import org.apache.camel.telemetry.propagation.CamelHeadersSpanContextPropagationExtractor;
import org.eventstream.orders.sql.DeferredSqlComponent;

/**
 * Camel's span decorators for the endpoints a pipeline calls most — {@code sql:}, {@code sql-deferred:} and
 * {@code direct:}, several per message — with the upstream trace context read from the headers only when it is used.
 * <p>
 * Camel's tracer asks the decorator for that context at every span it opens, and the decorator copies every header
 * of the exchange into a case-insensitive map for it; but the context is only read for a span without a parent, the
 * first of a trace, and these endpoints' spans always have one (the route's). Under load the copies were 3 % of the
 * JVM's CPU (async-profiler, docs/benchmarks.md). A decorator that extends Camel's own replaces it (Camel's
 * {@code SpanDecoratorManagerImpl}); they are listed in {@code META-INF/services/org.apache.camel.telemetry.SpanDecorator}.
 * {@code sql-deferred:} had no decorator (a generic span); it now gets the SQL one.
 */
public final class SpanDecorators {

    private SpanDecorators() {
    }

    /** {@code sql:} statements. */
    public static class Sql extends SqlSpanDecorator {
        @Override
        public SpanContextPropagationExtractor getExtractor(Exchange exchange) {
            return new LazyExtractor(exchange.getIn().getHeaders());
        }
    }

    /** {@code sql-deferred:} statements (sql/DeferredSqlComponent.java): spans like {@code sql:}'s. */
    public static class DeferredSql extends Sql {
        @Override
        public String getComponent() {
            return "sql-deferred";
        }

        @Override
        public String getComponentClassName() {
            return DeferredSqlComponent.class.getName();
        }
    }

    /** {@code direct:} calls between routes. */
    public static class Direct extends DirectSpanDecorator {
        @Override
        public SpanContextPropagationExtractor getExtractor(Exchange exchange) {
            return new LazyExtractor(exchange.getIn().getHeaders());
        }
    }

    /** Camel's header extractor, built on first use from the headers as they are then. */
    static final class LazyExtractor implements SpanContextPropagationExtractor {

        private final Map<String, Object> headers;
        private SpanContextPropagationExtractor copy;

        LazyExtractor(Map<String, Object> headers) {
            this.headers = headers;
        }

        private SpanContextPropagationExtractor copy() {
            if (copy == null) {
                copy = new CamelHeadersSpanContextPropagationExtractor(headers);
            }
            return copy;
        }

        @Override
        public Iterator<Map.Entry<String, Object>> iterator() {
            return copy().iterator();
        }

        @Override
        public Object get(String key) {
            return copy().get(key);
        }

        @Override
        public Set<String> keys() {
            return copy().keys();
        }

        boolean copied() {
            return copy != null;
        }
    }
}
