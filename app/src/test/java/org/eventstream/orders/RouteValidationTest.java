package org.eventstream.orders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.Model;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every YAML route of every bundle loads in a Camel context as the launcher builds it, with every endpoint created, so a
 * typo fails here and not in production: an unknown endpoint option or component, an unknown EIP key, a missing bean or
 * placeholder, a route template parameter, a duplicate route id, a misspelled {@code camel.*} setting. Routes are created
 * but not started ({@code camel.main.auto-startup=false}): no consumer connects, the connection pools stay idle.
 */
class RouteValidationTest {

    private static final Map<String, String> CREATE_ONLY = Map.of("camel.main.auto-startup", "false", "db.migrate", "false");

    @TempDir
    Path checkout;

    /** Each bundle alone, as deployed, and all of them in one context (no name: the default). */
    static List<List<String>> selections() {
        List<List<String>> selections = new ArrayList<>();
        BundleSelection.ALL.forEach(bundle -> selections.add(List.of(bundle)));
        selections.add(List.of());
        return selections;
    }

    @ParameterizedTest(name = "bundles {0}")
    @MethodSource("selections")
    void everyRouteOfTheBundlesLoadsWithEveryEndpointCreated(List<String> bundles) throws Exception {
        try (RunningBundles running = RunningBundles.startFrom(Path.of("routes").toAbsolutePath(), CREATE_ONLY,
                bundles.toArray(String[]::new))) {
            CamelContext context = running.runtime().context();
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);

            assertThat(context.getRoutes()).isNotEmpty();
            // every route defined (templated ones included) was created, with its endpoints
            assertThat(context.getRoutes()).hasSameSizeAs(model.getRouteDefinitions());
            assertThat(context.getEndpoints()).hasSizeGreaterThan(context.getRoutes().size());
        }
    }

    /**
     * A sub-route left to the default error handler would log each failure as its own and could carry on: every
     * {@code direct:} route, templated ones included, names its route configuration (http-problems or propagate-errors).
     */
    @Test
    void everySubRouteNamesItsErrorHandling() throws Exception {
        try (RunningBundles running = RunningBundles.startFrom(Path.of("routes").toAbsolutePath(), CREATE_ONLY)) {
            List<Route> subRoutes = running.runtime().context().getRoutes().stream()
                    .filter(route -> route.getEndpoint().getEndpointUri().startsWith("direct:")).toList();

            assertThat(subRoutes).extracting(Route::getRouteId).contains("payment-record-payment", "orders-api-insert-order");
            assertThat(subRoutes).allSatisfy(route -> assertThat(route.getConfigurationId()).as(route.getRouteId())
                    .isIn("http-problems", "propagate-errors"));
        }
    }

    @Test
    void aMisspelledEndpointOptionFails() throws Exception {
        Path routes = copyRoutes();
        edit(routes.resolve("aggregator/http-api.camel.yaml"), "outputType: SelectOne", "outputTyp: SelectOne");

        assertThatThrownBy(() -> validate(routes, "aggregator"))
                .hasStackTraceContaining("Unknown parameters=[{outputTyp=SelectOne}]");
    }

    @Test
    void aMisspelledOptionInAUriStringFails() throws Exception {
        Path routes = copyRoutes();
        edit(routes.resolve("outbox-dispatcher/relay.camel.yaml"), "synchronous=true", "synchronus=true");

        assertThatThrownBy(() -> validate(routes, "outbox-dispatcher"))
                .hasStackTraceContaining("Unknown parameters=[{synchronus=true}]");
    }

    @Test
    void anUnknownComponentFails() throws Exception {
        Path routes = copyRoutes();
        Files.writeString(routes.resolve("payment/typo.camel.yaml"), """
                - route:
                    id: payment-typo
                    from:
                      uri: direct:payment-typo
                      steps:
                        - to: "sqll:SELECT 1"
                """);

        assertThatThrownBy(() -> validate(routes, "payment"))
                .hasStackTraceContaining("No endpoint could be found for: sqll:");
    }

    @Test
    void anUnknownStepFails() throws Exception {
        Path routes = copyRoutes();
        edit(routes.resolve("inventory/reserve.camel.yaml"), "- bean:", "- baen:");

        assertThatThrownBy(() -> validate(routes, "inventory")).hasStackTraceContaining("baen");
    }

    private static void validate(Path routes, String... bundles) throws Exception {
        RunningBundles.startFrom(routes, CREATE_ONLY, bundles).close();
    }

    private Path copyRoutes() throws IOException {
        return TestFiles.copyTree(Path.of("routes"), checkout.resolve("routes"));
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }
}
