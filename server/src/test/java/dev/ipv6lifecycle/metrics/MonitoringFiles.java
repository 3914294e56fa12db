package dev.ipv6lifecycle.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads {@code grafana/}: the dashboard's panel queries with concrete variables, and the alert expressions. */
final class MonitoringFiles {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MonitoringFiles() {
    }

    /** The repository root: the first directory up from the working directory that holds {@code grafana/}. */
    static Path repositoryRoot() {
        Path directory = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (directory != null && !Files.isDirectory(directory.resolve("grafana/dashboards"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("no grafana/dashboards above " + System.getProperty("user.dir"));
        }
        return directory;
    }

    static JsonNode dashboard(Path repository) {
        try {
            return JSON.readTree(Files.readString(repository.resolve("grafana/dashboards/ipv6-lifecycle.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every panel's target expressions by panel title, with Grafana's variables replaced as Grafana would:
     * {@code $tenant} and {@code $pool} by the given values, {@code $__rate_interval} by a window that
     * holds several 1 s scrapes.
     */
    static Map<String, List<String>> panelExpressions(Path repository, Map<String, String> variables) {
        Map<String, List<String>> panels = new LinkedHashMap<>();
        for (JsonNode panel : dashboard(repository).path("panels")) {
            if ("row".equals(panel.path("type").asString())) {
                continue;
            }
            List<String> expressions = new ArrayList<>();
            for (JsonNode target : panel.path("targets")) {
                String expression = target.path("expr").asString();
                expression = expression.replace("$__rate_interval", "1m").replace("$__range", "5m")
                        .replace("$__interval", "15s");
                for (Map.Entry<String, String> variable : variables.entrySet()) {
                    expression = expression.replace("${" + variable.getKey() + "}", variable.getValue())
                            .replace("$" + variable.getKey(), variable.getValue());
                }
                expressions.add(expression);
            }
            panels.put(panel.path("title").asString(), expressions);
        }
        return panels;
    }

    /** The {@code expr} of every rule of {@code grafana/prometheus/alerts.yml}, in file order. */
    @SuppressWarnings("unchecked")
    static List<String> alertExpressions(Path repository) {
        try {
            Map<String, Object> rules = new Yaml().load(Files.readString(repository.resolve("grafana/prometheus/alerts.yml")));
            List<String> expressions = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    expressions.add(String.valueOf(rule.get("expr")).strip());
                }
            }
            return expressions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
