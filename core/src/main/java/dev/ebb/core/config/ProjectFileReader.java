package dev.ebb.core.config;

import dev.ebb.spi.ConnectorOption;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code ebb.yaml}: the project's name, state store, sources and destinations. Not thread-safe. */
final class ProjectFileReader {
    static final Path FILE = Path.of("ebb.yaml");

    /**
     * What {@code ebb.yaml} says, as far as it could be read.
     *
     * @param sourcesKnown      false when the sources could not be read (a malformed file, a misspelt
     *                          {@code sources:}): other files' references to them are then not checked, so that one
     *                          mistake is reported once
     * @param destinationsKnown the same for destinations
     * @param defaultSource     {@code null} when not set or invalid
     */
    record ProjectSection(boolean sourcesKnown, boolean destinationsKnown, String name, StateConfig state,
                          String defaultSource, Map<String, ConnectionConfig> sources,
                          Map<String, ConnectionConfig> destinations, DbtConfig dbt,
                          Map<String, SyncLogConfig> syncLogs, AlertsConfig alerts) {
        static ProjectSection unreadable() {
            return new ProjectSection(false, false, null, StateConfig.embeddedDefault(), null, Map.of(), Map.of(),
                    null, Map.of(), AlertsConfig.NONE);
        }
    }

    /** Which side of {@code ebb.yaml} an entry is on. */
    enum Kind {
        SOURCE("source", "sources", "duckdb", "{ type: duckdb, path: data/lakehouse.duckdb }"),
        DESTINATION("destination", "destinations", "hubspot", "{ type: hubspot, token: \"${env:HUBSPOT_TOKEN}\" }");

        final String noun;
        final String section;
        final String exampleType;
        final String example;

        Kind(String noun, String section, String exampleType, String example) {
            this.noun = noun;
            this.section = section;
            this.exampleType = exampleType;
            this.example = example;
        }

        Set<String> types(ConnectorCatalog catalog) {
            return switch (this) {
                case SOURCE -> catalog.sourceTypes();
                case DESTINATION -> catalog.destinationTypes();
            };
        }

        Optional<List<ConnectorOption>> options(ConnectorCatalog catalog, String type) {
            return switch (this) {
                case SOURCE -> catalog.sourceOptions(type);
                case DESTINATION -> catalog.destinationOptions(type);
            };
        }

        Kind other() {
            return switch (this) {
                case SOURCE -> DESTINATION;
                case DESTINATION -> SOURCE;
            };
        }
    }

    private final NodeReader reader;
    private final ConnectorCatalog catalog;

    ProjectFileReader(Problems problems, ConnectorCatalog catalog) {
        this.reader = new NodeReader(FILE, problems);
        this.catalog = catalog;
    }

    ProjectSection read(YamlNode root) {
        Optional<YamlNode.Mapping> top = reader.mapping(root, "ebb.yaml's top level", "name: my-project");
        if (top.isEmpty()) {
            return ProjectSection.unreadable();
        }
        YamlNode.Mapping project = top.get();
        reader.allowOnly(project, ConfigKeys.PROJECT, "in ebb.yaml");
        String name = reader.required(project, "name", "in ebb.yaml", "name: my-project")
                .flatMap(reader::string).orElse(null);
        StateConfig state = project.entry("state").map(this::state).orElse(StateConfig.embeddedDefault());
        Map<String, ConnectionConfig> sources = project.entry("sources")
                .map(e -> connections(e, Kind.SOURCE)).orElse(Map.of());
        Map<String, ConnectionConfig> destinations = project.entry("destinations")
                .map(e -> connections(e, Kind.DESTINATION)).orElse(Map.of());
        String defaultSource = project.entry("default_source").flatMap(e -> defaultSource(e, sources)).orElse(null);
        IntegrationsReader integrations = new IntegrationsReader(reader);
        DbtConfig dbt = project.entry("dbt").flatMap(integrations::dbt).orElse(null);
        Map<String, SyncLogConfig> syncLogs = integrations.syncLogs(project.entry("sources"), sources);
        AlertsConfig alerts = project.entry("alerts").map(this::alerts).orElse(AlertsConfig.NONE);
        return new ProjectSection(known(project, Kind.SOURCE), known(project, Kind.DESTINATION), name, state,
                defaultSource, sources, destinations, dbt, syncLogs, alerts);
    }

