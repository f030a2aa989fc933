package org.eventstream.orders.orders;

import java.nio.file.Path;
import java.util.HashMap;
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
 * The orders-api-create-order route with its statement replaced by a mock (AdviceWith): validation refuses before any
 * SQL runs, the statement gets the requested lines without a price (prices come from the catalog, in the statement),
 * and its answer becomes the 201 or the 422. What the statement itself decides is tested through PostgreSQL
 * (OrdersApiIT, BadInputIT).
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
            route.weaveByToUri("direct:orders-api-insert-order").replace().to("mock:insert");
            route.weaveByToUri("direct:orders-api-replay-order").replace().to("mock:replay");
        });
        context.start();
    }

    /** The statement's answer: the placed order's document, or why it refused the order. */
    private void answer(String document, String refusal) {
        Map<String, Object> row = new HashMap<>();
        row.put("document", document);
        row.put("refusal", refusal);
        getMockEndpoint("mock:insert").whenAnyExchangeReceived(exchange -> exchange.getMessage().setBody(row));
    }

    private Exchange post(String body) {
        return template.request("direct:orders-api-create-order", exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/orders");
        });
    }

    @Test
    void anInvalidOrderIsRefusedBeforeAnySql() throws Exception {
        getMockEndpoint("mock:insert").expectedMessageCount(0);

        Exchange response = post("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT + "\",\"quantity\":0}]}");

        assertThat(response.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        assertThat(response.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        JsonNode problem = MAPPER.readTree(response.getMessage().getBody(String.class));
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("items[0].quantity");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aValidOrderGoesToTheStatementWithoutPricesAndItsDocumentIsTheResponse() throws Exception {
        MockEndpoint insert = getMockEndpoint("mock:insert");
        insert.expectedMessageCount(1);
        answer("{\"status\":\"PENDING\"}", null);

        Exchange response = post("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT + "\",\"quantity\":2}]}");

        MockEndpoint.assertIsSatisfied(context);
        NewOrder order = insert.getReceivedExchanges().get(0).getVariable("order", NewOrder.class);
        Map<String, Object> params = order.params();
        assertThat(params).containsEntry("customerId", UUID.fromString(CUSTOMER)).containsEntry("eventType", "order.created")
                .containsEntry("expectedTotal", null).containsEntry("currency", "USD");
        assertThat(MAPPER.readTree((String) params.get("items")).toString())
                .isEqualTo("[{\"product_id\":\"" + PRODUCT + "\",\"quantity\":2}]");
        assertThat(params.get("occurredAt")).isEqualTo(order.createdAt().toString());
        assertThat(response.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo("201");
        assertThat(response.getMessage().getHeader("Location")).isEqualTo("/orders/" + order.id());
        assertThat(response.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(response.getMessage().getBody(String.class)).isEqualTo("{\"status\":\"PENDING\"}");
        // the request's headers are not sent back
        assertThat(response.getMessage().getHeader(Exchange.HTTP_PATH)).isNull();
        getMockEndpoint("mock:replay").expectedMessageCount(0);
    }

    @Test
    void aRefusedOrderIsUnprocessableAndNamesWhatTheCatalogLacks() throws Exception {
        String unknown = "33333333-3333-3333-3333-333333333333";
        answer(null, "{\"customer_found\":false,\"unknown_lines\":[1],\"total\":\"19.98\"}");

        Exchange response = post("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT
                + "\",\"quantity\":2},{\"product_id\":\"" + unknown + "\",\"quantity\":1}]}");

        assertThat(response.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(422);
        assertThat(response.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        JsonNode errors = MAPPER.readTree(response.getMessage().getBody(String.class)).get("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("field").asText()).isEqualTo("customer_id");
        assertThat(errors.get(1).get("field").asText()).isEqualTo("items[1].product_id");
        assertThat(errors.get(1).get("message").asText()).contains(unknown);
        assertThat(response.getMessage().getHeader("Location")).isNull();
    }

    @Test
    void aOneLineTotalTheCatalogDisagreesWithIsUnprocessable() throws Exception {
        answer(null, "{\"customer_found\":true,\"unknown_lines\":[],\"total\":\"19.98\"}");

        Exchange response = post("{\"customer_id\":\"" + CUSTOMER + "\",\"product_id\":\"" + PRODUCT
                + "\",\"quantity\":2,\"total_amount\":5.00}");

        assertThat(getMockEndpoint("mock:insert").getReceivedExchanges().get(0).getVariable("order", NewOrder.class)
                .expectedTotal()).isEqualByComparingTo("5.00");
        assertThat(response.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(422);
        JsonNode error = MAPPER.readTree(response.getMessage().getBody(String.class)).get("errors").get(0);
        assertThat(error.get("field").asText()).isEqualTo("total_amount");
        assertThat(error.get("message").asText()).isEqualTo("is 5.00 but the catalog prices the order at 19.98");
    }

    @Test
    void aRequestWithAnIdempotencyKeyLooksForTheOriginalFirst() throws Exception {
        getMockEndpoint("mock:replay").expectedMessageCount(1);
        // no original found: the order is placed, with the key
        answer("{\"status\":\"PENDING\"}", null);

        Exchange response = template.request("direct:orders-api-create-order", exchange -> {
            exchange.getMessage().setBody("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT
                    + "\",\"quantity\":1}]}");
            exchange.getMessage().setHeader("Idempotency-Key", "abc");
        });

        MockEndpoint.assertIsSatisfied(context);
        assertThat(response.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo("201");
        assertThat(getMockEndpoint("mock:insert").getReceivedExchanges().get(0).getVariable("order", NewOrder.class)
                .idempotencyKey()).isEqualTo("abc");
    }
}
