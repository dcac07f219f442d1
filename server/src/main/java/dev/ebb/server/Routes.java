package dev.ebb.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every route the server answers, each with the role it needs and a summary; the OpenAPI document is made from this
 * list, so a route cannot be served undocumented. Filled by the {@link RouteGroup}s before the server starts, then
 * read only. Not thread-safe while filled.
 */
public final class Routes {
    /**
     * One route.
     *
     * @param method  the HTTP method
     * @param path    Javalin's path, with {@code {param}} parameters
     * @param role    who may call it
     * @param tag     the group it is shown under in the API document ({@code syncs}, {@code runs}, …)
     * @param summary what it does, in a line
     * @param params  the query parameters it reads, documented
     * @param handler what answers
     */
    public record Route(HandlerType method, String path, Role role, String tag, String summary, List<Param> params,
                        Handler handler) {
        public Route {
            params = List.copyOf(params);
        }
    }

    /** A documented query parameter. */
    public record Param(String name, String description) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final List<Consumer<RoutesConfig>> selfChecked = new ArrayList<>();

    public Routes get(String path, Role role, String tag, String summary, Handler handler, Param... params) {
        return add(HandlerType.GET, path, role, tag, summary, handler, params);
    }

    public Routes post(String path, Role role, String tag, String summary, Handler handler, Param... params) {
        return add(HandlerType.POST, path, role, tag, summary, handler, params);
    }

    public Routes add(HandlerType method, String path, Role role, String tag, String summary, Handler handler,
                      Param... params) {
        for (Route r : routes) {
            if (r.method() == method && r.path().equals(path)) {
                throw new IllegalStateException(method + " " + path + " is registered twice");
            }
        }
        routes.add(new Route(method, path, role, tag, summary, List.of(params), handler));
        return this;
    }

    /**
     * Routes that check who calls them themselves (the web UI's sign-in, Prometheus' scrape): registered on Javalin
     * as they are, without a role, so the server's token check leaves them alone and the API document leaves them
     * out. Every other route goes through {@link #get}, {@link #post} or {@link #add}.
     */
    public Routes selfChecked(Consumer<RoutesConfig> registration) {
        selfChecked.add(registration);
        return this;
    }

    public List<Route> all() {
        return List.copyOf(routes);
    }

    /** Hands every route to Javalin, with its role for the access check. */
    void applyTo(RoutesConfig config) {
        for (Route r : routes) config.addHttpHandler(r.method(), r.path(), r.handler(), r.role());
        for (Consumer<RoutesConfig> registration : selfChecked) registration.accept(config);
    }
}
