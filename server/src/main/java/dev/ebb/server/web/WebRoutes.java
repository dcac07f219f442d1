package dev.ebb.server.web;

import dev.ebb.server.RouteGroup;
import dev.ebb.server.Routes;
import dev.ebb.server.ServerContext;

/** The web UI's pages under {@code /ui} (see {@link WebUi}), over the server's queue, engine and tokens. */
public final class WebRoutes implements RouteGroup {
    @Override
    public void register(Routes routes, ServerContext context) {
        new WebUi(new ServerUiBackend(context), context.clock()).register(routes);
    }
}
