package org.eventstream.orders.orders;

import java.util.UUID;

import org.eventstream.orders.http.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderRequestParserTest {

    private static final String CUSTOMER = "11111111-1111-1111-1111-111111111111";
    private static final String PRODUCT = "22222222-2222-2222-2222-222222222222";
    private final OrderRequestParser parser = new OrderRequestParser("USD");

    @Test
    void readsTheItemForm() {
        OrderRequest request = parser.parse("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT
                + "\",\"quantity\":3}],\"currency\":\"USD\"}");

        assertThat(request.customerId()).isEqualTo(UUID.fromString(CUSTOMER));
        assertThat(request.lines()).containsExactly(new OrderRequest.Line(UUID.fromString(PRODUCT), 3));
        assertThat(request.expectedTotal()).isNull();
        assertThat(request.oneLineForm()).isFalse();
    }

    @Test
    void readsTheOneLineFormWithItsTotal() {
        OrderRequest request = parser.parse("{\"customer_id\":\"" + CUSTOMER + "\",\"product_id\":\"" + PRODUCT
                + "\",\"quantity\":2,\"total_amount\":25.5}");

        assertThat(request.lines()).containsExactly(new OrderRequest.Line(UUID.fromString(PRODUCT), 2));
        assertThat(request.expectedTotal()).isEqualByComparingTo("25.50");
        assertThat(request.oneLineForm()).isTrue();
        assertThat(request.currency()).isEqualTo("USD");
    }

    @Test
    void namesEveryOffendingFieldAtOnce() {
        assertThatThrownBy(() -> parser.parse("{\"customer_id\":\"x\",\"items\":[{\"product_id\":\"" + PRODUCT
                + "\",\"quantity\":0,\"price\":1}],\"note\":\"hi\"}"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().errors()).extracting("field")
                            .containsExactlyInAnyOrder("note", "customer_id", "items[0].price", "items[0].quantity");
                });
    }

    @Test
    void refusesBothFormsMixed() {
        assertThatThrownBy(() -> parser.parse("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT
                + "\",\"quantity\":1}],\"product_id\":\"" + PRODUCT + "\"}"))
                .isInstanceOfSatisfying(ProblemException.class, e ->
                        assertThat(e.problem().errors()).extracting("field").containsExactly("product_id"));
    }

    @Test
    void theFingerprintIgnoresSpellingButNotContent() {
        String a = parser.parse("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT + "\",\"quantity\":1}]}")
                .fingerprint();
        String b = parser.parse("{ \"items\" : [ { \"quantity\" : 1, \"product_id\" : \"" + PRODUCT.toUpperCase() + "\" } ],"
                + " \"currency\" : \"USD\", \"customer_id\" : \"" + CUSTOMER + "\" }").fingerprint();
        String c = parser.parse("{\"customer_id\":\"" + CUSTOMER + "\",\"items\":[{\"product_id\":\"" + PRODUCT + "\",\"quantity\":2}]}")
                .fingerprint();

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void refusesDeepNestingWithoutAStackOverflow() {
        String deep = "{\"customer_id\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

        assertThatThrownBy(() -> parser.parse(deep)).isInstanceOfSatisfying(ProblemException.class, e ->
                assertThat(e.problem().status()).isEqualTo(400));
    }
}
