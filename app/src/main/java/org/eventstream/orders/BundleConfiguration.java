package org.eventstream.orders;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the selected bundles' routes and properties come from, and their merged properties.
 * <p>
 * The {@code routes/} folder of the working directory (or {@code $ROUTES_DIR}) wins when present, so routes can be
 * edited without a rebuild; otherwise the copy inside the jar is used. Properties merge
 * {@code routes/shared/application.properties}, then each selected bundle's file in order; Camel's properties
 * component lets environment variables override any key ({@code db.url} ← {@code DB_URL}).
 * In all-in-one mode every HTTP endpoint is served on the shared port, so bundle files' {@code http.port} is ignored.
 */
public final class BundleConfiguration implements Settings {

    public static final String SHARED = "shared";
    static final String HTTP_PORT = "http.port";

    private final BundleSelection selection;
    private final Path routesDir;
    private final Properties properties;
    private final Map<String, String> overrides;

    private BundleConfiguration(BundleSelection selection, Path routesDir, Properties properties, Map<String, String> overrides) {
        this.selection = selection;
        this.routesDir = routesDir;
        this.properties = properties;
        this.overrides = overrides;
    }

    /** The same configuration with settings that win over environment and files (tests point them at their servers). */
    public BundleConfiguration withOverrides(Map<String, String> settings) {
        Map<String, String> merged = new LinkedHashMap<>(overrides);
        merged.putAll(settings);
        return new BundleConfiguration(selection, routesDir, properties, Map.copyOf(merged));
    }

    public Map<String, String> overrides() {
        return overrides;
    }

    public static BundleConfiguration load(BundleSelection selection) {
        String configured = System.getenv("ROUTES_DIR");
        Path dir = Path.of(configured != null ? configured : "routes").toAbsolutePath().normalize();
        return load(selection, Files.isDirectory(dir.resolve(SHARED)) ? dir : null);
    }

    /** @param routesDir the routes folder on the filesystem, or {@code null} for the copy inside the jar */
    public static BundleConfiguration load(BundleSelection selection, Path routesDir) {
        Properties merged = new Properties();
        merged.putAll(read(routesDir, SHARED));
        for (String bundle : selection.bundles()) {
            Properties own = read(routesDir, bundle);
            if (selection.allInOne()) {
                own.remove(HTTP_PORT);
            }
            merged.putAll(own);
        }
        return new BundleConfiguration(selection, routesDir, merged, Map.of());
    }

    private static Properties read(Path routesDir, String bundle) {
        Properties properties = new Properties();
        String name = bundle + "/application.properties";
        try (InputStream in = routesDir != null
                ? Files.newInputStream(routesDir.resolve(name))
                : BundleConfiguration.class.getClassLoader().getResourceAsStream("routes/" + name)) {
            if (in == null) {
                throw new IllegalStateException("routes/" + name + " is missing from the jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read routes/" + name, e);
        }
        return properties;
    }

    /** The environment variable that overrides a setting: {@code db.url} ← {@code DB_URL}. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * A setting as Camel's properties component resolves it: override, environment variable ({@code db.url} ← {@code DB_URL}),
     * then JVM system property, then the merged files. For the infrastructure built before Camel starts.
     */
    @Override
    public String value(String key) {
        if (overrides.containsKey(key)) {
            return overrides.get(key);
        }
        String env = System.getenv(environmentVariable(key));
        if (env != null) {
            return env;
        }
        String value = System.getProperty(key, properties.getProperty(key));
        if (value == null) {
            throw new IllegalStateException("setting '" + key + "' is not configured");
        }
        return value.strip();
    }

    /** True when any selected bundle owns tables and so migrates the schema at start-up ({@code db.migrate=true}). */
    public boolean migratesAtStartup() {
        return Boolean.parseBoolean(value("db.migrate"));
    }

    public BundleSelection selection() {
        return selection;
    }

    public Properties properties() {
        return properties;
    }

    /** The Camel {@code routesIncludePattern}: the shared routes, then each selected bundle's. */
    public String routesIncludePattern() {
        List<String> patterns = new ArrayList<>();
        patterns.add(pattern(SHARED));
        selection.bundles().forEach(bundle -> patterns.add(pattern(bundle)));
        return String.join(",", patterns);
    }

    private String pattern(String bundle) {
        return routesDir != null
                ? "file:" + routesDir.resolve(bundle) + "/*.camel.yaml"
                : "classpath:routes/" + bundle + "/*.camel.yaml";
    }

    /** The Flyway location of the migrations: {@code sql/} beside {@code routes/}, else the jar's copy. */
    public String migrationsLocation() {
        return migrationsLocation(routesDir);
    }

    /** @param routesDir the routes folder on the filesystem, or {@code null} when the routes come from the jar */
    static String migrationsLocation(Path routesDir) {
        if (routesDir != null) {
            Path sql = routesDir.resolveSibling("sql");
            if (Files.isDirectory(sql)) {
                return "filesystem:" + sql;
            }
        }
        return "classpath:db/migration";
    }

    public java.nio.file.Path routesDirectory() {
        return routesDir;
    }

    public boolean loadsFromFilesystem() {
        return routesDir != null;
    }
}
