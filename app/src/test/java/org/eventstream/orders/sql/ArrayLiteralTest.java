package org.eventstream.orders.sql;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArrayLiteralTest {

    @Test
    void eachValueIsQuoted() {
        UUID id = UUID.fromString("0b0e6c1e-4b0e-4c9e-9f3e-2a7d1f2b3c4d");
        assertThat(ArrayLiteral.of(List.of(id, "PAID"))).isEqualTo("{\"0b0e6c1e-4b0e-4c9e-9f3e-2a7d1f2b3c4d\",\"PAID\"}");
        assertThat(ArrayLiteral.of(List.of())).isEqualTo("{}");
    }

    @Test
    void whatWouldEndAValueIsEscaped() {
        assertThat(ArrayLiteral.of(List.of("a,b", "say \"hi\"", "back\\slash", "{x}")))
                .isEqualTo("{\"a,b\",\"say \\\"hi\\\"\",\"back\\\\slash\",\"{x}\"}");
    }

    @Test
    void aNullValueIsRefused() {
        assertThatThrownBy(() -> ArrayLiteral.of(Arrays.asList("a", null))).isInstanceOf(NullPointerException.class);
    }

    @Test
    void withNullsANullValueIsNullAndTheTextNullStaysText() {
        assertThat(ArrayLiteral.withNulls(Arrays.asList("a", null, "NULL"))).isEqualTo("{\"a\",NULL,\"NULL\"}");
    }
}
