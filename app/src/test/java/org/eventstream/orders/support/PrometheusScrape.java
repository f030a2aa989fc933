package org.eventstream.orders.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text-format (0.0.4) scrape, read as the tests need it: samples by name and labels, families by type,
 * and the Elasticsearch fields Metricbeat's Prometheus module makes of them (config/metricbeat.yml: use_types and
 * rate_counters) — {@code prometheus.<counter>.counter|rate}, {@code prometheus.<gauge>.value},
 * {@code prometheus.<histogram>.histogram}, {@code prometheus.<summary>_sum|_count.counter|rate},
 * {@code prometheus.labels.<label>}.
 */
public final class PrometheusScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusScrape() {
    }

    public static PrometheusScrape parse(String text) {
        PrometheusScrape scrape = new PrometheusScrape();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split("\\s+");
                scrape.types.put(parts[2], parts[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                Matcher sample = SAMPLE.matcher(line.strip());
                if (!sample.matches()) {
                    throw new IllegalArgumentException("not a Prometheus sample: " + line);
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (sample.group(3) != null) {
                    Matcher label = LABEL.matcher(sample.group(3));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                scrape.samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(4))));
            }
        }
        return scrape;
    }

    private List<Sample> matching(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    public boolean has(String name, Map<String, String> labels) {
        return !matching(name, labels).isEmpty();
    }

    /** The sum of the samples of that name carrying those labels (others may differ). */
    public double value(String name, Map<String, String> labels) {
        return matching(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    public Set<String> families() {
        return types.keySet();
    }

    /** The label names of a family's samples ({@code le} and {@code quantile} included). */
    public Set<String> labelsOf(String family) {
        Set<String> names = new LinkedHashSet<>();
        samples.stream().filter(s -> s.name().equals(family) || s.name().startsWith(family + "_"))
                .forEach(s -> names.addAll(s.labels().keySet()));
        return names;
    }

    /** Every field Metricbeat's typed Prometheus collector indexes for this scrape. */
    public Set<String> metricbeatFields() {
        Set<String> fields = new LinkedHashSet<>();
        types.forEach((family, type) -> {
            switch (type) {
                case "counter" -> {
                    fields.add("prometheus." + family + ".counter");
                    fields.add("prometheus." + family + ".rate");
                }
                case "histogram" -> fields.add("prometheus." + family + ".histogram");
                case "summary" -> {
                    for (String part : List.of("_sum", "_count")) {
                        fields.add("prometheus." + family + part + ".counter");
                        fields.add("prometheus." + family + part + ".rate");
                    }
                    fields.add("prometheus." + family + ".value");
                }
                default -> fields.add("prometheus." + family + ".value");
            }
        });
        samples.forEach(sample -> sample.labels().keySet().stream()
                .filter(label -> !label.equals("le") && !label.equals("quantile"))
                .forEach(label -> fields.add("prometheus.labels." + label)));
        return fields;
    }
}
