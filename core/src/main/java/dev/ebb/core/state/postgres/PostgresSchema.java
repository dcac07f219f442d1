package dev.ebb.core.state.postgres;

import dev.ebb.core.state.StateException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * The store's tables, brought up to date by Flyway from {@code db/postgres/} (V1-V9 the state store's, V10-V39 the
 * server's parts): created in a new schema, migrated when an older Ebb made them, refused when a newer one did.
 * Several processes may open the store at once: Flyway takes a lock in the database while it migrates, so one of
 * them migrates and the others find the work done.
 */
final class PostgresSchema {
    static final String LOCATION = "classpath:db/postgres";
    /** Flyway's record of what it applied, in the store's schema. */
    static final String HISTORY = "flyway_schema_history";

    private PostgresSchema() {
    }

    /**
     * Migrates the schema when migrations are pending; a store already up to date is only read.
     *
     * @throws StateException of kind {@link StateException.Kind#NEWER} for a schema a newer Ebb migrated, or as
     *                        {@link PostgresFailures#failed} says for a right the user lacks
     */
    static void prepare(DataSource pool, PostgresFailures failures) throws StateException {
        Flyway flyway = Flyway.configure(PostgresSchema.class.getClassLoader())
                .dataSource(pool)
                .schemas(failures.schema())
                .createSchemas(true)
                .table(HISTORY)
                .locations(LOCATION)
                // Through SLF4J, as the pool logs: a command's output stays clean unless a logger is installed.
                .loggers("slf4j")
                .load();
        try {
            List<MigrationInfo> all = Arrays.asList(flyway.info().all());
            List<String> newer = all.stream()
                    .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS
                            || m.getState() == MigrationState.FUTURE_FAILED)
                    .map(m -> "V" + m.getVersion()).toList();
            if (!newer.isEmpty()) {
                throw new StateException(StateException.Kind.NEWER, failures.shown() + " was migrated by a newer "
                        + "version of Ebb (" + String.join(", ", newer) + " are unknown to this one): upgrade Ebb to "
                        + "use it; nothing was changed", null);
            }
            if (all.stream().anyMatch(m -> m.getState() == MigrationState.PENDING)) flyway.migrate();
        } catch (FlywayException e) {
            SQLException sql = sqlCause(e);
            if (sql != null) throw failures.failed(sql);
            throw new StateException("cannot migrate " + failures.shown() + ": "
                    + PostgresFailures.firstLine(e.getMessage()), e);
        }
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) return sql;
        }
        return null;
    }
}
