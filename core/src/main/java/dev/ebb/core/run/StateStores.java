package dev.ebb.core.run;

import dev.ebb.core.config.ConfigException;
import dev.ebb.core.config.PostgresState;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.StateConfig;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import dev.ebb.core.state.postgres.PostgresStateStore;
import java.util.Map;
import java.util.Optional;

/**
 * Opens the state store a project's {@code state:} names: the one place that chooses between them, for the CLI,
 * the server and its workers. Stateless.
 */
public final class StateStores {
    private StateStores() {
    }

    /**
     * Opens the project's store.
     *
     * @param env the environment that the PostgreSQL store's secret references resolve from
     * @throws ConfigException when a secret reference of {@code state:} cannot be resolved (an unset variable)
     * @throws StateException  when the store cannot be used: its kind says why
     */
    public static StateStore open(ProjectConfig project, Access access, Map<String, String> env)
            throws ConfigException, StateException {
        StateConfig state = project.state();
        return switch (state.store()) {
            case EMBEDDED -> DuckDbStateStore.open(project.root().resolve(state.path()), access, limits(project));
            case POSTGRES -> {
                PostgresState resolved = state.postgres().resolve(project.root(), env);
                yield PostgresStateStore.open(resolved.url(), resolved.user(), resolved.password(),
                        resolved.schema(), access);
            }
        };
    }

    /** The embedded store's DuckDB bounds as {@code state:} sets them, its spill folder resolved in the project. */
    static DuckDbStateStore.Limits limits(ProjectConfig project) {
        StateConfig state = project.state();
        return new DuckDbStateStore.Limits(
                state.memoryLimit() == null ? DuckDbStateStore.Limits.DEFAULT.memoryLimit() : state.memoryLimit(),
                Optional.ofNullable(state.tempDirectory()).map(folder -> project.root().resolve(folder)));
    }
}
