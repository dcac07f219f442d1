package dev.ebb.server.ops;

import dev.ebb.core.config.ConfigException;
import dev.ebb.core.state.StateException;
import dev.ebb.server.RouteGroup;
import dev.ebb.server.Routes;
import dev.ebb.server.ServerContext;

/**
 * Health, readiness and metrics, and the alerts of {@code alerts:} (see {@link Operations}), over the server's
 * engine and store. Alert URLs' references are resolved from the process environment.
 */
public final class OpsRoutes implements RouteGroup {
    @Override
    public void register(Routes routes, ServerContext context) {
        EbbMetrics metrics = new EbbMetrics(context.engine()::rateBudgets, context.engine()::quotas);
        Readiness readiness = new Readiness(context.state(), () -> context.runs().accepting());
        try {
            Operations operations = new Operations(context.project(), context.state(), metrics, readiness,
                    context.redaction(), System.getenv());
            operations.register(routes);
            operations.start(context.runs()::accepting);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (StateException e) {
            throw new IllegalStateException("the run log cannot be read for metrics and alerts: " + e.getMessage(), e);
        }
    }
}
