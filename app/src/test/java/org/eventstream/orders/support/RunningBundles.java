package org.eventstream.orders.support;

import java.nio.file.Path;
import java.util.Map;

import org.eventstream.orders.BundleConfiguration;
import org.eventstream.orders.BundleRuntime;
import org.eventstream.orders.BundleSelection;
import org.eventstream.orders.observability.Telemetry;

/**
 * Some bundles running in this JVM against the test servers, on a free port; closed after the test class.
 */
public final class RunningBundles implements AutoCloseable {

    private final BundleRuntime runtime;
    private final int port;

    private RunningBundles(BundleRuntime runtime, int port) {
        this.runtime = runtime;
        this.port = port;
    }

    public static RunningBundles start(Map<String, String> extraSettings, String... bundles) throws Exception {
        return start(extraSettings, null, bundles);
    }

    /** @param telemetry the SDK and registry to use (a test's span exporter), or {@code null} for the environment's */
    public static RunningBundles start(Map<String, String> extraSettings, Telemetry telemetry, String... bundles) throws Exception {
        return start(BundleConfiguration.load(BundleSelection.parse(bundles)), extraSettings, telemetry);
    }

    /** Bundles whose routes come from another routes folder (a copy the test edits); {@code args} as on the command line. */
    public static RunningBundles startFrom(Path routesDir, Map<String, String> extraSettings, String... args) throws Exception {
        return start(BundleConfiguration.load(BundleSelection.parse(args), routesDir), extraSettings, null);
    }

    private static RunningBundles start(BundleConfiguration loaded, Map<String, String> extraSettings, Telemetry telemetry) throws Exception {
        int port = TestServers.freePort();
        BundleConfiguration config = loaded
                .withOverrides(TestServers.settings(port))
                .withOverrides(Map.of("camel.main.shutdown-timeout", "10"))
                .withOverrides(extraSettings);
        BundleRuntime runtime = telemetry == null ? BundleRuntime.create(config) : BundleRuntime.create(config, telemetry);
        runtime.start();
        return new RunningBundles(runtime, port);
    }

    public static RunningBundles start(String... bundles) throws Exception {
        return start(Map.of(), bundles);
    }

    public Http http() {
        return new Http(port);
    }

    public int port() {
        return port;
    }

    public BundleRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() throws Exception {
        runtime.stop();
    }
}