    /** Whether the section was read: present and a mapping, or absent without a misspelt key that meant it. */
    private static boolean known(YamlNode.Mapping project, Kind kind) {
        Optional<YamlNode.Entry> section = project.entry(kind.section);
        if (section.isPresent()) {
            return section.get().value() instanceof YamlNode.Mapping
                    || section.get().value() instanceof YamlNode.Scalar scalar && scalar.isNull();
        }
        return project.entries().stream()
                .filter(entry -> !ConfigKeys.PROJECT.contains(entry.key()))
                .noneMatch(entry -> Suggestions.nearest(entry.key(), ConfigKeys.PROJECT).orElse("")
                        .equals(kind.section));
    }

    /** {@code alerts: { slack: "${env:SLACK_WEBHOOK_URL}", max_rejected: 100 }}; URLs may be secret references. */
    private AlertsConfig alerts(YamlNode.Entry entry) {
        String example = "alerts: { slack: \"${env:SLACK_WEBHOOK_URL}\", max_rejected: 100 }";
        Optional<YamlNode.Mapping> alerts = reader.mapping(entry.value(), "'alerts'", example);
        if (alerts.isEmpty()) return AlertsConfig.NONE;
        reader.allowOnly(alerts.get(), ConfigKeys.ALERTS, "in alerts:");
        String webhook = alerts.get().entry("webhook").flatMap(this::alertUrl).orElse(null);
        String slack = alerts.get().entry("slack").flatMap(this::alertUrl).orElse(null);
        long maxRejected = alerts.get().entry("max_rejected").flatMap(e -> reader.count(e, 0, example)).orElse(0L);
        if (webhook == null && slack == null) {
            reader.error(entry.value().line(), "alerts: needs a 'webhook' or a 'slack' URL to send to, e.g. "
                    + example);
        }
        return new AlertsConfig(webhook, slack, maxRejected, new Location(FILE, entry.value().line()));
    }

    /** An http(s) URL, or a secret reference that resolves to one when an alert is sent. */
    private Optional<String> alertUrl(YamlNode.Entry entry) {
        Optional<String> url = reader.string(entry);
        if (url.isPresent() && !Secrets.hasReference(url.get()) && !url.get().matches("(?i)https?://\\S+")) {
            reader.error(entry.value().line(), "'" + entry.key() + "' must be an http:// or https:// URL, or a "
                    + "reference such as \"${env:ALERT_URL}\"; it is '" + url.get() + "'");
            return Optional.empty();
        }
        return url;
    }

    private StateConfig state(YamlNode.Entry entry) {
        StateConfig defaults = StateConfig.embeddedDefault();
        Optional<YamlNode.Mapping> state = reader.mapping(entry.value(), "'state'", "state: { store: embedded }");
        if (state.isEmpty()) {
            return defaults;
        }
        reader.allowOnly(state.get(), ConfigKeys.STATE, "in state:");
        StateConfig.Store store = defaults.store();
        Optional<YamlNode.Entry> storeEntry = state.get().entry("store");
        if (storeEntry.isPresent()) {
            Optional<String> written = reader.string(storeEntry.get());
            if (written.isPresent() && ConfigKeys.PLANNED_STORES.contains(written.get())) {
                reader.error(storeEntry.get().value().line(), "state store '" + written.get() + "' is not"
                        + " Ebb's own store: the warehouse store is set per source, as sources.NAME.state:"
                        + " { store: warehouse, schema: ebb_state }; here use store: embedded or store: postgres");
            } else if (written.isPresent() && !ConfigKeys.STORES.contains(written.get())) {
                reader.error(storeEntry.get().value().line(), "'store' cannot be '" + written.get() + "'"
                        + Suggestions.hint(written.get(), ConfigKeys.STORES, "values"));
            } else if (written.isPresent()) {
                store = StateConfig.Store.valueOf(written.get().toUpperCase(Locale.ROOT));
            }
        }
        return switch (store) {
            case EMBEDDED -> new EmbeddedStateReader(reader).read(state.get(), defaults);
            case POSTGRES -> StateConfig.postgres(new PostgresStateReader(reader).read(state.get()));
        };
    }

    /** A schema name every dialect takes unquoted and that needs no case folding to compare. */
    private static final java.util.regex.Pattern SCHEMA_NAME = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private Optional<String> defaultSource(YamlNode.Entry entry, Map<String, ConnectionConfig> sources) {
        Optional<String> name = reader.string(entry);
        if (name.isPresent() && !sources.containsKey(name.get())) {
            reader.error(entry.value().line(), "default_source '" + name.get() + "' is not one of the sources"
                    + Suggestions.hint(name.get(), sources.keySet(), "sources"));
            return Optional.empty();
        }
        return name;
    }

