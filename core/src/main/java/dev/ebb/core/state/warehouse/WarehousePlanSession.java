package dev.ebb.core.state.warehouse;

import dev.ebb.core.state.Change;
import dev.ebb.core.state.InPlaceRows;
import dev.ebb.core.state.InvalidRow;
import dev.ebb.core.state.MatchComparison;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.StateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A plan inside the warehouse: the model's rows go into a temporary table {@code ebb_cur} of a connection of its
 * own, either from the JVM ({@link #add}, a few hundred rows per statement) or, when the whole extraction can be
 * written in the warehouse's SQL, by one {@code CREATE TEMPORARY TABLE … AS} over the model ({@link #load}, no row
 * leaves the warehouse, and only the planned rows get a payload); the diff
 * against the snapshot tables is one statement that leaves the plan in {@code ebb_plan}; only planned and invalid
 * rows are read back. One thread at a time.
 */
final class WarehousePlanSession implements PlanSession {
    /** Rows fetched per round trip when reading the plan back. */
    private static final int FETCH = 1000;

    private final WarehouseDialect dialect;
    private final String schema;
    private final String sync;
    private final Connection scratch;
    private RowInserter rows;
    /** Whether {@code ebb_cur} was built by a query in the warehouse (duplicates marked, no payload column). */
    private boolean loaded;
    /** The payload of a row of {@code ebb_cur} aliased {@code c}. */
    private String payload = "c.payload";

    WarehousePlanSession(WarehouseEngine engine, WarehouseDialect dialect, String schema, String sync)
            throws StateException {
        this.dialect = dialect;
        this.schema = schema;
        this.sync = sync;
        try {
            this.scratch = engine.connect();
        } catch (SQLException e) {
            throw failed(e);
        }
        try {
            // Reading the plan back streams only inside a transaction (PostgreSQL's cursors); temporary tables
            // outlive each commit.
            scratch.setAutoCommit(false);
            try (Statement st = scratch.createStatement()) {
                st.execute("DROP TABLE IF EXISTS ebb_cur");
                st.execute("DROP TABLE IF EXISTS ebb_plan");
                st.execute("CREATE TEMPORARY TABLE ebb_cur(key VARCHAR, fp VARCHAR, match VARCHAR, payload VARCHAR,"
                        + " invalid VARCHAR)");
            }
            rows = new RowInserter(scratch, "ebb_cur", 5);
        } catch (SQLException e) {
            close();
            throw failed(e);
        }
    }

    @Override
    public void add(String key, String fingerprint, String matchValue, String payload, String invalid)
            throws StateException {
        try {
            rows.add(key, fingerprint, matchValue, payload, invalid);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Builds {@code ebb_cur} with one statement from the extraction's SQL form over the model, run on the warehouse
     * itself (it is the sync's source): no row of the model travels through the JVM, and payloads are written only
     * for the planned rows, in {@link #diff}.
     */
    @Override
    public Optional<String> load(InPlaceRows extracted) throws StateException {
        try (Statement st = scratch.createStatement()) {
            rows.close();
            st.execute("DROP TABLE ebb_cur");
            st.execute("CREATE TEMPORARY TABLE ebb_cur AS SELECT * FROM (" + extracted.query() + ") extracted");
            loaded = true;
            payload = extracted.payload();
            return Optional.empty();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * After the diff of a loaded plan: the rows the destination's check refused become invalid and leave the plan.
     */
    @Override
    public PlanCounts invalidate(Map<String, String> reasons) throws StateException {
        try {
            if (!reasons.isEmpty()) {
                try (Statement st = scratch.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS ebb_problems");
                    st.execute("CREATE TEMPORARY TABLE ebb_problems(key VARCHAR, reason VARCHAR)");
                    try (RowInserter problems = new RowInserter(scratch, "ebb_problems", 2)) {
                        for (Map.Entry<String, String> problem : reasons.entrySet()) {
                            problems.add(problem.getKey(), problem.getValue());
                        }
                    }
                    st.execute("UPDATE ebb_cur SET invalid = p.reason, fp = NULL FROM ebb_problems p"
                            + " WHERE ebb_cur.key = p.key");
                    st.execute("DELETE FROM ebb_plan WHERE change <> 'removed'"
                            + " AND key IN (SELECT key FROM ebb_problems)");
                    st.execute("DROP TABLE ebb_problems");
                }
            }
            PlanCounts counts = counts();
            scratch.commit();
            return counts;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PlanCounts diff(Replan replan, MatchComparison matching) throws StateException {
        try {
            rows.close();
            if (dialect == WarehouseDialect.POSTGRES) {
                // A temporary table has no statistics until analysed, and the join's plan depends on them.
                try (Statement st = scratch.createStatement()) {
                    st.execute("ANALYZE ebb_cur");
                }
            }
            if (!loaded) markDuplicates(matching);
            createPlan(replan, matching);
            PlanCounts counts = counts();
            scratch.commit();
            return counts;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * A key or match value held by several rows cannot be delivered without guessing which row wins: every such row
     * is invalid. A destination that compares match values case-blind holds one record for two spellings of one.
     */
    private void markDuplicates(MatchComparison matching) throws SQLException {
        boolean caseBlind = matching == MatchComparison.IGNORE_CASE;
        String match = caseBlind ? "lower(match)" : "match";
        try (Statement st = scratch.createStatement()) {
            st.execute("""
                    UPDATE ebb_cur SET invalid = 'duplicate key: ' || d.n || ' rows of the model share it', fp = NULL
                    FROM (SELECT key, count(*) AS n FROM ebb_cur WHERE key IS NOT NULL GROUP BY key
                          HAVING count(*) > 1) d
                    WHERE ebb_cur.key = d.key""");
            st.execute("UPDATE ebb_cur SET invalid = 'duplicate match value: ' || d.n || ' rows of the model share it"
                    + (caseBlind ? " (compared case-blind, as the destination does)" : "") + "', fp = NULL "
                    + "FROM (SELECT " + match + " AS m, count(*) AS n FROM ebb_cur "
                    + "WHERE match IS NOT NULL AND invalid IS NULL GROUP BY " + match + " HAVING count(*) > 1) d "
                    + "WHERE " + (caseBlind ? "lower(ebb_cur.match)" : "ebb_cur.match")
                    + " = d.m AND ebb_cur.invalid IS NULL");
        }
    }

    /**
     * The plan as one statement, as the embedded store's: a left join of the current rows to the snapshot (added,
     * changed) and anti-joins the other way (removed). A row still in flight may have reached the destination, so
     * the snapshot's fingerprint does not vouch for it: it is sent again, or, when it left the model, removed even
     * if the snapshot never knew it (with the match value of its earliest unsettled attempt).
     */
    private void createPlan(Replan replan, MatchComparison matching) throws SQLException {
        boolean caseBlind = matching == MatchComparison.IGNORE_CASE;
        String valid = "SELECT " + (caseBlind ? "lower(match)" : "match") + " FROM ebb_cur WHERE invalid IS NULL";
        try (PreparedStatement ps = scratch.prepareStatement("CREATE TEMPORARY TABLE ebb_plan AS"
                + " WITH snap AS (SELECT key, fp, match, dest_id, field_hashes, payload FROM " + schema
                + ".snapshot WHERE sync = ?),"
                + " flight AS (SELECT key, match, payload FROM (SELECT key, match, payload, row_number() OVER"
                + " (PARTITION BY key ORDER BY run_id) AS attempt FROM " + schema + ".in_flight WHERE sync = ?) a"
                + " WHERE attempt = 1)"
                + " SELECT c.key, c.fp, c.match, " + payload + " AS payload, s.dest_id,"
                + " CASE WHEN s.key IS NULL THEN 'added' ELSE 'changed' END AS change, false AS rematched,"
                + " coalesce(s.field_hashes, l.field_hashes) AS field_hashes, s.payload AS delivered"
                + " FROM ebb_cur c LEFT JOIN snap s ON s.key = c.key LEFT JOIN flight f ON f.key = c.key"
                + " LEFT JOIN " + schema + ".left_field_hashes l ON l.sync = ? AND l.key = c.key"
                + " WHERE c.invalid IS NULL AND (s.key IS NULL OR ? OR s.fp IS DISTINCT FROM c.fp"
                + " OR f.key IS NOT NULL)"
                + " UNION ALL"
                + " SELECT s.key, NULL, s.match, NULL, s.dest_id, 'removed', "
                + (caseBlind ? "lower(s.match)" : "s.match") + " IN (" + valid + "), s.field_hashes, s.payload"
                + " FROM snap s WHERE NOT EXISTS (SELECT 1 FROM ebb_cur c WHERE c.key = s.key)"
                + " UNION ALL"
                + " SELECT f.key, NULL, f.match, NULL, NULL, 'removed', "
                + (caseBlind ? "lower(f.match)" : "f.match") + " IN (" + valid + "), NULL, f.payload"
                + " FROM flight f WHERE NOT EXISTS (SELECT 1 FROM snap s WHERE s.key = f.key)"
                + " AND NOT EXISTS (SELECT 1 FROM ebb_cur c WHERE c.key = f.key)")) {
            ps.setString(1, sync);
            ps.setString(2, sync);
            ps.setString(3, sync);
            ps.setBoolean(4, replan == Replan.EVERY_ROW);
            ps.execute();
        }
    }

    private PlanCounts counts() throws SQLException {
        try (Statement st = scratch.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT (SELECT count(*) FROM ebb_cur),
                            (SELECT count(*) FROM ebb_cur WHERE invalid IS NOT NULL),
                            count(*) FILTER (WHERE change = 'added'),
                            count(*) FILTER (WHERE change = 'changed'),
                            count(*) FILTER (WHERE change = 'removed')
                     FROM ebb_plan""")) {
            rs.next();
            long total = rs.getLong(1);
            long invalid = rs.getLong(2);
            long added = rs.getLong(3);
            long changed = rs.getLong(4);
            long removed = rs.getLong(5);
            return new PlanCounts(total, added, changed, removed, total - invalid - added - changed, invalid);
        }
    }

    @Override
    public RowCursor<InvalidRow> invalid() throws StateException {
        return new Cursor<>("SELECT key, invalid FROM ebb_cur WHERE invalid IS NOT NULL",
                rs -> new InvalidRow(rs.getString(1), rs.getString(2)));
    }

    @Override
    public RowCursor<PlannedRow> planned() throws StateException {
        return new Cursor<>("SELECT key, fp, match, payload, dest_id, change, rematched, field_hashes, delivered"
                + " FROM ebb_plan ORDER BY CASE change WHEN 'removed' THEN 1 ELSE 0 END, key",
                WarehousePlanSession::planned);
    }

    @Override
    public List<PlannedRow> samples(Change change, int limit) throws StateException {
        try (PreparedStatement ps = scratch.prepareStatement("SELECT key, fp, match, payload, dest_id, change,"
                + " rematched, field_hashes, delivered FROM ebb_plan WHERE change = ? ORDER BY key LIMIT ?")) {
            ps.setString(1, change.name().toLowerCase(Locale.ROOT));
            ps.setInt(2, limit);
            List<PlannedRow> planned = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) planned.add(planned(rs));
            }
            return planned;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static PlannedRow planned(ResultSet rs) throws SQLException {
        return new PlannedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Change.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)), rs.getBoolean(7), rs.getString(8),
                rs.getString(9));
    }

    @Override
    public String identity() throws StateException {
        try (Statement st = scratch.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*), coalesce("
                + dialect.orderFreeHash("key || chr(31) || change || chr(31) || coalesce(fp, '')")
                + ", 0) FROM ebb_plan")) {
            rs.next();
            return rs.getLong(1) + ":" + Long.toHexString(rs.getLong(2));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() throws StateException {
        try {
            try (Statement st = scratch.createStatement()) {
                scratch.rollback();
                st.execute("DROP TABLE IF EXISTS ebb_cur");
                st.execute("DROP TABLE IF EXISTS ebb_plan");
                scratch.commit();
            }
            scratch.close();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private StateException failed(SQLException e) {
        return new StateException("the plan of sync '" + sync + "' in the warehouse (schema " + schema
                + ") failed: " + e.getMessage(), e);
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** A query's rows, fetched a thousand at a time, on the session's connection. */
    private final class Cursor<T> implements RowCursor<T> {
        private final Statement statement;
        private final ResultSet result;
        private final RowReader<T> reader;

        Cursor(String sql, RowReader<T> reader) throws StateException {
            this.reader = reader;
            try {
                statement = scratch.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                statement.setFetchSize(FETCH);
                result = statement.executeQuery(sql);
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public T next() throws StateException {
            try {
                return result.next() ? reader.read(result) : null;
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public void close() throws StateException {
            try {
                result.close();
                statement.close();
            } catch (SQLException e) {
                throw failed(e);
            }
        }
    }
}
