package dev.ebb.server;

import dev.ebb.server.auth.Tokens;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code ebb serve}: the HTTP server over a {@link ServerContext}. Every route comes from a {@link RouteGroup} (see
 * {@link RouteGroups}) with the role it needs; a request without a standing token is refused 401, a token whose role
 * is short of the route's 403. Errors are JSON, and every text returned goes through the project's redaction.
 *
 * <p>Lifecycle: {@link #start} serves and starts the schedules; {@link #stop} stops taking runs, lets the batches in
 * flight finish and commit, then stops serving. Thread-safe.
 */
public final class EbbServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EbbServer.class.getName());
    /** The attribute that holds the request's {@link Tokens.Caller}, for handlers that audit what they did. */
    public static final String CALLER = "ebb.caller";

    private final ServerContext context;
    private final Routes routes = new Routes();
    private final java.util.List<RouteGroup> groups = RouteGroups.all();
    private final Javalin app;
    private volatile boolean stopped;

    public EbbServer(ServerContext context) {
        this.context = context;
        for (RouteGroup group : groups) group.register(routes, context);
        new OpenApiRoutes(routes).register(routes);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(context.json(), false));
            config.routes.beforeMatched(this::authorize);
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                // A bug: the message was never checked for what it may show, so only its type is said (and logged).
                LOG.log(Level.WARNING, "internal error on " + ctx.method() + " " + ctx.path() + ": "
                        + e.getClass().getName());
                error(ctx, 500, "internal error: " + e.getClass().getSimpleName() + "; this is a bug in Ebb");
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null) error(ctx, 404, "no such path: " + ctx.path());
            });
            routes.applyTo(config.routes);
        });
    }

    /** Serves on {@code port} (0 for any free one) and starts the run threads and the schedules. */
    public EbbServer start(int port) {
        context.runs().start();
        app.start(port);
        context.scheduler().start();
        for (RouteGroup group : groups) {
            try {
                group.start();
            } catch (Exception e) {
                throw new IllegalStateException("the server could not start " + group.getClass().getSimpleName()
                        + ": " + context.redaction().apply(String.valueOf(e.getMessage())), e);
            }
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    public ServerContext context() {
        return context;
    }

    public Routes routes() {
        return routes;
    }

    /**
     * Stops gracefully: no new runs (the schedules stop, triggers are refused), the runs going stop at their next
     * batch boundary with their batches in flight committed, then the server stops serving and closes the store.
     * Returns whether every run ended within {@code patience}.
     */
    public boolean stop(Duration patience) throws InterruptedException {
        synchronized (this) {
            if (stopped) return true;
            stopped = true;
        }
        context.scheduler().close();
        boolean ended = context.runs().shutdown("the server is shutting down", patience);
        for (RouteGroup group : groups) group.stop();
        app.stop();
        context.state().close();
        return ended;
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofMinutes(1));
    }

    private void authorize(Context ctx) {
        // A route without a role was registered by a group that checks its callers itself (Routes.selfChecked).
        java.util.Optional<Role> role = ctx.routeRoles().stream().filter(Role.class::isInstance).map(Role.class::cast)
                .findFirst();
        if (role.isEmpty() || role.get() == Role.PUBLIC) return;
        Role needed = role.get();
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "this path needs a token: send 'Authorization: Bearer TOKEN' (create one"
                    + " with 'ebb serve token create --role read|operator')");
        }
        Tokens.Caller caller;
        try {
            caller = context.tokens().verify(header.substring(7).strip());
        } catch (Tokens.Refused e) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw new ApiException(401, e.getMessage());
        }
        if (!caller.role().allows(needed)) {
            throw new ApiException(403, "token '" + caller.name() + "' is a " + caller.role().name().toLowerCase()
                    + " token, and " + ctx.method() + " " + ctx.path() + " needs an operator token");
        }
        ctx.attribute(CALLER, caller);
    }

    private void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", context.redaction().apply(message), "status", status));
    }
}
