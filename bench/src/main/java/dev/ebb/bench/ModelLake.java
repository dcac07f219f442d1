package dev.ebb.bench;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a plan benchmark's customer-health model lives: an engine that holds the table {@code customers}, can
 * generate it, change a few of its rows (keeping the old version as {@code customers_old}) and diff the two versions
 * itself, with a plain full outer join, as the baseline Ebb's plan is compared with. Not thread-safe: a benchmark
 * drives it from one thread.
 */
interface ModelLake {
    /** The model's mapped columns, in the order the sync maps them. */
    List<String> MAPPED = List.of("churn_risk_score", "lifetime_value", "plan", "active", "renewal_date",
            "last_seen_at", "country", "seats");
    /** The model as the sync's source runs it. */
    String MODEL_SQL = "SELECT customer_email, " + String.join(", ", MAPPED) + " FROM customers";

    /** The engine's name, for progress lines: {@code duckdb}, {@code postgres}. */
    String engine();

    /** The source connector's type ({@code type:} in {@code ebb.yaml}). */
    String sourceType();

    /** The source's settings as {@code ebb.yaml} would hold them; paths are relative to the project root. */
    Map<String, String> sourceSettings();

    /**
     * Creates {@code customers} with {@code rows} rows of deterministic values (dropping what an earlier scenario left:
     * the tables and Ebb's warehouse-native schema).
     */
    void generate(long rows) throws Exception;

    /**
     * Keeps the table as it is ({@code customers_old}, the baseline's old side), then moves the churn score of every
     * (rows / changed)-th customer by a quarter. Returns the rows changed.
     */
    long change(long rows, long changed) throws Exception;

    /**
     * The baseline: both versions in one database, a full outer join on the key comparing every mapped column
     * ({@code IS DISTINCT FROM}), the differing rows materialised (as Ebb's plan materialises its own), then counted
     * by kind ({@code added}, {@code changed}, {@code removed}).
     */
    Map<String, Long> baseline() throws Exception;

    /** The baseline's SQL: the join every engine runs, on its own tables. */
    static String baselineSql(String createTable) {
        StringBuilder differs = new StringBuilder();
        for (String column : MAPPED) {
            if (!differs.isEmpty()) differs.append(" OR ");
            differs.append("o.").append(column).append(" IS DISTINCT FROM n.").append(column);
        }
        return createTable + " diff AS "
                + "SELECT coalesce(n.customer_email, o.customer_email) AS key, "
                + "CASE WHEN o.customer_email IS NULL THEN 'added' WHEN n.customer_email IS NULL THEN 'removed' "
                + "ELSE 'changed' END AS change, n.* "
                + "FROM customers_old o FULL OUTER JOIN customers n ON o.customer_email = n.customer_email "
                + "WHERE o.customer_email IS NULL OR n.customer_email IS NULL OR " + differs;
    }

    /** The baseline's counts by kind, read from its {@code diff} table. */
    static Map<String, Long> baselineCounts(Statement st) throws SQLException {
        Map<String, Long> counts = new TreeMap<>(Map.of("added", 0L, "changed", 0L, "removed", 0L));
        try (ResultSet rs = st.executeQuery("SELECT change, count(*) FROM diff GROUP BY change")) {
            while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
        }
        return counts;
    }

    /** The update that changes the churn scores of {@code changed} rows spread evenly over {@code rows}. */
    static String changeSql(long rows, long changed) {
        long step = rows / changed;
        return """
                UPDATE customers SET churn_risk_score = CASE WHEN churn_risk_score >= 0.5
                    THEN churn_risk_score - 0.25 ELSE churn_risk_score + 0.25 END
                WHERE id % """ + step + " = " + (step / 2) + " AND id < " + step * changed;
    }
}
