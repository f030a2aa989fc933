package org.eventstream.orders.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC on the test database: to empty it between tests and to check what the system stored.
 */
public final class TestDatabase {

    private static final String DATA_SCHEMAS = "'catalog','orders','payments','inventory','notifications','analytics','messaging'";

    private TestDatabase() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(TestServers.DB_URL, TestServers.DB_USER, TestServers.DB_PASSWORD);
    }

    /** Empties every table of the data model (the schema itself stays migrated). */
    public static void truncateAll() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname IN ("
                    + DATA_SCHEMAS + ")")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (!tables.isEmpty()) {
                statement.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
            }
        }
    }

    public static long count(String sql, Object... params) throws SQLException {
        try (Connection connection = connect(); var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static String text(String sql, Object... params) throws SQLException {
        try (Connection connection = connect(); var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public static void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Row counts of every table an order touches: equal before and after a refused request. */
    public static String orderFootprint() throws SQLException {
        return count("SELECT count(*) FROM orders.orders") + "/" + count("SELECT count(*) FROM orders.order_items") + "/"
                + count("SELECT count(*) FROM orders.order_events") + "/" + count("SELECT count(*) FROM messaging.outbox") + "/"
                + count("SELECT count(*) FROM catalog.products") + "/" + count("SELECT count(*) FROM catalog.customers");
    }
}
