package dev.ebb.core.state.postgres;

import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.ConflictLog;
import dev.ebb.core.state.ConflictStatus;
import dev.ebb.core.state.FieldHashes;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.StateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Conflicts in PostgreSQL: the {@code conflicts} table, and the field hashes a resolution writes. Thread-safe. */
final class PostgresConflicts implements ConflictLog {
    private final Postgres db;

    PostgresConflicts(Postgres db) {
        this.db = db;
    }

    @Override
    public void recordConflicts(List<Conflict> found, Instant now) throws StateException {
        if (found.isEmpty()) return;
        db.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM conflicts WHERE sync = ? AND key = ? AND field = ? AND status = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO conflicts (sync, key, field, base_hash,"
                         + " destination_value, warehouse_value, run_id, detected_at, status)"
                         + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Conflict conflict : found) {
                    delete.setString(1, conflict.sync());
                    delete.setString(2, conflict.key());
                    delete.setString(3, conflict.field());
                    delete.setString(4, ConflictStatus.OPEN.label());
                    delete.executeUpdate();
                    insert.setString(1, conflict.sync());
                    insert.setString(2, conflict.key());
                    insert.setString(3, conflict.field());
                    insert.setString(4, conflict.baseHash());
                    insert.setString(5, conflict.destinationValue());
                    insert.setString(6, conflict.warehouseValue());
                    insert.setLong(7, conflict.runId());
                    insert.setObject(8, Postgres.at(now));
                    insert.setString(9, ConflictStatus.OPEN.label());
                    insert.executeUpdate();
                }
            }
        });
    }

    @Override
    public void settleConflicts(String sync, List<Map.Entry<String, String>> keyFields, Instant now)
            throws StateException {
        if (keyFields.isEmpty()) return;
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(RESOLVE)) {
                for (Map.Entry<String, String> keyField : keyFields) {
                    bindResolve(ps, sync, keyField.getKey(), keyField.getValue(), Resolution.WAREHOUSE, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    private static final String RESOLVE = """
            UPDATE conflicts SET status = ?, resolution = ?, resolved_at = ?
            WHERE sync = ? AND key = ? AND field = ? AND status = ?""";

    private static void bindResolve(PreparedStatement ps, String sync, String key, String field,
                                    Resolution resolution, Instant now) throws SQLException {
        ps.setString(1, ConflictStatus.RESOLVED.label());
        ps.setString(2, resolution.label());
        ps.setObject(3, Postgres.at(now));
        ps.setString(4, sync);
        ps.setString(5, key);
        ps.setString(6, field);
        ps.setString(7, ConflictStatus.OPEN.label());
    }

    @Override
    public List<Conflict> conflicts(String sync, String key) throws StateException {
        return select(sync, key, null);
    }

    @Override
    public List<Conflict> openConflicts(String sync, String key) throws StateException {
        return select(sync, key, ConflictStatus.OPEN);
    }

    /** Conflicts of a sync and key (either may be null for all), in one status or, for {@code null}, any. */
    private List<Conflict> select(String sync, String key, ConflictStatus status) throws StateException {
        String sql = "SELECT * FROM conflicts WHERE (?::text IS NULL OR sync = ?) AND (?::text IS NULL OR key = ?)"
                + (status == null ? "" : " AND status = '" + status.label() + "'")
                + " ORDER BY detected_at DESC, sync, key, field";
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, sync);
                ps.setString(2, sync);
                ps.setString(3, key);
                ps.setString(4, key);
                List<Conflict> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String resolution = rs.getString("resolution");
                        list.add(new Conflict(rs.getString("sync"), rs.getString("key"), rs.getString("field"),
                                rs.getString("base_hash"), rs.getString("destination_value"),
                                rs.getString("warehouse_value"), rs.getLong("run_id"),
                                PostgresRunLog.instant(rs, "detected_at"), ConflictStatus.of(rs.getString("status")),
                                resolution == null ? null : Resolution.of(resolution)));
                    }
                }
                return list;
            }
        });
    }

    @Override
    public void resolveConflict(String sync, String key, String field, Resolution resolution, String newBaseHash,
                                String keptAgainstHash, Instant now) throws StateException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(RESOLVE)) {
                bindResolve(ps, sync, key, field, resolution, now);
                if (ps.executeUpdate() == 0) throw new SQLException("no open conflict for " + key + " " + field);
            }
            UnaryOperator<String> decided = text -> {
                Map<String, String> hashes = FieldHashes.decode(text);
                hashes.put(field, newBaseHash);
                if (keptAgainstHash == null) hashes.remove(FieldHashes.keptAgainst(field));
                else hashes.put(FieldHashes.keptAgainst(field), keptAgainstHash);
                return FieldHashes.encode(hashes);
            };
            // The row left the model when the snapshot has no entry: the decision waits with its other field hashes
            // for it to come back.
            if (!rewrite(c, "snapshot", sync, key, decided, false)) rewrite(c, "left_field_hashes", sync, key, decided,
                    true);
        });
    }

    /** Rewrites a key's field hashes in {@code table}, under a row lock; false when the key is not there. */
    private static boolean rewrite(Connection c, String table, String sync, String key, UnaryOperator<String> decided,
                                   boolean insertMissing) throws SQLException {
        String current;
        try (PreparedStatement ps = c.prepareStatement("SELECT field_hashes FROM " + table
                + " WHERE sync = ? AND key = ? FOR UPDATE")) {
            ps.setString(1, sync);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                boolean found = rs.next();
                if (!found && !insertMissing) return false;
                current = found ? rs.getString(1) : null;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (sync, key, field_hashes)"
                + " VALUES (?, ?, ?) ON CONFLICT (sync, key) DO UPDATE SET field_hashes = excluded.field_hashes")) {
            ps.setString(1, sync);
            ps.setString(2, key);
            ps.setString(3, decided.apply(current));
            ps.executeUpdate();
        }
        return true;
    }
}
