package dev.ebb.core.config;

import dev.ebb.spi.Mode;
import dev.ebb.spi.RemovalBehaviour;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys and values the project format accepts: the one table the loader checks against and that the JSON Schema
 * ({@code ebb-project.schema.json}) must agree with, which {@code ProjectSchemaTest} proves. Immutable.
 */
final class ConfigKeys {
    static final List<String> PROJECT = List.of("name", "state", "default_source", "sources", "destinations", "dbt",
            "alerts");
    /** {@code alerts:} of ebb.yaml (ebb serve). */
    static final List<String> ALERTS = List.of("webhook", "slack", "max_rejected");
    static final List<String> STATE = List.of("store", "path", "memory_limit", "temp_directory", "url", "user",
            "password", "schema");
    /** A {@code sources:} or {@code destinations:} entry's own keys; the connector's options come on top. */
    static final List<String> CONNECTION = List.of("type", "limits", "state", "sync_logs");
    /** {@code state:} of a source entry (the warehouse-native state). */
    static final List<String> SOURCE_STATE = List.of("store", "schema");
    static final List<String> SOURCE_STORES = List.of("warehouse");
    static final List<String> MODEL = List.of("source", "key", "description", "ref", "package");
    /** {@code model: { ref: customer_health }} of a sync: a model of the dbt project. */
    static final List<String> MODEL_REF = List.of("ref", "package", "source");
    static final List<String> DBT = List.of("project_dir", "target");
    /** {@code sync_logs:} of a source entry. */
    static final List<String> SYNC_LOGS = List.of("schema", "retention_days");
    static final List<String> SYNC = List.of(
            "model", "key", "destination", "object", "mode", "on_removed", "match", "fields", "schedule", "guard");
    static final List<String> GUARD = List.of("max_removed", "max_changed");
    /** {@code limits:} of a destination entry. */
    static final List<String> LIMITS = List.of("share", "max_concurrency", "daily_quota");
    static final List<String> MATCH = List.of("column", "field");
    static final List<String> FIELD = List.of("column", "value", "field", "policy", "nulls");
    static final List<String> SCHEDULE = List.of("every", "cron", "timezone", "after");

    /** Which {@code $defs} entry of the schema describes each mapping above. */
    static final Map<String, List<String>> BY_SCHEMA_DEFINITION = Map.ofEntries(
            Map.entry("project", PROJECT),
            Map.entry("state", STATE),
            Map.entry("connection", CONNECTION),
            Map.entry("model", MODEL),
            Map.entry("sync", SYNC),
            Map.entry("match", MATCH),
            Map.entry("fieldMapping", FIELD),
            Map.entry("scheduleMapping", SCHEDULE),
            Map.entry("guard", GUARD),
            Map.entry("limits", LIMITS),
            Map.entry("sourceState", SOURCE_STATE),
            Map.entry("modelRef", MODEL_REF),
            Map.entry("dbt", DBT),
            Map.entry("syncLogs", SYNC_LOGS),
            Map.entry("alerts", ALERTS));

    static final List<String> STORES = spellings(StateConfig.Store.class);
    /** A store that is not Ebb's own but a source's ({@code sources.NAME.state:}); it gets its own message. */
    static final List<String> PLANNED_STORES = List.of("warehouse");
    static final String MANUAL = "manual";

    static final List<String> MODES = spellings(Mode.class);
    static final List<String> REMOVALS = spellings(RemovalBehaviour.class);
    static final List<String> POLICIES = spellings(FieldPolicy.class);
    static final List<String> NULLS = spellings(NullPolicy.class);

    private ConfigKeys() {
    }

    /** How an enum constant is written in YAML: {@code RESPECT_MANUAL_EDITS} is {@code respect_manual_edits}. */
    static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> List<String> spellings(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigKeys::spelling).toList();
    }
}
