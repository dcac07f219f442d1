package dev.ebb.server;

/**
 * A set of routes that one package owns ({@code api}, {@code web}, {@code ops}, …). Listed in {@link RouteGroups};
 * each registers its routes once, before the server starts, with the role each needs.
 */
@FunctionalInterface
public interface RouteGroup {
    void register(Routes routes, ServerContext context);
}
