package dev.skiff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of the Grafana dashboards, as Grafana would send it: template variables replaced by
 * the values a dashboard shows by default ("All" for the dashboard's own variables).
 */
final class PromQueries {
    /** One query of one panel. */
    record Query(String dashboard, String panel, String expr) {
        /** The expression with Grafana's variables replaced. */
        String promql() {
            return substitute(expr);
        }

        @Override
        public String toString() {
            return dashboard + " / " + panel + ": " + promql();
        }
    }

    /** A dashboard variable filled from {@code label_values(metric, label)}. */
    record LabelValues(String dashboard, String metric, String label) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)(?::\\w+)?}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][\\w:]*)\\s*,\\s*(\\w+)\\s*\\)");
    /** Grafana's built-in interval variables, at values for a short test with a 1 s scrape interval. */
    private static final Map<String, String> BUILT_IN = Map.of(
            "__rate_interval", "1m", "__interval", "15s", "__range", "10m");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PromQueries() {
    }

    static Set<String> variablesIn(String expr) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Built-ins at their test values; a dashboard's own variables at "All" (their allValue, {@code .*}). */
    static String substitute(String expr) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = name.startsWith("__") ? BUILT_IN.get(name) : ".*";
            if (value == null) {
                throw new AssertionError("no test value for Grafana's $" + name + " in " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static List<Query> inDashboards(List<Path> dashboards) throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Path file : dashboards) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            List<JsonNode> panels = new ArrayList<>();
            dashboard.path("panels").forEach(p -> {
                panels.add(p);
                p.path("panels").forEach(panels::add);
            });
            for (JsonNode panel : panels) {
                for (JsonNode target : panel.path("targets")) {
                    if (target.hasNonNull("expr")) {
                        queries.add(new Query(file.getFileName().toString(), panel.path("title").asText(), target.get("expr").asText()));
                    }
                }
            }
        }
        return queries;
    }

    static List<LabelValues> variablesOf(List<Path> dashboards) throws IOException {
        List<LabelValues> variables = new ArrayList<>();
        for (Path file : dashboards) {
            for (JsonNode variable : JSON.readTree(file.toFile()).path("templating").path("list")) {
                if (!variable.path("type").asText().equals("query")) {
                    continue;
                }
                JsonNode query = variable.path("query");
                String text = query.isTextual() ? query.asText() : query.path("query").asText();
                Matcher m = LABEL_VALUES.matcher(text);
                if (!m.matches()) {
                    throw new AssertionError(file + ": variable " + variable.path("name") + " is not label_values(metric, label): " + text);
                }
                variables.add(new LabelValues(file.getFileName().toString(), m.group(1), m.group(2)));
            }
        }
        return variables;
    }
}
