package org.eventstream.orders.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fields the Kibana saved objects ({@code dashboards/*.ndjson}) and alert rules ({@code dashboards/alerts/*.json})
 * read, by the data view they read them from: Lens columns' source fields, their KQL filters and queries, saved
 * searches' columns, rules' metric fields, filters and group-bys.
 */
public final class DashboardFields {

    public static final Path DASHBOARDS = Path.of("dashboards");
    public static final Path ALERTS = DASHBOARDS.resolve("alerts");
    /** The data views of dashboards/data-views.ndjson. */
    public static final String METRICS = "eso-metrics";
    public static final String LOGS = "eso-logs";
    public static final String TRACES = "eso-traces";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A field before a KQL comparison: {@code prometheus.labels.status >= 500}, {@code order.id : *}. */
    private static final Pattern KQL_FIELD = Pattern.compile("([A-Za-z@_][A-Za-z0-9@_.]*)\\s*(?::|<=|>=|<|>)");

    private final Map<String, Set<String>> byDataView = new LinkedHashMap<>();

    private DashboardFields() {
    }

    public static DashboardFields load() {
        DashboardFields fields = new DashboardFields();
        for (JsonNode object : savedObjects()) {
            fields.collect(object);
        }
        for (JsonNode rule : alertRules()) {
            fields.collectRule(rule);
        }
        return fields;
    }

    /** Every saved object of every NDJSON file, one per line. */
    public static List<JsonNode> savedObjects() {
        List<JsonNode> objects = new ArrayList<>();
        for (Path file : files(DASHBOARDS, ".ndjson")) {
            try {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        objects.add(JSON.readTree(line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + " has a line that is not JSON", e);
            }
        }
        return objects;
    }

    public static List<JsonNode> alertRules() {
        List<JsonNode> rules = new ArrayList<>();
        for (Path file : files(ALERTS, ".json")) {
            try {
                rules.add(JSON.readTree(file.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(file + " is not JSON", e);
            }
        }
        return rules;
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Set<String> of(String dataView) {
        return byDataView.getOrDefault(dataView, Set.of());
    }

    /** The fields read from Metricbeat's Prometheus documents: what the services' GET /metrics becomes. */
    public Set<String> prometheusFields() {
        Set<String> fields = new LinkedHashSet<>();
        of(METRICS).stream().filter(f -> f.startsWith("prometheus.")).forEach(fields::add);
        return fields;
    }

    /** The fields read from the services' log lines (Filebeat ships them as they are). */
    public Set<String> logFields() {
        return of(LOGS);
    }

    private void add(String dataView, String field) {
        if (field != null && !field.isBlank() && !field.equals("___records___")) {
            byDataView.computeIfAbsent(dataView, v -> new LinkedHashSet<>()).add(field);
        }
    }

    private void addKql(String dataView, String kql) {
        if (kql == null) {
            return;
        }
        Matcher field = KQL_FIELD.matcher(kql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""));
        while (field.find()) {
            add(dataView, field.group(1));
        }
    }

    private void collect(JsonNode object) {
        String type = object.path("type").asText();
        JsonNode attributes = object.path("attributes");
        switch (type) {
            case "lens" -> collectLens(attributes, object.path("references"));
            case "search" -> collectSearch(attributes, object.path("references"));
            case "dashboard" -> {
                try {
                    for (JsonNode panel : JSON.readTree(attributes.path("panelsJSON").asText("[]"))) {
                        JsonNode embedded = panel.path("embeddableConfig").path("attributes");
                        if (embedded.path("type").asText().equals("lens")) {
                            collectLens(embedded, embedded.path("references"));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("panelsJSON of " + object.path("id").asText() + " is not JSON", e);
                }
            }
            default -> {
                // data views, markdown: no field is queried
            }
        }
    }

    private void collectLens(JsonNode attributes, JsonNode references) {
        Map<String, String> layerDataView = new LinkedHashMap<>();
        for (JsonNode reference : references) {
            String name = reference.path("name").asText();
            if (name.startsWith("indexpattern-datasource-layer-")) {
                layerDataView.put(name.substring("indexpattern-datasource-layer-".length()), reference.path("id").asText());
            }
        }
        JsonNode state = attributes.path("state");
        JsonNode layers = state.path("datasourceStates").path("formBased").path("layers");
        for (Iterator<Map.Entry<String, JsonNode>> it = layers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> layer = it.next();
            String dataView = layerDataView.getOrDefault(layer.getKey(), "?");
            for (JsonNode column : layer.getValue().path("columns")) {
                add(dataView, column.path("sourceField").asText(null));
                addKql(dataView, column.path("filter").path("query").asText(null));
            }
            addKql(dataView, state.path("query").path("query").asText(null));
        }
    }

    private void collectSearch(JsonNode attributes, JsonNode references) {
        String dataView = references.isEmpty() ? "?" : references.get(0).path("id").asText();
        attributes.path("columns").forEach(column -> add(dataView, column.asText()));
        attributes.path("sort").forEach(sort -> add(dataView, sort.path(0).asText(null)));
        try {
            JsonNode source = JSON.readTree(attributes.path("kibanaSavedObjectMeta").path("searchSourceJSON").asText("{}"));
            addKql(dataView, source.path("query").path("query").asText(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collectRule(JsonNode rule) {
        JsonNode params = rule.path("params");
        String dataView = params.path("searchConfiguration").path("index").asText("?");
        for (JsonNode criterion : params.path("criteria")) {
            for (JsonNode metric : criterion.path("metrics")) {
                add(dataView, metric.path("field").asText(null));
                addKql(dataView, metric.path("filter").asText(null));
            }
        }
        params.path("groupBy").forEach(field -> add(dataView, field.asText()));
        addKql(dataView, params.path("searchConfiguration").path("query").path("query").asText(null));
    }
}
