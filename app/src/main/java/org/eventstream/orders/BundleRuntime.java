package org.eventstream.orders;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.eventstream.orders.http.HttpProblems;
import org.eventstream.orders.observability.Telemetry;

/**
 * Runs the selected route bundles in one Camel context: migrates the schema when a selected bundle owns tables,
 * binds the shared infrastructure and the telemetry (tracing, metrics), loads the YAML routes, and closes everything
 * after Camel's graceful shutdown (HTTP consumers stop taking requests, in-flight exchanges and their transactions
 * finish, the last spans are exported, then the JVM exits).
 */
public final class BundleRuntime {

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
        if (config.selection().devMode() && config.loadsFromFilesystem()) {
            main.configure()
                    .withRoutesReloadEnabled(true)
                    .withRoutesReloadDirectory(config.routesDirectory().toString())
                    .withRoutesReloadDirectoryRecursive(true)
                    .withRoutesReloadPattern("*.camel.yaml");
        }
        infrastructure.beans().forEach(main::bind);
        telemetry.beans(Boolean.parseBoolean(config.value("camel.opentelemetry2.enabled"))).forEach(main::bind);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                HealthCheckRegistry registry = HealthCheckRegistry.get(context);
                context.getRegistry().findByType(HealthCheck.class).forEach(registry::register);
                try {
                    context.addStartupListener((started, alreadyStarted) -> HttpProblems.installOn(started));
                    // closed when the context stops, after its routes: in-flight work still has its connections
                    context.addService(infrastructure, true, true);
                    context.addService(telemetry, true, true);
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
