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
import dev.ebb.core.state.sql.PlanSql;
import dev.ebb.core.state.sql.StateRows;
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
    /** Whether the rows in {@code ebb_cur} that share a key or match value are marked invalid yet. */
    private boolean marked;
    /** Whether the match value of a row in {@code ebb_cur} is its key's text. */
    private boolean matchIsKey;
    /** The payload of a row of {@code ebb_cur} aliased {@code c}. */
    private String payload = "c.payload";
    /** Whether the plan may keep the fingerprints it computes (the project's state is open for writing). */
    private final boolean remember;
    /** Whether {@code ebb_cur} was loaded with fingerprints known from the schema's {@code fingerprints}. */
    private boolean remembering;

    /** @param remember whether the state is open for writing, and keeps the fingerprints its plans compute */
    WarehousePlanSession(WarehouseEngine engine, WarehouseDialect dialect, String schema, String sync,
                         boolean remember) throws StateException {
        this.dialect = dialect;
        this.schema = schema;
        this.sync = sync;
        this.remember = remember;
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
            String query = extracted.query();
            // PostgreSQL hashes a row of values from version 14 on.
            if (extracted.remembering().isPresent() && (dialect != WarehouseDialect.POSTGRES
                    || scratch.getMetaData().getDatabaseMajorVersion() >= 14)) {
                query = extracted.remembering().get().apply("(SELECT key, quick, fp FROM " + schema
                        + ".fingerprints WHERE sync = '" + sync.replace("'", "''") + "')");
                remembering = true;
            }
            st.execute("CREATE TEMPORARY TABLE ebb_cur AS SELECT * FROM (" + query + ") extracted");
            marked = extracted.marked();
            matchIsKey = extracted.matchIsKey();
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
            if (!marked) {
                PlanSql.markDuplicates(scratch, "ebb_cur", matching == MatchComparison.IGNORE_CASE, matchIsKey);
            }
            createPlan(replan, matching);
            PlanCounts counts = counts();
            scratch.commit();
            if (remembering && remember) {
                PlanSql.remember(scratch, "ebb_cur", "ebb_plan", schema + ".fingerprints", sync);
            }
            return counts;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * The plan (see {@link PlanSql#plan}) in a temporary table {@code ebb_plan}; of a key's unsettled attempts, the
     * earliest counts.
     */
    private void createPlan(Replan replan, MatchComparison matching) throws SQLException {
        PlanSql.Tables tables = new PlanSql.Tables("ebb_cur", "SELECT key, fp, match, dest_id, field_hashes, payload"
                + " FROM " + schema + ".snapshot WHERE sync = ?", "SELECT key, match, payload FROM (SELECT key, match,"
                + " payload, row_number() OVER (PARTITION BY key ORDER BY run_id) AS attempt FROM " + schema
                + ".in_flight WHERE sync = ?) a WHERE attempt = 1", schema + ".left_field_hashes", "?");
        try (PreparedStatement ps = scratch.prepareStatement("CREATE TEMPORARY TABLE ebb_plan AS "
                + PlanSql.plan(tables, payload, replan == Replan.EVERY_ROW))) {
            PlanSql.bindSync(ps, sync);
            ps.execute();
        }
        PlanSql.rematch(scratch, "ebb_plan", "ebb_cur", matching == MatchComparison.IGNORE_CASE);
    }

    private PlanCounts counts() throws SQLException {
        return StateRows.planCounts(scratch, "ebb_cur", "ebb_plan");
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
