package org.eventstream.orders;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Flyway migrations of {@code sql/}. Several processes may start at once: Flyway serializes them
 * with a PostgreSQL advisory lock.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    public static MigrateResult apply(DataSource dataSource, String location) {
        // this class's loader sees the jar's db/migration also where the context class loader does not (under camel run)
        MigrateResult result = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(location)
                .load()
                .migrate();
        LOG.info("schema at version {} ({} migrations applied from {})",
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted, location);
        return result;
    }
}
