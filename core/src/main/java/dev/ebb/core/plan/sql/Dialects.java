package dev.ebb.core.plan.sql;

import java.util.List;
import java.util.Optional;

/** The dialects Ebb writes, by the name a source's engine gives ({@link dev.ebb.spi.SqlEngine#dialect()}). */
public final class Dialects {
    private static final List<Dialect> ALL = List.of(new DuckDbDialect(), new PostgresDialect(),
            new SnowflakeDialect(), new BigQueryDialect(), new RedshiftDialect(), new DatabricksDialect(),
            new TrinoDialect(), new ClickHouseDialect(), new MySqlDialect());

    private Dialects() {
    }

    /** Every dialect, DuckDB first. */
    public static List<Dialect> all() {
        return ALL;
    }

    /** The dialect of that name, or empty when Ebb does not write it (the plan then runs in the JVM). */
    public static Optional<Dialect> named(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
