package org.eventstream.orders;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.FileWatcherResourceReloadStrategy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --dev}: saving a {@code *.camel.yaml} file of a running bundle (or of routes/shared) reloads its routes in the same
 * JVM and Camel context; the connections and every other bean the launcher bound stay.
 * <p>
 * A save reloads every route file of the running bundles, as at start-up: route configurations, then routes, then the
 * routes made from templates. Camel's own watcher (camel.main.routes-reload-*) does not fit these bundles: it drops the
 * routes made from templates (every consumer here), and loads a file once per route it holds, failing on duplicate ids.
 * Saves within {@value #QUIET_MS} ms make one reload, so an editor's truncate-then-write is not read half-written. A save
 * that does not load is logged and the routes as last loaded run on. Files of bundles not running here are ignored.
 */
final class LiveRouteReload extends FileWatcherResourceReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(LiveRouteReload.class);
    private static final String ROUTE_FILES = ".camel.yaml";
    static final long QUIET_MS = 300;

    private final List<Path> folders;
    private Map<Path, String> loaded;
    private ScheduledExecutorService reloader;
    private ScheduledFuture<?> pending;

    LiveRouteReload(Path routesDir, List<String> bundles) {
        super(routesDir.toString(), true);
        List<Path> watched = new ArrayList<>();
        watched.add(routesDir.resolve(BundleConfiguration.SHARED).toAbsolutePath().normalize());
        bundles.forEach(bundle -> watched.add(routesDir.resolve(bundle).toAbsolutePath().normalize()));
        this.folders = List.copyOf(watched);
        setFileFilter(file -> file.getName().endsWith(ROUTE_FILES)
                && folders.contains(file.toPath().toAbsolutePath().normalize().getParent()));
        setResourceReload((name, saved) -> saved(name));
    }

    @Override
    protected void doStart() throws Exception {
        loaded = routeFiles();
        reloader = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "LiveRouteReload");
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (reloader != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(reloader);
        }
    }

    private synchronized void saved(String name) {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = reloader.schedule(() -> reload(name), QUIET_MS, TimeUnit.MILLISECONDS);
    }

    private void reload(String saved) {
        CamelContext context = getCamelContext();
        try {
            Map<Path, String> files = routeFiles();
            replaceRoutes(context, files);
            loaded = files;
            LOG.info("{} saved: {} routes reloaded from {}", saved, context.getRoutesSize(), folders);
        } catch (Exception e) {
            LOG.warn("{} saved: the routes do not load, the ones last loaded run on: {}", saved, e.getMessage(), e);
            try {
                replaceRoutes(context, loaded);
            } catch (Exception again) {
                LOG.error("the routes last loaded do not load again either; save a file that loads", again);
            }
        }
    }

    private static void replaceRoutes(CamelContext context, Map<Path, String> files) throws Exception {
        List<Resource> resources = new ArrayList<>();
        files.forEach((file, text) -> resources.add(ResourceHelper.fromString("file:" + file, text)));
        Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(resources);
        context.getRouteController().removeAllRoutes();
        context.removeRouteTemplates("*");
        context.getEndpointRegistry().clear();
        for (RoutesBuilder builder : builders) {
            if (builder instanceof RouteConfigurationsBuilder configurations) {
                configurations.updateRouteConfigurationsToCamelContext(context);
            }
        }
        for (RoutesBuilder builder : builders) {
            builder.updateRoutesToCamelContext(context);
        }
        for (RoutesBuilder builder : builders) {
            context.addTemplatedRoutes(builder);
        }
    }

    /** Every route file of the running bundles with its text, in start-up order: shared first, then each bundle's, by name. */
    private Map<Path, String> routeFiles() {
        Map<Path, String> files = new LinkedHashMap<>();
        for (Path folder : folders) {
            try (Stream<Path> listing = Files.list(folder)) {
                for (Path file : (Iterable<Path>) listing.filter(f -> f.getFileName().toString().endsWith(ROUTE_FILES)).sorted()::iterator) {
                    files.put(file, Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + folder, e);
            }
        }
        return files;
    }

    @Override
    protected String startupMessage(File dir) {
        return "Live route reloading (--dev) of " + folders;
    }
}
