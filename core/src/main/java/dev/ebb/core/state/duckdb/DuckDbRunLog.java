package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.LoggedOutcome;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.OutcomePage;
import dev.ebb.core.state.RunOutcome;
import dev.ebb.core.state.RunLog;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.sql.StateRows;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.RowOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The run log in DuckDB: the {@code runs} table and the per-row {@code outcomes} that batch commits append. */
final class DuckDbRunLog implements RunLog {
    private static final String ABANDONED =
            "the process stopped before the run finished; its undelivered rows are planned again";

    private final DuckDb db;
    /** Whether no process writes the store now (a reader holds its lock), so a run still marked running died. */
    private final boolean noWriter;

    DuckDbRunLog(DuckDb db, boolean noWriter) {
        this.db = db;
        this.noWriter = noWriter;
    }

    @Override
    public int closeAbandonedRuns(String sync, Instant now) throws StateException {
        // It ended at its last commit (or where it started, if it never committed), not when the next run came; its
        // counts are what its commits recorded.
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE runs SET status = ?, finished_at = coalesce(last_commit_at, started_at),
                        message = coalesce(message || '; ', '') || ?
                    WHERE sync = ? AND status = ?""")) {
                ps.setString(1, RunStatus.ABANDONED.label());
                ps.setString(2, ABANDONED);
                ps.setString(3, sync);
                ps.setString(4, RunStatus.RUNNING.label());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long startRun(String sync, Instant now) throws StateException {
        return db.read(c -> {
            long id;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval('run_ids')")) {
                rs.next();
                id = rs.getLong(1);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO runs (run_id, sync, started_at, status) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, sync);
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setString(4, RunStatus.RUNNING.label());
                ps.executeUpdate();
            }
            return id;
        });
    }

    @Override
    public void recordPlan(long runId, PlanCounts counts) throws StateException {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE runs SET added = ?, changed = ?, removed = ?, unchanged = ?, invalid = ? WHERE run_id = ?""")) {
                long[] values = {counts.added(), counts.changed(), counts.removed(), counts.unchanged(),
                        counts.invalid(), runId};
                for (int i = 0; i < values.length; i++) ps.setLong(1 + i, values[i]);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Adds one commit's outcomes to its run's counts, in the commit's own transaction: a run whose process dies keeps
     * what it committed, and a reader follows a live run by them.
     */
    static void countCommitted(Connection c, long runId, List<RowOutcome> outcomes, Instant now) throws SQLException {
        long[] counts = StateRows.countByOutcome(outcomes);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE runs SET delivered = coalesce(delivered, 0) + ?, rejected = coalesce(rejected, 0) + ?,
                    failed = coalesce(failed, 0) + ?, skipped = coalesce(skipped, 0) + ?, last_commit_at = ?
                WHERE run_id = ? AND status = ?""")) {
            ps.setLong(1, counts[Outcome.DELIVERED.ordinal()]);
            ps.setLong(2, counts[Outcome.REJECTED.ordinal()]);
            ps.setLong(3, counts[Outcome.FAILED.ordinal()]);
            ps.setLong(4, counts[Outcome.SKIPPED.ordinal()]);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setLong(6, runId);
            ps.setString(7, RunStatus.RUNNING.label());
            ps.executeUpdate();
        }
    }

    /** Closes a run's row; the store folds the snapshot log first. */
    @Override
    public void finishRun(RunRecord run) throws StateException {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE runs SET finished_at = ?, status = ?, added = ?, changed = ?, removed = ?, unchanged = ?,
                        invalid = ?, delivered = ?, rejected = ?, failed = ?, skipped = ?, api_calls = ?, throttles = ?,
                        retries = ?, message = ?, read_calls = ?, conflicts = ?
                    WHERE run_id = ?""")) {
                ps.setTimestamp(1, Timestamp.from(run.finishedAt()));
                ps.setString(2, run.status().label());
                long[] counts = StateRows.finishedCounts(run);
                for (int i = 0; i < counts.length; i++) ps.setLong(3 + i, counts[i]);
                ps.setString(15, run.message());
                ps.setLong(16, run.readCalls());
                ps.setLong(17, run.conflicts());
                ps.setLong(18, run.runId());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<RunRecord> run(long runId) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM runs WHERE run_id = ?")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<RunRecord> runs(String sync, int limit) throws StateException {
        String sql = "SELECT * FROM runs" + (sync == null ? "" : " WHERE sync = ?") + " ORDER BY run_id DESC LIMIT ?";
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (sync != null) ps.setString(i++, sync);
                ps.setInt(i, limit);
                List<RunRecord> runs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) runs.add(run(rs));
                }
                return runs;
            }
        });
    }

    private RunRecord run(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        RunStatus status = RunStatus.of(rs.getString("status"));
        String message = rs.getString("message");
        if (status == RunStatus.RUNNING && noWriter) {
            // Nobody writes the store, so this run's process died: show it as the next run will record it.
            Timestamp last = lastCommit(rs);
            finished = last == null ? rs.getTimestamp("started_at") : last;
            status = RunStatus.ABANDONED;
            message = message == null ? ABANDONED : message + "; " + ABANDONED;
        }
        return StateRows.run(rs, rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant(), status, message);
    }

    /** When the run last committed; a store written before Ebb recorded it (and opened read-only) has no column. */
    private static Timestamp lastCommit(ResultSet rs) {
        try {
            return rs.getTimestamp("last_commit_at");
        } catch (SQLException olderStore) {
            return null;
        }
    }

    // ---- held plans (the blast-radius guard) ------------------------------------------------------------------

    @Override
    public void hold(long runId, String planIdentity) throws StateException {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET plan_hash = ? WHERE run_id = ?")) {
                ps.setString(1, planIdentity);
                ps.setLong(2, runId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<String> heldPlan(long runId) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT plan_hash FROM runs WHERE run_id = ? AND status = ?")) {
                ps.setLong(1, runId);
                ps.setString(2, RunStatus.AWAITING_APPROVAL.label());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void decide(long runId, RunStatus decision, String message, Instant now) throws StateException {
        if (decision != RunStatus.APPROVED && decision != RunStatus.REJECTED) {
            throw new IllegalArgumentException("a held run is approved or rejected, not " + decision);
        }
        int updated = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE runs SET status = ?, decision = ?, decided_at = ?, message = ?
                    WHERE run_id = ? AND status = ?""")) {
                ps.setString(1, decision.label());
                ps.setString(2, decision.label());
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setString(4, message);
                ps.setLong(5, runId);
                ps.setString(6, RunStatus.AWAITING_APPROVAL.label());
                return ps.executeUpdate();
            }
        });
        if (updated != 1) throw new StateException("run " + runId + " is not awaiting approval", null);
    }

    // ---- per-row outcomes -------------------------------------------------------------------------------------

    @Override
    public List<LoggedOutcome> outcomes(String sync, String key, int limit) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT run_id, change, operation, outcome, reason, fp, logged_at FROM outcomes
                    WHERE sync = ? AND key = ? ORDER BY run_id DESC, logged_at DESC LIMIT ?""")) {
                ps.setString(1, sync);
                ps.setString(2, key);
                ps.setInt(3, limit);
                List<LoggedOutcome> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new LoggedOutcome(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                    }
                }
                return list;
            }
        });
    }

    @Override
    public List<LoggedOutcome> outcomesOfRun(long runId, Outcome outcome, int limit) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT run_id, change, operation, outcome, reason, fp, logged_at, key FROM outcomes
                    WHERE run_id = ? AND outcome = ? LIMIT ?""")) {
                ps.setLong(1, runId);
                ps.setString(2, outcome.name().toLowerCase(Locale.ROOT));
                ps.setInt(3, limit);
                List<LoggedOutcome> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new LoggedOutcome(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(8) + ": " + rs.getString(5), rs.getString(6),
                                rs.getTimestamp(7).toInstant()));
                    }
                }
                return list;
            }
        });
    }

    @Override
    public OutcomePage outcomePage(long runId, Outcome outcome, String keyPart, int offset, int limit)
            throws StateException {
        if (offset < 0 || limit < 1) throw new IllegalArgumentException("offset >= 0 and limit >= 1 are needed");
        String part = keyPart == null ? "" : keyPart.strip();
        return db.read(c -> {
            // strpos, not LIKE: a key's own % and _ are text to find, not wildcards.
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT key, change, operation, outcome, reason, logged_at, count(*) OVER () FROM outcomes
                    WHERE run_id = ? AND (? IS NULL OR outcome = ?) AND strpos(lower(coalesce(key, '')), lower(?)) > 0
                    ORDER BY key, logged_at LIMIT ? OFFSET ?""")) {
                String label = outcome == null ? null : outcome.name().toLowerCase(Locale.ROOT);
                ps.setLong(1, runId);
                ps.setString(2, label);
                ps.setString(3, label);
                ps.setString(4, part);
                ps.setInt(5, limit);
                ps.setInt(6, offset);
                List<RunOutcome> rows = new ArrayList<>();
                long total = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new RunOutcome(rs.getString(1), rs.getString(2), rs.getString(3),
                                Outcome.valueOf(rs.getString(4).toUpperCase(Locale.ROOT)), rs.getString(5),
                                rs.getTimestamp(6).toInstant()));
                        total = rs.getLong(7);
                    }
                }
                if (rows.isEmpty() && offset > 0) total = outcomeCount(c, runId, label, part);
                return new OutcomePage(rows, total);
            }
        });
    }

    /** The rows a filter matches, for a page past the last. */
    private static long outcomeCount(Connection c, long runId, String label, String part) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) FROM outcomes
                WHERE run_id = ? AND (? IS NULL OR outcome = ?) AND strpos(lower(coalesce(key, '')), lower(?)) > 0""")) {
            ps.setLong(1, runId);
            ps.setString(2, label);
            ps.setString(3, label);
            ps.setString(4, part);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
