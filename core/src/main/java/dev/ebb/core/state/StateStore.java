package dev.ebb.core.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded state store: one DuckDB file (by default {@code .ebb/state.duckdb}) holding every sync's snapshot
 * (keys and fingerprints, never values) and the run log (runs and per-row outcomes).
 *
 * <p>Thread-safe: each public method uses its own connection from {@link #connect()}. One process at a time may
 * open the file for writing (DuckDB's own lock); within the process, {@link #lock(String)} keeps two runs of one
 * sync from overlapping.
 */
public final class StateStore implements AutoCloseable {
    /** The schema this version writes; a file with a newer one is refused rather than misread. */
    public static final int SCHEMA_VERSION = 1;

    private final Connection root;
    private final String description;
    private final boolean readOnly;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A sync's current snapshot as a query with one parameter (the sync): the compacted table, overridden by the
     * newest log entry of each key, without the keys the log dropped.
     */
    public static final String CURRENT_SNAPSHOT = """
            SELECT key, fp, match, dest_id, run_id, field_hashes FROM (
                SELECT key, fp, match, dest_id, run_id, field_hashes, dropped,
                       row_number() OVER (PARTITION BY key ORDER BY seq DESC) AS newest
                FROM (SELECT key, fp, match, dest_id, run_id, field_hashes, -1 AS seq, false AS dropped FROM snapshot
                      WHERE sync = $1
                      UNION ALL
                      SELECT key, fp, match, dest_id, run_id, field_hashes, seq, dropped FROM snapshot_log
                      WHERE sync = $1))
            WHERE newest = 1 AND NOT dropped""";

    private StateStore(Connection root, String description, boolean readOnly) {
        this.root = root;
        this.description = description;
        this.readOnly = readOnly;
    }

    /**
     * Opens (and for writing, creates) the store.
     *
     * @param file     the DuckDB file
     * @param readOnly true for commands that only look ({@code plan}, {@code runs}, {@code explain}); a missing file
     *                 then opens as an empty store in memory, and nothing is ever written
     */
    public static StateStore open(Path file, boolean readOnly) throws StateException {
        String shown = file.getFileName() == null ? file.toString() : file.toString();
        try {
            Connection connection;
            if (readOnly && !Files.exists(file)) {
                connection = DriverManager.getConnection("jdbc:duckdb:");
            } else {
                if (!readOnly) Files.createDirectories(file.toAbsolutePath().getParent());
                Properties properties = new Properties();
                if (readOnly) properties.setProperty("duckdb.read_only", "true");
                connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), properties);
            }
            StateStore store = new StateStore(connection, shown, readOnly);
            try {
                store.prepareSchema(readOnly && Files.exists(file));
            } catch (SQLException | StateException | RuntimeException e) {
                // Refused (a newer schema) or broken: let go of the file, so the next opener sees the same answer.
                store.close();
                throw e;
            }
            return store;
        } catch (SQLException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("lock")) {
                throw new StateException("the state store " + shown + " is in use by another Ebb process; runs of "
                        + "one project do not overlap: wait for it to finish, or stop it", e);
            }
            throw new StateException("cannot open the state store " + shown + ": " + firstLine(message), e);
        } catch (java.io.IOException e) {
            throw new StateException("cannot create the folder of the state store " + shown + ": " + e.getMessage(), e);
        }
    }

    private void prepareSchema(boolean existingReadOnly) throws SQLException, StateException {
        try (Statement st = root.createStatement()) {
            if (!existingReadOnly) {
                st.execute("CREATE TABLE IF NOT EXISTS ebb_meta(name VARCHAR PRIMARY KEY, value VARCHAR)");
            }
            Optional<Integer> version = Optional.empty();
            try (ResultSet rs = st.executeQuery("SELECT value FROM ebb_meta WHERE name = 'schema_version'")) {
                if (rs.next()) version = Optional.of(Integer.parseInt(rs.getString(1)));
            }
            if (version.isPresent() && version.get() > SCHEMA_VERSION) {
                throw new StateException("the state store " + description + " was written by a newer version of Ebb "
                        + "(state schema v" + version.get() + "; this Ebb reads up to v" + SCHEMA_VERSION
                        + "). Upgrade Ebb to use it; nothing was changed.", null);
            }
            if (existingReadOnly) return;
            st.execute("""
                    CREATE TABLE IF NOT EXISTS syncs(sync VARCHAR PRIMARY KEY, spec_hash VARCHAR, spec VARCHAR,
                        updated_at TIMESTAMP)""");
            // The snapshot is two tables: a compacted one, and a log that batch commits append to (appending is
            // what DuckDB does fast; an update per batch is not). The log is folded in when a run finishes, and
            // until then every reader sees both through current().
            st.execute("""
                    CREATE TABLE IF NOT EXISTS snapshot(sync VARCHAR, key VARCHAR, fp VARCHAR, match VARCHAR,
                        dest_id VARCHAR, run_id BIGINT)""");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS snapshot_log(sync VARCHAR, key VARCHAR, fp VARCHAR, match VARCHAR,
                        dest_id VARCHAR, run_id BIGINT, seq BIGINT, dropped BOOLEAN)""");
            // Per field of a respect_manual_edits mapping, a hash of the value Ebb last wrote (never the value).
            st.execute("ALTER TABLE snapshot ADD COLUMN IF NOT EXISTS field_hashes VARCHAR");
            st.execute("ALTER TABLE snapshot_log ADD COLUMN IF NOT EXISTS field_hashes VARCHAR");
            // The field hashes of rows that left the model: a row that comes back must still recognise the values
            // Ebb wrote to its record, or it would take them for a person's edits.
            st.execute("CREATE TABLE IF NOT EXISTS left_field_hashes(sync VARCHAR, key VARCHAR, field_hashes VARCHAR)");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS conflicts(sync VARCHAR, key VARCHAR, field VARCHAR, base_hash VARCHAR,
                        destination_value VARCHAR, warehouse_value VARCHAR, run_id BIGINT, detected_at TIMESTAMP,
                        status VARCHAR, resolution VARCHAR, resolved_at TIMESTAMP)""");
            st.execute("CREATE SEQUENCE IF NOT EXISTS run_ids START 1");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS runs(run_id BIGINT PRIMARY KEY, sync VARCHAR, started_at TIMESTAMP,
                        finished_at TIMESTAMP, status VARCHAR, added BIGINT, changed BIGINT, removed BIGINT,
                        unchanged BIGINT, invalid BIGINT, delivered BIGINT, rejected BIGINT, failed BIGINT,
                        skipped BIGINT, api_calls BIGINT, throttles BIGINT, retries BIGINT, message VARCHAR)""");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS plan_hash VARCHAR");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS read_calls BIGINT");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS conflicts BIGINT");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS decision VARCHAR");
            st.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS decided_at TIMESTAMP");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS quota_usage(account VARCHAR, day DATE, calls BIGINT,
                        PRIMARY KEY (account, day))""");
            // Rows sent whose effect on the destination is not known: see markInFlight. Appended before each call,
            // deleted as outcomes settle, so it holds little more than the batch in flight.
            st.execute("""
                    CREATE TABLE IF NOT EXISTS in_flight(sync VARCHAR, key VARCHAR, match VARCHAR, run_id BIGINT)""");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS outcomes(run_id BIGINT, sync VARCHAR, key VARCHAR, change VARCHAR,
                        operation VARCHAR, outcome VARCHAR, reason VARCHAR, fp VARCHAR, logged_at TIMESTAMP)""");
            if (version.isEmpty()) {
                st.execute("INSERT INTO ebb_meta VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
            }
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) FROM snapshot_log")) {
                rs.next();
                seq.set(rs.getLong(1));
            }
        }
    }

    /** A new connection to the store, for a caller that needs its own (temporary tables are per connection). */
    public Connection connect() throws SQLException {
        return ((org.duckdb.DuckDBConnection) root).duplicate();
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Marks {@code sync} as running in this process; a second caller is refused until {@link #unlock}. */
    public void lock(String sync) throws StateException {
        if (!running.add(sync)) {
            throw new StateException("sync '" + sync + "' is already running; two runs of one sync never overlap",
                    null);
        }
    }

    public void unlock(String sync) {
        running.remove(sync);
    }

    // ---- sync specs -------------------------------------------------------------------------------------------

    /** The hash of the mapping, mode and identifier the snapshot was built with, if any. */
    public Optional<String> specHash(String sync) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("SELECT spec_hash FROM syncs WHERE sync = ?")) {
            ps.setString(1, sync);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Records the sync's spec. When {@code invalidate} is set, every snapshot fingerprint of the sync is forgotten
     * (keys and destination ids stay), so the next plan sends every row again under the new spec.
     */
    public void saveSpec(String sync, String specHash, String spec, boolean invalidate, Instant now)
            throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO syncs VALUES (?, ?, ?, ?) ON CONFLICT (sync) DO UPDATE
                    SET spec_hash = excluded.spec_hash, spec = excluded.spec, updated_at = excluded.updated_at""")) {
                ps.setString(1, sync);
                ps.setString(2, specHash);
                ps.setString(3, spec);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.executeUpdate();
            }
            if (invalidate) {
                fold(c, sync);
                try (PreparedStatement ps = c.prepareStatement("UPDATE snapshot SET fp = NULL WHERE sync = ?")) {
                    ps.setString(1, sync);
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
    }

    /** Forgets the sync's snapshot and spec: its next run is a full sync. Returns the entries forgotten. */
    public long reset(String sync) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            long removed;
            fold(c, sync);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM snapshot WHERE sync = ?")) {
                ps.setString(1, sync);
                removed = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM left_field_hashes WHERE sync = ?")) {
                ps.setString(1, sync);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM syncs WHERE sync = ?")) {
                ps.setString(1, sync);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM in_flight WHERE sync = ?")) {
                ps.setString(1, sync);
                ps.executeUpdate();
            }
            c.commit();
            return removed;
        }
    }

    // ---- runs -------------------------------------------------------------------------------------------------

    /** Runs left {@code running} by a process that died are closed as {@code abandoned}. */
    public int closeAbandonedRuns(String sync, Instant now) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
                UPDATE runs SET status = 'abandoned', finished_at = ?,
                    message = 'the process stopped before the run finished; its undelivered rows are planned again'
                WHERE sync = ? AND status = 'running'""")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, sync);
            return ps.executeUpdate();
        }
    }

    public long startRun(String sync, Instant now) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            long id;
            try (ResultSet rs = st.executeQuery("SELECT nextval('run_ids')")) {
                rs.next();
                id = rs.getLong(1);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO runs (run_id, sync, started_at, status) VALUES (?, ?, ?, 'running')")) {
                ps.setLong(1, id);
                ps.setString(2, sync);
                ps.setTimestamp(3, Timestamp.from(now));
                ps.executeUpdate();
            }
            return id;
        }
    }

    /** Closes a run in the run log, and folds the snapshot entries its batches appended into the compacted table. */
    public void finishRun(RunRecord run) throws SQLException {
        synchronized (writerLock) {
            Connection c = writer();
            try {
                fold(c, run.sync());
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
                UPDATE runs SET finished_at = ?, status = ?, added = ?, changed = ?, removed = ?, unchanged = ?,
                    invalid = ?, delivered = ?, rejected = ?, failed = ?, skipped = ?, api_calls = ?, throttles = ?,
                    retries = ?, message = ?, read_calls = ?, conflicts = ?
                WHERE run_id = ?""")) {
            ps.setTimestamp(1, Timestamp.from(run.finishedAt()));
            ps.setString(2, run.status());
            long[] counts = {run.added(), run.changed(), run.removed(), run.unchanged(), run.invalid(),
                    run.delivered(), run.rejected(), run.failed(), run.skipped(), run.apiCalls(), run.throttles(),
                    run.retries()};
            for (int i = 0; i < counts.length; i++) ps.setLong(3 + i, counts[i]);
            ps.setString(15, run.message());
            ps.setLong(16, run.readCalls());
            ps.setLong(17, run.conflicts());
            ps.setLong(18, run.runId());
            ps.executeUpdate();
        }
    }

    /** The newest runs first; {@code sync} may be null for all syncs. */
    public List<RunRecord> runs(String sync, int limit) throws SQLException {
        String sql = "SELECT * FROM runs" + (sync == null ? "" : " WHERE sync = ?") + " ORDER BY run_id DESC LIMIT ?";
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (sync != null) ps.setString(i++, sync);
            ps.setInt(i, limit);
            List<RunRecord> runs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) runs.add(run(rs));
            }
            return runs;
        }
    }

    // ---- held plans (the blast-radius guard) -------------------------------------------------------------------

    /** Marks a run as held for approval: nothing of its plan was delivered; {@code planHash} identifies the plan. */
    public void hold(long runId, String planHash) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("UPDATE runs SET plan_hash = ? WHERE run_id = ?")) {
            ps.setString(1, planHash);
            ps.setLong(2, runId);
            ps.executeUpdate();
        }
    }

    /** The identity of the plan a held run stands for, if the run was held. */
    public Optional<String> heldPlan(long runId) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT plan_hash FROM runs WHERE run_id = ? AND status = 'awaiting_approval'")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Records the decision on a held run: its status becomes {@code decision} and the message says more. */
    public void decide(long runId, String decision, String message, Instant now) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
                UPDATE runs SET status = ?, decision = ?, decided_at = ?, message = ?
                WHERE run_id = ? AND status = 'awaiting_approval'""")) {
            ps.setString(1, decision);
            ps.setString(2, decision);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, message);
            ps.setLong(5, runId);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("run " + runId + " is not awaiting approval");
            }
        }
    }

    // ---- field ownership: conflicts ------------------------------------------------------------------------------

    /** Records conflicts found by a run: a field already open for a key is updated, not repeated. */
    public void recordConflicts(List<Conflict> found, Instant now) throws SQLException {
        if (found.isEmpty()) return;
        synchronized (writerLock) {
            Connection c = writer();
            try {
                for (Conflict conflict : found) {
                    try (PreparedStatement ps = c.prepareStatement("""
                            DELETE FROM conflicts WHERE sync = ? AND key = ? AND field = ? AND status = 'open'""")) {
                        ps.setString(1, conflict.sync());
                        ps.setString(2, conflict.key());
                        ps.setString(3, conflict.field());
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO conflicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', NULL, NULL)")) {
                        ps.setString(1, conflict.sync());
                        ps.setString(2, conflict.key());
                        ps.setString(3, conflict.field());
                        ps.setString(4, conflict.baseHash());
                        ps.setString(5, conflict.destinationValue());
                        ps.setString(6, conflict.warehouseValue());
                        ps.setLong(7, conflict.runId());
                        ps.setTimestamp(8, Timestamp.from(now));
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Closes open conflicts that no longer stand: a run found the person's value equal to the warehouse's, or back
     * to the value Ebb last wrote, so the field holds the warehouse's value and there is nothing left to decide.
     */
    public void settleConflicts(String sync, List<java.util.Map.Entry<String, String>> keyFields, Instant now)
            throws SQLException {
        if (keyFields.isEmpty()) return;
        synchronized (writerLock) {
            Connection c = writer();
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE conflicts SET status = 'resolved', resolution = 'warehouse', resolved_at = ?
                    WHERE sync = ? AND key = ? AND field = ? AND status = 'open'""")) {
                for (java.util.Map.Entry<String, String> keyField : keyFields) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setString(2, sync);
                    ps.setString(3, keyField.getKey());
                    ps.setString(4, keyField.getValue());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Conflicts, newest first; {@code sync} and {@code key} may be null for all. */
    public List<Conflict> conflicts(String sync, String key, boolean openOnly) throws SQLException {
        String sql = "SELECT * FROM conflicts WHERE (CAST(? AS VARCHAR) IS NULL OR sync = ?) "
                + "AND (CAST(? AS VARCHAR) IS NULL OR key = ?)" + (openOnly ? " AND status = 'open'" : "")
                + " ORDER BY detected_at DESC, sync, key, field";
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sync);
            ps.setString(2, sync);
            ps.setString(3, key);
            ps.setString(4, key);
            List<Conflict> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Conflict(rs.getString("sync"), rs.getString("key"), rs.getString("field"),
                            rs.getString("base_hash"), rs.getString("destination_value"),
                            rs.getString("warehouse_value"), rs.getLong("run_id"),
                            rs.getTimestamp("detected_at").toInstant(), rs.getString("status"),
                            rs.getString("resolution")));
                }
            }
            return list;
        }
    }

    /**
     * Closes an open conflict with the user's choice, and makes {@code newBaseHash} the field's hash in the
     * snapshot: the value Ebb now counts as its own for that field. {@code keptAgainstHash}, when the person's value
     * was chosen, is the hash of the warehouse value it was chosen over (see {@link FieldHashes#keptAgainst}).
     */
    public void resolveConflict(String sync, String key, String field, String resolution, String newBaseHash,
                                String keptAgainstHash, Instant now) throws SQLException {
        synchronized (writerLock) {
            Connection c = writer();
            try {
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE conflicts SET status = 'resolved', resolution = ?, resolved_at = ?
                        WHERE sync = ? AND key = ? AND field = ? AND status = 'open'""")) {
                    ps.setString(1, resolution);
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setString(3, sync);
                    ps.setString(4, key);
                    ps.setString(5, field);
                    if (ps.executeUpdate() == 0) throw new SQLException("no open conflict for " + key + " " + field);
                }
                java.util.function.UnaryOperator<String> decided = text -> {
                    java.util.Map<String, String> hashes = FieldHashes.decode(text);
                    hashes.put(field, newBaseHash);
                    if (keptAgainstHash == null) hashes.remove(FieldHashes.keptAgainst(field));
                    else hashes.put(FieldHashes.keptAgainst(field), keptAgainstHash);
                    return FieldHashes.encode(hashes);
                };
                boolean inSnapshot;
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM (" + CURRENT_SNAPSHOT
                        + ") WHERE key = $2")) {
                    ps.setString(1, sync);
                    ps.setString(2, key);
                    try (ResultSet rs = ps.executeQuery(); var appender = ((org.duckdb.DuckDBConnection) c)
                            .createAppender("main", "snapshot_log")) {
                        inSnapshot = rs.next();
                        if (inSnapshot) {
                            appender.beginRow();
                            appender.append(sync);
                            appender.append(key);
                            appender.append(rs.getString("fp"));
                            appender.append(rs.getString("match"));
                            appender.append(rs.getString("dest_id"));
                            appender.append(rs.getLong("run_id"));
                            appender.append(seq.incrementAndGet());
                            appender.append(false);
                            appender.append(decided.apply(rs.getString("field_hashes")));
                            appender.endRow();
                        }
                    }
                }
                if (!inSnapshot) {
                    // The row left the model: the decision waits with its other field hashes for it to come back.
                    String left = null;
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT field_hashes FROM left_field_hashes WHERE sync = ? AND key = ?")) {
                        ps.setString(1, sync);
                        ps.setString(2, key);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) left = rs.getString(1);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "DELETE FROM left_field_hashes WHERE sync = ? AND key = ?")) {
                        ps.setString(1, sync);
                        ps.setString(2, key);
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO left_field_hashes VALUES (?, ?, ?)")) {
                        ps.setString(1, sync);
                        ps.setString(2, key);
                        ps.setString(3, decided.apply(left));
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    // ---- daily quotas -------------------------------------------------------------------------------------------

    /** Calls made to {@code account} on {@code day} (in the quota's time zone), as recorded. */
    public long quotaUsed(String account, java.time.LocalDate day) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT calls FROM quota_usage WHERE account = ? AND day = ?")) {
            ps.setString(1, account);
            ps.setObject(2, day);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Adds {@code calls} to the account's count for {@code day}. */
    public void addQuotaUsage(String account, java.time.LocalDate day, long calls) throws SQLException {
        if (calls == 0 || readOnly) return;
        synchronized (writerLock) {
            Connection c = writer();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO quota_usage VALUES (?, ?, ?)
                    ON CONFLICT (account, day) DO UPDATE SET calls = quota_usage.calls + excluded.calls""")) {
                ps.setString(1, account);
                ps.setObject(2, day);
                ps.setLong(3, calls);
                ps.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public Optional<RunRecord> run(long runId) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT * FROM runs WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(run(rs)) : Optional.empty();
            }
        }
    }

    private static RunRecord run(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new RunRecord(rs.getLong("run_id"), rs.getString("sync"), rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant(), rs.getString("status"), rs.getLong("added"),
                rs.getLong("changed"), rs.getLong("removed"), rs.getLong("unchanged"), rs.getLong("invalid"),
                rs.getLong("delivered"), rs.getLong("rejected"), rs.getLong("failed"), rs.getLong("skipped"),
                rs.getLong("api_calls"), rs.getLong("throttles"), rs.getLong("retries"), rs.getString("message"),
                rs.getLong("read_calls"), rs.getLong("conflicts"));
    }

    // ---- snapshot and outcomes --------------------------------------------------------------------------------

    /**
     * Records, before a batch is sent, that its rows are in flight: from now on the destination may hold what the
     * batch carries whatever the snapshot says, until {@link #commit} advances the snapshot for them. A process that
     * dies mid-call, or an answer that is lost after the vendor applied the write, leaves the marks behind, and the
     * next plan sends those rows again (or removes their records) even if the model went back to the snapshot's
     * values in the meantime, or dropped a row whose record the snapshot never knew.
     *
     * <p>A row already marked by an earlier run keeps that mark: that attempt's effect is still unknown, whatever
     * this one's turns out to be.
     *
     * @param rows the batch's rows: their keys and the match values they are sent with
     */
    public void markInFlight(String sync, long runId, List<RowOutcome> rows) throws SQLException {
        if (rows.isEmpty()) return;
        synchronized (writerLock) {
            Connection c = writer();
            try {
                try (var appender = ((org.duckdb.DuckDBConnection) c).createAppender("main", "in_flight")) {
                    for (RowOutcome o : rows) {
                        appender.beginRow();
                        appender.append(sync);
                        appender.append(o.key());
                        appender.append(o.matchValue());
                        appender.append(runId);
                        appender.endRow();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * A sync's rows in flight as a query with one parameter (the sync): key, and the match value of the earliest
     * unsettled attempt (the one whose effect has been unknown longest).
     */
    public static final String IN_FLIGHT = """
            SELECT key, arg_min(match, run_id) AS match FROM in_flight WHERE sync = $1 GROUP BY key""";

    /**
     * Records the outcomes of one batch (or of rows that were never sent) and advances the snapshot for the rows the
     * destination acknowledged, in one transaction: either all of it is stored or none.
     *
     * <p>Delivered rows with a fingerprint replace their snapshot entry; delivered removals, and removals that
     * needed no call, drop it. Every other outcome leaves the entry as it was, so the next run plans the row again.
     * Where the snapshot advances, the row's {@linkplain #markInFlight in-flight} mark goes. A rejection settles
     * only the mark this run made (the vendor refused this write, so it changed nothing); a failed row keeps its
     * mark, since its call may have reached the destination.
     */
    public void commit(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws SQLException {
        if (outcomes.isEmpty()) return;
        synchronized (writerLock) {
            Connection c = writer();
            try {
                appendSnapshotLog(c, sync, runId, outcomes);
                settleInFlight(c, sync, runId, outcomes);
                appendOutcomes(c, sync, runId, outcomes, now);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private final Object writerLock = new Object();
    private Connection writer;

    /** The connection batch commits go through: one, kept open, because commits come after every batch. */
    private Connection writer() throws SQLException {
        if (writer == null) {
            writer = connect();
            writer.setAutoCommit(false);
        }
        return writer;
    }

    private void appendSnapshotLog(Connection c, String sync, long runId, List<RowOutcome> outcomes)
            throws SQLException {
        try (var appender = ((org.duckdb.DuckDBConnection) c).createAppender("main", "snapshot_log")) {
            for (RowOutcome o : outcomes) {
                if (!advances(o)) continue;
                appender.beginRow();
                appender.append(sync);
                appender.append(o.key());
                appender.append(o.fingerprint());
                appender.append(o.matchValue());
                appender.append(o.destinationId());
                appender.append(runId);
                appender.append(seq.incrementAndGet());
                appender.append(o.change() == Change.REMOVED);
                appender.append(o.fieldHashes());
                appender.endRow();
            }
        }
    }

    /**
     * Drops the in-flight marks that {@code outcomes} settle: every mark of a row whose snapshot advanced, and this
     * run's mark of a row the destination rejected.
     */
    private static void settleInFlight(Connection c, String sync, long runId, List<RowOutcome> outcomes)
            throws SQLException {
        List<String> advanced = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (RowOutcome o : outcomes) {
            if (advances(o)) advanced.add(o.key());
            else if (o.outcome() == Outcome.REJECTED) rejected.add(o.key());
        }
        deleteMarks(c, sync, advanced, null);
        deleteMarks(c, sync, rejected, runId);
    }

    private static void deleteMarks(Connection c, String sync, List<String> keys, Long runId) throws SQLException {
        if (keys.isEmpty()) return;
        // One array parameter: a statement with a placeholder per key costs several times more to prepare than to run.
        String sql = "DELETE FROM in_flight WHERE sync = ? AND key IN (SELECT unnest(?))"
                + (runId == null ? "" : " AND run_id = ?");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sync);
            ps.setArray(2, c.createArrayOf("VARCHAR", keys.toArray()));
            if (runId != null) ps.setLong(3, runId);
            ps.executeUpdate();
        }
    }

    /** Whether an outcome advances the snapshot: a delivery, or a planned change that needed no call. */
    private static boolean advances(RowOutcome o) {
        return o.outcome() == Outcome.DELIVERED || (o.outcome() == Outcome.SKIPPED && o.change() != Change.NONE);
    }

    /** Folds a sync's log into the compacted snapshot table, inside the caller's transaction. */
    private static void fold(Connection c, String sync) throws SQLException {
        try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM snapshot_log WHERE sync = ?")) {
            count.setString(1, sync);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("CREATE OR REPLACE TEMP TABLE folded AS "
                + CURRENT_SNAPSHOT)) {
            ps.setString(1, sync);
            ps.execute();
        }
        List<String> statements = new ArrayList<>(List.of("DELETE FROM snapshot WHERE sync = $1",
                "INSERT INTO snapshot SELECT $1, key, fp, match, dest_id, run_id, field_hashes FROM folded"));
        if (keepsLeftFieldHashes(c, sync)) {
            // A row that left the model keeps its field hashes; one that is back in the snapshot has them there.
            statements.add("""
                    DELETE FROM left_field_hashes WHERE sync = $1 AND key IN (
                        SELECT key FROM snapshot_log WHERE sync = $1 AND (NOT dropped OR field_hashes IS NOT NULL))""");
            statements.add("""
                    INSERT INTO left_field_hashes SELECT $1, l.key, l.field_hashes FROM snapshot_log l
                    WHERE l.sync = $1 AND l.dropped AND l.field_hashes IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM snapshot_log n
                                      WHERE n.sync = $1 AND n.key = l.key AND n.seq > l.seq)""");
        }
        statements.add("DELETE FROM snapshot_log WHERE sync = $1");
        for (String sql : statements) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, sync);
                ps.executeUpdate();
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE folded");
        }
    }

    /** Whether a fold has field hashes of rows that left the model to keep or drop (only syncs that own fields). */
    private static boolean keepsLeftFieldHashes(Connection c, String sync) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM left_field_hashes WHERE sync = $1)
                    OR EXISTS (SELECT 1 FROM snapshot_log
                               WHERE sync = $1 AND dropped AND field_hashes IS NOT NULL)""")) {
            ps.setString(1, sync);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void appendOutcomes(Connection c, String sync, long runId, List<RowOutcome> rows, Instant now)
            throws SQLException {
        // The appender is DuckDB's fast path for rows; it joins the connection's open transaction.
        try (var appender = ((org.duckdb.DuckDBConnection) c).createAppender("main", "outcomes")) {
            java.time.LocalDateTime at = java.time.LocalDateTime.ofInstant(now, java.time.ZoneOffset.UTC);
            for (RowOutcome o : rows) {
                appender.beginRow();
                appender.append(runId);
                appender.append(sync);
                appender.append(o.key());
                appender.append(o.change().name().toLowerCase(java.util.Locale.ROOT));
                appender.append(o.operation() == null ? null : o.operation().name().toLowerCase(java.util.Locale.ROOT));
                appender.append(o.outcome().name().toLowerCase(java.util.Locale.ROOT));
                appender.append(o.reason());
                appender.append(o.fingerprint());
                appender.append(at);
                appender.endRow();
            }
        }
    }

    public Optional<SnapshotEntry> snapshotEntry(String sync, String key) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT key, fp, match, dest_id, run_id FROM (" + CURRENT_SNAPSHOT + ") WHERE key = $2")) {
            ps.setString(1, sync);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new SnapshotEntry(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getLong(5)))
                        : Optional.empty();
            }
        }
    }

    public long snapshotSize(String sync) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (" + CURRENT_SNAPSHOT + ")")) {
            ps.setString(1, sync);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A key's outcome history, newest first. */
    public List<LoggedOutcome> outcomes(String sync, String key, int limit) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
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
    }

    /** A row of the run log's per-row outcomes, as stored. */
    public record LoggedOutcome(long runId, String change, String operation, String outcome, String reason,
                                String fingerprint, Instant at) {
    }

    /** Outcome counts of one run, by outcome name, for reports. */
    public List<LoggedOutcome> outcomesOfRun(long runId, String outcome, int limit) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT run_id, change, operation, outcome, reason, fp, logged_at, key FROM outcomes
                WHERE run_id = ? AND outcome = ? LIMIT ?""")) {
            ps.setLong(1, runId);
            ps.setString(2, outcome);
            ps.setInt(3, limit);
            List<LoggedOutcome> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new LoggedOutcome(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(8) + ": " + rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                }
            }
            return list;
        }
    }

    @Override
    public void close() {
        try {
            synchronized (writerLock) {
                if (writer != null) writer.close();
            }
            root.close();
        } catch (SQLException ignored) {
            // closing a DuckDB connection only fails if it is already closed
        }
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
