package dev.ebb.core.config;

import dev.ebb.spi.Mode;
import dev.ebb.spi.RemovalBehaviour;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.Set;

/** Reads one {@code syncs/NAME.yaml} and checks its references to models and destinations. Not thread-safe. */
final class SyncReader {
    private static final String IN_SYNC = "in the sync";
    private static final String MAPPING_EXAMPLE = "{ column: churn_risk_score, field: churn_risk_score }";

    private final Problems problems;
    private final ProjectFileReader.ProjectSection project;
    private final Map<String, ModelConfig> models;
    private final Set<String> modelsWithUnknownKey;

    SyncReader(Problems problems, ProjectFileReader.ProjectSection project, Map<String, ModelConfig> models,
               Set<String> modelsWithUnknownKey) {
        this.problems = problems;
        this.project = project;
        this.models = models;
        this.modelsWithUnknownKey = modelsWithUnknownKey;
    }

    /** The sync, or empty when a part it cannot do without is missing (the problem is reported). */
    Optional<SyncConfig> read(String name, Path file, YamlNode root) {
        NodeReader reader = new NodeReader(file, problems);
        Optional<YamlNode.Mapping> top = reader.mapping(root, "a sync", "model: customer_health");
        if (top.isEmpty()) {
            return Optional.empty();
        }
        YamlNode.Mapping sync = top.get();
        reader.allowOnly(sync, ConfigKeys.SYNC, IN_SYNC);

        Optional<String> model = reader.required(sync, "model", IN_SYNC, "model: customer_health")
                .flatMap(entry -> model(reader, entry));
        Optional<String> destination = reader.required(sync, "destination", IN_SYNC, "destination: hubspot")
                .flatMap(entry -> destination(reader, entry));
        Optional<String> object = reader.required(sync, "object", IN_SYNC, "object: contacts")
                .flatMap(reader::string);
        Optional<List<String>> key = key(reader, sync, model);

        Optional<YamlNode.Entry> modeEntry = sync.entry("mode");
        Optional<Mode> mode = modeEntry.isEmpty() ? Optional.of(Mode.UPSERT) : mode(reader, modeEntry.get());
        Optional<YamlNode.Entry> removedEntry = sync.entry("on_removed");
        Optional<RemovalBehaviour> onRemoved = removedEntry
                .map(entry -> reader.choice(entry, RemovalBehaviour.class))
                .orElseGet(() -> mode.map(SyncReader::defaultRemoval));
        if (mode.isPresent() && onRemoved.isPresent() && removedEntry.isPresent()) {
            combinationProblem(mode.get(), onRemoved.get())
                    .ifPresent(problem -> reader.error(removedEntry.get().line(), problem));
        }

        Optional<Match> match = reader.required(sync, "match", IN_SYNC, "match: { column: email, field: email }")
                .flatMap(entry -> match(reader, entry));
        Optional<List<FieldMapping>> fields = reader.required(sync, "fields", IN_SYNC, "fields: [ "
                + MAPPING_EXAMPLE + " ]").flatMap(entry -> fields(reader, entry, mode.orElse(Mode.UPSERT)));
        Optional<Schedule> schedule = sync.entry("schedule").map(entry -> schedule(reader, entry))
                .orElse(Optional.of(Schedule.MANUAL));
        Optional<Guard> guard = sync.entry("guard").map(entry -> guard(reader, entry))
                .orElse(Optional.of(Guard.none(new Location(file, 0))));
        boolean guardWritten = sync.entry("guard").isPresent();

        if (model.isEmpty() || destination.isEmpty() || object.isEmpty() || key.isEmpty() || mode.isEmpty()
                || onRemoved.isEmpty() || match.isEmpty() || fields.isEmpty() || schedule.isEmpty()
                || guard.isEmpty()) {
            return Optional.empty();
        }
        Location keyLocation = sync.entry("key").map(entry -> reader.at(entry.line()))
                .or(() -> Optional.ofNullable(models.get(model.get()).keyLocation()))
                .orElse(new Location(file, 0));
        return Optional.of(new SyncConfig(name, model.get(), key.get(), destination.get(), object.get(), mode.get(),
                onRemoved.get(), match.get(), fields.get(), schedule.get(), new Location(file, 0),
                guardWritten ? guard.get() : null, keyLocation));
    }