    private Map<String, ConnectionConfig> connections(YamlNode.Entry section, Kind kind) {
        if (section.value() instanceof YamlNode.Scalar scalar && scalar.isNull()) {
            return Map.of();
        }
        Optional<YamlNode.Mapping> entries = reader.mapping(section.value(), "'" + kind.section + "'",
                kind.section + ": { my_" + kind.noun + ": " + kind.example + " }");
        if (entries.isEmpty()) {
            return Map.of();
        }
        Map<String, ConnectionConfig> connections = new LinkedHashMap<>();
        for (YamlNode.Entry entry : entries.get().entries()) {
            if (!NodeReader.NAME.matcher(entry.key()).matches()) {
                reader.error(entry.line(), kind.noun + " name '" + entry.key() + "' is not valid; use "
                        + NodeReader.NAME_RULE);
            }
            connections.put(entry.key(), connection(entry, kind));
        }
        return Collections.unmodifiableMap(connections);
    }

    private ConnectionConfig connection(YamlNode.Entry entry, Kind kind) {
        String name = entry.key();
        String subject = kind.noun + " '" + name + "'";
        Location location = reader.at(entry.line());
        Optional<YamlNode.Mapping> body = reader.mapping(entry.value(), subject, name + ": " + kind.example);
        if (body.isEmpty()) {
            return new ConnectionConfig(name, null, Map.of(), location);
        }
        Optional<YamlNode.Entry> typeEntry = reader.required(body.get(), "type", "in " + subject,
                "type: " + kind.exampleType);
        String type = typeEntry.flatMap(reader::string).orElse(null);
        Optional<List<ConnectorOption>> options = type == null ? Optional.empty() : kind.options(catalog, type);
        if (type != null && options.isEmpty()) {
            reader.error(typeEntry.get().value().line(), unknownType(type, kind));
        }

        Map<String, String> settings = new LinkedHashMap<>();
        for (YamlNode.Entry setting : body.get().entries()) {
            if (ConfigKeys.CONNECTION.contains(setting.key())) {
                continue;
            }
            Optional<ConnectorOption> declared = options.flatMap(all -> all.stream()
                    .filter(o -> o.name().equals(setting.key())).findFirst());
            if (options.isPresent() && declared.isEmpty()) {
                List<String> names = options.get().stream().map(ConnectorOption::name).toList();
                reader.error(setting.line(), "unknown setting '" + setting.key() + "' for " + subject + " (type "
                        + type + ")" + Suggestions.hint(setting.key(), names, "settings of " + type));
                continue;
            }
            Optional<String> value = settingValue(setting, subject);
            if (value.isEmpty()) {
                continue;
            }
            for (String problem : SecretTemplate.parse(value.get()).errors()) {
                reader.error(setting.line(), "setting '" + setting.key() + "' of " + subject + ": " + problem);
            }
            if (declared.isPresent() && declared.get().secret() && !Secrets.hasReference(value.get())) {
                reader.warning(setting.line(), "setting '" + setting.key() + "' of " + subject + " is a secret"
                        + " written in plain text; write " + setting.key() + ": \"${env:"
                        + (name + "_" + setting.key()).toUpperCase(Locale.ROOT).replace('-', '_')
                        + "}\" (or ${file:path}) to keep it out of the project's files");
            }
            settings.put(setting.key(), value.get());
        }
        for (ConnectorOption option : options.orElse(List.of())) {
            if (option.required() && body.get().entry(option.name()).isEmpty()) {
                reader.error(entry.line(), subject + " (type " + type + ") is missing required setting '"
                        + option.name() + "': " + option.description());
            }
        }
        DestinationLimits limits = body.get().entry("limits").flatMap(e -> limits(e, kind, subject)).orElse(null);
        SourceStateConfig state = body.get().entry("state").flatMap(e -> sourceState(e, kind, subject)).orElse(null);
        return new ConnectionConfig(name, type, settings, location, limits, state);
    }

