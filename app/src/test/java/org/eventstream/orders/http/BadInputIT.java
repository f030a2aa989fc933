package org.eventstream.orders.http;

import java.net.http.HttpRequest;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every class of client mistake gets its 4xx as an RFC 9457 problem naming what is wrong, and stores nothing.
 */
class BadInputIT {

    private static RunningBundles bundles;
    private static Http http;
    private static String customer;
    private static String product;

    @BeforeAll
    static void start() throws Exception {
        bundles = RunningBundles.start("orders-api");
        http = bundles.http();
        TestDatabase.truncateAll();
        customer = http.postJson("/customers", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}").json().get("id").asText();
        product = http.postJson("/products", "{\"sku\":\"W-1\",\"name\":\"Widget\",\"price\":12.50,\"stock_available\":10}")
                .json().get("id").asText();
        http.postJson("/orders", "{\"customer_id\":\"" + customer + "\",\"items\":[{\"product_id\":\"" + product + "\",\"quantity\":1}]}");
    }

    @AfterAll
    static void stop() throws Exception {
        bundles.close();
    }

    private static String items(String items) {
        return "{\"customer_id\":\"CUSTOMER\",\"items\":" + items + "}";
    }

    private static String line(int quantity) {
        return "{\"product_id\":\"PRODUCT\",\"quantity\":" + quantity + "}";
    }

