package dev.ebb.server.api;

import dev.ebb.server.RouteGroup;
import dev.ebb.server.Routes;
import dev.ebb.server.ServerContext;

/** The REST API under {@code /api}: syncs, runs, their actions, and the audit log. */
public final class ApiRoutes implements RouteGroup {
    @Override
    public void register(Routes routes, ServerContext context) {
        new SyncResources(context).register(routes);
    }
}