    /** {@code state: { store: warehouse, schema: ebb_state }} of a source. */
    private Optional<SourceStateConfig> sourceState(YamlNode.Entry entry, Kind kind, String subject) {
        String example = "state: { store: warehouse, schema: " + SourceStateConfig.DEFAULT_SCHEMA + " }";
        if (kind != Kind.SOURCE) {
            reader.error(entry.line(), "'state' is a setting of sources (a warehouse that keeps its syncs'"
                    + " snapshots); remove it from " + subject);
            return Optional.empty();
        }
        Optional<YamlNode.Mapping> found = reader.mapping(entry.value(), "'state' of " + subject, example);
        if (found.isEmpty()) return Optional.empty();
        reader.allowOnly(found.get(), ConfigKeys.SOURCE_STATE, "in state: of " + subject);
        Optional<YamlNode.Entry> storeEntry = reader.required(found.get(), "store", "in state: of " + subject,
                "store: " + SourceStateConfig.WAREHOUSE);
        Optional<String> store = storeEntry.flatMap(reader::string);
        if (store.isPresent() && !ConfigKeys.SOURCE_STORES.contains(store.get())) {
            reader.error(storeEntry.get().value().line(), "store '" + store.get() + "' cannot live in " + subject
                    + ": a source keeps its syncs' state only as store: " + SourceStateConfig.WAREHOUSE
                    + Suggestions.hint(store.get(), ConfigKeys.SOURCE_STORES, "stores")
                    + " (the project's own store is state: at the top of ebb.yaml)");
            return Optional.empty();
        }
        String schema = SourceStateConfig.DEFAULT_SCHEMA;
        Optional<YamlNode.Entry> schemaEntry = found.get().entry("schema");
        if (schemaEntry.isPresent()) {
            Optional<String> written = reader.string(schemaEntry.get());
            if (written.isEmpty()) return Optional.empty();
            if (!SCHEMA_NAME.matcher(written.get()).matches()) {
                reader.error(schemaEntry.get().value().line(), "schema '" + written.get() + "' of " + subject
                        + " is not a plain schema name: use lower-case letters, digits and underscores, starting"
                        + " with a letter or underscore (e.g. " + SourceStateConfig.DEFAULT_SCHEMA + ")");
                return Optional.empty();
            }
            schema = written.get();
        }
        String chosen = schema;
        return store.map(s -> new SourceStateConfig(s, chosen, reader.at(entry.line())));
    }

    /** {@code limits: { share: 80%, max_concurrency: 4, daily_quota: 400000 }} of a destination. */
    private Optional<DestinationLimits> limits(YamlNode.Entry entry, Kind kind, String subject) {
        String example = "limits: { share: 80%, max_concurrency: 4, daily_quota: 400000 }";
        if (kind != Kind.DESTINATION) {
            reader.error(entry.line(), "'limits' is a setting of destinations; remove it from " + subject);
            return Optional.empty();
        }
        Optional<YamlNode.Mapping> found = reader.mapping(entry.value(), "'limits' of " + subject, example);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        reader.allowOnly(found.get(), ConfigKeys.LIMITS, "in limits:");
        YamlNode.Mapping limits = found.get();
        Optional<java.math.BigDecimal> share = limits.entry("share")
                .flatMap(e -> reader.percent(e, java.math.BigDecimal.valueOf(100), "share: 80%"));
        Optional<Long> concurrency = limits.entry("max_concurrency").flatMap(e -> reader.count(e, 1,
                "max_concurrency: 4"));
        Optional<Long> quota = limits.entry("daily_quota").flatMap(e -> reader.count(e, 1, "daily_quota: 400000"));
        return Optional.of(new DestinationLimits(share.orElse(null), concurrency.map(Long::intValue).orElse(null),
                quota.orElse(null), reader.at(entry.line())));
    }

    private Optional<String> settingValue(YamlNode.Entry setting, String subject) {
        if (setting.value() instanceof YamlNode.Scalar scalar) {
            if (scalar.isNull()) {
                reader.error(setting.line(), "setting '" + setting.key() + "' of " + subject + " has no value;"
                        + " give it one or remove the line");
                return Optional.empty();
            }
            return Optional.of(scalar.text());
        }
        reader.error(setting.line(), "setting '" + setting.key() + "' of " + subject + " must be a single value"
                + " (a string, number or boolean), found " + setting.value().kind());
        return Optional.empty();
    }

    private String unknownType(String type, Kind kind) {
        if (kind.other().types(catalog).contains(type)) {
            return "'" + type + "' is a " + kind.other().noun + " type, not a " + kind.noun + " type; move this"
                    + " entry under " + kind.other().section + ":";
        }
        Set<String> available = kind.types(catalog);
        return "unknown " + kind.noun + " type '" + type + "'" + Suggestions.hint(type, available,
                kind.noun + " types") + (available.isEmpty() ? " (no " + kind.noun + " connector is installed)" : "");
    }
}