    private Optional<String> model(NodeReader reader, YamlNode.Entry entry) {
        Optional<String> model = reader.string(entry);
        if (model.isPresent() && !models.containsKey(model.get())) {
            reader.error(entry.value().line(), "model '" + model.get() + "' does not exist (a model is "
                    + ProjectLoader.MODELS.resolve("NAME.sql") + ")" + Suggestions.hint(model.get(), models.keySet(),
                    "models"));
        }
        return model;
    }

    private Optional<String> destination(NodeReader reader, YamlNode.Entry entry) {
        Optional<String> destination = reader.string(entry);
        if (destination.isPresent() && project.destinationsKnown()
                && !project.destinations().containsKey(destination.get())) {
            reader.error(entry.value().line(), "destination '" + destination.get() + "' is not defined in"
                    + " ebb.yaml" + Suggestions.hint(destination.get(), project.destinations().keySet(),
                    "destinations"));
        }
        return destination;
    }

    private Optional<List<String>> key(NodeReader reader, YamlNode.Mapping sync, Optional<String> model) {
        Optional<YamlNode.Entry> entry = sync.entry("key");
        Optional<ModelConfig> modelConfig = model.map(models::get);
        List<String> modelKey = modelConfig.map(ModelConfig::key).orElse(List.of());
        if (entry.isPresent()) {
            Optional<List<String>> key = reader.columns(entry.get());
            if (key.isPresent() && !modelKey.isEmpty() && !modelKey.equals(key.get())) {
                reader.warning(entry.get().line(), "the key " + key.get() + " differs from " + modelKey
                        + ", declared by " + ProjectLoader.MODELS.resolve(model.get() + ".yaml")
                        + "; this sync uses " + key.get());
            }
            return key;
        }
        if (!modelKey.isEmpty()) {
            return Optional.of(modelKey);
        }
        if (modelConfig.isPresent() && !modelsWithUnknownKey.contains(model.get())) {
            reader.error(sync.line(), "no key for model '" + model.get() + "': add key: <column> (or a list of"
                    + " columns) to this sync or to " + ProjectLoader.MODELS.resolve(model.get() + ".yaml"));
        }
        return Optional.empty();
    }

    private static Optional<Mode> mode(NodeReader reader, YamlNode.Entry entry) {
        return reader.choice(entry, Mode.class, ConfigKeys.MODES);
    }

    /** What {@code on_removed} is when the sync does not say. */
    static RemovalBehaviour defaultRemoval(Mode mode) {
        return switch (mode) {
            case MIRROR, ADD_REMOVE -> RemovalBehaviour.DELETE;
            case UPSERT, UPDATE, INSERT -> RemovalBehaviour.IGNORE;
        };
    }

    /**
     * Why a mode and a removal behaviour do not go together, or empty when they do. The rule: Ebb deletes only
     * records it owns (mirror, or insert, which only ever creates), and there is one way to say "upsert and
     * delete" (mirror).
     */
    static Optional<String> combinationProblem(Mode mode, RemovalBehaviour onRemoved) {
        return switch (mode) {
            case UPSERT -> switch (onRemoved) {
                case IGNORE, CLEAR_FIELDS -> Optional.empty();
                case DELETE -> Optional.of("mode: upsert with on_removed: delete is what mode: mirror means; write"
                        + " mode: mirror and drop on_removed");
            };
            case UPDATE -> switch (onRemoved) {
                case IGNORE, CLEAR_FIELDS -> Optional.empty();
                case DELETE -> Optional.of("mode: update never creates records, so it does not delete them either;"
                        + " use on_removed: clear_fields to empty the mapped fields, or mode: mirror");
            };
            case INSERT -> switch (onRemoved) {
                case IGNORE, DELETE -> Optional.empty();
                case CLEAR_FIELDS -> Optional.of("mode: insert never updates a record after creating it, and"
                        + " clearing fields is an update; use on_removed: ignore or delete");
            };
            case MIRROR -> switch (onRemoved) {
                case DELETE -> Optional.empty();
                case IGNORE, CLEAR_FIELDS -> Optional.of("mode: mirror deletes the records of rows that leave the"
                        + " model, so on_removed can only be delete; drop on_removed, or use mode: upsert with"
                        + " on_removed: " + ConfigKeys.spelling(onRemoved));
            };
            case ADD_REMOVE -> switch (onRemoved) {
                case DELETE -> Optional.empty();
                case IGNORE, CLEAR_FIELDS -> Optional.of("mode: add_remove removes the audience members of rows"
                        + " that leave the model, so on_removed can only be delete; drop on_removed");
            };
        };
    }

