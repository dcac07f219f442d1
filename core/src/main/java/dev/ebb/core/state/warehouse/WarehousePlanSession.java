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
import dev.ebb.core.state.sql.InPlacePlanSql;
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
 * A plan inside the warehouse, on a connection of its own. When the whole extraction can be written in the
 * warehouse's SQL ({@link #load}), the model is planned where it is ({@link InPlacePlanSql}: a full outer join with
 * the snapshot tables is the diff, and the rows that cannot be sent are marked from it; on PostgreSQL an aggregate
 * marks them instead, beside the diff on a second connection, {@link MarksBeside}; no row leaves the warehouse, none
 * is copied whole, and only the planned rows get a fingerprint computed and a payload). Else the JVM adds the rows
 * into a temporary table {@code ebb_cur} ({@link #add}, thousands of rows per statement) and one statement diffs it.
 * Either way the plan is left in {@code ebb_plan}, and only planned and invalid rows are read back. One thread at a
 * time.
 */
final class WarehousePlanSession implements PlanSession {
    /** Rows fetched per round trip when reading the plan back. */
    private static final int FETCH = 1000;

    private final WarehouseEngine engine;
    private final WarehouseDialect dialect;
    private final String schema;
    private final String sync;
    private final Connection scratch;
    private RowInserter rows;
    /** The payload of a row of {@code ebb_cur} aliased {@code c}. */
    private String payload = "c.payload";
    /** Whether the plan may keep the quick hashes it computes (the project's state is open for writing). */
    private final boolean remember;
    /** The rows planned where they are ({@link #load}), or null when they were added into {@code ebb_cur}. */
    private InPlaceRows inPlace;
    /** The tables of a plan of rows where they are. */
    private final InPlacePlanSql.Tables tables;

    /** @param remember whether the state is open for writing, and keeps the fingerprints its plans compute */
    WarehousePlanSession(WarehouseEngine engine, WarehouseDialect dialect, String schema, String sync,
                         boolean remember) throws StateException {
        this.engine = engine;
        this.dialect = dialect;
        this.schema = schema;
        this.sync = sync;
        this.remember = remember;
        this.tables = new InPlacePlanSql.Tables("ebb_bad", "ebb_plan", "ebb_keys", "SELECT key, fp, quick, match, dest_id,"
                + " field_hashes, payload FROM " + schema + ".snapshot WHERE sync = ?", inFlight(schema), schema
                + ".left_field_hashes", "?", dialect == WarehouseDialect.POSTGRES ? " OFFSET 0" : "");
        try {
            this.scratch = engine.connect();
        } catch (SQLException e) {
            throw failed(e);
        }
        try {
            // Reading the plan back streams only inside a transaction (PostgreSQL's cursors); temporary tables
            // outlive each commit.
            scratch.setAutoCommit(false);
            if (dialect == WarehouseDialect.POSTGRES) {
                // The plan reads the model more than once (its marks, the diff): all of it as of one moment.
                scratch.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try (Statement st = scratch.createStatement()) {
                st.execute("DROP TABLE IF EXISTS ebb_cur");
                st.execute("DROP TABLE IF EXISTS ebb_plan");
                st.execute("DROP TABLE IF EXISTS ebb_bad");
                st.execute("DROP TABLE IF EXISTS ebb_keys");
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
     * Plans the model where it is, on the warehouse itself (it is the sync's source): no row of the model travels
     * through the JVM, and none is copied whole: {@link #diff} marks its invalid rows and diffs it there (see
     * {@link InPlacePlanSql}).
     */
    @Override
    public Optional<String> load(InPlaceRows extracted) throws StateException {
        try (Statement st = scratch.createStatement()) {
            rows.close();
            st.execute("DROP TABLE ebb_cur");
            // PostgreSQL hashes a row of values from version 14 on.
            inPlace = dialect == WarehouseDialect.POSTGRES && scratch.getMetaData().getDatabaseMajorVersion() < 14
                    ? extracted.unhashed() : extracted;
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
                    if (inPlace != null) {
                        InPlacePlanSql.invalidate(scratch, tables, "ebb_problems");
                    } else {
                        PlanSql.invalidate(scratch, "ebb_cur", "ebb_plan", "ebb_problems");
                    }
                    st.execute("DROP TABLE ebb_problems");
                }
            }
            PlanCounts counts = inPlace != null ? InPlacePlanSql.counts(scratch, tables) : counts();
            scratch.commit();
            return counts;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PlanCounts diff(Replan replan, MatchComparison matching) throws StateException {
        boolean caseBlind = matching == MatchComparison.IGNORE_CASE;
        try {
            rows.close();
            if (inPlace != null) {
                boolean everyRow = replan == Replan.EVERY_ROW;
                if (dialect == WarehouseDialect.POSTGRES) {
                    try (MarksBeside marks = MarksBeside.start(engine, scratch, tables, inPlace)) {
                        InPlacePlanSql.plan(scratch, tables, inPlace, everyRow, sync);
                        marks.finish(scratch);
                    }
                    InPlacePlanSql.takeMarked(scratch, tables, inPlace, caseBlind);
                } else {
                    InPlacePlanSql.planMarked(scratch, tables, inPlace, everyRow, caseBlind, sync);
                }
                InPlacePlanSql.settle(scratch, tables, remember ? Optional.of(schema + ".snapshot")
                        : Optional.empty(), sync);
                InPlacePlanSql.rematch(scratch, tables, inPlace, caseBlind);
                PlanCounts counts = InPlacePlanSql.counts(scratch, tables);
                scratch.commit();
                return counts;
            }
            if (dialect == WarehouseDialect.POSTGRES) {
                // A temporary table has no statistics until analysed, and the join's plan depends on them.
                try (Statement st = scratch.createStatement()) {
                    st.execute("ANALYZE ebb_cur");
                }
            }
            PlanSql.markDuplicates(scratch, "ebb_cur", caseBlind);
            PlanSql.Tables cur = new PlanSql.Tables("ebb_cur", "SELECT key, fp, match, dest_id, field_hashes,"
                    + " payload FROM " + schema + ".snapshot WHERE sync = ?", inFlight(schema), schema
                    + ".left_field_hashes", "?");
            try (PreparedStatement ps = scratch.prepareStatement("CREATE TEMPORARY TABLE ebb_plan AS "
                    + PlanSql.plan(cur, payload, replan == Replan.EVERY_ROW))) {
                PlanSql.bindSync(ps, sync);
                ps.execute();
            }
            PlanSql.rematch(scratch, "ebb_plan", "ebb_cur", caseBlind);
            PlanCounts counts = counts();
            scratch.commit();
            return counts;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The sync's rows in flight: of a key's unsettled attempts, the earliest counts. */
    private static String inFlight(String schema) {
        return "SELECT key, match, payload FROM (SELECT key, match, payload, row_number() OVER (PARTITION BY key"
                + " ORDER BY run_id) AS attempt FROM " + schema + ".in_flight WHERE sync = ?) a WHERE attempt = 1";
    }

    private PlanCounts counts() throws SQLException {
        return StateRows.planCounts(scratch, "ebb_cur", "ebb_plan");
    }

    @Override
    public RowCursor<InvalidRow> invalid() throws StateException {
        if (inPlace != null) {
            return InPlacePlanSql.each(new Cursor<>(InPlacePlanSql.invalidRows(tables), InPlacePlanSql.Counted::read));
        }
        return new Cursor<>("SELECT key, invalid FROM ebb_cur WHERE invalid IS NOT NULL",
                rs -> new InvalidRow(rs.getString(1), rs.getString(2)));
    }

    @Override
    public RowCursor<PlannedRow> planned() throws StateException {
        return new Cursor<>("SELECT " + StateRows.PLANNED_COLUMNS
                + " FROM ebb_plan ORDER BY CASE change WHEN 'removed' THEN 1 ELSE 0 END, key",
                StateRows::planned);
    }

    @Override
    public List<PlannedRow> samples(Change change, int limit) throws StateException {
        try (PreparedStatement ps = scratch.prepareStatement("SELECT " + StateRows.PLANNED_COLUMNS
                + " FROM ebb_plan WHERE change = ? ORDER BY key LIMIT ?")) {
            ps.setString(1, change.name().toLowerCase(Locale.ROOT));
            ps.setInt(2, limit);
            List<PlannedRow> planned = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) planned.add(StateRows.planned(rs));
            }
            return planned;
        } catch (SQLException e) {
            throw failed(e);
        }
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
                st.execute("DROP TABLE IF EXISTS ebb_bad");
                st.execute("DROP TABLE IF EXISTS ebb_keys");
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
