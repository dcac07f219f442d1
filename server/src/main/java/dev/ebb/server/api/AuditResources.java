package dev.ebb.server.api;

import dev.ebb.core.state.AuditEntry;
import dev.ebb.core.state.StateException;
import dev.ebb.server.Role;
import dev.ebb.server.Routes;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/audit}: who triggered, cancelled, approved, rejected, reset, resolved, retried or paused what. */
final class AuditResources {
    private final Api api;

    AuditResources(Api api) {
        this.api = api;
    }

    void register(Routes routes) {
        routes.get("/api/audit", Role.READ, "audit", "The audit log, newest first: who (the token's name) did what,"
                + " when, on which sync and run.", this::list,
                new Routes.Param("sync", "only this sync's entries"),
                new Routes.Param("offset", "entries to skip (default 0)"),
                new Routes.Param("limit", "entries in the page (default 50, at most 1000)"));
    }

    private void list(Context ctx) {
        String sync = ctx.queryParam("sync");
        int offset = Api.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Api.intParam(ctx, "limit", Api.DEFAULT_PAGE, 1, Api.MAX_PAGE);
        List<AuditEntry> entries;
        try {
            entries = api.context().state().auditEntries(sync == null || sync.isBlank() ? null : sync, offset, limit);
        } catch (StateException e) {
            throw Api.failure(e);
        }
        ctx.json(Map.of("entries", entries.stream().map(AuditResources::document).toList()));
    }

    private static Map<String, Object> document(AuditEntry e) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", e.id());
        doc.put("at", e.at().toString());
        doc.put("actor", e.actor());
        doc.put("action", e.action());
        doc.put("sync", e.sync());
        doc.put("run_id", e.runId());
        doc.put("detail", e.detail());
        return doc;
    }
}
