package dev.ebb.core.state.duckdb;

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
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Conflicts in DuckDB: the {@code conflicts} table, and the field hashes a resolution writes into the snapshot. */
final class DuckDbConflicts implements ConflictLog {
    private final DuckDb db;

    DuckDbConflicts(DuckDb db) {
        this.db = db;
    }

    @Override
    public void recordConflicts(List<Conflict> found, Instant now) throws StateException {
        if (found.isEmpty()) return;
        db.write(c -> {
            for (Conflict conflict : found) {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM conflicts WHERE sync = ? AND key = ? AND field = ? AND status = ?")) {
                    ps.setString(1, conflict.sync());
                    ps.setString(2, conflict.key());
                    ps.setString(3, conflict.field());
                    ps.setString(4, ConflictStatus.OPEN.label());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO conflicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)")) {
                    ps.setString(1, conflict.sync());
                    ps.setString(2, conflict.key());
                    ps.setString(3, conflict.field());
                    ps.setString(4, conflict.baseHash());
                    ps.setString(5, conflict.destinationValue());
                    ps.setString(6, conflict.warehouseValue());
                    ps.setLong(7, conflict.runId());
                    ps.setTimestamp(8, Timestamp.from(now));
                    ps.setString(9, ConflictStatus.OPEN.label());
                    ps.executeUpdate();
                }
            }
        });
    }

    @Override
    public void settleConflicts(String sync, List<Map.Entry<String, String>> keyFields, Instant now)
            throws StateException {
        if (keyFields.isEmpty()) return;
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE conflicts SET status = ?, resolution = ?, resolved_at = ?
                    WHERE sync = ? AND key = ? AND field = ? AND status = ?""")) {
                for (Map.Entry<String, String> keyField : keyFields) {
                    ps.setString(1, ConflictStatus.RESOLVED.label());
                    ps.setString(2, Resolution.WAREHOUSE.label());
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setString(4, sync);
                    ps.setString(5, keyField.getKey());
                    ps.setString(6, keyField.getValue());
                    ps.setString(7, ConflictStatus.OPEN.label());
                    ps.executeUpdate();
                }
            }
        });
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
        String sql = "SELECT * FROM conflicts WHERE (CAST(? AS VARCHAR) IS NULL OR sync = ?) "
                + "AND (CAST(? AS VARCHAR) IS NULL OR key = ?)"
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
                                rs.getTimestamp("detected_at").toInstant(), ConflictStatus.of(rs.getString("status")),
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
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE conflicts SET status = ?, resolution = ?, resolved_at = ?
                    WHERE sync = ? AND key = ? AND field = ? AND status = ?""")) {
                ps.setString(1, ConflictStatus.RESOLVED.label());
                ps.setString(2, resolution.label());
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setString(4, sync);
                ps.setString(5, key);
                ps.setString(6, field);
                ps.setString(7, ConflictStatus.OPEN.label());
                if (ps.executeUpdate() == 0) throw new SQLException("no open conflict for " + key + " " + field);
            }
            UnaryOperator<String> decided = text -> FieldHashes.decided(text, field, newBaseHash, keptAgainstHash);
            if (!rewriteSnapshotHashes(c, sync, key, decided)) {
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
        });
    }

    /** Appends the key's snapshot entry again with its field hashes decided; false when the key is not in it. */
    private boolean rewriteSnapshotHashes(Connection c, String sync, String key, UnaryOperator<String> decided)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM (" + DuckDbSnapshots.currentSnapshot("", true)
                + ") WHERE key = $2")) {
            ps.setString(1, sync);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery(); var appender = DuckDb.appender(c, "main", "snapshot_log")) {
                if (!rs.next()) return false;
                appender.beginRow();
                appender.append(sync);
                appender.append(key);
                appender.append(rs.getString("fp"));
                appender.append(rs.getString("match"));
                appender.append(rs.getString("dest_id"));
                appender.append(rs.getLong("run_id"));
                appender.append(db.seq.incrementAndGet());
                appender.append(false);
                appender.append(decided.apply(rs.getString("field_hashes")));
                appender.append(rs.getString("payload"));
                appender.append(rs.getObject("quick") == null ? null : rs.getLong("quick"));
                appender.endRow();
                return true;
            }
        }
    }
}
