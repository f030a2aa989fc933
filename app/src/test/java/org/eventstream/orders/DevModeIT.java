package org.eventstream.orders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --dev}: saving a {@code *.camel.yaml} file of a running bundle reloads its routes in the same JVM, with the same
 * Camel context and connections. On a copy of routes/, so the repository's files are never edited.
 */
class DevModeIT {

    @TempDir
    Path checkout;

    @Test
    void savingARouteFileReloadsItWithoutARestart() throws Exception {
        Path routes = TestFiles.copyTree(Path.of("routes"), checkout.resolve("routes"));
        Path httpApi = routes.resolve("aggregator/http-api.camel.yaml");
        try (RunningBundles bundles = RunningBundles.startFrom(routes, Map.of(), "aggregator", "--dev")) {
            Http http = bundles.http();
            CamelContext context = bundles.runtime().context();
            DataSource dataSource = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
            assertThat(http.get("/metrics/summary").status()).isEqualTo(200);
            assertThat(http.get("/metrics/overview").status()).isEqualTo(404);

            // the summary moves to /metrics/overview: an HTTP route's contract changes on save
            Files.writeString(httpApi, Files.readString(httpApi).replace("path: /summary", "path: /overview"));

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
                assertThat(http.get("/metrics/overview").json().has("total_orders")).isTrue();
                assertThat(http.get("/metrics/summary").status()).isEqualTo(404);
                // the other routes were reloaded with it and run
                assertThat(http.get("/metrics/daily?date=2026-01-01").status()).isEqualTo(200);
                assertThat(context.getRouteController().getRouteStatus("aggregator-consume-order-created")).isEqualTo(ServiceStatus.Started);
            });
            // same JVM, same context, same connection pool
            assertThat(bundles.runtime().context()).isSameAs(context);
            assertThat(context.getRegistry().lookupByNameAndType("dataSource", DataSource.class)).isSameAs(dataSource);
            // ready again once the reloaded routes' consumers are up: Camel's consumer checks answer 503 for a moment
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(http.get("/health/ready").status()).isEqualTo(200));
        }
    }

    @Test
    void aSavedFileOfABundleThatIsNotRunningIsNotLoaded() throws Exception {
        Path routes = TestFiles.copyTree(Path.of("routes"), checkout.resolve("routes"));
        try (RunningBundles bundles = RunningBundles.startFrom(routes, Map.of(), "aggregator", "--dev")) {
            Path authorize = routes.resolve("payment/authorize.camel.yaml");
            Path kpis = routes.resolve("aggregator/kpis.camel.yaml");

            Files.writeString(authorize, Files.readString(authorize) + "\n# edited\n");
            // a save in the running bundle afterwards: once it is reloaded, the earlier event has been handled too
            Files.writeString(kpis, Files.readString(kpis).replace("id: aggregator-count-created", "id: aggregator-count-created-v2")
                    .replace("routeId: aggregator-consume-order-created", "routeId: aggregator-consume-order-created-v2"));

            CamelContext context = bundles.runtime().context();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> context.getRoute("aggregator-count-created-v2") != null);
            assertThat(context.getRoute("payment-authorize-order")).isNull();
            assertThat(context.getRoute("payment-consume-order-created")).isNull();
        }
    }

    @Test
    void aSaveThatDoesNotLoadLeavesTheRoutesAsLastLoadedRunning() throws Exception {
        Path routes = TestFiles.copyTree(Path.of("routes"), checkout.resolve("routes"));
        Path httpApi = routes.resolve("aggregator/http-api.camel.yaml");
        String good = Files.readString(httpApi);
        try (RunningBundles bundles = RunningBundles.startFrom(routes, Map.of(), "aggregator", "--dev")) {
            Http http = bundles.http();
            CamelContext context = bundles.runtime().context();

            // a typo in an endpoint option, as a save might leave it
            Files.writeString(httpApi, good.replace("path: /summary", "path: /overview").replace("outputType: SelectOne", "outputTyp: SelectOne"));
            Thread.sleep(LiveRouteReload.QUIET_MS + 3000);
            assertThat(http.get("/metrics/summary").status()).isEqualTo(200);
            assertThat(http.get("/metrics/overview").status()).isEqualTo(404);
            assertThat(context.getRouteController().getRouteStatus("aggregator-consume-order-completed")).isEqualTo(ServiceStatus.Started);

            Files.writeString(httpApi, good.replace("path: /summary", "path: /overview"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> http.get("/metrics/overview").status() == 200);
            assertThat(context.getRouteController().getRouteStatus("aggregator-consume-order-completed")).isEqualTo(ServiceStatus.Started);
        }
    }

    @Test
    void withoutDevNothingIsReloaded() throws Exception {
        Path routes = TestFiles.copyTree(Path.of("routes"), checkout.resolve("routes"));
        Path httpApi = routes.resolve("aggregator/http-api.camel.yaml");
        try (RunningBundles bundles = RunningBundles.startFrom(routes, Map.of(), "aggregator")) {
            Files.writeString(httpApi, Files.readString(httpApi).replace("path: /summary", "path: /overview"));
            Thread.sleep(3000);

            assertThat(bundles.http().get("/metrics/summary").status()).isEqualTo(200);
            assertThat(bundles.http().get("/metrics/overview").status()).isEqualTo(404);
        }
    }
}
