package org.eventstream.orders.sql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;

import org.eventstream.orders.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL reads the literal back as the values it was made of, however they are spelled. */
class ArrayLiteralIT {

    @Test
    void postgresqlReadsBackTheValues() throws Exception {
        List<String> values = List.of("plain", "a,b", "say \"hi\"", "back\\slash", "{x}", " spaced ", "NULL", "");
        try (Connection connection = TestDatabase.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT CAST(? AS text[])")) {
            statement.setString(1, ArrayLiteral.of(values));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Array array = rs.getArray(1);
                assertThat((Object[]) array.getArray()).containsExactlyElementsOf(values);
            }
        }
    }

    @Test
    void postgresqlReadsANullBackAsNull() throws Exception {
        try (Connection connection = TestDatabase.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT CAST(? AS text[])")) {
            statement.setString(1, ArrayLiteral.withNulls(Arrays.asList("a", null, "NULL")));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                assertThat((Object[]) rs.getArray(1).getArray()).containsExactly("a", null, "NULL");
            }
        }
    }
}
