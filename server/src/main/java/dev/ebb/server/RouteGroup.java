package dev.ebb.server;

/**
 * A set of routes that one package owns ({@code api}, {@code web}, {@code ops}, …). Listed in {@link RouteGroups};
 * each registers its routes once, before the server starts, with the role each needs.
 */
@FunctionalInterface
public interface RouteGroup {
    void register(Routes routes, ServerContext context);

    /** Called once the server serves (a group that follows the run log starts here). */
    default void start() throws Exception {
    }

    /** Called when the server stops, after the runs ended. */
    default void stop() {
    }
}
