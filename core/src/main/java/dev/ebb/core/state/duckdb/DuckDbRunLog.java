package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.LoggedOutcome;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.RunLog;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
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
    private final DuckDb db;

    DuckDbRunLog(DuckDb db) {
        this.db = db;
    }

    @Override
    public int closeAbandonedRuns(String sync, Instant now) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE runs SET status = ?, finished_at = ?,
                        message = 'the process stopped before the run finished; its undelivered rows are planned again'
                    WHERE sync = ? AND status = ?""")) {
                ps.setString(1, RunStatus.ABANDONED.label());
                ps.setTimestamp(2, Timestamp.from(now));
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
                long[] counts = {run.added(), run.changed(), run.removed(), run.unchanged(), run.invalid(),
                        run.delivered(), run.rejected(), run.failed(), run.skipped(), run.apiCalls(), run.throttles(),
                        run.retries()};
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

    private static RunRecord run(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new RunRecord(rs.getLong("run_id"), rs.getString("sync"), rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant(), RunStatus.of(rs.getString("status")),
                rs.getLong("added"), rs.getLong("changed"), rs.getLong("removed"), rs.getLong("unchanged"),
                rs.getLong("invalid"), rs.getLong("delivered"), rs.getLong("rejected"), rs.getLong("failed"),
                rs.getLong("skipped"), rs.getLong("api_calls"), rs.getLong("throttles"), rs.getLong("retries"),
                rs.getString("message"), rs.getLong("read_calls"), rs.getLong("conflicts"));
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
}
