package dev.ebb.core.state.sql;

import dev.ebb.core.state.Change;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What the SQL stores (DuckDB, PostgreSQL) share of their rows: the same tables and columns, so the same reading of
 * a planned row, a plan's counts and a run. Stateless.
 */
public final class StateRows {
    /** The columns of a planned row, in the order {@link #planned} reads them. */
    public static final String PLANNED_COLUMNS =
            "key, fp, match, payload, dest_id, change, rematched, field_hashes, delivered, quick";

    private StateRows() {
    }

    public static PlannedRow planned(ResultSet rs) throws SQLException {
        return new PlannedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Change.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)), rs.getBoolean(7), rs.getString(8),
                rs.getString(9), rs.getObject(10) == null ? null : rs.getLong(10));
    }

    /** How the model's rows ({@code cur}) compare with the snapshot, by the plan they made ({@code plan}). */
    public static PlanCounts planCounts(Connection c) throws SQLException {
        return planCounts(c, "cur", "plan");
    }

    /** How the model's rows (table {@code cur}) compare with the snapshot, by the plan they made (table {@code plan}). */
    public static PlanCounts planCounts(Connection c, String cur, String plan) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM " + cur + "),"
                     + " (SELECT count(*) FROM " + cur + " WHERE invalid IS NOT NULL),"
                     + " count(*) FILTER (WHERE change = 'added'), count(*) FILTER (WHERE change = 'changed'),"
                     + " count(*) FILTER (WHERE change = 'removed') FROM " + plan)) {
            rs.next();
            long total = rs.getLong(1);
            long invalid = rs.getLong(2);
            long added = rs.getLong(3);
            long changed = rs.getLong(4);
            long removed = rs.getLong(5);
            return new PlanCounts(total, added, changed, removed, total - invalid - added - changed, invalid);
        }
    }

    /** A batch's outcomes counted by {@link Outcome}, indexed by ordinal. */
    public static long[] countByOutcome(List<RowOutcome> outcomes) {
        long[] counts = new long[Outcome.values().length];
        for (RowOutcome o : outcomes) counts[o.outcome().ordinal()]++;
        return counts;
    }

    /** A row of {@code runs}, with its times, status and message as the store reads them. */
    public static RunRecord run(ResultSet rs, Instant startedAt, Instant finishedAt, RunStatus status, String message)
            throws SQLException {
        return new RunRecord(rs.getLong("run_id"), rs.getString("sync"), startedAt, finishedAt, status,
                rs.getLong("added"), rs.getLong("changed"), rs.getLong("removed"), rs.getLong("unchanged"),
                rs.getLong("invalid"), rs.getLong("delivered"), rs.getLong("rejected"), rs.getLong("failed"),
                rs.getLong("skipped"), rs.getLong("api_calls"), rs.getLong("throttles"), rs.getLong("retries"),
                message, rs.getLong("read_calls"), rs.getLong("conflicts"));
    }

    /** The counts of a finished run, in the order of the {@code runs} columns from {@code added} to {@code retries}. */
    public static long[] finishedCounts(RunRecord run) {
        return new long[]{run.added(), run.changed(), run.removed(), run.unchanged(), run.invalid(), run.delivered(),
                run.rejected(), run.failed(), run.skipped(), run.apiCalls(), run.throttles(), run.retries()};
    }
}
