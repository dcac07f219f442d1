package dev.ebb.core.plan;

import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.ModelConfig;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Suggestions;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.delivery.Caller;
import dev.ebb.core.delivery.Callers;
import dev.ebb.spi.Column;
import dev.ebb.spi.Destination;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Binds a sync to its source and destination and checks it against both, before a row is read: the model has the
 * key, match and mapped columns; the object, mode, removal behaviour, match field and mapped fields exist at the
 * destination. Makes one discovery call, through the account's budget.
 */
public final class SyncBinder {
    private final ProjectConfig project;
    private final Connectors connectors;
    private final Callers callers;

    public SyncBinder(ProjectConfig project, Connectors connectors, Callers callers) {
        this.project = project;
        this.connectors = connectors;
        this.callers = callers;
    }

    /** The sync of that name, or an error that lists the project's syncs. */
    public SyncConfig sync(String name) throws SyncException {
        return project.sync(name).orElseThrow(() -> new SyncException(SyncException.Kind.INVALID,
                "there is no sync named '" + name + "'; the project has: "
                        + (project.syncs().isEmpty() ? "none" : String.join(", ", project.syncs().keySet()))));
    }

    /** Opens the sync's source and destination and checks the sync against them; the caller closes the result. */
    public BoundSync bind(SyncConfig sync) throws SyncException, InterruptedException {
        Destination destination = null;
        Source source = null;
        try {
            ModelConfig model = project.models().get(sync.model());
            if (model == null) throw invalid(sync, "names model '" + sync.model() + "', which does not exist");
            destination = connectors.openDestination(sync.destination());
            ObjectCapabilities capabilities = destination.object(sync.object()).orElseThrow(() -> invalid(sync,
                    "destination '" + sync.destination() + "' has no object '" + sync.object() + "'"));
            checkCapabilities(sync, capabilities);
            Caller caller = callers.caller(destination, Optional.ofNullable(
                    project.destinations().get(sync.destination())).map(c -> c.limits()).orElse(null));

            source = connectors.openSource(model.source());
            List<Column> columns = source.describe(model.sql());
            int[] keyColumns = new int[sync.key().size()];
            for (int i = 0; i < sync.key().size(); i++) {
                keyColumns[i] = column(columns, sync.key().get(i), sync, "key", sync.keyLocation());
            }
            int matchColumn = column(columns, sync.match().column(), sync, "match column", sync.match().location());

            Destination described = destination;
            ObjectSchema schema = switch (caller.call(() -> described.describe(sync.object()), null)) {
                case Caller.Result.Done<ObjectSchema> done -> done.value();
                case Caller.Result.GaveUp<ObjectSchema> gaveUp -> throw new SyncException(
                        SyncException.Kind.UNAVAILABLE, "destination '" + sync.destination()
                        + "' could not describe object '" + sync.object() + "': " + gaveUp.reason());
            };
            if (!capabilities.match().allows(sync.match().field(), schema)) {
                throw new SyncException(SyncException.Kind.INVALID, sync.match().location() + ": match field '"
                        + sync.match().field() + "' cannot identify records of '" + sync.object()
                        + "': use one of " + matchable(capabilities, schema));
            }
            List<Binding> bindings = new ArrayList<>();
            for (FieldMapping mapping : sync.fields()) {
                FieldSpec field = schema.field(mapping.field()).orElseThrow(() -> new SyncException(
                        SyncException.Kind.INVALID, mapping.location() + ": object '" + sync.object()
                        + "' has no field '" + mapping.field() + "'" + suggestion(mapping.field(), schema)));
                if (field.readOnly()) {
                    throw new SyncException(SyncException.Kind.INVALID, mapping.location() + ": field '"
                            + mapping.field() + "' of '" + sync.object() + "' is read-only");
                }
                int column = mapping.column() == null ? -1
                        : column(columns, mapping.column(), sync, "column", mapping.location());
                bindings.add(new Binding(mapping, column, field));
            }
            return new BoundSync(sync, model, source, destination, capabilities, schema, caller, keyColumns,
                    matchColumn, bindings, SyncSpec.of(sync));
        } catch (SourceException e) {
            BoundSync.close(source, destination);
            ModelConfig model = project.models().get(sync.model());
            // A dbt model the manifest knows but dbt has not built (or built elsewhere) fails right here.
            String dbtHint = model.dbt() == null || e.unreachable() ? "" : "; if dbt has not built "
                    + model.dbt().relation() + " yet, run dbt run --select " + model.dbt().uniqueId()
                    .substring(model.dbt().uniqueId().lastIndexOf('.') + 1);
            throw new SyncException(e.unreachable() ? SyncException.Kind.UNAVAILABLE : SyncException.Kind.INVALID,
                    "model '" + sync.model() + "' (" + model.location() + "): " + e.getMessage() + dbtHint, e);
        } catch (SyncException | RuntimeException | InterruptedException e) {
            BoundSync.close(source, destination);
            throw e;
        }
    }

