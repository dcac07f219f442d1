package dev.ebb.core.state.postgres;

import dev.ebb.core.state.LoggedOutcome;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunLog;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.sql.StateRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run log in PostgreSQL: the {@code runs} table and the per-row {@code outcomes} that batch commits append.
 *
 * <p>Several processes write it at once, so "running" is not taken on trust: a run records the session that holds
 * its sync's lock ({@link SyncLocks}), and a run whose owner no longer holds that lock was left by a process that
 * died. Readers show it abandoned; {@link #closeAbandonedRuns} records it so. Thread-safe.
 */
final class PostgresRunLog implements RunLog {
    private static final String ABANDONED =
            "the process stopped before the run finished; its undelivered rows are planned again";

    /**
     * Whether run {@code r}'s owner still holds its sync's lock. A bigint advisory lock shows its high half as
     * {@code classid}, its low half as {@code objid}, and {@code objsubid} 1.
     */
    private static final String OWNER_HOLDS_LOCK = """
            EXISTS (SELECT 1 FROM pg_locks l
                    WHERE l.locktype = 'advisory' AND l.granted AND l.pid = r.owner_pid AND l.objsubid = 1
                      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND l.classid::bigint = ((r.lock_key >> 32) & 4294967295)
                      AND l.objid::bigint = (r.lock_key & 4294967295))""";

    /**
     * Whether run {@code r} is live, with two parameters: this store's lock session ({@code -1} for none) and the
     * runs it started and has not finished. Its own runs this store knows; of the others, the lock tells.
     */
    private static final String LIVE = "(CASE WHEN r.owner_pid = ? THEN r.run_id = ANY(?) ELSE " + OWNER_HOLDS_LOCK
            + " END)";

    private final Postgres db;
    private final String schema;
    /** This store's lock session, or -1 for a store opened read-only (it starts no runs). */
    private final int ownerPid;
    private final Set<Long> ownRuns = ConcurrentHashMap.newKeySet();

    PostgresRunLog(Postgres db, String schema, int ownerPid) {
        this.db = db;
        this.schema = schema;
        this.ownerPid = ownerPid;
    }

    private void setLive(Connection c, PreparedStatement ps, int first) throws SQLException {
        ps.setInt(first, ownerPid);
        ps.setArray(first + 1, c.createArrayOf("bigint", ownRuns.toArray()));
    }

    @Override
    public int closeAbandonedRuns(String sync, Instant now) throws StateException {
        // It ended at its last commit (or where it started, if it never committed), not when the next run came; its
        // counts are what its commits recorded.
        int[] closed = new int[1];
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE runs r SET status = ?, finished_at = coalesce(last_commit_at, started_at),
                        message = coalesce(message || '; ', '') || ?
                    WHERE sync = ? AND status = ? AND NOT\s""" + LIVE)) {
                ps.setString(1, RunStatus.ABANDONED.label());
                ps.setString(2, ABANDONED);
                ps.setString(3, sync);
                ps.setString(4, RunStatus.RUNNING.label());
                setLive(c, ps, 5);
                closed[0] = ps.executeUpdate();
            }
        });
        return closed[0];
    }

    @Override
    public long startRun(String sync, Instant now) throws StateException {
        long[] id = new long[1];
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (sync, started_at, status, owner_pid,"
                    + " lock_key) VALUES (?, ?, ?, ?, ?) RETURNING run_id")) {
                ps.setString(1, sync);
                ps.setObject(2, Postgres.at(now));
                ps.setString(3, RunStatus.RUNNING.label());
                ps.setInt(4, ownerPid);
                ps.setLong(5, SyncLocks.key(schema, sync));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id[0] = rs.getLong(1);
                }
            }
        });
        ownRuns.add(id[0]);
        return id[0];
    }

    @Override
    public void recordPlan(long runId, PlanCounts counts) throws StateException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE runs SET added = ?, changed = ?, removed = ?, unchanged = ?, invalid = ? WHERE run_id = ?""")) {
                long[] values = {counts.added(), counts.changed(), counts.removed(), counts.unchanged(),
                        counts.invalid(), runId};
                for (int i = 0; i < values.length; i++) ps.setLong(1 + i, values[i]);
                ps.executeUpdate();
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
            ps.setObject(5, Postgres.at(now));
            ps.setLong(6, runId);
            ps.setString(7, RunStatus.RUNNING.label());
            ps.executeUpdate();
        }
    }

    @Override
    public void finishRun(RunRecord run) throws StateException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE runs SET finished_at = ?, status = ?, added = ?, changed = ?, removed = ?, unchanged = ?,
                        invalid = ?, delivered = ?, rejected = ?, failed = ?, skipped = ?, api_calls = ?, throttles = ?,
                        retries = ?, message = ?, read_calls = ?, conflicts = ?
                    WHERE run_id = ?""")) {
                ps.setObject(1, Postgres.at(run.finishedAt()));
                ps.setString(2, run.status().label());
                long[] counts = StateRows.finishedCounts(run);
                for (int i = 0; i < counts.length; i++) ps.setLong(3 + i, counts[i]);
                ps.setString(15, run.message());
                ps.setLong(16, run.readCalls());
                ps.setLong(17, run.conflicts());
                ps.setLong(18, run.runId());
                ps.executeUpdate();
            }
        });
        ownRuns.remove(run.runId());
    }

    @Override
    public Optional<RunRecord> run(long runId) throws StateException {
        List<RunRecord> found = select("WHERE r.run_id = ?", runId, null, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public List<RunRecord> runs(String sync, int limit) throws StateException {
        return sync == null ? select("", null, null, limit) : select("WHERE r.sync = ?", null, sync, limit);
    }

    private List<RunRecord> select(String where, Long runId, String sync, int limit) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.*, " + LIVE + " AS live FROM runs r " + where
                    + " ORDER BY r.run_id DESC LIMIT ?")) {
                setLive(c, ps, 1);
                int i = 3;
                if (runId != null) ps.setLong(i++, runId);
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
        Instant finished = instant(rs, "finished_at");
        RunStatus status = RunStatus.of(rs.getString("status"));
        String message = rs.getString("message");
        if (status == RunStatus.RUNNING && !rs.getBoolean("live")) {
            // Its owner's lock is gone, so its process died: show it as the next run will record it.
            Instant last = instant(rs, "last_commit_at");
            finished = last == null ? instant(rs, "started_at") : last;
            status = RunStatus.ABANDONED;
            message = message == null ? ABANDONED : message + "; " + ABANDONED;
        }
        return StateRows.run(rs, instant(rs, "started_at"), finished, status, message);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    // ---- held plans (the blast-radius guard) ------------------------------------------------------------------

    @Override
    public void hold(long runId, String planIdentity) throws StateException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET plan_hash = ? WHERE run_id = ?")) {
                ps.setString(1, planIdentity);
                ps.setLong(2, runId);
                ps.executeUpdate();
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
        int[] updated = new int[1];
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE runs SET status = ?, decision = ?, decided_at = ?, message = ?
                    WHERE run_id = ? AND status = ?""")) {
                ps.setString(1, decision.label());
                ps.setString(2, decision.label());
                ps.setObject(3, Postgres.at(now));
                ps.setString(4, message);
                ps.setLong(5, runId);
                ps.setString(6, RunStatus.AWAITING_APPROVAL.label());
                updated[0] = ps.executeUpdate();
            }
        });
        if (updated[0] != 1) throw new StateException("run " + runId + " is not awaiting approval", null);
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
                                rs.getString(5), rs.getString(6), instant(rs, "logged_at")));
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
                                instant(rs, "logged_at")));
                    }
                }
                return list;
            }
        });
    }

    /**
     * One page of a run's outcomes, as the embedded store pages them (key order; {@code strpos}, not {@code LIKE}, so
     * a key's own {@code %} and {@code _} are text). Added beside the web UI's merge; the state store's owner may
     * replace it.
     */
    public dev.ebb.core.state.OutcomePage outcomePage(long runId, Outcome outcome, String keyPart, int offset,
                                                      int limit) throws StateException {
        if (offset < 0 || limit < 1) throw new IllegalArgumentException("offset >= 0 and limit >= 1 are needed");
        String part = keyPart == null ? "" : keyPart.strip();
        String label = outcome == null ? null : outcome.name().toLowerCase(Locale.ROOT);
        String where = " FROM outcomes WHERE run_id = ? AND (?::text IS NULL OR outcome = ?)"
                + " AND strpos(lower(coalesce(key, '')), lower(?)) > 0";
        return db.read(c -> {
            List<dev.ebb.core.state.RunOutcome> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key, change, operation, outcome, reason, logged_at"
                    + where + " ORDER BY key, logged_at LIMIT ? OFFSET ?")) {
                bind(ps, runId, label, part);
                ps.setInt(5, limit);
                ps.setInt(6, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new dev.ebb.core.state.RunOutcome(rs.getString(1), rs.getString(2), rs.getString(3),
                                Outcome.valueOf(rs.getString(4).toUpperCase(Locale.ROOT)), rs.getString(5),
                                instant(rs, "logged_at")));
                    }
                }
            }
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*)" + where)) {
                bind(ps, runId, label, part);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            return new dev.ebb.core.state.OutcomePage(rows, total);
        });
    }

    private static void bind(PreparedStatement ps, long runId, String label, String part) throws java.sql.SQLException {
        ps.setLong(1, runId);
        ps.setString(2, label);
        ps.setString(3, label);
        ps.setString(4, part);
    }
}