    /** {@code guard: { max_removed: 5%, max_changed: 50% }}; each a percentage of the snapshot or a row count. */
    private Optional<Guard> guard(NodeReader reader, YamlNode.Entry entry) {
        String example = "guard: { max_removed: 5%, max_changed: 50% }";
        Optional<YamlNode.Mapping> found = reader.mapping(entry.value(), "'guard'", example);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        reader.allowOnly(found.get(), ConfigKeys.GUARD, "in guard:");
        Optional<Threshold> removed = Optional.empty();
        Optional<Threshold> changed = Optional.empty();
        boolean ok = true;
        for (String key : ConfigKeys.GUARD) {
            Optional<YamlNode.Entry> limit = found.get().entry(key);
            if (limit.isEmpty()) continue;
            Optional<Threshold> threshold = threshold(reader, limit.get());
            ok &= threshold.isPresent();
            if (key.equals("max_removed")) removed = threshold;
            else changed = threshold;
        }
        if (!ok) return Optional.empty();
        return Optional.of(new Guard(removed.orElse(null), changed.orElse(null), reader.at(entry.line())));
    }

    private static Optional<Threshold> threshold(NodeReader reader, YamlNode.Entry entry) {
        if (entry.value() instanceof YamlNode.Scalar scalar && scalar.value() instanceof String) {
            return reader.percent(entry, BigDecimal.valueOf(100), entry.key() + ": 5%")
                    .map(p -> new Threshold(p, true));
        }
        return reader.count(entry, 0, entry.key() + ": 500 (rows) or " + entry.key() + ": 5%")
                .map(n -> new Threshold(BigDecimal.valueOf(n), false));
    }

    private Optional<Match> match(NodeReader reader, YamlNode.Entry entry) {
        Optional<YamlNode.Mapping> match = reader.mapping(entry.value(), "'match'",
                "match: { column: email, field: email }");
        if (match.isEmpty()) {
            return Optional.empty();
        }
        reader.allowOnly(match.get(), ConfigKeys.MATCH, "in match:");
        Optional<String> column = reader.required(match.get(), "column", "in match:", "column: email")
                .flatMap(reader::string);
        Optional<String> field = reader.required(match.get(), "field", "in match:", "field: email")
                .flatMap(reader::string);
        if (column.isEmpty() || field.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Match(column.get(), field.get(), reader.at(entry.line())));
    }

    private Optional<List<FieldMapping>> fields(NodeReader reader, YamlNode.Entry entry, Mode mode) {
        Optional<List<YamlNode>> items = reader.list(entry, "fields: [ " + MAPPING_EXAMPLE + " ]");
        if (items.isEmpty()) {
            return Optional.empty();
        }
        if (items.get().isEmpty()) {
            reader.error(entry.line(), "'fields' maps nothing; add at least one mapping, e.g. " + MAPPING_EXAMPLE);
            return Optional.empty();
        }
        List<FieldMapping> fields = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        boolean ok = true;
        for (YamlNode item : items.get()) {
            Optional<FieldMapping> mapping = fieldMapping(reader, item, mode);
            if (mapping.isEmpty()) {
                ok = false;
                continue;
            }
            Integer first = firstLine.putIfAbsent(mapping.get().field(), mapping.get().location().line());
            if (first != null) {
                reader.error(mapping.get().location().line(), "destination field '" + mapping.get().field()
                        + "' is mapped twice (first at line " + first + "); map each field once");
                ok = false;
            }
            fields.add(mapping.get());
        }
        return ok ? Optional.of(fields) : Optional.empty();
    }

