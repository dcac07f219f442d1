package dev.ebb.core.state.postgres;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.ApiToken;
import dev.ebb.core.state.AuditEntry;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.LoggedOutcome;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.OutcomePage;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.SnapshotEntry;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PostgreSQL state store: every sync's snapshot, the run log, conflicts and quota counts in one schema of a
 * PostgreSQL database ({@code state: { store: postgres, url, user, password, schema }}), for a team server and for
 * several workers that share it. Same semantics as the embedded store; unlike it, several processes read and write
 * it at once, so {@code plan} and {@code explain} work while a run goes.
 *
 * <p>Thread-safe. Work goes through a pool ({@link Postgres}); {@link #lock} takes the sync's advisory lock on a
 * connection of its own ({@link SyncLocks}), which holds across processes and goes with a process that dies; a plan
 * works in temporary tables of one pooled connection ({@link PostgresPlanSession}).
 */
public final class PostgresStateStore implements StateStore {
    private final Postgres db;
    private final String schema;
    /** The lock session of a store opened for writing; {@code null} when reading. */
    private final SyncLocks locks;
    private final Access access;
    private final PostgresSnapshots snapshots;
    private final PostgresRunLog runLog;
    private final PostgresConflicts conflicts;
    private final PostgresServerLog serverLog;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    private PostgresStateStore(Postgres db, String schema, SyncLocks locks, Access access) {
        this.db = db;
        this.schema = schema;
        this.locks = locks;
        this.access = access;
        this.snapshots = new PostgresSnapshots(db);
        this.runLog = new PostgresRunLog(db, schema, locks == null ? -1 : locks.pid);
        this.conflicts = new PostgresConflicts(db);
        this.serverLog = new PostgresServerLog(db);
    }

    /**
     * Opens the store, creating its schema and tables (or migrating them) when they are missing or older.
     *
     * @param url      {@code jdbc:postgresql://host[:port]/database}, without credentials
     * @param password {@code null} when the server asks for none
     * @param schema   the schema of Ebb's tables
     * @param access   {@link Access#READ_ONLY} for commands that only look: they take no lock and write nothing
     * @throws StateException of kind {@link StateException.Kind#UNREACHABLE} for a server that cannot be reached,
     *                        {@link StateException.Kind#DENIED} for a refused sign-in, a missing database or a right
     *                        the user lacks, {@link StateException.Kind#NEWER} for a schema a newer Ebb migrated
     */
    public static PostgresStateStore open(String url, String user, String password, String schema, Access access)
            throws StateException {
        PostgresFailures failures = new PostgresFailures(server(url), database(url), user, schema);
        Postgres db = Postgres.open(failures, url, user, password, schema, access == Access.READ_ONLY);
        SyncLocks locks = null;
        try {
            PostgresSchema.prepare(db.dataSource(), failures);
            if (access == Access.READ_WRITE) locks = SyncLocks.open(url, user, password, failures);
            return new PostgresStateStore(db, schema, locks, access);
        } catch (StateException | RuntimeException e) {
            if (locks != null) locks.close();
            db.close();
            throw e;
        }
    }

    /** {@code host[:port]/database} of a JDBC URL, for messages (the URL holds no credentials). */
    static String server(String url) {
        String rest = url.replaceFirst("^jdbc:postgresql://", "");
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    private static String database(String url) {
        String server = server(url);
        int slash = server.indexOf('/');
        return slash < 0 ? "" : server.substring(slash + 1);
    }

    /** A connection of the store's pool (its schema the search path), for tests and tools that look inside. */
    public Connection connect() throws SQLException {
        return db.connect();
    }

    @Override
    public Access access() {
        return access;
    }

    /**
     * Marks {@code sync} as running: in this process, and across processes through its advisory lock.
     *
     * @throws StateException of kind {@link StateException.Kind#IN_USE} while another process runs it
     */
    @Override
    public void lock(String sync) throws StateException {
        if (locks == null) throw new IllegalStateException("a store opened read-only runs nothing");
        if (!running.add(sync)) {
            throw new StateException("sync '" + sync + "' is already running; two runs of one sync never overlap",
                    null);
        }
        boolean locked;
        try {
            locked = locks.tryLock(SyncLocks.key(schema, sync));
        } catch (SQLException e) {
            running.remove(sync);
            throw db.failures.failed(e);
        }
        if (!locked) {
            running.remove(sync);
            throw new StateException(StateException.Kind.IN_USE, "sync '" + sync + "' is running in another Ebb "
                    + "process on " + db.failures.shown() + "; two runs of one sync never overlap: wait for it to "
                    + "finish ('ebb runs " + sync + "' follows it)", null);
        }
    }

    @Override
    public void unlock(String sync) {
        if (locks == null || !running.remove(sync)) return;
        try {
            locks.unlock(SyncLocks.key(schema, sync));
        } catch (SQLException ignored) {
            // a lock connection that failed has lost its locks with its session
        }
    }

    @Override
    public PlanSession plan(String sync) throws StateException {
        return new PostgresPlanSession(db, sync);
    }

    // ---- snapshots --------------------------------------------------------------------------------------------

    @Override
    public Optional<String> specHash(String sync) throws StateException {
        return snapshots.specHash(sync);
    }

    @Override
    public void saveSpec(String sync, String specHash, String spec, Instant now) throws StateException {
        snapshots.saveSpec(sync, specHash, spec, now);
    }

    @Override
    public void replaceSpec(String sync, String specHash, String spec, Instant now) throws StateException {
        snapshots.replaceSpec(sync, specHash, spec, now);
    }

    @Override
    public long reset(String sync) throws StateException {
        return snapshots.reset(sync);
    }

    @Override
    public Optional<SnapshotEntry> snapshotEntry(String sync, String key) throws StateException {
        return snapshots.snapshotEntry(sync, key);
    }

    @Override
    public long snapshotSize(String sync) throws StateException {
        return snapshots.snapshotSize(sync);
    }

    @Override
    public void markInFlight(String sync, long runId, List<RowOutcome> rows) throws StateException {
        snapshots.markInFlight(sync, runId, rows);
    }

    @Override
    public void commit(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        snapshots.commit(sync, runId, outcomes, now);
    }

    @Override
    public void logOutcomes(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        snapshots.logOutcomes(sync, runId, outcomes, now);
    }

    @Override
    public void commitReplace(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        snapshots.commitReplace(sync, runId, outcomes, now);
    }

    // ---- the run log ------------------------------------------------------------------------------------------

    @Override
    public int closeAbandonedRuns(String sync, Instant now) throws StateException {
        return runLog.closeAbandonedRuns(sync, now);
    }

    @Override
    public long startRun(String sync, Instant now) throws StateException {
        return runLog.startRun(sync, now);
    }

    @Override
    public void recordPlan(long runId, PlanCounts counts) throws StateException {
        runLog.recordPlan(runId, counts);
    }

    @Override
    public void finishRun(RunRecord run) throws StateException {
        runLog.finishRun(run);
    }

    @Override
    public Optional<RunRecord> run(long runId) throws StateException {
        return runLog.run(runId);
    }

    @Override
    public List<RunRecord> runs(String sync, int limit) throws StateException {
        return runLog.runs(sync, limit);
    }

    @Override
    public void hold(long runId, String planIdentity) throws StateException {
        runLog.hold(runId, planIdentity);
    }

    @Override
    public Optional<String> heldPlan(long runId) throws StateException {
        return runLog.heldPlan(runId);
    }

    @Override
    public void decide(long runId, RunStatus decision, String message, Instant now) throws StateException {
        runLog.decide(runId, decision, message, now);
    }

    @Override
    public List<LoggedOutcome> outcomes(String sync, String key, int limit) throws StateException {
        return runLog.outcomes(sync, key, limit);
    }

    @Override
    public List<LoggedOutcome> outcomesOfRun(long runId, Outcome outcome, int limit) throws StateException {
        return runLog.outcomesOfRun(runId, outcome, limit);
    }

    @Override
    public OutcomePage outcomePage(long runId, Outcome outcome, String keyPart, int offset, int limit)
            throws StateException {
        return runLog.outcomePage(runId, outcome, keyPart, offset, limit);
    }

    // ---- ebb serve: API tokens and the audit log ------------------------------------------------------------------

    @Override
    public long audit(AuditEntry entry) throws StateException {
        return serverLog.audit(entry);
    }

    @Override
    public List<AuditEntry> auditEntries(String sync, int offset, int limit) throws StateException {
        return serverLog.auditEntries(sync, offset, limit);
    }

    @Override
    public void saveToken(ApiToken token) throws StateException {
        serverLog.saveToken(token);
    }

    @Override
    public Optional<ApiToken> tokenByHash(String hash) throws StateException {
        return serverLog.tokenByHash(hash);
    }

    @Override
    public List<ApiToken> tokens() throws StateException {
        return serverLog.tokens();
    }

    @Override
    public boolean revokeToken(String name, Instant now) throws StateException {
        return serverLog.revokeToken(name, now);
    }

    // ---- conflicts --------------------------------------------------------------------------------------------

    @Override
    public void recordConflicts(List<Conflict> found, Instant now) throws StateException {
        conflicts.recordConflicts(found, now);
    }

    @Override
    public void settleConflicts(String sync, List<Map.Entry<String, String>> keyFields, Instant now)
            throws StateException {
        conflicts.settleConflicts(sync, keyFields, now);
    }

    @Override
    public List<Conflict> conflicts(String sync, String key) throws StateException {
        return conflicts.conflicts(sync, key);
    }

    @Override
    public List<Conflict> openConflicts(String sync, String key) throws StateException {
        return conflicts.openConflicts(sync, key);
    }

    @Override
    public void resolveConflict(String sync, String key, String field, Resolution resolution, String newBaseHash,
                                String keptAgainstHash, Instant now) throws StateException {
        conflicts.resolveConflict(sync, key, field, resolution, newBaseHash, keptAgainstHash, now);
    }

    // ---- daily quotas -----------------------------------------------------------------------------------------

    @Override
    public long quotaUsed(String account, LocalDate day) throws StateException {
        return quotaCount("SELECT coalesce(sum(calls), 0) FROM quota_usage WHERE account = ? AND day = ?", account,
                day);
    }

    @Override
    public void addQuotaUsage(String account, LocalDate day, long calls) throws StateException {
        addQuota("quota_usage", "day", account, day, calls);
    }

    @Override
    public long quotaUsedSince(String account, Instant from) throws StateException {
        return quotaCount("SELECT coalesce(sum(calls), 0) FROM quota_hours WHERE account = ? AND hour >= ?", account,
                Postgres.at(from));
    }

    @Override
    public void addHourlyQuotaUsage(String account, Instant hour, long calls) throws StateException {
        addQuota("quota_hours", "hour", account, Postgres.at(hour), calls);
    }

    private long quotaCount(String sql, String account, Object period) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, account);
                ps.setObject(2, period);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Adds calls to an account's count of a period, in {@code table} keyed by account and {@code column}: one
     * statement, so that processes counting the same account at once add up rather than overwrite.
     */
    private void addQuota(String table, String column, String account, Object period, long calls)
            throws StateException {
        if (calls == 0 || access == Access.READ_ONLY) return;
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (account, " + column
                    + ", calls) VALUES (?, ?, ?) ON CONFLICT (account, " + column + ") DO UPDATE SET calls = "
                    + table + ".calls + excluded.calls")) {
                ps.setString(1, account);
                ps.setObject(2, period);
                ps.setLong(3, calls);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void close() {
        if (locks != null) locks.close();
        db.close();
    }
}
