package dev.ebb.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads what {@code ebb.yaml} says of the tools around the warehouse: {@code dbt:} (where the dbt project is) and each
 * source's {@code sync_logs:} (the run logs written back to it). Not thread-safe.
 */
final class IntegrationsReader {
    /** A schema Ebb creates and names unquoted in every engine: no case or quoting rule can surprise anyone. */
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String DBT_EXAMPLE = "dbt: { project_dir: ../analytics }";
    private static final String LOGS_EXAMPLE = "sync_logs: { schema: ebb_logs, retention_days: 30 }";

    private final NodeReader reader;

    IntegrationsReader(NodeReader reader) {
        this.reader = reader;
    }

    /** {@code dbt: { project_dir: ../analytics, target: prod }}. */
    Optional<DbtConfig> dbt(YamlNode.Entry entry) {
        Optional<YamlNode.Mapping> found = reader.mapping(entry.value(), "'dbt'", DBT_EXAMPLE);
        if (found.isEmpty()) return Optional.empty();
        reader.allowOnly(found.get(), ConfigKeys.DBT, "in dbt:");
        Optional<String> dir = reader.required(found.get(), "project_dir", "in dbt:", DBT_EXAMPLE)
                .flatMap(reader::string);
        Optional<String> target = found.get().entry("target").flatMap(reader::string);
        if (dir.isEmpty()) return Optional.empty();
        try {
            return Optional.of(new DbtConfig(Path.of(dir.get()), target.orElse(null), reader.at(entry.line())));
        } catch (InvalidPathException e) {
            reader.error(entry.line(), "dbt project_dir '" + dir.get() + "' is not a valid folder path");
            return Optional.empty();
        }
    }

    /** Each source's {@code sync_logs:}, by source name; sources without it are absent. */
    Map<String, SyncLogConfig> syncLogs(Optional<YamlNode.Entry> section, Map<String, ConnectionConfig> sources) {
        Map<String, SyncLogConfig> logs = new LinkedHashMap<>();
        if (section.isEmpty() || !(section.get().value() instanceof YamlNode.Mapping entries)) return Map.of();
        for (YamlNode.Entry source : entries.entries()) {
            if (!(source.value() instanceof YamlNode.Mapping body)) continue;
            body.entry("sync_logs").flatMap(entry -> syncLogs(entry, sources.get(source.key())))
                    .ifPresent(config -> logs.put(source.key(), config));
        }
        return Collections.unmodifiableMap(logs);
    }

    private Optional<SyncLogConfig> syncLogs(YamlNode.Entry entry, ConnectionConfig source) {
        Optional<YamlNode.Mapping> found = reader.mapping(entry.value(), "'sync_logs'", LOGS_EXAMPLE);
        if (found.isEmpty()) return Optional.empty();
        reader.allowOnly(found.get(), ConfigKeys.SYNC_LOGS, "in sync_logs:");
        String subject = "source '" + source.name() + "'";
        if ("duckdb".equals(source.type()) && source.settings().getOrDefault("path", "").isBlank()) {
            reader.error(entry.line(), "sync_logs are written into the source's database, and " + subject + " has"
                    + " none (it reads files in memory); give it path: data/lakehouse.duckdb, or remove sync_logs");
            return Optional.empty();
        }
        if (source.type() != null && !"duckdb".equals(source.type()) && !"postgres".equals(source.type())) {
            reader.error(entry.line(), "sync_logs can be written to duckdb and postgres sources, not to " + subject
                    + " (type " + source.type() + "); remove sync_logs");
            return Optional.empty();
        }
        String schema = SyncLogConfig.DEFAULT_SCHEMA;
        Optional<YamlNode.Entry> schemaEntry = found.get().entry("schema");
        if (schemaEntry.isPresent()) {
            Optional<String> written = reader.string(schemaEntry.get());
            if (written.isEmpty()) return Optional.empty();
            if (!SCHEMA.matcher(written.get()).matches()) {
                reader.error(schemaEntry.get().value().line(), "sync_logs schema '" + written.get() + "' is not"
                        + " usable; use lower-case letters, digits and '_', starting with a letter (e.g. ebb_logs)");
                return Optional.empty();
            }
            schema = written.get();
        }
        int days = SyncLogConfig.DEFAULT_RETENTION_DAYS;
        Optional<YamlNode.Entry> daysEntry = found.get().entry("retention_days");
        if (daysEntry.isPresent()) {
            Optional<Long> written = reader.count(daysEntry.get(), 1, "retention_days: 30");
            if (written.isEmpty()) return Optional.empty();
            if (written.get() > 36_500) {
                reader.error(daysEntry.get().value().line(), "retention_days " + written.get() + " is more than a"
                        + " century; keep it at most 36500");
                return Optional.empty();
            }
            days = written.get().intValue();
        }
        return Optional.of(new SyncLogConfig(schema, days, reader.at(entry.line())));
    }
}
