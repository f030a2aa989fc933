package org.eventstream.orders;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.eventstream.orders.observability.Telemetry;

/**
 * The launcher's Java part for a bundle that Camel JBang runs ({@code camel run} in {@code routes/<bundle>}, README
 * "Camel JBang"). The first bean of routes/shared/beans.camel.yaml, so it is bound before any bean that needs the
 * infrastructure: it builds the {@link Infrastructure} from the context's properties (environment variables override them,
 * {@code db.url} ← {@code DB_URL}), migrates the schema when {@code db.migrate=true}, and binds the beans, as
 * {@link BundleRuntime} does. Under the launcher, which has bound them already, it does nothing.
 */
public class CamelRunInfrastructure implements CamelContextAware {

    private CamelContext context;

    /** The bean's init method. */
    public void bind() {
        if (context.getRegistry().lookupByName("dataSource") != null) {
            return;
        }
        Settings settings = Settings.of(context);
        // camel run starts in routes/<bundle>: that folder names the bundle, its parent is the routes folder
        Path bundleDir = Path.of("").toAbsolutePath();
        Path routesDir = Files.isDirectory(bundleDir.resolveSibling(BundleConfiguration.SHARED)) ? bundleDir.getParent() : null;
        Telemetry telemetry = Telemetry.fromEnvironment();
        Infrastructure infrastructure = Infrastructure.create(settings, "event-stream-orders:camel-run:" + bundleDir.getFileName(),
                telemetry.consumerMetrics());
        try {
            if (Boolean.parseBoolean(settings.value("db.migrate"))) {
                Migrations.apply(infrastructure.dataSource(), BundleConfiguration.migrationsLocation(routesDir));
            }
            infrastructure.beans().forEach(context.getRegistry()::bind);
            telemetry.beans(Boolean.parseBoolean(settings.value("camel.opentelemetry2.enabled"))).forEach(context.getRegistry()::bind);
            infrastructure.hookInto(context);
            context.addService(telemetry, true, true);
        } catch (Exception e) {
            infrastructure.stop();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException("cannot bind the infrastructure", e);
        }
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }
}
