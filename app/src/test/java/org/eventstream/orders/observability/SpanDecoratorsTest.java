package org.eventstream.orders.observability;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.telemetry.SpanDecoratorManagerImpl;
import org.apache.camel.telemetry.decorators.SpringRabbitmqSpanDecorator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpanDecoratorsTest {

    private final SpanDecoratorManagerImpl decorators = new SpanDecoratorManagerImpl();

    @Test
    void camelPicksTheseForSqlDeferredSqlAndDirectAndItsOwnForTheRest() {
        assertThat(decorators.get(endpoint("sql:SELECT 1"))).isExactlyInstanceOf(SpanDecorators.Sql.class);
        assertThat(decorators.get(endpoint("sql-deferred:INSERT INTO t VALUES (1)"))).isExactlyInstanceOf(SpanDecorators.DeferredSql.class);
        assertThat(decorators.get(endpoint("direct:effect"))).isExactlyInstanceOf(SpanDecorators.Direct.class);
        // a consumer's span is the first of its trace: Camel's decorator, which reads the context from the headers
        assertThat(decorators.get(endpoint("spring-rabbitmq:events"))).isExactlyInstanceOf(SpringRabbitmqSpanDecorator.class);
    }

    @Test
    void theHeadersAreOnlyCopiedWhenTheContextIsRead() {
        Map<String, Object> headers = new HashMap<>();
        headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        headers.put("CamelSqlUpdateCount", 1);
        SpanDecorators.LazyExtractor extractor = new SpanDecorators.LazyExtractor(headers);

        assertThat(extractor.copied()).isFalse();
        // as Camel's own: string values only, names in any case
        assertThat(extractor.get("TraceParent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(extractor.keys()).containsExactly("traceparent");
        assertThat(extractor.copied()).isTrue();
    }

    private static Endpoint endpoint(String uri) {
        return new DefaultEndpoint(uri, null) {
            @Override
            public Producer createProducer() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Consumer createConsumer(Processor processor) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
