package org.eventstream.orders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the command line asks for: some route bundles (all when none is named), or {@code migrate} alone.
 */
public record BundleSelection(List<String> bundles, boolean migrateOnly, boolean devMode) {

    /** Every bundle, in start order: the table owners first, the relay last. */
    public static final List<String> ALL =
            List.of("orders-api", "payment", "inventory", "notification", "aggregator", "outbox-dispatcher");

    public static final String MIGRATE = "migrate";
    public static final String DEV = "--dev";

    /**
     * The command line's bundles, or when it names none, those of {@code $BUNDLE} (comma- or space-separated), as a
     * container chooses its bundle: {@code BUNDLE=payment}.
     */
    public static BundleSelection parse(String[] args, String bundleVariable) {
        boolean namesBundle = Arrays.stream(args).anyMatch(arg -> !arg.equals(DEV));
        if (namesBundle || bundleVariable == null || bundleVariable.isBlank()) {
            return parse(args);
        }
        List<String> combined = new ArrayList<>(List.of(bundleVariable.strip().split("[,\\s]+")));
        combined.addAll(List.of(args));
        return parse(combined.toArray(String[]::new));
    }

    public static BundleSelection parse(String... args) {
        Set<String> bundles = new LinkedHashSet<>();
        boolean migrate = false;
        boolean dev = false;
        List<String> unknown = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals(MIGRATE)) {
                migrate = true;
            } else if (arg.equals(DEV)) {
                dev = true;
            } else if (ALL.contains(arg)) {
                bundles.add(arg);
            } else {
                unknown.add(arg);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown bundle" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; valid bundles are " + String.join(", ", ALL) + " (or '" + MIGRATE + "' alone to apply migrations)");
        }
        if (migrate && !bundles.isEmpty()) {
            throw new IllegalArgumentException("'" + MIGRATE + "' runs alone; start the bundles without it (they migrate at start-up)");
        }
        return new BundleSelection(List.copyOf(bundles.isEmpty() ? ALL : bundles), migrate, dev);
    }

    public boolean allInOne() {
        return bundles.size() > 1;
    }
}
