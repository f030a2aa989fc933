package org.eventstream.orders;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.eventstream.orders.observability.Telemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the selected route bundles in one Camel context: migrates the schema when a selected bundle owns tables,
 * binds the shared infrastructure and the telemetry (tracing, metrics), loads the YAML routes, and closes everything
 * after Camel's graceful shutdown (HTTP consumers stop taking requests, in-flight exchanges and their transactions
 * finish, the last spans are exported, then the JVM exits).
 */
public final class BundleRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(BundleRuntime.class);

    private final BundleConfiguration config;
    private final Telemetry telemetry;
    private final Infrastructure infrastructure;
    private final Main main;

    private BundleRuntime(BundleConfiguration config, Telemetry telemetry) {
        this.config = config;
        this.telemetry = telemetry;
        this.infrastructure = Infrastructure.create(config, telemetry.consumerMetrics());
        this.main = new Main();
        main.setInitialProperties(config.properties());
        config.overrides().forEach(main::addOverrideProperty);
        main.configure().withRoutesIncludePattern(config.routesIncludePattern());
        if (config.selection().devMode() && !config.loadsFromFilesystem()) {
            LOG.warn("--dev reloads routes saved under routes/ (or $ROUTES_DIR); there is none here, so the jar's routes run as they are");
        }
        infrastructure.beans().forEach(main::bind);
        telemetry.beans(Boolean.parseBoolean(config.value("camel.opentelemetry2.enabled"))).forEach(main::bind);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                infrastructure.hookInto(context);
                try {
                    // closed when the context stops: the last spans are exported
                    context.addService(telemetry, true, true);
                    if (config.selection().devMode() && config.loadsFromFilesystem()) {
                        context.addService(new LiveRouteReload(config.routesDirectory(), config.selection().bundles()));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot hook into the Camel context", e);
                }
            }
        });
    }

    /** The bundles with the OpenTelemetry SDK the {@code OTEL_*} environment configures. */
    public static BundleRuntime create(BundleConfiguration config) {
        return new BundleRuntime(config, Telemetry.fromEnvironment());
    }

    /** The bundles with the given telemetry (tests: an in-memory span exporter). */
    public static BundleRuntime create(BundleConfiguration config, Telemetry telemetry) {
        return new BundleRuntime(config, telemetry);
    }

    private void migrateIfOwner() {
        if (config.migratesAtStartup()) {
            Migrations.apply(infrastructure.dataSource(), config.migrationsLocation());
        }
    }

    /** Runs until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void run() throws Exception {
        migrateIfOwner();
        main.run();
    }

    /** Starts and returns; {@link #stop()} ends it. For tests and embedding. */
    public void start() throws Exception {
        migrateIfOwner();
        main.start();
    }

    public void stop() throws Exception {
        main.stop();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Telemetry telemetry() {
        return telemetry;
    }
}
