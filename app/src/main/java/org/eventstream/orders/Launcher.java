package org.eventstream.orders;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar event-stream-orders.jar [bundle ...] [--dev]} runs the named route bundles (all when none is
 * named, nor by {@code $BUNDLE}) in one JVM; {@code java -jar event-stream-orders.jar migrate} only applies the migrations.
 */
public final class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        BundleSelection selection;
        try {
            selection = BundleSelection.parse(args, System.getenv("BUNDLE"));
        } catch (IllegalArgumentException e) {
            System.err.println("event-stream-orders: " + e.getMessage());
            System.exit(2);
            return;
        }
        BundleConfiguration config = BundleConfiguration.load(selection);
        if (selection.migrateOnly()) {
            try (var dataSource = Infrastructure.dataSource(config)) {
                Migrations.apply(dataSource, config.migrationsLocation());
            }
            return;
        }
        LOG.info("starting bundles {} with routes from {}", selection.bundles(),
                config.loadsFromFilesystem() ? config.routesDirectory() : "the jar");
        BundleRuntime.create(config).run();
    }
}
