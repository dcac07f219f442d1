package dev.ebb.core.state.warehouse;

import java.util.List;
import java.util.Locale;

/**
 * What the warehouse-native state's SQL needs to know of the engine it runs on. Everything else of its SQL is the
 * standard SQL both engines speak (temporary tables, {@code UPDATE … FROM}, window functions, {@code IS DISTINCT
 * FROM}); the snapshot is advanced by a delete and an insert in one transaction, which needs no {@code MERGE}.
 * Immutable.
 */
enum WarehouseDialect {
    /** DuckDB: an index would slow the bulk deletes and inserts of a commit; its hash joins need none. */
    DUCKDB("duckdb", "", "bit_xor(hash(%s))"),
    /** PostgreSQL: the primary key is the index that a batch commit's deletes and a look-up by key go through. */
    POSTGRES("postgres", ", PRIMARY KEY (sync, key)", "bit_xor(hashtextextended(%s, 0))");

    private final String label;
    private final String keyConstraint;
    private final String orderFreeHash;

    WarehouseDialect(String label, String keyConstraint, String orderFreeHash) {
        this.label = label;
        this.keyConstraint = keyConstraint;
        this.orderFreeHash = orderFreeHash;
    }

    /** The dialect names the warehouse-native state runs on. */
    static List<String> labels() {
        return java.util.Arrays.stream(values()).map(d -> d.label).toList();
    }

    /** The dialect an engine names, or {@code null} when the warehouse-native state cannot run on it. */
    static WarehouseDialect of(String engineDialect) {
        for (WarehouseDialect d : values()) {
            if (d.label.equals(engineDialect.toLowerCase(Locale.ROOT))) return d;
        }
        return null;
    }

    String label() {
        return label;
    }

    /** The constraint closing a table keyed by (sync, key), or nothing. */
    String keyConstraint() {
        return keyConstraint;
    }

    /**
     * The indexes beside the tables, created with them: on PostgreSQL, the rows in flight by key, which every batch
     * commit deletes from (without it, a commit of 50,000 rows against a table of dead marks, which vacuum cannot
     * clear while the run's plan transaction is open, was measured to run for minutes).
     */
    List<String> indexes(String schema) {
        return this == POSTGRES
                ? List.of("CREATE INDEX IF NOT EXISTS in_flight_by_key ON " + schema + ".in_flight (sync, key)")
                : List.of();
    }

    /** An aggregate of a text expression whose value does not depend on the rows' order (a plan's identity). */
    String orderFreeHash(String expression) {
        return String.format(Locale.ROOT, orderFreeHash, expression);
    }
}
