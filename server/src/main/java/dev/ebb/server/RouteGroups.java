package dev.ebb.server;

import dev.ebb.server.api.ApiRoutes;
import dev.ebb.server.ops.OpsRoutes;
import dev.ebb.server.web.WebRoutes;
import java.util.List;

/** The one place route groups are listed: a package that serves routes adds its group here. */
final class RouteGroups {
    private RouteGroups() {
    }

    static List<RouteGroup> all() {
        return List.of(new OpsRoutes(), new ApiRoutes(), new WebRoutes());
    }
}
