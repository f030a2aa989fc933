package org.eventstream.orders;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BundleConfigurationTest {

    private static final Path ROUTES = Path.of("routes").toAbsolutePath();

    @Test
    void aBundleRunAloneServesOnItsOwnPort() {
        BundleConfiguration aggregator = BundleConfiguration.load(BundleSelection.parse("aggregator"), ROUTES);

        assertThat(aggregator.properties().getProperty("http.port")).isEqualTo("8081");
        assertThat(aggregator.properties().getProperty("db.user")).isEqualTo("order_user");
    }

    @Test
    void allInOneServesEveryEndpointOnTheSharedPort() {
        BundleConfiguration all = BundleConfiguration.load(BundleSelection.parse(), ROUTES);

        assertThat(all.properties().getProperty("http.port")).isEqualTo("8080");
        assertThat(all.migratesAtStartup()).isTrue();
    }

    @Test
    void routesComeFromTheFilesystemOrTheJar() {
        BundleSelection orders = BundleSelection.parse("orders-api");

        assertThat(BundleConfiguration.load(orders, ROUTES).routesIncludePattern())
                .isEqualTo("file:" + ROUTES.resolve("shared") + "/*.camel.yaml,file:" + ROUTES.resolve("orders-api") + "/*.camel.yaml");
        assertThat(BundleConfiguration.load(orders, null).routesIncludePattern())
                .isEqualTo("classpath:routes/shared/*.camel.yaml,classpath:routes/orders-api/*.camel.yaml");
        assertThat(BundleConfiguration.load(orders, null).migrationsLocation()).isEqualTo("classpath:db/migration");
        assertThat(BundleConfiguration.load(orders, ROUTES).migrationsLocation()).isEqualTo("filesystem:" + ROUTES.resolveSibling("sql"));
    }

    @Test
    void overridesWinOverFiles() {
        BundleConfiguration config = BundleConfiguration.load(BundleSelection.parse("orders-api"), ROUTES)
                .withOverrides(Map.of("db.user", "someone"));

        assertThat(config.value("db.user")).isEqualTo("someone");
        assertThat(config.value("rabbitmq.port")).isEqualTo("5672");
    }
}
