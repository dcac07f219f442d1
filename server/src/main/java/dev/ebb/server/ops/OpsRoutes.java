package dev.ebb.server.ops;

import dev.ebb.server.Role;
import dev.ebb.server.RouteGroup;
import dev.ebb.server.Routes;
import dev.ebb.server.ServerContext;
import java.util.Map;

/** Health and readiness, the only routes that answer without a token. */
public final class OpsRoutes implements RouteGroup {
    @Override
    public void register(Routes routes, ServerContext context) {
        routes.get("/health", Role.PUBLIC, "ops", "The process is up.",
                ctx -> ctx.json(Map.of("status", "ok")));
        routes.get("/ready", Role.PUBLIC, "ops", "The server takes runs (503 while it shuts down).", ctx -> {
            boolean ready = context.runs().accepting();
            ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "stopping"));
        });
    }
}
