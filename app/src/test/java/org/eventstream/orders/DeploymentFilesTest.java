package org.eventstream.orders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eventstream.orders.support.DashboardFields;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static checks of what cannot run here (no Docker engine): docker-compose.yml, the Dockerfile, the configuration the
 * compose file mounts, the Kibana saved objects and alert rules. That the fields the dashboards read from the services
 * are ones the services emit is checked against a real scrape and real log lines in ObservabilityIT; here, that every
 * other field comes from Metricbeat's RabbitMQ module or from APM.
 */
class DeploymentFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** ${VAR:-default} as compose substitutes it when VAR is unset. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?}");

    /**
     * Fields the dashboards and rules read that no service emits: Metricbeat's RabbitMQ and event metadata, and
     * APM's transaction documents (the services' spans, as APM Server stores them).
     */
    private static final Set<String> THIRD_PARTY_FIELDS = Set.of(
            "@timestamp", "metricset.name",
            "rabbitmq.queue.name", "rabbitmq.queue.messages.ready.count", "rabbitmq.queue.messages.unacknowledged.count",
            "rabbitmq.queue.messages.total.count", "rabbitmq.queue.consumers.count",
            "rabbitmq.exchange.name", "rabbitmq.exchange.messages.publish_in.details.rate",
            "service.name", "transaction.name", "transaction.duration.us", "event.outcome", "trace.id", "processor.event");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        Object loaded = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        return (Map<String, Object>) resolveMergeKeys(loaded);
    }

    /** Compose's YAML merge keys ({@code <<: *anchor}), which YAML 1.2 parsers leave as a plain key. */
    @SuppressWarnings("unchecked")
    private static Object resolveMergeKeys(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> merged = new LinkedHashMap<>();
            Object base = map.get("<<");
            if (base instanceof Map<?, ?> baseMap) {
                ((Map<String, Object>) resolveMergeKeys(baseMap)).forEach(merged::put);
            }
            map.forEach((key, value) -> {
                if (!"<<".equals(key)) {
                    merged.put(String.valueOf(key), resolveMergeKeys(value));
                }
            });
            return merged;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(DeploymentFilesTest::resolveMergeKeys).toList();
        }
        return node;
    }

    private static String substituted(String value) {
        Matcher variable = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            variable.appendReplacement(out, Matcher.quoteReplacement(variable.group(1) == null ? "" : variable.group(1)));
        }
        variable.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        return (Map<String, Map<String, Object>>) yaml(Path.of("docker-compose.yml")).get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    @Test
    void everyServiceHasAHealthcheckOrRunsOnce() throws IOException {
        services().forEach((name, service) -> {
            boolean oneShot = "no".equals(String.valueOf(service.get("restart")));
            assertThat(service.containsKey("healthcheck") || oneShot).as(name + " has a healthcheck or is one-shot").isTrue();
            if (!oneShot) {
                assertThat(service.get("restart")).as(name + " restarts").isIn("unless-stopped", "always", "on-failure");
            }
        });
    }

    @Test
    void dependenciesWaitForHealthyServicesThatExist() throws IOException {
        Map<String, Map<String, Object>> services = services();
        services.forEach((name, service) -> map(service.get("depends_on")).forEach((dependency, condition) -> {
            assertThat(services).as(name + " depends on " + dependency).containsKey(dependency);
            String wanted = String.valueOf(map(condition).get("condition"));
            assertThat(wanted).as(name + " -> " + dependency).isIn("service_healthy", "service_completed_successfully");
            if (wanted.equals("service_healthy")) {
                assertThat(services.get(dependency)).as(dependency + " has a healthcheck").containsKey("healthcheck");
            }
        }));
    }

    @Test
    void everyMountedFileAndTheBuildContextExist() throws IOException {
        List<String> checked = new ArrayList<>();
        services().forEach((name, service) -> {
            for (Object volume : list(service.get("volumes"))) {
                String source = substituted(String.valueOf(volume)).split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(Path.of(source)).as(name + " mounts " + source).exists();
                    checked.add(source);
                }
            }
            if (service.get("build") != null) {
                assertThat(Path.of(String.valueOf(service.get("build"))).resolve("Dockerfile")).exists();
            }
        });
        assertThat(checked).contains("./config/filebeat.yml", "./config/metricbeat.yml", "./config/apm-server.yml",
                "./config/kibana-setup.sh", "./dashboards", "./k6");
        // the k6 script the loadtest profile runs by default
        String k6Script = substituted(String.valueOf(list(services().get("k6").get("command")).get(1)));
        assertThat(Path.of(k6Script.replaceFirst("^/k6/", "k6/"))).exists();
    }

    @Test
    void theMountedBeatsAndApmConfigurationParses() throws IOException {
        assertThat(yaml(Path.of("config/filebeat.yml"))).containsKeys("filebeat.autodiscover", "output.elasticsearch");
        assertThat(yaml(Path.of("config/metricbeat.yml"))).containsKeys("metricbeat.modules", "output.elasticsearch");
        assertThat(yaml(Path.of("config/apm-server.yml"))).containsKeys("apm-server", "output.elasticsearch");
        assertThat(Files.readString(Path.of("config/kibana-setup.sh"))).contains("/api/saved_objects/_import", "/api/alerting/rule/");
    }

    @Test
    void publishedPortsAreUniqueAndFollowTheEarlierSystem() throws IOException {
        Map<String, String> hostPorts = new LinkedHashMap<>();
        services().forEach((name, service) -> {
            for (Object port : list(service.get("ports"))) {
                String[] parts = substituted(String.valueOf(port)).split(":");
                String host = parts.length == 3 ? parts[1] : parts[0];
                assertThat(hostPorts.put(host, name)).as("host port " + host + " of " + name).isNull();
            }
        });
        assertThat(hostPorts).containsEntry("8080", "orders-api").containsEntry("8081", "aggregator")
                .containsEntry("5432", "postgres").containsEntry("5672", "rabbitmq").containsEntry("15672", "rabbitmq")
                .containsEntry("6379", "redis").containsEntry("9200", "elasticsearch").containsEntry("5601", "kibana");
    }

    @Test
    void everyBundleIsItsOwnServiceScrapedByMetricbeat() throws IOException {
        Map<String, Map<String, Object>> services = services();
        String metricbeat = Files.readString(Path.of("config/metricbeat.yml"));
        for (String bundle : BundleSelection.ALL) {
            Map<String, Object> environment = map(services.get(bundle).get("environment"));
            assertThat(environment).as(bundle).containsEntry("BUNDLE", bundle).containsEntry("OTEL_SERVICE_NAME", bundle)
                    .containsKeys("DB_URL", "DB_USER", "DB_PASSWORD", "RABBITMQ_HOST", "RABBITMQ_USER", "RABBITMQ_PASSWORD",
                            "REDIS_HOST", "REDIS_PASSWORD", "HTTP_PORT", "OTEL_EXPORTER_OTLP_ENDPOINT", "LOG_FORMAT");
            assertThat(map(services.get(bundle).get("labels"))).as(bundle + " logs go to Filebeat").containsEntry("org.eventstream.logs", "ecs");
            assertThat(metricbeat).contains("\"" + bundle + ":8080\"");
        }
    }

    @Test
    void noGuestCredentials() throws IOException {
        String compose = Files.readString(Path.of("docker-compose.yml"));
        assertThat(compose).doesNotContainIgnoringCase("guest");
        assertThat(map(services().get("rabbitmq").get("environment")).get("RABBITMQ_DEFAULT_USER").toString())
                .contains("order_user");
        assertThat(compose).contains("rabbitmq:3.13-management");
    }

    @Test
    void redisRequiresThePasswordTheBundlesAreGiven() throws IOException {
        Map<String, Object> redis = services().get("redis");
        String password = map(redis.get("environment")).get("REDIS_PASSWORD").toString();
        assertThat(password).isEqualTo("${REDIS_PASSWORD:-order_password}");
        assertThat(redis.get("command").toString()).contains("--requirepass \"$$REDIS_PASSWORD\"");
        assertThat(map(redis.get("healthcheck")).get("test").toString()).contains("-a \"$$REDIS_PASSWORD\"");
        for (String bundle : BundleSelection.ALL) {
            assertThat(map(services().get(bundle).get("environment")).get("REDIS_PASSWORD")).as(bundle).isEqualTo(password);
        }
    }

    @Test
    void theImageIsBuiltWithTheWrapperAndRunsAsANonRootUserWithAHealthcheck() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(Pattern.compile("(?m)^FROM ").matcher(dockerfile).results().count()).as("stages").isEqualTo(2);
        assertThat(dockerfile).contains("./mvnw").containsPattern("(?m)^FROM eclipse-temurin:17-jre")
                .containsPattern("(?m)^USER 10001").containsPattern("(?m)^HEALTHCHECK .*").contains("/health/ready");
    }

    @Test
    void everySavedObjectParsesAndEveryReferenceResolves() throws IOException {
        List<JsonNode> objects = DashboardFields.savedObjects();
        Set<String> ids = new HashSet<>();
        objects.forEach(object -> {
            assertThat(object.path("type").asText()).as(object.toString()).isNotBlank();
            assertThat(ids.add(object.path("type").asText() + ":" + object.path("id").asText())).as("unique " + object.path("id")).isTrue();
        });
        assertThat(ids).contains("dashboard:eso-dashboard-performance", "dashboard:eso-dashboard-rabbitmq",
                "dashboard:eso-dashboard-business", "dashboard:eso-dashboard-traces", "index-pattern:" + DashboardFields.METRICS,
                "index-pattern:" + DashboardFields.LOGS, "index-pattern:" + DashboardFields.TRACES);
        for (JsonNode object : objects) {
            for (JsonNode reference : object.path("references")) {
                assertThat(ids).as(object.path("id") + " refers to " + reference)
                        .contains(reference.path("type").asText() + ":" + reference.path("id").asText());
            }
            if (object.path("type").asText().equals("dashboard")) {
                JsonNode panels = JSON.readTree(object.path("attributes").path("panelsJSON").asText());
                assertThat(panels).as(object.path("id").asText()).isNotEmpty();
                Set<String> referenceNames = new HashSet<>();
                object.path("references").forEach(reference -> referenceNames.add(reference.path("name").asText()));
                for (JsonNode panel : panels) {
                    if (panel.has("panelRefName")) {
                        assertThat(referenceNames).contains(panel.path("panelIndex").asText() + ":" + panel.path("panelRefName").asText());
                    }
                }
            }
        }
    }

    @Test
    void alertRulesCoverTheTargetsAndReadAnImportedDataView() {
        List<JsonNode> rules = DashboardFields.alertRules();
        assertThat(rules).extracting(rule -> rule.path("name").asText())
                .anyMatch(name -> name.contains("P99")).anyMatch(name -> name.contains("error rate"))
                .anyMatch(name -> name.contains("dead-lettered")).anyMatch(name -> name.contains("down"));
        for (JsonNode rule : rules) {
            assertThat(rule.path("rule_type_id").asText()).isEqualTo("observability.rules.custom_threshold");
            assertThat(rule.path("consumer").asText()).isNotBlank();
            assertThat(rule.path("schedule").path("interval").asText()).isNotBlank();
            assertThat(rule.path("params").path("criteria")).isNotEmpty();
            assertThat(rule.path("params").path("searchConfiguration").path("index").asText()).isEqualTo(DashboardFields.METRICS);
        }
    }

    @Test
    void everyFieldReadIsTheServicesOwnOrMetricbeatsOrApms() {
        DashboardFields fields = DashboardFields.load();
        // the services' fields (prometheus.*, the log lines) are checked against a real scrape and real logs in ObservabilityIT
        Set<String> unaccounted = new HashSet<>();
        fields.of(DashboardFields.METRICS).stream().filter(f -> !f.startsWith("prometheus.")).forEach(unaccounted::add);
        unaccounted.addAll(fields.of(DashboardFields.TRACES));
        unaccounted.removeAll(THIRD_PARTY_FIELDS);
        assertThat(unaccounted).isEmpty();
        assertThat(fields.prometheusFields()).contains("prometheus.http_server_requests_seconds.histogram",
                "prometheus.http_server_responses_total.rate", "prometheus.consumer_messages_total.rate",
                "prometheus.orders_total.rate", "prometheus.orders_revenue_total.rate",
                "prometheus.orders_processing_time_seconds.histogram", "prometheus.outbox_backlog.value");
        assertThat(fields.logFields()).contains("trace.id", "order.id", "event.action", "service.name");
        assertThat(fields.of("?")).as("fields read from no known data view").isEmpty();
    }
}
