package dev.ebb.server.ops;

import dev.ebb.core.config.ConfigException;
import dev.ebb.server.RouteGroup;
import dev.ebb.server.Routes;
import dev.ebb.server.ServerContext;

/**
 * {@code /metrics}, {@code /health} and {@code /ready} ({@link Operations}), the routes that answer without a token,
 * and the alerts; ready while the server takes runs and its state store answers.
 */
public final class OpsRoutes implements RouteGroup {
    private Operations operations;

    @Override
    public void register(Routes routes, ServerContext context) {
        EbbMetrics metrics = new EbbMetrics(context.budgets()::byAccount, context.engine()::quotas);
        try {
            operations = new Operations(context.project(), context.state(), metrics,
                    new Readiness(context.state(), context.runs()::accepting), context.redaction(), context.env());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        routes.selfChecked(operations::routes);
    }

    @Override
    public void start() throws Exception {
        operations.start();
    }

    @Override
    public void stop() {
        operations.close();
    }
}