    private Optional<FieldMapping> fieldMapping(NodeReader reader, YamlNode item, Mode mode) {
        Optional<YamlNode.Mapping> found = reader.mapping(item, "each entry of 'fields'", MAPPING_EXAMPLE);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlNode.Mapping mapping = found.get();
        reader.allowOnly(mapping, ConfigKeys.FIELD, "in a field mapping");
        Optional<YamlNode.Entry> columnEntry = mapping.entry("column");
        Optional<YamlNode.Entry> valueEntry = mapping.entry("value");
        boolean ok = true;
        if (columnEntry.isPresent() && valueEntry.isPresent()) {
            reader.error(mapping.line(), "a field mapping takes either column: (a model column) or value: (a"
                    + " constant), not both; remove one");
            ok = false;
        } else if (columnEntry.isEmpty() && valueEntry.isEmpty()) {
            reader.error(mapping.line(), "a field mapping needs column: (a model column) or value: (a constant),"
                    + " e.g. " + MAPPING_EXAMPLE + " or { value: warehouse, field: lead_source }");
            ok = false;
        }
        String column = null;
        Object value = null;
        if (ok && columnEntry.isPresent()) {
            column = reader.string(columnEntry.get()).orElse(null);
            ok = column != null;
        } else if (ok) {
            value = constant(reader, valueEntry.get()).orElse(null);
            ok = value != null;
        }
        Optional<YamlNode.Entry> fieldEntry = reader.required(mapping, "field", "in a field mapping",
                "field: churn_risk_score");
        Optional<String> field = fieldEntry.flatMap(reader::string);
        Optional<FieldPolicy> policy = mapping.entry("policy").map(e -> reader.choice(e, FieldPolicy.class))
                .orElse(Optional.of(FieldPolicy.OVERWRITE));
        Optional<NullPolicy> nulls = mapping.entry("nulls").map(e -> reader.choice(e, NullPolicy.class))
                .orElse(Optional.of(NullPolicy.CLEAR));
        if (policy.isPresent() && policy.get() == FieldPolicy.CREATE_ONLY && mode == Mode.UPDATE) {
            reader.warning(mapping.entry("policy").orElseThrow().line(), "policy create_only never writes in"
                    + " mode: update, which never creates records; use overwrite or if_empty");
        }
        if (!ok || field.isEmpty() || policy.isEmpty() || nulls.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FieldMapping(column, value, field.get(), policy.get(), nulls.get(),
                reader.at(fieldEntry.get().line())));
    }

    /** A constant as the destination will receive it: a string, a whole number, an exact decimal or a boolean. */
    private static Optional<Object> constant(NodeReader reader, YamlNode.Entry entry) {
        if (!(entry.value() instanceof YamlNode.Scalar scalar)) {
            reader.error(entry.line(), "'value' must be a single constant (a string, number or boolean), found "
                    + entry.value().kind());
            return Optional.empty();
        }
        return switch (scalar.value()) {
            case null -> {
                reader.error(entry.line(), "'value' is empty; write the constant to send (quote it to send the"
                        + " text \"null\"), or map a column instead");
                yield Optional.empty();
            }
            case String text -> Optional.of(text);
            case Boolean flag -> Optional.of(flag);
            case Long whole -> Optional.of(whole);
            case BigInteger big -> Optional.of(new BigDecimal(big));
            case Double real -> {
                try {
                    // The text, not the double: 0.1 stays exactly 0.1.
                    yield Optional.of(new BigDecimal(scalar.text()));
                } catch (NumberFormatException e) {
                    reader.error(entry.line(), "'value' " + scalar.text() + " is not a finite number; quote it to"
                            + " send it as text");
                    yield Optional.empty();
                }
            }
            default -> Optional.of(scalar.text());
        };
    }

