package dev.ebb.server.web;

import dev.ebb.server.RouteGroup;
import dev.ebb.server.Routes;
import dev.ebb.server.ServerContext;

/** The web UI's pages (server-rendered). Owned by the web UI's package; registers nothing yet. */
public final class WebRoutes implements RouteGroup {
    @Override
    public void register(Routes routes, ServerContext context) {
    }
}
