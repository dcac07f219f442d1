package dev.ebb.server.api;

import dev.ebb.server.RouteGroup;
import dev.ebb.server.Routes;
import dev.ebb.server.ServerContext;

/** The REST API under {@code /api}: syncs, runs, keys and conflicts, their actions, and the audit log. */
public final class ApiRoutes implements RouteGroup {
    @Override
    public void register(Routes routes, ServerContext context) {
        Api api = new Api(context);
        new SyncResources(api).register(routes);
        new RunResources(api).register(routes);
        new KeyResources(api).register(routes);
        new AuditResources(api).register(routes);
    }
}
