package dev.ebb.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves {@code model: { ref: NAME }} against the dbt project's {@code target/manifest.json}: the relation the
 * model is built as (quoted for the engine of the source it runs on), its documented columns, and its key from a
 * {@code unique} or {@code unique_combination_of_columns} test. Reports, with what to run: no {@code dbt:} in
 * {@code ebb.yaml}, a missing or unreadable manifest, a ref the manifest lacks, an ephemeral model, a manifest
 * compiled for another adapter or target than the source (errors), and a manifest older than the files the model
 * was compiled from (a warning: the relation is still there, but may not be what the files now say). The manifest is
 * read once per load. Not thread-safe.
 */
final class DbtModels {
    /** The dbt adapter whose manifest fits each source type. */
    private static final Map<String, String> ADAPTERS = Map.of("duckdb", "duckdb", "postgres", "postgres",
            "snowflake", "snowflake", "bigquery", "bigquery", "redshift", "redshift", "databricks", "databricks",
            "trino", "trino", "clickhouse", "clickhouse", "mysql", "mysql");

    private final Path root;
    private final DbtConfig dbt;
    private final Problems problems;
    private Optional<DbtManifest> manifest;

    DbtModels(Path root, DbtConfig dbt, Problems problems) {
        this.root = root;
        this.dbt = dbt;
        this.problems = problems;
    }

    /**
     * The model a ref names, or empty when it cannot be resolved (the problem is reported).
     *
     * @param name        the model's name in Ebb: the ref, or the stem of {@code models/NAME.yaml}
     * @param source      the source it runs on, or {@code null} when unknown (already reported)
     * @param declaredKey the key {@code models/NAME.yaml} declares, which wins over the tests; may be empty
     * @param at          where the ref is written
     */
    Optional<ModelConfig> resolve(String name, String ref, String pkg, ConnectionConfig source,
                                  List<String> declaredKey, Location keyLocation, Location at) {
        if (dbt == null) {
            problems.error(at, "model: { ref: " + ref + " } names a dbt model, but ebb.yaml says nothing of a dbt"
                    + " project; add dbt: { project_dir: ../analytics } (the folder of dbt_project.yml)");
            return Optional.empty();
        }
        Optional<DbtManifest> read = manifest();
        if (read.isEmpty()) return Optional.empty();
        List<Map.Entry<String, DbtManifest.Node>> found = read.get().models(ref, pkg);
        Path manifestFile = relative(dbt.manifest(root));
        if (found.isEmpty()) {
            List<String> names = read.get().nodes().values().stream().filter(DbtManifest.Node::isModel)
                    .map(DbtManifest.Node::name).distinct().toList();
            problems.error(at, "ref '" + ref + "'" + (pkg == null ? "" : " of package '" + pkg + "'") + " is not a"
                    + " model of " + manifestFile + Suggestions.hint(ref, names, "models") + "; if it is new, run "
                    + dbt.compileCommand());
            return Optional.empty();
        }
        if (found.size() > 1) {
            problems.error(at, "ref '" + ref + "' is a model of several packages ("
                    + String.join(", ", found.stream().map(e -> e.getValue().packageName()).toList())
                    + "); say which with package: in the ref");
            return Optional.empty();
        }
        String id = found.getFirst().getKey();
        DbtManifest.Node node = found.getFirst().getValue();
        if ("ephemeral".equals(node.materialized())) {
            problems.error(at, "dbt model '" + ref + "' is ephemeral, so no table or view holds its rows; give it"
                    + " config(materialized='view') or 'table' in dbt, then run dbt run --select " + ref);
            return Optional.empty();
        }
        if (source != null && !fitsSource(read.get(), node, ref, source, at)) return Optional.empty();
        warnIfStale(read.get(), node, ref, at);
        String type = source == null ? null : source.type();
        // dbt quotes relation_name by its adapter's rules (Snowflake's upper-cased unquoted names among them), and the
        // adapter was checked against the source's engine above; a manifest without it gets the parts quoted here.
        String relation = node.relationName() != null && !node.relationName().isBlank() ? node.relationName()
                : relation(type, node);
        List<List<String>> uniqueKeys = read.get().uniqueKeys(id);
        List<String> key = declaredKey;
        Location keyAt = keyLocation;
        if (key.isEmpty() && uniqueKeys.size() == 1) {
            key = uniqueKeys.getFirst();
            keyAt = new Location(manifestFile, 0);
        }
        return Optional.of(new ModelConfig(name, "SELECT * FROM " + relation, source == null ? null : source.name(),
                key, at, keyAt, new DbtModel(id, relation, node.columnNames(), uniqueKeys)));
    }