    static Stream<Arguments> mistakes() {
        String manyItems = "[" + String.join(",", Stream.generate(() -> line(1)).limit(101).toList()) + "]";
        String tooLarge = "{\"customer_id\":\"CUSTOMER\",\"items\":[],\"pad\":\"" + "x".repeat(70_000) + "\"}";
        return Stream.of(
                Arguments.of("malformed JSON", "POST", "/orders", "{\"customer_id\": ", "application/json", 400, "body"),
                Arguments.of("not an object", "POST", "/orders", "[1,2]", "application/json", 400, "body"),
                Arguments.of("empty body", "POST", "/orders", "", "application/json", 400, "body"),
                Arguments.of("wrong type of customer_id", "POST", "/orders", "{\"customer_id\":42,\"items\":[" + line(1) + "]}",
                        "application/json", 400, "customer_id"),
                Arguments.of("wrong type of quantity", "POST", "/orders", items("[{\"product_id\":\"PRODUCT\",\"quantity\":\"2\"}]"),
                        "application/json", 400, "items[0].quantity"),
                Arguments.of("fractional quantity", "POST", "/orders", items("[{\"product_id\":\"PRODUCT\",\"quantity\":1.5}]"),
                        "application/json", 400, "items[0].quantity"),
                Arguments.of("missing customer_id", "POST", "/orders", "{\"items\":[" + line(1) + "]}", "application/json", 400,
                        "customer_id"),
                Arguments.of("missing items", "POST", "/orders", "{\"customer_id\":\"CUSTOMER\"}", "application/json", 400, "items"),
                Arguments.of("unknown field", "POST", "/orders", "{\"customer_id\":\"CUSTOMER\",\"items\":[" + line(1)
                        + "],\"discount\":5}", "application/json", 400, "discount"),
                Arguments.of("client-side price", "POST", "/orders",
                        items("[{\"product_id\":\"PRODUCT\",\"quantity\":1,\"unit_price\":0.01}]"), "application/json", 400,
                        "items[0].unit_price"),
                Arguments.of("quantity zero", "POST", "/orders", items("[" + line(0) + "]"), "application/json", 400,
                        "items[0].quantity"),
                Arguments.of("negative quantity", "POST", "/orders", items("[" + line(-3) + "]"), "application/json", 400,
                        "items[0].quantity"),
                Arguments.of("quantity over 1000", "POST", "/orders", items("[" + line(1001) + "]"), "application/json", 400,
                        "items[0].quantity"),
                Arguments.of("huge quantity", "POST", "/orders", items("[" + line(1) + "]").replace("\"quantity\":1",
                        "\"quantity\":99999999999999999999999"), "application/json", 400, "items[0].quantity"),
                Arguments.of("no items", "POST", "/orders", items("[]"), "application/json", 400, "items"),
                Arguments.of("over 100 items", "POST", "/orders", items(manyItems), "application/json", 400, "items"),
                Arguments.of("duplicate product line", "POST", "/orders", items("[" + line(1) + "," + line(2) + "]"),
                        "application/json", 400, "items[1].product_id"),
                Arguments.of("duplicate JSON key", "POST", "/orders",
                        "{\"customer_id\":\"CUSTOMER\",\"customer_id\":\"CUSTOMER\",\"items\":[" + line(1) + "]}",
                        "application/json", 400, "body"),
                Arguments.of("other currency", "POST", "/orders", "{\"customer_id\":\"CUSTOMER\",\"items\":[" + line(1)
                        + "],\"currency\":\"EUR\"}", "application/json", 400, "currency"),
                Arguments.of("unknown customer", "POST", "/orders", items("[" + line(1) + "]").replace("CUSTOMER",
                        "00000000-0000-0000-0000-000000000000"), "application/json", 422, "customer_id"),
                Arguments.of("unknown product", "POST", "/orders", items("[" + line(1) + "]").replace("PRODUCT",
                        "00000000-0000-0000-0000-000000000000"), "application/json", 422, "items[0].product_id"),
                Arguments.of("one-line total disagrees", "POST", "/orders",
                        "{\"customer_id\":\"CUSTOMER\",\"product_id\":\"PRODUCT\",\"quantity\":2,\"total_amount\":0.5}",
                        "application/json", 422, "total_amount"),
                Arguments.of("malformed Idempotency-Key", "POST", "/orders?idem", items("[" + line(1) + "]"), "application/json", 400,
                        "Idempotency-Key"),
                Arguments.of("body over 64 KiB", "POST", "/orders", tooLarge, "application/json", 413, null),
                Arguments.of("wrong content type", "POST", "/orders", items("[" + line(1) + "]"), "text/plain", 415, null),
                Arguments.of("no content type", "POST", "/orders", items("[" + line(1) + "]"), null, 415, null),
                Arguments.of("wrong method", "DELETE", "/orders", null, null, 405, null),
                Arguments.of("wrong method on an order", "PATCH", "/orders/00000000-0000-0000-0000-000000000000", "{}",
                        "application/json", 405, null),
                Arguments.of("unknown path", "GET", "/ordersx", null, null, 404, null),
                Arguments.of("unknown query parameter", "GET", "/orders?colour=red", null, null, 400, "colour"),
                Arguments.of("malformed limit", "GET", "/orders?limit=abc", null, null, 400, "limit"),
                Arguments.of("limit out of range", "GET", "/orders?limit=1000", null, null, 400, "limit"),
                Arguments.of("malformed customer filter", "GET", "/orders?customer_id=nope", null, null, 400, "customer_id"),
                Arguments.of("product without sku", "POST", "/products", "{\"name\":\"X\",\"price\":1,\"stock_available\":1}",
                        "application/json", 400, "sku"),
                Arguments.of("negative price", "POST", "/products", "{\"sku\":\"N-1\",\"name\":\"X\",\"price\":-1,\"stock_available\":1}",
                        "application/json", 400, "price"),
                Arguments.of("price with 3 decimals", "POST", "/products",
                        "{\"sku\":\"N-1\",\"name\":\"X\",\"price\":1.005,\"stock_available\":1}", "application/json", 400, "price"),
                Arguments.of("NaN price", "POST", "/products", "{\"sku\":\"N-1\",\"name\":\"X\",\"price\":NaN,\"stock_available\":1}",
                        "application/json", 400, "body"),
                Arguments.of("duplicate sku", "POST", "/products", "{\"sku\":\"W-1\",\"name\":\"X\",\"price\":1,\"stock_available\":1}",
                        "application/json", 409, null),
                Arguments.of("duplicate email", "POST", "/customers", "{\"name\":\"Ada 2\",\"email\":\"ADA@example.com\"}",
                        "application/json", 409, null),
                Arguments.of("malformed email", "POST", "/customers", "{\"name\":\"Bob\",\"email\":\"bob\"}", "application/json", 400,
                        "email"),
                Arguments.of("replace unknown product", "PUT", "/products/00000000-0000-0000-0000-000000000000",
                        "{\"sku\":\"N-2\",\"name\":\"X\",\"price\":1,\"stock_available\":1}", "application/json", 404, null),
                Arguments.of("unknown customer id", "GET", "/customers/00000000-0000-0000-0000-000000000000", null, null, 404, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void isRefusedWithAProblemAndStoresNothing(String name, String method, String path, String body, String contentType,
                                               int status, String field) throws Exception {
        String before = TestDatabase.orderFootprint();
        String resolved = body == null ? null : body.replace("CUSTOMER", customer).replace("PRODUCT", product);
        String target = path.replace("?idem", "");
        String[] headers = path.endsWith("?idem") ? new String[] {"Idempotency-Key", "has spaces in it"} : new String[0];
        HttpRequest.Builder request = http.method(method, target, resolved, contentType, headers);

        Http.Response response = http.send(request);

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("errors").findValuesAsText("field")).contains(field);
        }
        assertThat(TestDatabase.orderFootprint()).isEqualTo(before);
    }
}