    private static void checkCapabilities(SyncConfig sync, ObjectCapabilities capabilities) throws SyncException {
        for (FieldMapping mapping : sync.fields()) {
            if (mapping.policy() != FieldPolicy.OVERWRITE && !capabilities.readBack()) {
                throw new SyncException(SyncException.Kind.INVALID, mapping.location() + ": field '"
                        + mapping.field() + "': policy '" + lower(mapping.policy()) + "' needs to read the "
                        + "record's current values, and object '" + sync.object() + "' of destination '"
                        + sync.destination() + "' cannot be read back; use 'overwrite'");
            }
        }
        if (!capabilities.modes().contains(sync.mode())) {
            throw invalid(sync, "object '" + sync.object() + "' does not support mode '"
                    + lower(sync.mode()) + "'; it supports: " + names(capabilities.modes()));
        }
        RemovalBehaviour removal = Operations.removal(sync);
        if (!capabilities.removals().contains(removal)) {
            throw invalid(sync, "object '" + sync.object() + "' does not support on_removed '" + lower(removal)
                    + "'; it supports: " + names(capabilities.removals()));
        }
    }

    /** The column's index, or an error at the place that names it, with the nearest column as a suggestion. */
    private static int column(List<Column> columns, String name, SyncConfig sync, String role, Location where)
            throws SyncException {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equals(name)) return i;
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equalsIgnoreCase(name)) return i;
        List<String> names = columns.stream().map(Column::name).toList();
        String hint = Suggestions.nearest(name, names).map(n -> " (did you mean '" + n + "'?)").orElse("");
        throw new SyncException(SyncException.Kind.INVALID, (where == null ? sync.location() : where) + ": " + role
                + " '" + name + "' is not a column of model '" + sync.model() + "'" + hint + "; its columns: "
                + String.join(", ", names));
    }

    private static String matchable(ObjectCapabilities capabilities, ObjectSchema schema) {
        List<String> names = new ArrayList<>(capabilities.match().fixed());
        if (capabilities.match().anyUnique()) {
            schema.fields().stream().filter(FieldSpec::unique).map(FieldSpec::name)
                    .filter(n -> !names.contains(n)).forEach(names::add);
        }
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    private static String suggestion(String wanted, ObjectSchema schema) {
        return Suggestions.nearest(wanted, schema.fields().stream().map(FieldSpec::name).toList())
                .map(n -> " (did you mean '" + n + "'?)")
                .orElse("; create it in the destination first, or map another field");
    }

    private static SyncException invalid(SyncConfig sync, String message) {
        return new SyncException(SyncException.Kind.INVALID, sync.location() + ": sync '" + sync.name() + "' "
                + message);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String names(Collection<? extends Enum<?>> values) {
        return String.join(", ", values.stream().map(SyncBinder::lower).sorted().toList());
    }
}
