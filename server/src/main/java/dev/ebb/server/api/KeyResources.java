package dev.ebb.server.api;

import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.RunDocuments;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.LoggedOutcome;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.SnapshotEntry;
import dev.ebb.core.state.StateException;
import dev.ebb.server.ApiException;
import dev.ebb.server.Role;
import dev.ebb.server.Routes;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A sync's keys: explain one, its conflicts (respect_manual_edits), and resolving them. */
final class KeyResources {
    private final Api api;

    KeyResources(Api api) {
        this.api = api;
    }

    void register(Routes routes) {
        routes.get("/api/syncs/{sync}/explain", Role.READ, "keys", "One row: its snapshot entry, outcome history,"
                + " and why it was or was not sent.", this::explain,
                new Routes.Param("key", "the row's key (composite keys: values joined by commas)"));
        routes.get("/api/syncs/{sync}/conflicts", Role.READ, "keys", "Fields a person changed that Ebb kept, with"
                + " both values.", this::conflicts,
                new Routes.Param("key", "only this key's"),
                new Routes.Param("open", "true for the unresolved ones only"));
        routes.post("/api/syncs/{sync}/conflicts/resolve", Role.OPERATOR, "keys", "Settle a conflict: take the"
                + " warehouse's value (written now) or the destination's (kept).", this::resolve,
                new Routes.Param("key", "the row's key"), new Routes.Param("field", "the destination field"),
                new Routes.Param("take", "warehouse or destination"));
    }

    private static String required(Context ctx, String name, String example) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("'" + name + "' is missing; add ?" + name + "=" + example);
        }
        return value;
    }

    /** The key as stored: a composite key's values are joined by a unit separator, written with commas. */
    private static String stored(SyncConfig sync, String key) {
        return key.contains(",") && sync.key().size() > 1 ? key.replace(',', '\u001F') : key;
    }

    private void explain(Context ctx) {
        SyncConfig sync = api.sync(ctx);
        String key = required(ctx, "key", "KEY");
        String stored = stored(sync, key);
        try {
            Optional<SnapshotEntry> entry = api.context().state().snapshotEntry(sync.name(), stored);
            List<LoggedOutcome> history = api.context().state().outcomes(sync.name(), stored, 20);
            List<RunRecord> runs = api.context().state().runs(sync.name(), 1);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("sync", sync.name());
            doc.put("key", key);
            doc.put("snapshot", entry.orElse(null));
            doc.put("history", history.stream().map(RunDocuments::outcome).toList());
            doc.put("explanation", RunDocuments.why(entry, history, runs));
            doc.put("conflicts", api.context().state().conflicts(sync.name(), stored).stream()
                    .map(RunDocuments::conflict).toList());
            ctx.json(doc);
        } catch (StateException e) {
            throw Api.failure(e);
        }
    }

    private void conflicts(Context ctx) {
        SyncConfig sync = api.sync(ctx);
        String key = ctx.queryParam("key");
        String stored = key == null || key.isBlank() ? null : stored(sync, key);
        try {
            List<Conflict> found = "true".equalsIgnoreCase(ctx.queryParam("open"))
                    ? api.context().state().openConflicts(sync.name(), stored)
                    : api.context().state().conflicts(sync.name(), stored);
            ctx.json(Map.of("conflicts", found.stream().map(RunDocuments::conflict).toList()));
        } catch (StateException e) {
            throw Api.failure(e);
        }
    }

    private void resolve(Context ctx) throws InterruptedException {
        SyncConfig sync = api.sync(ctx);
        String key = required(ctx, "key", "KEY");
        String field = required(ctx, "field", "FIELD");
        String take = required(ctx, "take", "warehouse");
        Resolution resolution;
        try {
            resolution = Resolution.valueOf(take.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'take' is warehouse or destination, not '" + take + "'");
        }
        Conflict resolved;
        try {
            resolved = api.context().engine().resolve(sync.name(), stored(sync, key), field, resolution);
        } catch (SyncException e) {
            throw Api.failure(e);
        }
        api.audit(ctx, "resolve", sync.name(), null, "key " + key + ", field " + field + ": took the "
                + resolution.label() + " value");
        ctx.json(RunDocuments.conflict(resolved));
    }
}
