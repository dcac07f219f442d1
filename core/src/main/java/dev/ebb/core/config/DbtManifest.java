package dev.ebb.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The part of a dbt {@code target/manifest.json} that Ebb reads: its metadata, and its models and tests. Only those
 * fields are bound (SQL text and the rest are skipped while parsing), so a large manifest costs little heap.
 * Immutable once read.
 *
 * @param metadata when, by which dbt and for which adapter it was written
 * @param nodes    models, tests, seeds and snapshots by unique id ({@code model.analytics.customer_health})
 */
record DbtManifest(Metadata metadata, Map<String, Node> nodes) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    DbtManifest {
        metadata = metadata == null ? new Metadata(null, null, null, null) : metadata;
        nodes = nodes == null ? Map.of() : nodes;
    }

    record Metadata(String generatedAt, String adapterType, String projectName, String dbtVersion) {
        /** When dbt wrote the manifest, or empty when it does not say (or not readably). */
        Optional<Instant> generated() {
            try {
                return Optional.ofNullable(generatedAt).map(Instant::parse);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    record Node(String resourceType, String name, String packageName, String database, String schema, String alias,
                String originalFilePath, String patchPath, Config config, Map<String, ColumnInfo> columns,
                TestMetadata testMetadata, String columnName, String attachedNode, DependsOn dependsOn,
                Object version, Object latestVersion, String relationName) {
        boolean isModel() {
            return "model".equals(resourceType);
        }

        String materialized() {
            return config == null ? null : config.materialized();
        }

        String identifier() {
            return alias == null || alias.isBlank() ? name : alias;
        }

        List<String> columnNames() {
            return columns == null ? List.of() : columns.values().stream().map(ColumnInfo::name)
                    .filter(Objects::nonNull).toList();
        }
    }

    record Config(String materialized, Boolean enabled, String where) {
    }

    record ColumnInfo(String name, String dataType) {
    }

    record TestMetadata(String name, String namespace, Map<String, Object> kwargs) {
    }

    record DependsOn(List<String> nodes) {
    }

    /**
     * Reads a manifest.
     *
     * @throws IOException when the file cannot be read; {@link JsonProcessingException} when it is not JSON of a
     *                     manifest's shape
     */
    static DbtManifest read(Path file) throws IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            return JSON.readValue(in, DbtManifest.class);
        }
    }

    /**
     * The models {@code ref(name)} may mean: those of {@code pkg} when given; else, as dbt resolves a ref, the root
     * project's before a package's. A versioned model's latest version stands for it.
     */
    List<Map.Entry<String, Node>> models(String name, String pkg) {
        List<Map.Entry<String, Node>> found = nodes.entrySet().stream()
                .filter(e -> e.getValue().isModel() && name.equals(e.getValue().name()))
                .filter(e -> pkg == null || pkg.equals(e.getValue().packageName()))
                .filter(e -> e.getValue().version() == null
                        || Objects.equals(String.valueOf(e.getValue().version()),
                        String.valueOf(e.getValue().latestVersion())))
                .sorted(Map.Entry.comparingByKey()).toList();
        if (pkg == null && found.size() > 1) {
            List<Map.Entry<String, Node>> root = found.stream()
                    .filter(e -> Objects.equals(e.getValue().packageName(), metadata.projectName())).toList();
            if (!root.isEmpty()) return root;
        }
        return found;
    }

    /**
     * The column sets that tests declare unique in the model {@code modelId}: dbt's {@code unique} (its column) and
     * dbt_utils' {@code unique_combination_of_columns}. A test with a {@code where} filter proves nothing of the
     * other rows, so it does not count. Sorted, without repeats.
     */
    List<List<String>> uniqueKeys(String modelId) {
        Set<List<String>> keys = new LinkedHashSet<>();
        for (Node test : nodes.values()) {
            if (!"test".equals(test.resourceType()) || test.testMetadata() == null || !testsModel(test, modelId)) {
                continue;
            }
            if (test.config() != null && (Boolean.FALSE.equals(test.config().enabled())
                    || test.config().where() != null && !test.config().where().isBlank())) {
                continue;
            }
            Map<String, Object> kwargs = test.testMetadata().kwargs() == null ? Map.of()
                    : test.testMetadata().kwargs();
            switch (String.valueOf(test.testMetadata().name())) {
                case "unique" -> {
                    Object column = kwargs.getOrDefault("column_name", test.columnName());
                    if (column instanceof String text && !text.isBlank()) keys.add(List.of(unquoted(text)));
                }
                case "unique_combination_of_columns" -> {
                    if (kwargs.get("combination_of_columns") instanceof List<?> columns && !columns.isEmpty()) {
                        List<String> key = new ArrayList<>();
                        for (Object column : columns) key.add(unquoted(String.valueOf(column)));
                        keys.add(List.copyOf(key));
                    }
                }
                default -> {
                    // Other tests say nothing about uniqueness.
                }
            }
        }
        return keys.stream().sorted(Comparator.comparing((List<String> k) -> k.size())
                .thenComparing(Object::toString)).toList();
    }

    /** dbt 1.5+ names the tested model in {@code attached_node}; older manifests only in {@code depends_on}. */
    private static boolean testsModel(Node test, String modelId) {
        if (test.attachedNode() != null) return test.attachedNode().equals(modelId);
        List<String> upstream = test.dependsOn() == null || test.dependsOn().nodes() == null ? List.of()
                : test.dependsOn().nodes().stream().filter(id -> id.startsWith("model.")).toList();
        return upstream.equals(List.of(modelId));
    }

    /** A column written quoted in the test's YAML ({@code column_name: '"Email"'}) is that column. */
    private static String unquoted(String column) {
        String text = column.strip();
        if (text.length() > 1 && (text.startsWith("\"") && text.endsWith("\"")
                || text.startsWith("`") && text.endsWith("`"))) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }
}
