package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.ApiToken;
import dev.ebb.core.state.AuditEntry;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.LoggedOutcome;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.SnapshotEntry;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded state store: one DuckDB file (by default {@code .ebb/state.duckdb}) holding every sync's snapshot
 * (keys and fingerprints; values only for add_remove syncs, whose removals send them again), the run log,
 * conflicts and quota counts, and the plan's scratch tables.
 *
 * <p>Thread-safe: readers use connections of their own, writes go through one writer connection. One process at a
 * time may open the file for writing ({@link StateFileLock}); within the process, {@link #lock(String)} keeps two
 * runs of one sync from overlapping.
 */
public final class DuckDbStateStore implements StateStore {
    /** The schema this version writes; a file with a newer one is refused rather than misread. */
    public static final int SCHEMA_VERSION = DuckDbSchema.VERSION;

    private final DuckDb db;
    private final StateFileLock fileLock;
    private final Access access;
    /** Publishes the run log for readers while this process writes; null when reading. */
    private final RunLogPublisher publisher;
    private final DuckDbSnapshots snapshots;
    private final DuckDbRunLog runLog;
    private final DuckDbConflicts conflicts;
    private final DuckDbServerLog serverLog;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    private DuckDbStateStore(DuckDb db, StateFileLock fileLock, Access access, boolean noWriter,
                             RunLogPublisher publisher) {
        this.db = db;
        this.fileLock = fileLock;
        this.access = access;
        this.publisher = publisher;
        this.snapshots = new DuckDbSnapshots(db);
        this.runLog = new DuckDbRunLog(db, noWriter);
        this.conflicts = new DuckDbConflicts(db);
        this.serverLog = new DuckDbServerLog(db);
    }

    /**
     * How the writer commits a transaction: {@link Connection#commit()}. Tests put a full disk in its place (DuckDB
     * fails the commit and has rolled the transaction back when it returns).
     */
    @FunctionalInterface
    public interface Committer {
        void commit(Connection connection) throws SQLException;
    }

    /**
     * Opens (and for writing, creates) the store.
     *
     * @param file   the DuckDB file
     * @param access {@link Access#READ_ONLY} for commands that only look; a missing file then opens as an empty
     *               store in memory, and nothing is ever written
     * @throws StateException of kind {@link StateException.Kind#IN_USE} while another process writes the store (see
     *                        {@link #openPublished}), {@link StateException.Kind#DAMAGED} for a truncated or corrupted
     *                        file, {@link StateException.Kind#FOREIGN} for a file that is not a state store
     */
    public static DuckDbStateStore open(Path file, Access access) throws StateException {
        return open(file, access, Limits.DEFAULT, Connection::commit);
    }

    /** {@link #open(Path, Access)} with the store's DuckDB bounded by {@code limits} ({@code state:} of ebb.yaml). */
    public static DuckDbStateStore open(Path file, Access access, Limits limits) throws StateException {
        return open(file, access, limits, Connection::commit);
    }

    /** Opens the store with the writer's commits going through {@code committer}: for fault-injection tests. */
    public static DuckDbStateStore open(Path file, Access access, Committer committer) throws StateException {
        return open(file, access, Limits.DEFAULT, committer);
    }

    private static DuckDbStateStore open(Path file, Access access, Limits limits, Committer committer)
            throws StateException {
        String shown = file.toString();
        boolean readOnly = access == Access.READ_ONLY;
        Optional<Path> spill = limits.tempDirectory().map(folder -> folder.toAbsolutePath().normalize());
        if (spill.isPresent() && Files.exists(spill.get()) && !Files.isDirectory(spill.get())) {
            throw new StateException("state.temp_directory " + limits.tempDirectory().get() + " is a file, not a"
                    + " folder: name a folder for the state store's DuckDB to spill to (it is created when needed),"
                    + " or remove temp_directory to spill beside the store", null);
        }
        if (readOnly && !Files.exists(file)) {
            Properties properties = settings(limits.memoryLimit());
            spill.ifPresent(folder -> properties.setProperty("temp_directory", folder.toString()));
            return open(null, null, access, shown, () -> DriverManager.getConnection("jdbc:duckdb:", properties),
                    false, committer);
        }
        try {
            if (!readOnly) Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new StateException("cannot create the folder of the state store " + shown + ": " + e.getMessage(), e);
        }
        StateFileLock lock = StateFileLock.acquire(file, access, shown);
        try {
            StateFiles.checkBeforeOpen(file, shown);
            Properties properties = settings(limits.memoryLimit());
            if (readOnly) properties.setProperty("duckdb.read_only", "true");
            if (spill.isPresent()) properties.setProperty("temp_directory", spill.get().toString());
            else if (!readOnly) properties.setProperty("temp_directory", file.toAbsolutePath() + ".tmp");
            return open(file, lock, access, shown,
                    () -> DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), properties), readOnly,
                    committer);
        } catch (StateException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens, read-only, what the process writing the store publishes after each commit: the run log (see {@link
     * RunLogPublisher}), so that {@code ebb runs} can follow a run while it goes. Everything else of the store is
     * out of reach until the writer finishes.
     *
     * @throws StateException of kind {@link StateException.Kind#IN_USE} when nothing is published
     */
    public static DuckDbStateStore openPublished(Path file) throws StateException {
        String shown = file.toString();
        Path published = RunLogPublisher.publishedFile(file);
        if (!Files.isRegularFile(published)) {
            throw new StateException(StateException.Kind.IN_USE, "the state store " + shown + " is in use by another "
                    + "Ebb process, which publishes no run log to read: wait for it to finish", null);
        }
        return open(null, null, Access.READ_ONLY, shown, () -> {
            Connection c = DriverManager.getConnection("jdbc:duckdb:", settings(DEFAULT_MEMORY_LIMIT));
            try (var st = c.createStatement()) {
                st.execute("CREATE VIEW runs AS SELECT * FROM read_parquet(" + DuckDb.literal(published) + ")");
            }
            return c;
        }, true, Connection::commit);
    }

    /**
     * How much memory the store's DuckDB may use before it spills (to {@code <file>.tmp} beside the store, unless
     * {@link Limits#tempDirectory} says where): a plan's diff runs in it, and DuckDB's own default, 80% of the
     * machine, would crowd out the JVM. {@code state: { memory_limit: 4GB }} sets another.
     */
    static final String DEFAULT_MEMORY_LIMIT = "1GB";

    /**
     * How the store's DuckDB is bounded, from {@code state:} of ebb.yaml.
     *
     * @param memoryLimit   how much memory it may use before it spills, as DuckDB takes it ({@code 2GB})
     * @param tempDirectory the folder it spills to; empty for {@code <file>.tmp} beside the store
     */
    public record Limits(String memoryLimit, Optional<Path> tempDirectory) {
        public static final Limits DEFAULT = new Limits(DEFAULT_MEMORY_LIMIT, Optional.empty());

        public Limits {
            Objects.requireNonNull(memoryLimit, "memoryLimit");
            Objects.requireNonNull(tempDirectory, "tempDirectory");
        }
    }

    /** No extension is installed or loaded behind Ebb's back (DuckDB would fetch one for a SQLite file). */
    private static Properties settings(String memoryLimit) {
        Properties properties = new Properties();
        properties.setProperty("memory_limit", memoryLimit);
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        return properties;
    }

    @FunctionalInterface
    private interface Opener {
        Connection open() throws SQLException;
    }

    private static DuckDbStateStore open(Path file, StateFileLock lock, Access access, String shown, Opener opener,
                                         boolean existingReadOnly, Committer committer) throws StateException {
        Connection connection;
        try {
            connection = opener.open();
        } catch (SQLException e) {
            throw cannotOpen(shown, e);
        }
        DuckDb db = new DuckDb(connection, committer);
        db.file(file);
        try {
            boolean published = file == null && existingReadOnly;
            if (!published) DuckDbSchema.prepare(connection, db, shown, existingReadOnly);
        } catch (SQLException e) {
            db.close();
            throw cannotOpen(shown, e);
        } catch (StateException | RuntimeException e) {
            // Refused (a newer schema) or broken: let go of the file, so the next opener sees the same answer.
            db.close();
            throw e;
        }
        // A reader that holds the file's lock knows that no process writes it: a run still marked running died.
        boolean noWriter = file != null && access == Access.READ_ONLY && !lock.exclusive();
        RunLogPublisher publisher = file != null && access == Access.READ_WRITE ? new RunLogPublisher(db, file) : null;
        if (publisher != null) publisher.publish(true);
        return new DuckDbStateStore(db, lock, access, noWriter, publisher);
    }

    private static StateException cannotOpen(String shown, SQLException e) {
        String message = DuckDb.firstLine(e.getMessage());
        if (DuckDb.damaged(message)) {
            return new StateException(StateException.Kind.DAMAGED, "the state store " + shown + " is damaged and "
                    + "cannot be read (" + message + "). " + StateFiles.RECOVERY, e);
        }
        return new StateException("cannot open the state store " + shown + ": " + message, e);
    }

    /**
     * Moves a damaged store aside (it stays beside the new one, for a restore), so that the next open creates a new
     * one. Refuses a file that is not a state store: that is another program's file, never moved.
     *
     * @return where the damaged file went
     */
    public static Path moveAside(Path file, Instant now) throws StateException {
        try (StateFileLock lock = StateFileLock.acquire(file, Access.READ_WRITE, file.toString())) {
            return StateFiles.moveAside(file, now);
        }
    }

    /** A new connection to the store's database, for tests and tools that look inside it. */
    public Connection connect() throws SQLException {
        return db.connect();
    }

    /** The current snapshot of a sync as a query with one parameter (the sync), for tools that look inside. */
    public static String currentSnapshotQuery() {
        return DuckDbSnapshots.CURRENT_SNAPSHOT;
    }

    @Override
    public Access access() {
        return access;
    }

    @Override
    public void lock(String sync) throws StateException {
        if (!running.add(sync)) {
            throw new StateException("sync '" + sync + "' is already running; two runs of one sync never overlap",
                    null);
        }
    }

    @Override
    public void unlock(String sync) {
        running.remove(sync);
    }

    @Override
    public PlanSession plan(String sync) throws StateException {
        return new DuckDbPlanSession(db, sync, access == Access.READ_WRITE);
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
        published(false);
    }

    @Override
    public void logOutcomes(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        snapshots.logOutcomes(sync, runId, outcomes, now);
        published(false);
    }

    @Override
    public void commitReplace(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        snapshots.commitReplace(sync, runId, outcomes, now);
    }

    // ---- the run log ------------------------------------------------------------------------------------------

    @Override
    public int closeAbandonedRuns(String sync, Instant now) throws StateException {
        int closed = runLog.closeAbandonedRuns(sync, now);
        if (closed > 0) published(true);
        return closed;
    }

    @Override
    public long startRun(String sync, Instant now) throws StateException {
        long runId = runLog.startRun(sync, now);
        published(true);
        return runId;
    }

    @Override
    public void recordPlan(long runId, PlanCounts counts) throws StateException {
        runLog.recordPlan(runId, counts);
        published(true);
    }

    /** Folds the snapshot entries the run's batches appended into the compacted table, then closes the run. */
    @Override
    public void finishRun(RunRecord run) throws StateException {
        snapshots.fold(run.sync());
        runLog.finishRun(run);
        published(true);
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
        published(true);
    }

    @Override
    public Optional<String> heldPlan(long runId) throws StateException {
        return runLog.heldPlan(runId);
    }

    @Override
    public void decide(long runId, RunStatus decision, String message, Instant now) throws StateException {
        runLog.decide(runId, decision, message, now);
        published(true);
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
    public dev.ebb.core.state.OutcomePage outcomePage(long runId, Outcome outcome, String keyPart, int offset,
                                                      int limit) throws StateException {
        return runLog.outcomePage(runId, outcome, keyPart, offset, limit);
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
                LocalDateTime.ofInstant(from, ZoneOffset.UTC));
    }

    @Override
    public void addHourlyQuotaUsage(String account, Instant hour, long calls) throws StateException {
        addQuota("quota_hours", "hour", account, LocalDateTime.ofInstant(hour, ZoneOffset.UTC), calls);
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

    /** Adds calls to an account's count of a period, in {@code table} keyed by account and {@code column}. */
    private void addQuota(String table, String column, String account, Object period, long calls)
            throws StateException {
        if (calls == 0 || access == Access.READ_ONLY) return;
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?) ON CONFLICT"
                    + " (account, " + column + ") DO UPDATE SET calls = " + table + ".calls + excluded.calls")) {
                ps.setString(1, account);
                ps.setObject(2, period);
                ps.setLong(3, calls);
                ps.executeUpdate();
            }
        });
    }

    private void published(boolean force) {
        if (publisher != null) publisher.publish(force);
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

    @Override
    public void close() {
        published(true);
        db.close();
        if (fileLock != null) fileLock.close();
    }

}
