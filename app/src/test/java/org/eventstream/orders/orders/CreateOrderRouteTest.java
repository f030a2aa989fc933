package org.eventstream.orders.orders;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.eventstream.orders.BundleConfiguration;
import org.eventstream.orders.BundleSelection;
import org.eventstream.orders.outbox.EventTopology;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.postgresql.ds.PGSimpleDataSource;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The orders-api-create-order route with its SQL and its transaction replaced by mocks (AdviceWith): validation
 * refuses before any SQL runs, and prices come from the catalog rows, never from the client.
 */
class CreateOrderRouteTest extends CamelTestSupport {

    private static final String CUSTOMER = "11111111-1111-1111-1111-111111111111";
    private static final String PRODUCT = "22222222-2222-2222-2222-222222222222";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        // the bundle's own settings, as the launcher merges them
        Properties properties = BundleConfiguration.load(BundleSelection.parse("orders-api"), Path.of("routes").toAbsolutePath()).properties();
        context.getPropertiesComponent().setInitialProperties(properties);
        // the other routes are created but never started: a data source that is never connected satisfies them
        PGSimpleDataSource unused = new PGSimpleDataSource();
        context.getRegistry().bind("dataSource", unused);
        context.getRegistry().bind("PROPAGATION_REQUIRED", new SpringTransactionPolicy(new JdbcTransactionManager(unused)));
        // likewise a broker connection factory that connects only when used (never here)
        context.getRegistry().bind("rabbitConnectionFactory", new CachingConnectionFactory("127.0.0.1"));
        context.getRegistry().bind("eventTopology", new EventTopology(properties.getProperty("outbox.topology.queues"), "classic"));
        // bound by the launcher's Telemetry in production
        context.getRegistry().bind("metricsRegistry", new SimpleMeterRegistry());
        // the create-order route and what it calls; not its HTTP surface (the test calls it directly), not the consumers
        PluginHelper.getRoutesLoader(context).loadRoutes(Stream.of("shared/beans", "shared/http-problems", "shared/documents",
                        "orders-api/beans", "orders-api/orders", "orders-api/catalog")
                .map(name -> ResourceHelper.resolveResource(context, "file:" + Path.of("routes", name + ".camel.yaml").toAbsolutePath()))
                .toList());
        return context;
    }

    @BeforeEach
    void adviseAndStart() throws Exception {
        ModelCamelContext model = context.getCamelContextExtension().getContextPlugin(ModelCamelContext.class);
        // only the route under test runs: no HTTP server, no database
        for (RouteDefinition route : model.getRouteDefinitions()) {
            if (!route.getRouteId().equals("orders-api-create-order")) {
                route.autoStartup(false);
            }
        }
        AdviceWith.adviceWith(context, "orders-api-create-order", route -> {
            route.weaveByToUri("sql:SELECT customer.found*").replace().to("mock:catalog");
            route.weaveByToUri("direct:orders-api-insert-order").replace().to("mock:insert");
            route.weaveByToUri("direct:orders-api-replay-order").replace().to("mock:replay");
        });
        context.start();
        answerCatalog(true);
    }

    /** The catalog read's rows: the product, and whether the customer was found. */
    private void answerCatalog(boolean customerFound) {
        getMockEndpoint("mock:catalog").whenAnyExchangeReceived(exchange -> exchange.getMessage().setBody(List.of(Map.of(
                "customer_found", customerFound, "id", PRODUCT, "sku", "W-1", "price", new BigDecimal("9.99")))));
    }

    private Exchange post(String body) {
        return template.request("direct:orders-api-create-order", exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/orders");
        });
    }

    @Test
    void anInvalidOrderIsRefusedBeforeAnySql() throws Exception {
        getMockEndpoint("mock:catalog").expectedMessageCount(0);
        getMockEndpoint("mock:insert").expectedMessageCount(0);

        Exchange response = post("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT + "\",\"quantity\":0}]}");

        assertThat(response.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        assertThat(response.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        JsonNode problem = MAPPER.readTree(response.getMessage().getBody(String.class));
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("items[0].quantity");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aValidOrderIsPricedFromTheCatalogAndWritten() throws Exception {
        MockEndpoint insert = getMockEndpoint("mock:insert");
        insert.expectedMessageCount(1);
        // the insert answers with the stored order's document, which is the response
        insert.whenAnyExchangeReceived(exchange -> exchange.getMessage().setBody("{\"status\":\"PENDING\"}"));

        Exchange response = post("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT + "\",\"quantity\":2}]}");

        MockEndpoint.assertIsSatisfied(context);
        // the read takes its parameters from a Map body (camel-sql looks there first)
        assertThat(getMockEndpoint("mock:catalog").getReceivedExchanges().get(0).getMessage().getBody(Map.class))
                .containsEntry("customerId", UUID.fromString(CUSTOMER)).containsEntry("productIds", "{\"" + PRODUCT + "\"}");
        NewOrder order = insert.getReceivedExchanges().get(0).getVariable("order", NewOrder.class);
        assertThat(order.totalAmount()).isEqualByComparingTo("19.98");
        assertThat(order.lines().get(0).unitPrice()).isEqualByComparingTo("9.99");
        assertThat(order.eventPayload()).contains("\"event_type\":\"order.created\"").contains(order.id().toString());
        assertThat(response.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo("201");
        assertThat(response.getMessage().getHeader("Location")).isEqualTo("/orders/" + order.id());
        assertThat(response.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(response.getMessage().getBody(String.class)).isEqualTo("{\"status\":\"PENDING\"}");
        // the request's headers are not sent back
        assertThat(response.getMessage().getHeader(Exchange.HTTP_PATH)).isNull();
        getMockEndpoint("mock:replay").expectedMessageCount(0);
    }

    @Test
    void anUnknownCustomerIsUnprocessableAndNothingIsWritten() throws Exception {
        answerCatalog(false);
        getMockEndpoint("mock:insert").expectedMessageCount(0);

        Exchange response = post("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT + "\",\"quantity\":1}]}");

        assertThat(response.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(422);
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aRequestWithAnIdempotencyKeyLooksForTheOriginalFirst() throws Exception {
        getMockEndpoint("mock:replay").expectedMessageCount(1);

        template.request("direct:orders-api-create-order", exchange -> {
            exchange.getMessage().setBody("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT
                    + "\",\"quantity\":1}]}");
            exchange.getMessage().setHeader("Idempotency-Key", "abc");
        });

        MockEndpoint.assertIsSatisfied(context);
    }
}
