package dev.ebb.core.plan.sql;

import java.util.List;
import java.util.stream.Collectors;

/** {@code INSERT … ON CONFLICT (key) DO UPDATE}: the upsert of PostgreSQL and DuckDB. Stateless. */
final class OnConflict {
    private OnConflict() {
    }

    static String upsert(Dialect d, String target, String sourceQuery, List<String> keyColumns, List<String> columns) {
        List<String> others = columns.stream().filter(c -> !keyColumns.contains(c)).toList();
        return "INSERT INTO " + target + " (" + d.names(columns) + ") SELECT " + d.names(columns) + " FROM ("
                + sourceQuery + ") AS s ON CONFLICT (" + d.names(keyColumns) + ") DO "
                + (others.isEmpty() ? "NOTHING" : "UPDATE SET "
                + others.stream().map(c -> d.quote(c) + " = EXCLUDED." + d.quote(c)).collect(Collectors.joining(", ")));
    }
}
