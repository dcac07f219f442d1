package dev.ebb.core.state.warehouse;

import dev.ebb.core.state.Change;
import dev.ebb.core.state.FieldHashes;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.Planner;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.SnapshotEntry;
import dev.ebb.core.state.Snapshots;
import dev.ebb.core.state.StateException;
import dev.ebb.spi.Operation;
import dev.ebb.spi.Source;
import dev.ebb.spi.SqlEngine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The snapshots of the syncs whose models live on one source, kept in a schema of that source, and the planner that
 * diffs a model against them there ({@link WarehousePlanSession}). A batch commit stages its outcomes in a
 * temporary table of the warehouse and advances the snapshot with a delete and an insert, in one transaction.
 *
 * <p>This is only the snapshot part of {@link Snapshots#commit}: the run log's part (outcomes, counts) is the
 * project's store's, which {@link RoutedStateStore} calls after this one has committed, so that a process dying
 * between the two leaves the snapshot right and the run log short, never the other way round.
 *
 * <p>Thread-safe: every write and look-up goes through one connection, one at a time; each plan has its own.
 */
public final class WarehouseSnapshots implements Snapshots, Planner, AutoCloseable {
    private final WarehouseEngine engine;
    private final WarehouseDialect dialect;
    private final String schema;
    private final String source;
    private final Object lock = new Object();
    private Connection writer;

    private WarehouseSnapshots(WarehouseEngine engine, WarehouseDialect dialect, String schema, String source) {
        this.engine = engine;
        this.dialect = dialect;
        this.schema = schema;
        this.source = source;
    }

    /**
     * Opens the state of {@code source} in its {@code schema}: checks the rights it needs (naming the grant that
     * is missing) and creates the schema and its tables if they are missing.
     *
     * @throws StateException when the engine is not one the warehouse-native state runs on, a right is missing, or
     *                        the tables were written by a newer Ebb
     */
    public static WarehouseSnapshots open(WarehouseEngine engine, String schema, String source)
            throws StateException {
        WarehouseDialect dialect = WarehouseDialect.of(engine.dialect());
        if (dialect == null) {
            throw new StateException("source '" + source + "' runs on " + engine.dialect() + ", where the"
                    + " warehouse-native state does not run yet (it runs on " + String.join(" and ",
                    WarehouseDialect.labels()) + "); remove state: from the source to keep its snapshots in the"
                    + " project's state store", null);
        }
        WarehouseSnapshots store = new WarehouseSnapshots(engine, dialect, schema, source);
        try {
            store.work(c -> {
                WarehouseTables.prepare(c, dialect, schema, source);
                return null;
            });
        } catch (StateException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * Opens the state of a source that was opened to keep it, through its engine ({@link Source#engine()}); the
     * caller closes the source after this state.
     *
     * @throws StateException when the source has no engine for Ebb's SQL
     */
    public static WarehouseSnapshots open(Source opened, String schema, String source) throws StateException {
        SqlEngine engine = opened.engine().orElseThrow(() -> new StateException("source '" + source + "' cannot"
                + " keep the warehouse-native state: its connector runs no SQL of Ebb's own (it has no engine);"
                + " remove state: from the source", null));
        return open(new SourceWarehouse(engine), schema, source);
    }

    /** The schema that holds the tables. */
    public String schema() {
        return schema;
    }

    @Override
    public PlanSession plan(String sync) throws StateException {
        return plan(sync, true);
    }

    /**
     * A plan of the sync in the warehouse.
     *
     * @param remember whether the plan keeps the fingerprints it computes (the project's state is open for writing:
     *                 a command that only looks writes nothing)
     */
    public PlanSession plan(String sync, boolean remember) throws StateException {
        return new WarehousePlanSession(engine, dialect, schema, sync, remember);
    }

    // ---- specs ------------------------------------------------------------------------------------------------

    @Override
    public Optional<String> specHash(String sync) throws StateException {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT spec_hash FROM " + schema
                    + ".syncs WHERE sync = ?")) {
                ps.setString(1, sync);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void saveSpec(String sync, String specHash, String spec, Instant now) throws StateException {
        transaction(c -> upsertSpec(c, sync, specHash, spec, now));
    }

    @Override
    public void replaceSpec(String sync, String specHash, String spec, Instant now) throws StateException {
        transaction(c -> {
            upsertSpec(c, sync, specHash, spec, now);
            update(c, "UPDATE " + schema + ".snapshot SET fp = NULL, quick = NULL WHERE sync = ?", sync);
        });
    }

    private void upsertSpec(Connection c, String sync, String specHash, String spec, Instant now)
            throws SQLException {
        update(c, "DELETE FROM " + schema + ".syncs WHERE sync = ?", sync);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".syncs VALUES (?, ?, ?, ?)")) {
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
        transaction(c -> {
            // The hashes of the values Ebb wrote stay, as for rows that left the model: the full sync after a reset
            // must still tell Ebb's own earlier writes from a person's edits.
            update(c, "DELETE FROM " + schema + ".left_field_hashes WHERE sync = ? AND key IN (SELECT key FROM "
                    + schema + ".snapshot WHERE sync = ? AND field_hashes IS NOT NULL)", sync, sync);
            update(c, "INSERT INTO " + schema + ".left_field_hashes SELECT sync, key, field_hashes FROM " + schema
                    + ".snapshot WHERE sync = ? AND field_hashes IS NOT NULL", sync);
            removed[0] = update(c, "DELETE FROM " + schema + ".snapshot WHERE sync = ?", sync);
            update(c, "DELETE FROM " + schema + ".syncs WHERE sync = ?", sync);
            update(c, "DELETE FROM " + schema + ".in_flight WHERE sync = ?", sync);
        });
        return removed[0];
    }

    // ---- entries ----------------------------------------------------------------------------------------------

    @Override
    public Optional<SnapshotEntry> snapshotEntry(String sync, String key) throws StateException {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT key, fp, match, dest_id, run_id FROM " + schema
                    + ".snapshot WHERE sync = ? AND key = ?")) {
                ps.setString(1, sync);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new SnapshotEntry(rs.getString(1), rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getLong(5))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public long snapshotSize(String sync) throws StateException {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + schema
                    + ".snapshot WHERE sync = ?")) {
                ps.setString(1, sync);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The field hashes of a key, decided as {@link FieldHashes#decided} says; kept aside when the row left. */
    public void decideFieldHash(String sync, String key, String field, String newBaseHash, String keptAgainstHash)
            throws StateException {
        transaction(c -> {
            String current = null;
            boolean inSnapshot = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT field_hashes FROM " + schema
                    + ".snapshot WHERE sync = ? AND key = ?")) {
                ps.setString(1, sync);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        inSnapshot = true;
                        current = rs.getString(1);
                    }
                }
            }
            String table = inSnapshot ? "snapshot" : "left_field_hashes";
            if (!inSnapshot) {
                try (PreparedStatement ps = c.prepareStatement("SELECT field_hashes FROM " + schema
                        + ".left_field_hashes WHERE sync = ? AND key = ?")) {
                    ps.setString(1, sync);
                    ps.setString(2, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) current = rs.getString(1);
                    }
                }
                // The row left the model: the decision waits with its other field hashes for it to come back.
                update(c, "DELETE FROM " + schema + ".left_field_hashes WHERE sync = ? AND key = ?", sync, key);
                update(c, "INSERT INTO " + schema + ".left_field_hashes VALUES (?, ?, NULL)", sync, key);
            }
            update(c, "UPDATE " + schema + "." + table + " SET field_hashes = ? WHERE sync = ? AND key = ?",
                    FieldHashes.decided(current, field, newBaseHash, keptAgainstHash), sync, key);
        });
    }

    // ---- batch commits ----------------------------------------------------------------------------------------

    @Override
    public void markInFlight(String sync, long runId, List<RowOutcome> rows) throws StateException {
        if (rows.isEmpty()) return;
        transaction(c -> {
            try (RowInserter in = new RowInserter(c, schema + ".in_flight", 5)) {
                for (RowOutcome o : rows) in.add(sync, o.key(), o.matchValue(), runId, o.payload());
            }
        });
    }

    @Override
    public void commit(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        if (outcomes.isEmpty()) return;
        transaction(c -> advance(c, sync, runId, outcomes));
    }

    @Override
    public void commitReplace(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        transaction(c -> {
            advance(c, sync, runId, outcomes);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + schema
                    + ".snapshot WHERE sync = ? AND run_id IS DISTINCT FROM ?")) {
                ps.setString(1, sync);
                ps.setLong(2, runId);
                ps.executeUpdate();
            }
            update(c, "DELETE FROM " + schema + ".in_flight WHERE sync = ?", sync);
        });
    }

    /**
     * Advances the snapshot for the outcomes that acknowledged a write, and settles in-flight marks: every mark of a
     * row whose snapshot advanced, this run's mark of a row the destination rejected; a failed row keeps its marks.
     */
    private void advance(Connection c, String sync, long runId, List<RowOutcome> outcomes) throws SQLException {
        Map<String, RowOutcome> byKey = new LinkedHashMap<>();
        for (RowOutcome o : outcomes) {
            // The last acknowledged outcome of a key wins; a rejection never hides an acknowledgement.
            if (advances(o) || (o.outcome() == Outcome.REJECTED && !byKey.containsKey(o.key()))) byKey.put(o.key(), o);
        }
        if (byKey.isEmpty()) return;
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE IF NOT EXISTS ebb_commit(key VARCHAR, fp VARCHAR, match VARCHAR,"
                    + " dest_id VARCHAR, field_hashes VARCHAR, payload VARCHAR, dropped BOOLEAN, advanced BOOLEAN,"
                    + " quick BIGINT)");
            st.execute("DELETE FROM ebb_commit");
        }
        try (RowInserter in = new RowInserter(c, "ebb_commit", 9)) {
            for (RowOutcome o : byKey.values()) {
                // A removal drops the entry; so does an add_remove sync's removal of a changed row's old values,
                // until its addition with the new ones is acknowledged.
                boolean dropped = o.change() == Change.REMOVED || o.operation() == Operation.DELETE;
                in.add(o.key(), o.fingerprint(), o.matchValue(), o.destinationId(), o.fieldHashes(), o.payload(),
                        dropped, advances(o), o.quick());
            }
        }
        String advanced = "(SELECT key FROM ebb_commit WHERE advanced)";
        update(c, "DELETE FROM " + schema + ".snapshot WHERE sync = ? AND key IN " + advanced, sync);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".snapshot (sync, key, fp, match,"
                + " dest_id, run_id, field_hashes, payload, quick) SELECT ?, key, fp, match, dest_id, ?, field_hashes,"
                + " payload, quick FROM ebb_commit WHERE advanced AND NOT dropped")) {
            ps.setString(1, sync);
            ps.setLong(2, runId);
            ps.executeUpdate();
        }
        // A row that left the model keeps its field hashes aside; one back in the snapshot has them there.
        update(c, "DELETE FROM " + schema + ".left_field_hashes WHERE sync = ? AND key IN (SELECT key FROM"
                + " ebb_commit WHERE advanced AND (NOT dropped OR field_hashes IS NOT NULL))", sync);
        update(c, "INSERT INTO " + schema + ".left_field_hashes SELECT ?, key, field_hashes FROM ebb_commit"
                + " WHERE advanced AND dropped AND field_hashes IS NOT NULL", sync);
        update(c, "DELETE FROM " + schema + ".in_flight WHERE sync = ? AND key IN " + advanced, sync);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + schema + ".in_flight WHERE sync = ?"
                + " AND run_id = ? AND key IN (SELECT key FROM ebb_commit WHERE NOT advanced)")) {
            ps.setString(1, sync);
            ps.setLong(2, runId);
            ps.executeUpdate();
        }
    }

    /** Whether an outcome advances the snapshot: a delivery, or a planned change that needed no call. */
    private static boolean advances(RowOutcome o) {
        return o.outcome() == Outcome.DELIVERED || (o.outcome() == Outcome.SKIPPED && o.change() != Change.NONE);
    }

    // ---- the connection ---------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Work<T> {
        T on(Connection c) throws SQLException, StateException;
    }

    @FunctionalInterface
    private interface Action {
        void on(Connection c) throws SQLException;
    }

    private static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) ps.setObject(i + 1, parameters[i]);
            return ps.executeUpdate();
        }
    }

    private <T> T work(Work<T> work) throws StateException {
        synchronized (lock) {
            try {
                if (writer == null || writer.isClosed()) writer = engine.connect();
                return work.on(writer);
            } catch (SQLException e) {
                throw failed(e);
            }
        }
    }

    /** Runs {@code action} in one transaction of the warehouse: all of it is stored, or none. */
    private void transaction(Action action) throws StateException {
        work(c -> {
            c.setAutoCommit(false);
            try {
                action.on(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    private StateException failed(SQLException e) {
        return new StateException("the warehouse-native state of source '" + source + "' (schema " + schema
                + ") failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        synchronized (lock) {
            try {
                if (writer != null) writer.close();
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
            writer = null;
        }
        engine.close();
    }
}
