package org.eventstream.orders.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN outbox} on a connection of its own (a pooled one would be recycled under it): the relay sleeps in
 * {@link #await(long)} until a committed insert notifies, or the poll interval ends. When PostgreSQL is unreachable
 * it sleeps the interval and reconnects on the next call, so the relay falls back to polling.
 */
final class OutboxListener implements AutoCloseable {

    static final String CHANNEL = "outbox";
    private static final Logger LOG = LoggerFactory.getLogger(OutboxListener.class);

    private final String url;
    private final Properties credentials = new Properties();
    private Connection connection;

    OutboxListener(String url, String user, String password) {
        this.url = url;
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        credentials.setProperty("ApplicationName", "outbox-dispatcher-listen");
        credentials.setProperty("connectTimeout", "5");
    }

    /** @return true when woken by a notification, false after {@code maxMillis} without one */
    synchronized boolean await(long maxMillis) throws InterruptedException {
        try {
            PGNotification[] notifications = listening().getNotifications((int) Math.max(1, maxMillis));
            return notifications != null && notifications.length > 0;
        } catch (SQLException e) {
            LOG.debug("LISTEN {} unavailable, polling: {}", CHANNEL, e.getMessage());
            close();
            Thread.sleep(maxMillis);
            return false;
        }
    }

    private PGConnection listening() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(url, credentials);
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
            }
        }
        return connection.unwrap(PGConnection.class);
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the LISTEN connection: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