    private Optional<DbtManifest> manifest() {
        if (manifest != null) return manifest;
        Path file = dbt.manifest(root);
        Path shown = relative(file);
        manifest = Optional.empty();
        if (!Files.isDirectory(root.resolve(dbt.projectDir()))) {
            problems.error(dbt.location(), "dbt project_dir '" + dbt.projectDir() + "' is not a folder (looked for "
                    + relative(root.resolve(dbt.projectDir()).normalize()) + "); point it at the folder of"
                    + " dbt_project.yml");
            return manifest;
        }
        try {
            manifest = Optional.of(DbtManifest.read(file));
        } catch (NoSuchFileException e) {
            problems.error(dbt.location(), "no dbt manifest at " + shown + "; run " + dbt.compileCommand()
                    + " to write it");
        } catch (JsonProcessingException e) {
            problems.error(dbt.location(), shown + " is not a dbt manifest (" + e.getOriginalMessage() + "); run "
                    + dbt.compileCommand() + " to write it again");
        } catch (IOException e) {
            problems.error(dbt.location(), "cannot read " + shown + " (" + e.getClass().getSimpleName() + ")");
        }
        return manifest;
    }

    /** Whether the manifest was compiled for the source's adapter and database; reports why not. */
    private boolean fitsSource(DbtManifest manifest, DbtManifest.Node node, String ref, ConnectionConfig source,
                               Location at) {
        String adapter = manifest.metadata().adapterType();
        String expected = ADAPTERS.get(source.type());
        String subject = "dbt model '" + ref + "' runs on source '" + source.name() + "' (type " + source.type() + ")";
        if (adapter != null && expected != null && !expected.equals(adapter)) {
            problems.error(at, relative(dbt.manifest(root)) + " was compiled for dbt's " + adapter + " adapter, but "
                    + subject + "; compile it for a " + expected + " target: " + dbt.compileCommand());
            return false;
        }
        Optional<String> database = SourceDatabases.name(source);
        if (database.isPresent() && node.database() != null && !node.database().equals(database.get())) {
            problems.error(at, relative(dbt.manifest(root)) + " builds '" + ref + "' in database '" + node.database()
                    + "', but " + subject + " reads database '" + database.get() + "': the manifest was compiled"
                    + " for another target; run " + dbt.compileCommand() + " for the target of that database");
            return false;
        }
        return true;
    }

    /** Warns when a file the model was compiled from changed after the manifest was written. */
    private void warnIfStale(DbtManifest manifest, DbtManifest.Node node, String ref, Location at) {
        Path project = root.resolve(dbt.projectDir()).normalize();
        Optional<Instant> compiled = manifest.metadata().generated().or(() -> modified(dbt.manifest(root)));
        if (compiled.isEmpty()) return;
        for (String written : new String[] {node.originalFilePath(), node.patchPath()}) {
            if (written == null || written.isBlank()) continue;
            // A patch path names its package: "analytics://models/schema.yml".
            int scheme = written.indexOf("://");
            Path file = project.resolve(scheme < 0 ? written : written.substring(scheme + 3)).normalize();
            Optional<Instant> changed = modified(file);
            if (changed.isEmpty()) {
                problems.warning(at, "dbt model '" + ref + "' was compiled from " + relative(file) + ", which no"
                        + " longer exists: the manifest is stale; run " + dbt.compileCommand());
            } else if (changed.get().isAfter(compiled.get())) {
                problems.warning(at, relative(dbt.manifest(root)) + " is older than " + relative(file) + " (changed"
                        + " after dbt compiled it), so it may not describe dbt model '" + ref + "' as it now is;"
                        + " run " + dbt.compileCommand());
            }
        }
    }

    private static Optional<Instant> modified(Path file) {
        try {
            return Optional.of(Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code database.schema.identifier}, each part quoted as the source's engine quotes identifiers. */
    static String relation(String sourceType, DbtManifest.Node node) {
        StringBuilder relation = new StringBuilder();
        for (String part : new String[] {node.database(), node.schema(), node.identifier()}) {
            if (part == null || part.isBlank()) continue;
            if (!relation.isEmpty()) relation.append('.');
            relation.append(quoted(sourceType, part));
        }
        return relation.toString();
    }

    private static String quoted(String sourceType, String identifier) {
        return switch (sourceType == null ? "" : sourceType) {
            case "mysql", "bigquery", "databricks", "clickhouse" -> "`" + identifier.replace("`", "``") + "`";
            default -> "\"" + identifier.replace("\"", "\"\"") + "\"";
        };
    }

    private Path relative(Path file) {
        return root.relativize(file.toAbsolutePath().normalize());
    }
}
