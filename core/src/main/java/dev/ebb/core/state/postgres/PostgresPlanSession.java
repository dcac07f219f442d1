package dev.ebb.core.state.postgres;

import dev.ebb.core.state.Change;
import dev.ebb.core.state.InvalidRow;
import dev.ebb.core.state.MatchComparison;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.sql.PlanSql;
import dev.ebb.core.state.sql.ResultCursor;
import dev.ebb.core.state.sql.StateRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGConnection;

/**
 * A plan in PostgreSQL: the model's rows stream into a temporary table {@code cur} through {@code COPY} (the driver's
 * {@link org.postgresql.copy.CopyManager}), the diff against the snapshot is one statement that fills a temporary
 * table {@code plan}, and the planned rows come back through a cursor, a page at a time.
 *
 * <p>The session holds one connection of the pool in one transaction for its whole life; closing it rolls back,
 * which drops both tables and writes nothing. One thread at a time.
 */
final class PostgresPlanSession implements PlanSession {
    /** Rows fetched per round trip of a cursor. */
    private static final int FETCH = 1_000;

    private final PostgresFailures failures;
    private final String sync;
    private final Connection scratch;
    private final CopyRows copy;

    PostgresPlanSession(Postgres db, String sync) throws StateException {
        this.failures = db.failures;
        this.sync = sync;
        try {
            this.scratch = db.connect();
        } catch (SQLException e) {
            throw failures.failed(e);
        }
        try {
            scratch.setAutoCommit(false);
            try (Statement st = scratch.createStatement()) {
                st.execute("CREATE TEMP TABLE cur(key text, fp text, match text, payload text, invalid text)");
                st.execute("""
                        CREATE TEMP TABLE plan(key text, fp text, match text, payload text, dest_id text, change text,
                            rematched boolean, field_hashes text, delivered text, quick bigint)""");
            }
            copy = new CopyRows(scratch.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY cur (key, fp, match, payload, invalid) FROM STDIN"));
        } catch (SQLException e) {
            closeQuietly();
            throw failures.failed(e);
        }
    }

    @Override
    public void add(String key, String fingerprint, String matchValue, String payload, String invalid)
            throws StateException {
        try {
            copy.row(key, fingerprint, matchValue, payload, invalid);
        } catch (SQLException e) {
            throw failures.failed(e);
        }
    }

    @Override
    public PlanCounts diff(Replan replan, MatchComparison matching) throws StateException {
        try {
            copy.end();
            try (Statement st = scratch.createStatement()) {
                // The joins below are planned from these statistics; a fresh temporary table has none.
                st.execute("ANALYZE cur");
            }
            PlanSql.markDuplicates(scratch, "cur", matching == MatchComparison.IGNORE_CASE);
            createPlan(replan, matching);
            return StateRows.planCounts(scratch);
        } catch (SQLException e) {
            throw failures.failed(e);
        }
    }

    /**
     * The plan (see {@link PlanSql#plan}) into the temporary table {@code plan}; of a key's unsettled attempts, the
     * earliest counts (its effect has been unknown longest).
     */
    private void createPlan(Replan replan, MatchComparison matching) throws SQLException {
        PlanSql.Tables tables = new PlanSql.Tables("cur", "SELECT key, fp, match, dest_id, field_hashes, payload"
                + " FROM snapshot WHERE sync = ?", "SELECT DISTINCT ON (key) key, match, payload FROM in_flight"
                + " WHERE sync = ? ORDER BY key, run_id", "left_field_hashes", "?");
        try (PreparedStatement ps = scratch.prepareStatement("INSERT INTO plan "
                + PlanSql.plan(tables, "c.payload", replan == Replan.EVERY_ROW))) {
            PlanSql.bindSync(ps, sync);
            ps.executeUpdate();
        }
        PlanSql.rematch(scratch, "plan", "cur", matching == MatchComparison.IGNORE_CASE);
    }

    @Override
    public RowCursor<InvalidRow> invalid() throws StateException {
        return cursor("SELECT key, invalid FROM cur WHERE invalid IS NOT NULL",
                rs -> new InvalidRow(rs.getString(1), rs.getString(2)));
    }

    /** Ordered by key in code-point order ({@code COLLATE "C"}), whatever the database's collation, as DuckDB does. */
    @Override
    public RowCursor<PlannedRow> planned() throws StateException {
        return cursor("SELECT " + StateRows.PLANNED_COLUMNS
                + " FROM plan ORDER BY CASE change WHEN 'removed' THEN 1 ELSE 0 END, key COLLATE \"C\"",
                StateRows::planned);
    }

    @Override
    public List<PlannedRow> samples(Change change, int limit) throws StateException {
        try (PreparedStatement ps = scratch.prepareStatement("SELECT " + StateRows.PLANNED_COLUMNS
                + " FROM plan WHERE change = ? ORDER BY key COLLATE \"C\" LIMIT ?")) {
            ps.setString(1, change.name().toLowerCase(Locale.ROOT));
            ps.setInt(2, limit);
            List<PlannedRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(StateRows.planned(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw failures.failed(e);
        }
    }

    /** Every planned key, change and fingerprint, hashed and combined without regard to order. */
    @Override
    public String identity() throws StateException {
        try (Statement st = scratch.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT count(*), coalesce(bit_xor(hashtextextended(key || chr(31) || change || chr(31)
                    || coalesce(fp, ''), 0)), 0)
                FROM plan""")) {
            rs.next();
            return rs.getLong(1) + ":" + Long.toHexString(rs.getLong(2));
        } catch (SQLException e) {
            throw failures.failed(e);
        }
    }

    @Override
    public void close() throws StateException {
        try {
            copy.cancel();
            scratch.rollback();
            scratch.setAutoCommit(true);
            scratch.close();
        } catch (SQLException e) {
            throw failures.failed(e);
        }
    }

    private void closeQuietly() {
        try {
            scratch.rollback();
            scratch.close();
        } catch (SQLException ignored) {
            // the pool discards a broken connection
        }
    }

    /** A query's rows, a page at a time: the session's transaction keeps the cursor open. */
    private <T> RowCursor<T> cursor(String sql, ResultCursor.RowReader<T> reader) throws StateException {
        try {
            Statement statement = scratch.createStatement();
            statement.setFetchSize(FETCH);
            return new ResultCursor<>(statement, sql, reader, failures::failed);
        } catch (SQLException e) {
            throw failures.failed(e);
        }
    }
}
