package dev.ebb.server.api;

import dev.ebb.core.config.SyncConfig;
import dev.ebb.server.Role;
import dev.ebb.server.Routes;
import dev.ebb.server.ServerContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/syncs}: each sync with its schedule and where it stands. */
final class SyncResources {
    private final ServerContext context;

    SyncResources(ServerContext context) {
        this.context = context;
    }

    void register(Routes routes) {
        routes.get("/api/syncs", Role.READ, "syncs", "Every sync with its schedule, status, last and next run.",
                ctx -> ctx.json(Map.of("syncs", context.project().syncs().values().stream().map(this::document)
                        .toList())));
    }

    private Map<String, Object> document(SyncConfig sync) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("sync", sync.name());
        doc.put("model", sync.model());
        doc.put("destination", sync.destination());
        doc.put("object", sync.object());
        doc.put("paused", context.scheduler().paused(sync.name()));
        doc.put("next_run", context.scheduler().nextRun(sync.name()).map(Object::toString).orElse(null));
        doc.put("tags", List.of());
        return doc;
    }
}