    private static Optional<ZoneId> zone(NodeReader reader, YamlNode.Entry entry, String name) {
        try {
            return Optional.of(ZoneId.of(name.strip()));
        } catch (DateTimeException e) {
            reader.error(entry.value().line(), "'timezone': '" + name.strip() + "' is not a time zone; write a"
                    + " region such as Europe/Paris or America/New_York, or UTC");
            return Optional.empty();
        }
    }

    private Optional<Schedule> schedule(NodeReader reader, YamlNode.Entry entry) {
        String forms = "write schedule: manual, schedule: { every: 1h }, schedule: { cron: \"0 * * * *\" } or"
                + " schedule: { after: other_sync }";
        YamlNode node = entry.value();
        if (node instanceof YamlNode.Scalar scalar) {
            if (ConfigKeys.MANUAL.equals(scalar.text())) {
                return Optional.of(Schedule.MANUAL);
            }
            String written = scalar.isNull() ? "empty" : "'" + scalar.text() + "'";
            String fix = forms;
            try {
                ScheduleSyntax.parseDuration(scalar.text());
                fix = "write schedule: { every: " + scalar.text().strip() + " }";
            } catch (IllegalArgumentException notADuration) {
                // Not a duration either: the general forms are the best advice.
            }
            reader.error(node.line(), "schedule " + written + " is not a schedule; " + fix);
            return Optional.empty();
        }
        Optional<YamlNode.Mapping> found = reader.mapping(node, "'schedule'", "schedule: { every: 1h }");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlNode.Mapping schedule = found.get();
        reader.allowOnly(schedule, ConfigKeys.SCHEDULE, "in schedule:");
        Optional<YamlNode.Entry> every = schedule.entry("every");
        Optional<YamlNode.Entry> cron = schedule.entry("cron");
        Optional<YamlNode.Entry> after = schedule.entry("after");
        Optional<YamlNode.Entry> timezone = schedule.entry("timezone");
        if (Stream.of(every, cron, after).filter(Optional::isPresent).count() > 1) {
            reader.error(schedule.line(), "a schedule has one of every:, cron: or after:, not several; keep one");
            return Optional.empty();
        }
        if (timezone.isPresent() && cron.isEmpty()) {
            reader.error(timezone.get().value().line(), "'timezone' is the time zone of a cron: schedule; add cron:"
                    + " or remove timezone:");
            return Optional.empty();
        }
        if (after.isPresent()) {
            return reader.string(after.get()).map(String::strip).map(Schedule::after);
        }
        if (every.isPresent()) {
            return reader.string(every.get()).flatMap(text -> {
                try {
                    Duration interval = ScheduleSyntax.parseDuration(text);
                    return Optional.of(new Schedule(interval, null));
                } catch (IllegalArgumentException e) {
                    reader.error(every.get().value().line(), "'every': " + e.getMessage());
                    return Optional.empty();
                }
            });
        }
        if (cron.isPresent()) {
            return reader.string(cron.get()).flatMap(text -> {
                Optional<String> problem = ScheduleSyntax.cronProblem(text);
                problem.ifPresent(p -> reader.error(cron.get().value().line(), "'cron': " + p));
                if (problem.isPresent()) return Optional.empty();
                Optional<ZoneId> zone = timezone.isEmpty() ? Optional.of(ZoneOffset.UTC)
                        : reader.string(timezone.get()).flatMap(name -> zone(reader, timezone.get(), name));
                return zone.map(z -> new Schedule(null, text.strip(), z, null));
            });
        }
        if (schedule.entries().stream().allMatch(e -> ConfigKeys.SCHEDULE.contains(e.key()))) {
            reader.error(schedule.line(), "the schedule is empty; " + forms);
        }
        return Optional.empty();
    }
}
