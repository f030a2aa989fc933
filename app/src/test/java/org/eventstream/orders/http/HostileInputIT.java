package org.eventstream.orders.http;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.eventstream.orders.support.Catalog;
import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of malformed and hostile requests to every public endpoint: broken JSON, deep nesting, huge numbers,
 * negative and NaN amounts, unicode edge cases, SQL fragments, oversized bodies, wrong methods and content types.
 * Each gets a 4xx problem+json, none a 5xx, and the database is the same after the whole corpus. Truncated bodies
 * and oversized headers are sent on raw sockets.
 */
class HostileInputIT {

    private static RunningBundles bundles;
    private static Http http;
    private static String customer;
    private static String product;
    private static String order;
    private static String footprint;

    @BeforeAll
    static void start() throws Exception {
        TestDatabase.truncateAll();
        // orders-api and aggregator: every public HTTP endpoint, on one port
        bundles = RunningBundles.start(java.util.Map.of("admin.token", "hostile-test-token"), "orders-api", "aggregator");
        http = bundles.http();
        Catalog catalog = new Catalog(http);
        customer = catalog.customer("Victim", false);
        product = catalog.product("SAFE-1", "9.99", 10);
        order = http.postJson("/orders", Catalog.order(customer, java.util.Map.of(product, 1))).json().get("id").asText();
        footprint = TestDatabase.orderFootprint();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            assertThat(TestDatabase.orderFootprint()).as("the database after the whole corpus").isEqualTo(footprint);
            assertThat(http.get("/health/ready").status()).isEqualTo(200);
        } finally {
            bundles.close();
        }
    }

    private static String lineOf(String quantity) {
        return "{\"customer_id\":\"C\",\"items\":[{\"product_id\":\"P\",\"quantity\":" + quantity + "}]}";
    }

    private static String productWith(String field, String value) {
        String sku = field.equals("sku") ? value : "\"NEW-1\"";
        String price = field.equals("price") ? value : "1.00";
        String stock = field.equals("stock") ? value : "1";
        String name = field.equals("name") ? value : "\"New\"";
        return "{\"sku\":" + sku + ",\"name\":" + name + ",\"price\":" + price + ",\"stock_available\":" + stock + "}";
    }

    static Stream<Arguments> corpus() {
        List<Arguments> cases = new ArrayList<>();
        // broken JSON, to every endpoint that takes a body
        List<String> broken = List.of("{", "}", "[", "{\"customer_id\":}", "{\"a\" 1}", "{\"a\":1,}", "{'a':1}", "nul", "tru",
                "{} trailing", "{\"a\":\"unterminated}", "/* comment */ {}", "{\"a\":0x10}", "{\"a\":01}", "\"just a string\"", "42",
                "{\"a\":\"\u0001control\"}", "\uFEFF{}", "{\"a\":.5}", "{\"a\":+1}");
        for (String path : List.of("/orders", "/products", "/customers")) {
            for (String body : broken) {
                cases.add(Arguments.of("broken JSON to " + path + ": " + body, "POST", path, body, "application/json"));
            }
        }
        for (String body : broken.subList(0, 5)) {
            cases.add(Arguments.of("broken JSON to PUT /products/{id}: " + body, "PUT", "/products/PRODUCT", body, "application/json"));
        }
        // deep nesting
        cases.add(Arguments.of("10k nested arrays", "POST", "/orders", "[".repeat(10_000) + "]".repeat(10_000), "application/json"));
        cases.add(Arguments.of("deep objects", "POST", "/orders", "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000), "application/json"));
        cases.add(Arguments.of("deep items", "POST", "/orders", "{\"customer_id\":\"C\",\"items\":" + "[".repeat(500) + "]".repeat(500) + "}",
                "application/json"));
        cases.add(Arguments.of("deep product name", "POST", "/products", productWith("name", "[".repeat(3_000) + "]".repeat(3_000)),
                "application/json"));
        // huge and odd numbers
        for (String quantity : List.of("1e400", "99999999999999999999999999", "-0", "1.0e3", "2147483648", "-2147483649", "1.5",
                "\"3\"", "true", "null", "[1]", "{\"n\":1}", "NaN", "Infinity", "-Infinity", "0", "-1", "1001")) {
            cases.add(Arguments.of("quantity " + quantity, "POST", "/orders", lineOf(quantity), "application/json"));
        }
        for (String price : List.of("-0.01", "NaN", "Infinity", "\"12.50\"", "1e309", "0.001", "99999999999.99", "null", "-1e5")) {
            cases.add(Arguments.of("price " + price, "POST", "/products", productWith("price", price), "application/json"));
        }
        for (String stock : List.of("-1", "1.5", "1e10", "\"7\"")) {
            cases.add(Arguments.of("stock " + stock, "POST", "/products", productWith("stock", stock), "application/json"));
        }
        for (String total : List.of("-1", "NaN", "1e999", "\"9.99\"", "0.001")) {
            cases.add(Arguments.of("total_amount " + total, "POST", "/orders",
                    "{\"customer_id\":\"C\",\"product_id\":\"P\",\"quantity\":1,\"total_amount\":" + total + "}", "application/json"));
        }
        // unicode edge cases (in fields that are validated)
        for (String id : List.of("\"\u202Eabc\"", "\"\u200D\"", "\"\uD83D\uDE00\"", "\"\\ud800\"", "\"a\\u0000b\"", "\"\uFF11\uFF12\"",
                "\"" + "e\u0301".repeat(5_000) + "\"")) {
            cases.add(Arguments.of("customer_id " + id.length() + " chars of unicode", "POST", "/orders",
                    "{\"customer_id\":" + id + ",\"items\":[{\"product_id\":\"P\",\"quantity\":1}]}", "application/json"));
        }
        cases.add(Arguments.of("sku with NUL", "POST", "/products", productWith("sku", "\"A\\u0000B\""), "application/json"));
        cases.add(Arguments.of("sku with RTL override", "POST", "/products", productWith("sku", "\"\u202EKSU\""), "application/json"));
        cases.add(Arguments.of("name of controls", "POST", "/products", productWith("name", "\"\\u0007\\u0008\""), "application/json"));
        cases.add(Arguments.of("quantity in full-width digits", "POST", "/orders", lineOf("\"\uFF13\""), "application/json"));
        // SQL fragments
        cases.add(Arguments.of("sku with SQL", "POST", "/products", productWith("sku", "\"'; DROP TABLE catalog.products; --\""),
                "application/json"));
        cases.add(Arguments.of("email with SQL", "POST", "/customers", "{\"name\":\"x\",\"email\":\"a@b.c' OR '1'='1\"}", "application/json"));
        cases.add(Arguments.of("customer_id with SQL", "POST", "/orders",
                "{\"customer_id\":\"1 OR 1=1\",\"items\":[{\"product_id\":\"P\",\"quantity\":1}]}", "application/json"));
        for (String query : List.of("status=PENDING'%20OR%20'1'='1", "limit=1;DROP%20TABLE%20orders.orders", "after=x'--",
                "customer_id=%27%20OR%201=1--", "status=PENDING&status=PAID", "limit=", "limit=-5", "after=00000000-0000-0000-0000-00000000000Z",
                "%00=1", "limit=1e3")) {
            cases.add(Arguments.of("query " + query, "GET", "/orders?" + query, null, null));
        }
        cases.add(Arguments.of("product list with SQL", "GET", "/products?after=1'%20OR%20'1'='1", null, null));
        cases.add(Arguments.of("customer list with SQL", "GET", "/customers?limit=1%20OR%201=1", null, null));
        cases.add(Arguments.of("daily with SQL", "GET", "/metrics/daily?date=2026-01-01'%20OR%20'1'='1", null, null));
        cases.add(Arguments.of("daily impossible date", "GET", "/metrics/daily?date=2026-02-30", null, null));
        cases.add(Arguments.of("daily without date", "GET", "/metrics/daily", null, null));
        cases.add(Arguments.of("order id with SQL", "GET", "/orders/1'%20OR%20'1'='1", null, null));
        cases.add(Arguments.of("product id with SQL", "GET", "/products/1;DROP", null, null));
        cases.add(Arguments.of("path traversal", "GET", "/orders/..%2F..%2Fetc%2Fpasswd", null, null));
        // oversized bodies
        String huge = "{\"name\":\"" + "x".repeat(70_000) + "\"}";
        for (String path : List.of("/orders", "/products", "/customers")) {
            cases.add(Arguments.of("70 KB body to " + path, "POST", path, huge, "application/json"));
        }
        cases.add(Arguments.of("70 KB body to PUT /products/{id}", "PUT", "/products/PRODUCT", huge, "application/json"));
        // wrong methods
        for (String[] call : List.of(new String[] {"PUT", "/orders"}, new String[] {"DELETE", "/orders"}, new String[] {"PATCH", "/orders/ORDER"},
                new String[] {"DELETE", "/orders/ORDER"}, new String[] {"POST", "/orders/ORDER"}, new String[] {"DELETE", "/products/PRODUCT"},
                new String[] {"PATCH", "/products"}, new String[] {"PUT", "/customers/CUSTOMER"}, new String[] {"DELETE", "/customers"},
                new String[] {"POST", "/metrics/summary"}, new String[] {"DELETE", "/metrics/daily"}, new String[] {"PUT", "/health/ready"})) {
            cases.add(Arguments.of(call[0] + " " + call[1], call[0], call[1], "{}", "application/json"));
        }
        // wrong content types
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "text/html", "application/octet-stream")) {
            cases.add(Arguments.of("content type " + type, "POST", "/orders", "{\"customer_id\":\"C\"}", type));
        }
        cases.add(Arguments.of("no content type", "POST", "/products", productWith("sku", "\"X-1\""), null));
        // unknown paths and the admin API without its token
        cases.add(Arguments.of("unknown path", "GET", "/orders/ORDER/items/1", null, null));
        cases.add(Arguments.of("admin without token", "GET", "/admin/dlq", null, null));
        cases.add(Arguments.of("admin purge without token", "DELETE", "/admin/dlq/payment.order.created.dlq", null, null));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void getsAProblemAndNoServerError(String name, String method, String path, String body, String contentType) {
        String resolvedPath = path.replace("PRODUCT", product).replace("ORDER", order).replace("CUSTOMER", customer);
        String resolvedBody = body == null ? null
                : body.replace("\"C\"", "\"" + customer + "\"").replace("\"P\"", "\"" + product + "\"");
        HttpRequest.Builder request = http.method(method, resolvedPath, resolvedBody, contentType);

        Http.Response response = http.send(request);

        assertThat(response.status()).as(name + " -> " + response.body()).isBetween(400, 499);
        assertThat(response.contentType()).as(name).isEqualTo("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(response.status());
    }

    @Test
    void theCorpusHasAtLeastAHundredRequests() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void aTruncatedBodyStoresNothingAndTheServerCarriesOn() throws Exception {
        String body = Catalog.order(customer, java.util.Map.of(product, 1));
        try (Socket socket = new Socket("127.0.0.1", bundles.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + (body.length() + 50) + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).doesNotContain("HTTP/1.1 5");
        } catch (java.net.SocketTimeoutException e) {
            // the server waits for the rest of the body: acceptable, as long as nothing is stored
        }
        assertThat(TestDatabase.orderFootprint()).isEqualTo(footprint);
        assertThat(http.get("/health/live").status()).isEqualTo(200);
    }

    @Test
    void anOversizedHeaderIsRefusedBeforeAnyRoute() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", bundles.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readNBytes(64), StandardCharsets.UTF_8);
            // refused by the HTTP codec itself (431), before routing: no problem body is possible there
            assertThat(answer).startsWith("HTTP/1.1 4");
        }
        assertThat(http.get("/health/live").status()).isEqualTo(200);
    }
}
