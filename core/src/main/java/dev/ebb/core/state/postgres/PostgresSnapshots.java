package dev.ebb.core.state.postgres;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The snapshot in PostgreSQL: one row per sync and key, upserted and deleted in place by each batch commit (what
 * DuckDB's log and fold do, PostgreSQL does directly). A batch's rows travel as arrays, one statement per table.
 * Thread-safe: each call is a transaction of its own; two batches of a run never hold the same key.
 */
final class PostgresSnapshots implements Snapshots {
    private final Postgres db;

    PostgresSnapshots(Postgres db) {
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
            update(c, "UPDATE snapshot SET fp = NULL WHERE sync = ?", sync);
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
            ps.setObject(4, Postgres.at(now));
            ps.executeUpdate();
        }
    }

    @Override
    public long reset(String sync) throws StateException {
        long[] removed = new long[1];
        db.transaction(c -> {
            // The hashes of the values Ebb wrote stay, as for rows that left the model: the full sync after a reset
            // must still tell Ebb's own earlier writes from a person's edits.
            update(c, """
                    INSERT INTO left_field_hashes SELECT sync, key, field_hashes FROM snapshot
                    WHERE sync = ? AND field_hashes IS NOT NULL
                    ON CONFLICT (sync, key) DO UPDATE SET field_hashes = excluded.field_hashes""", sync);
            removed[0] = update(c, "DELETE FROM snapshot WHERE sync = ?", sync);
            update(c, "DELETE FROM syncs WHERE sync = ?", sync);
            update(c, "DELETE FROM in_flight WHERE sync = ?", sync);
        });
        return removed[0];
    }

    private static int update(Connection c, String sql, String sync) throws SQLException {
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
                    "SELECT key, fp, match, dest_id, run_id FROM snapshot WHERE sync = ? AND key = ?")) {
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
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM snapshot WHERE sync = ?")) {
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
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO in_flight (sync, key, match, run_id, payload)
                    SELECT ?, k, m, ?, p FROM unnest(?::text[], ?::text[], ?::text[]) AS u(k, m, p)""")) {
                ps.setString(1, sync);
                ps.setLong(2, runId);
                ps.setArray(3, texts(c, rows, RowOutcome::key));
                ps.setArray(4, texts(c, rows, RowOutcome::matchValue));
                ps.setArray(5, texts(c, rows, RowOutcome::payload));
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void commit(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        if (outcomes.isEmpty()) return;
        db.transaction(c -> {
            advance(c, sync, runId, outcomes);
            settleInFlight(c, sync, runId, outcomes);
            appendOutcomes(c, sync, runId, outcomes, now);
            PostgresRunLog.countCommitted(c, runId, outcomes, now);
        });
    }

    /**
     * Commits the outcomes of a replace that the destination completed, and forgets every other entry of the sync in
     * the same transaction: the replace made the object's membership exactly the rows it accepted.
     */
    @Override
    public void commitReplace(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        db.transaction(c -> {
            advance(c, sync, runId, outcomes);
            appendOutcomes(c, sync, runId, outcomes, now);
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM snapshot WHERE sync = ? AND run_id IS DISTINCT FROM ?")) {
                ps.setString(1, sync);
                ps.setLong(2, runId);
                ps.executeUpdate();
            }
            update(c, "DELETE FROM in_flight WHERE sync = ?", sync);
        });
    }

    /**
     * Advances the snapshot for the outcomes that move it: a delivered or skipped row's entry is replaced, a removal
     * (or an add_remove sync's removal of a changed row's old values, until its addition is acknowledged) drops it.
     * A row that leaves keeps its field hashes aside; a row that is back has them in its entry.
     */
    private static void advance(Connection c, String sync, long runId, List<RowOutcome> outcomes)
            throws SQLException {
        // The newest outcome of a key wins, as the order of a batch's outcomes says.
        Map<String, RowOutcome> newest = new LinkedHashMap<>();
        for (RowOutcome o : outcomes) {
            if (advances(o)) newest.put(o.key(), o);
        }
        List<RowOutcome> kept = new ArrayList<>();
        List<RowOutcome> dropped = new ArrayList<>();
        for (RowOutcome o : newest.values()) (drops(o) ? dropped : kept).add(o);
        if (!kept.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO snapshot (sync, key, fp, match, dest_id, run_id, field_hashes, payload)
                    SELECT ?, k, f, m, d, ?, h, p
                    FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(k, f, m, d, h, p)
                    ON CONFLICT (sync, key) DO UPDATE SET fp = excluded.fp, match = excluded.match,
                        dest_id = excluded.dest_id, run_id = excluded.run_id, field_hashes = excluded.field_hashes,
                        payload = excluded.payload""")) {
                ps.setString(1, sync);
                ps.setLong(2, runId);
                ps.setArray(3, texts(c, kept, RowOutcome::key));
                ps.setArray(4, texts(c, kept, RowOutcome::fingerprint));
                ps.setArray(5, texts(c, kept, RowOutcome::matchValue));
                ps.setArray(6, texts(c, kept, RowOutcome::destinationId));
                ps.setArray(7, texts(c, kept, RowOutcome::fieldHashes));
                ps.setArray(8, texts(c, kept, RowOutcome::payload));
                ps.executeUpdate();
            }
            deleteKeys(c, "DELETE FROM left_field_hashes WHERE sync = ? AND key = ANY(?)", sync,
                    texts(c, kept, RowOutcome::key));
        }
        if (!dropped.isEmpty()) {
            deleteKeys(c, "DELETE FROM snapshot WHERE sync = ? AND key = ANY(?)", sync,
                    texts(c, dropped, RowOutcome::key));
            List<RowOutcome> hashed = dropped.stream().filter(o -> o.fieldHashes() != null).toList();
            if (!hashed.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO left_field_hashes (sync, key, field_hashes)
                        SELECT ?, k, h FROM unnest(?::text[], ?::text[]) AS u(k, h)
                        ON CONFLICT (sync, key) DO UPDATE SET field_hashes = excluded.field_hashes""")) {
                    ps.setString(1, sync);
                    ps.setArray(2, texts(c, hashed, RowOutcome::key));
                    ps.setArray(3, texts(c, hashed, RowOutcome::fieldHashes));
                    ps.executeUpdate();
                }
            }
        }
    }

    /** A removal drops the entry; so does an add_remove sync's removal of a changed row's old values. */
    private static boolean drops(RowOutcome o) {
        return o.change() == Change.REMOVED || o.operation() == Operation.DELETE;
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
        if (!advanced.isEmpty()) {
            deleteKeys(c, "DELETE FROM in_flight WHERE sync = ? AND key = ANY(?)", sync,
                    c.createArrayOf("text", advanced.toArray()));
        }
        if (!rejected.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM in_flight WHERE sync = ? AND key = ANY(?) AND run_id = ?")) {
                ps.setString(1, sync);
                ps.setArray(2, c.createArrayOf("text", rejected.toArray()));
                ps.setLong(3, runId);
                ps.executeUpdate();
            }
        }
    }

    private static void deleteKeys(Connection c, String sql, String sync, java.sql.Array keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sync);
            ps.setArray(2, keys);
            ps.executeUpdate();
        }
    }

    /** Whether an outcome advances the snapshot: a delivery, or a planned change that needed no call. */
    private static boolean advances(RowOutcome o) {
        return o.outcome() == Outcome.DELIVERED || (o.outcome() == Outcome.SKIPPED && o.change() != Change.NONE);
    }

    private static void appendOutcomes(Connection c, String sync, long runId, List<RowOutcome> rows, Instant now)
            throws SQLException {
        if (rows.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outcomes (run_id, sync, key, change, operation, outcome, reason, fp, logged_at)
                SELECT ?, ?, k, ch, op, oc, r, f, ?
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(k, ch, op, oc, r, f)""")) {
            ps.setLong(1, runId);
            ps.setString(2, sync);
            ps.setObject(3, Postgres.at(now));
            ps.setArray(4, texts(c, rows, RowOutcome::key));
            ps.setArray(5, texts(c, rows, o -> label(o.change())));
            ps.setArray(6, texts(c, rows, o -> o.operation() == null ? null : label(o.operation())));
            ps.setArray(7, texts(c, rows, o -> label(o.outcome())));
            ps.setArray(8, texts(c, rows, RowOutcome::reason));
            ps.setArray(9, texts(c, rows, RowOutcome::fingerprint));
            ps.executeUpdate();
        }
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** One column of a batch as a text array parameter: one statement for the whole batch. */
    static java.sql.Array texts(Connection c, List<RowOutcome> rows, Function<RowOutcome, String> column)
            throws SQLException {
        return c.createArrayOf("text", rows.stream().map(column).toArray());
    }
}
