package dev.ebb.server.web;

import dev.ebb.server.RouteGroup;
import dev.ebb.server.Routes;
import dev.ebb.server.ServerContext;

/** The web UI's pages under {@link WebUi#ROOT}; they sign users in with the API's tokens themselves. */
public final class WebRoutes implements RouteGroup {
    @Override
    public void register(Routes routes, ServerContext context) {
        WebUi ui = new WebUi(new ServerUiBackend(context), context.clock());
        routes.selfChecked(ui::routes);
    }
}
