package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.Change;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.SnapshotEntry;
import dev.ebb.core.state.Snapshots;
import dev.ebb.core.state.StateException;
import dev.ebb.spi.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The snapshot in DuckDB: a compacted table and a log that batch commits append to (appending is what DuckDB does
 * fast; an update per batch is not). The log is folded in when a run finishes; until then every reader sees both
 * through {@link #CURRENT_SNAPSHOT}.
 */
final class DuckDbSnapshots implements Snapshots {

    /**
     * A sync's current snapshot as a query with one parameter (the sync): the compacted table, overridden by the
     * newest log entry of each key, without the keys the log dropped. The compacted rows are read through an anti-join
     * with the log (which holds only the batches since the last compaction; a correlated {@code NOT EXISTS} would
     * cost a delimiting join over the whole table), so that ordering by recency costs only the log's rows.
     */
    static final String CURRENT_SNAPSHOT = currentSnapshot("", false).replace(", CAST(NULL AS BIGINT) AS quick", "");

    /**
     * {@link #CURRENT_SNAPSHOT} with each entry's {@code quick} (see {@code InPlacePlanSql}), its tables in the database {@code prefix} names ({@code "store".main.}, or
     * nothing for the default one).
     *
     * @param quick whether the file's snapshot and log have the column (a file written by an older Ebb, opened only to
     *              read, has not)
     */
    static String currentSnapshot(String prefix, boolean quick) {
        String none = ", CAST(NULL AS BIGINT) AS quick";
        return "SELECT s.key, s.fp" + (quick ? ", s.quick" : none) + ", s.match, s.dest_id, s.run_id, s.field_hashes,"
                + " s.payload FROM " + prefix + "snapshot s ANTI JOIN " + prefix + "snapshot_log l ON l.sync = $1"
                + " AND l.key = s.key WHERE s.sync = $1 UNION ALL SELECT key, fp" + (quick ? ", quick" : none)
                + ", match, dest_id, run_id, field_hashes, payload FROM (SELECT key, fp" + (quick ? ", quick" : "")
                + ", match, dest_id, run_id, field_hashes, payload, dropped,"
                + " row_number() OVER (PARTITION BY key ORDER BY seq DESC) AS newest FROM " + prefix + "snapshot_log"
                + " WHERE sync = $1) WHERE newest = 1 AND NOT dropped";
    }

    /**
     * A sync's rows in flight as a query with one parameter (the sync): key, and the match value of the earliest
     * unsettled attempt (the one whose effect has been unknown longest), with the values it sent (add_remove syncs).
     */
    static final String IN_FLIGHT = inFlight("");

    /** {@link #IN_FLIGHT}, its table in the database {@code prefix} names. */
    static String inFlight(String prefix) {
        return "SELECT key, arg_min(match, run_id) AS match, arg_min(payload, run_id) AS payload FROM " + prefix
                + "in_flight WHERE sync = $1 GROUP BY key";
    }

    private final DuckDb db;

    DuckDbSnapshots(DuckDb db) {
        this.db = db;
    }

    // ---- specs ------------------------------------------------------------------------------------------------

    @Override
    public Optional<String> specHash(String sync) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT spec_hash FROM syncs WHERE sync = ?")) {
                ps.setString(1, sync);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void saveSpec(String sync, String specHash, String spec, Instant now) throws StateException {
        db.transaction(c -> upsertSpec(c, sync, specHash, spec, now));
    }

    @Override
    public void replaceSpec(String sync, String specHash, String spec, Instant now) throws StateException {
        db.transaction(c -> {
            upsertSpec(c, sync, specHash, spec, now);
            fold(c, sync);
            try (PreparedStatement ps = c.prepareStatement("UPDATE snapshot SET fp = NULL, quick = NULL WHERE sync = ?")) {
                ps.setString(1, sync);
                ps.executeUpdate();
            }
        });
    }

    private static void upsertSpec(Connection c, String sync, String specHash, String spec, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO syncs VALUES (?, ?, ?, ?) ON CONFLICT (sync) DO UPDATE
                SET spec_hash = excluded.spec_hash, spec = excluded.spec, updated_at = excluded.updated_at""")) {
            ps.setString(1, sync);
            ps.setString(2, specHash);
            ps.setString(3, spec);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    @Override
    public long reset(String sync) throws StateException {
        long[] removed = new long[1];
        db.transaction(c -> {
            fold(c, sync);
            // The hashes of the values Ebb wrote stay, as for rows that left the model: the full sync after a reset
            // must still tell Ebb's own earlier writes from a person's edits.
            delete(c, """
                    DELETE FROM left_field_hashes WHERE sync = $1 AND key IN (
                        SELECT key FROM snapshot WHERE sync = $1 AND field_hashes IS NOT NULL)""", sync);
            delete(c, """
                    INSERT INTO left_field_hashes SELECT sync, key, field_hashes FROM snapshot
                    WHERE sync = $1 AND field_hashes IS NOT NULL""", sync);
            removed[0] = delete(c, "DELETE FROM snapshot WHERE sync = ?", sync);
            delete(c, "DELETE FROM syncs WHERE sync = ?", sync);
            delete(c, "DELETE FROM in_flight WHERE sync = ?", sync);
        });
        return removed[0];
    }

    private static long delete(Connection c, String sql, String sync) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sync);
            return ps.executeUpdate();
        }
    }

    // ---- entries ----------------------------------------------------------------------------------------------

    @Override
    public Optional<SnapshotEntry> snapshotEntry(String sync, String key) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
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
        });
    }

    @Override
    public long snapshotSize(String sync) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (" + CURRENT_SNAPSHOT + ")")) {
                ps.setString(1, sync);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    // ---- batch commits ----------------------------------------------------------------------------------------

    @Override
    public void markInFlight(String sync, long runId, List<RowOutcome> rows) throws StateException {
        if (rows.isEmpty()) return;
        db.write(c -> {
            try (var appender = DuckDb.appender(c, "main", "in_flight")) {
                for (RowOutcome o : rows) {
                    appender.beginRow();
                    appender.append(sync);
                    appender.append(o.key());
                    appender.append(o.matchValue());
                    appender.append(runId);
                    appender.append(o.payload());
                    appender.endRow();
                }
            }
        });
    }

    @Override
    public void commit(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        if (outcomes.isEmpty()) return;
        db.write(c -> {
            appendSnapshotLog(c, sync, runId, outcomes);
            settleInFlight(c, sync, runId, outcomes);
            appendOutcomes(c, sync, runId, outcomes, now);
            DuckDbRunLog.countCommitted(c, runId, outcomes, now);
        });
    }

    /** Records a batch's outcomes and counts without touching the snapshot: see {@code RunLog.logOutcomes}. */
    void logOutcomes(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        if (outcomes.isEmpty()) return;
        db.write(c -> {
            appendOutcomes(c, sync, runId, outcomes, now);
            DuckDbRunLog.countCommitted(c, runId, outcomes, now);
        });
    }

    /**
     * Commits the outcomes of a replace that the destination completed, and forgets every other entry of the sync in
     * the same transaction: the replace made the object's membership exactly the rows it accepted.
     */
    @Override
    public void commitReplace(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        db.write(c -> {
            appendSnapshotLog(c, sync, runId, outcomes);
            appendOutcomes(c, sync, runId, outcomes, now);
            fold(c, sync);
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM snapshot WHERE sync = ? AND run_id IS DISTINCT FROM ?")) {
                ps.setString(1, sync);
                ps.setLong(2, runId);
                ps.executeUpdate();
            }
            delete(c, "DELETE FROM in_flight WHERE sync = ?", sync);
        });
    }

    private void appendSnapshotLog(Connection c, String sync, long runId, List<RowOutcome> outcomes)
            throws SQLException {
        try (var appender = DuckDb.appender(c, "main", "snapshot_log")) {
            for (RowOutcome o : outcomes) {
                if (!advances(o)) continue;
                appender.beginRow();
                appender.append(sync);
                appender.append(o.key());
                appender.append(o.fingerprint());
                appender.append(o.matchValue());
                appender.append(o.destinationId());
                appender.append(runId);
                appender.append(db.seq.incrementAndGet());
                // A removal drops the entry; so does an add_remove sync's removal of a changed row's old values,
                // until its addition with the new ones is acknowledged.
                appender.append(o.change() == Change.REMOVED || o.operation() == Operation.DELETE);
                appender.append(o.fieldHashes());
                appender.append(o.payload());
                appender.append(o.quick());
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

    private static void appendOutcomes(Connection c, String sync, long runId, List<RowOutcome> rows, Instant now)
            throws SQLException {
        try (var appender = DuckDb.appender(c, "main", "outcomes")) {
            LocalDateTime at = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
            for (RowOutcome o : rows) {
                appender.beginRow();
                appender.append(runId);
                appender.append(sync);
                appender.append(o.key());
                appender.append(o.change().name().toLowerCase(Locale.ROOT));
                appender.append(o.operation() == null ? null : o.operation().name().toLowerCase(Locale.ROOT));
                appender.append(o.outcome().name().toLowerCase(Locale.ROOT));
                appender.append(o.reason());
                appender.append(o.fingerprint());
                appender.append(at);
                appender.endRow();
            }
        }
    }

    // ---- folding the log --------------------------------------------------------------------------------------

    /** Folds the sync's log into the compacted table, in one transaction of the writer. */
    void fold(String sync) throws StateException {
        db.write(c -> fold(c, sync));
    }

    /** Folds a sync's log into the compacted snapshot table, inside the caller's transaction. */
    static void fold(Connection c, String sync) throws SQLException {
        try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM snapshot_log WHERE sync = ?")) {
            count.setString(1, sync);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) return;
            }
        }
        // Each logged key's newest entry, by its sequence number (unique across the log): a grouping keeps one key
        // and one number per key, where ordering every entry by recency would hold all of their columns at once (a
        // full sync's log of 10M rows ran out of a 1 GB memory limit that way).
        List<String> statements = new ArrayList<>(List.of(
                "CREATE OR REPLACE TEMP TABLE newest AS SELECT key, max(seq) AS seq FROM snapshot_log WHERE sync = $1"
                        + " GROUP BY key",
                "DELETE FROM snapshot WHERE sync = $1 AND key IN (SELECT key FROM newest)",
                "INSERT INTO snapshot BY NAME SELECT sync, key, fp, quick, match, dest_id, run_id, field_hashes, payload"
                        + " FROM snapshot_log WHERE sync = $1 AND NOT dropped AND seq IN (SELECT seq FROM newest)"));
        if (keepsLeftFieldHashes(c, sync)) {
            // A row that left the model keeps its field hashes; one that is back in the snapshot has them there.
            statements.add("""
                    DELETE FROM left_field_hashes WHERE sync = $1 AND key IN (
                        SELECT key FROM snapshot_log WHERE sync = $1 AND (NOT dropped OR field_hashes IS NOT NULL))""");
            statements.add("""
                    INSERT INTO left_field_hashes SELECT sync, key, field_hashes FROM snapshot_log
                    WHERE sync = $1 AND dropped AND field_hashes IS NOT NULL AND seq IN (SELECT seq FROM newest)""");
        }
        statements.add("DELETE FROM snapshot_log WHERE sync = $1");
        for (String sql : statements) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, sync);
                ps.executeUpdate();
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE newest");
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
}
