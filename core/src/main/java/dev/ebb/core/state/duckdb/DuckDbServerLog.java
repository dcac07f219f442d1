package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.ApiToken;
import dev.ebb.core.state.AuditEntry;
import dev.ebb.core.state.ServerLog;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.TokenRole;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code ebb serve}'s tables in DuckDB: {@code api_tokens} (hashes only) and {@code audit_log}. Thread-safe. */
final class DuckDbServerLog implements ServerLog {
    private final DuckDb db;

    DuckDbServerLog(DuckDb db) {
        this.db = db;
    }

    @Override
    public long audit(AuditEntry e) throws StateException {
        long[] id = new long[1];
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO audit_log VALUES (nextval('audit_ids'), ?, ?, ?, ?, ?, ?) RETURNING id""")) {
                ps.setTimestamp(1, Timestamp.from(e.at()));
                ps.setString(2, e.actor());
                ps.setString(3, e.action());
                ps.setString(4, e.sync());
                if (e.runId() == null) ps.setNull(5, Types.BIGINT);
                else ps.setLong(5, e.runId());
                ps.setString(6, e.detail());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id[0] = rs.getLong(1);
                }
            }
        });
        return id[0];
    }

    @Override
    public List<AuditEntry> auditEntries(String sync, int offset, int limit) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, acted_at, actor, action, sync, run_id, detail FROM audit_log
                    WHERE ? IS NULL OR sync = ? ORDER BY id DESC LIMIT ? OFFSET ?""")) {
                ps.setString(1, sync);
                ps.setString(2, sync);
                ps.setInt(3, limit);
                ps.setInt(4, offset);
                List<AuditEntry> entries = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long runId = rs.getLong(6);
                        entries.add(new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.wasNull() ? null : runId, rs.getString(7)));
                    }
                }
                return entries;
            }
        });
    }

    @Override
    public void saveToken(ApiToken t) throws StateException {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, NULL)")) {
                ps.setString(1, t.name());
                ps.setString(2, t.role().label());
                ps.setString(3, t.hash());
                ps.setTimestamp(4, Timestamp.from(t.createdAt()));
                ps.setTimestamp(5, Timestamp.from(t.expiresAt()));
                ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<ApiToken> tokenByHash(String hash) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_TOKENS + " WHERE hash = ?")) {
                ps.setString(1, hash);
                List<ApiToken> found = tokens(ps);
                return found.stream().findFirst();
            }
        });
    }

    @Override
    public List<ApiToken> tokens() throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_TOKENS + " ORDER BY created_at, name")) {
                return tokens(ps);
            }
        });
    }

    @Override
    public boolean revokeToken(String name, Instant now) throws StateException {
        int[] changed = new int[1];
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, name);
                changed[0] = ps.executeUpdate();
            }
        });
        return changed[0] > 0;
    }

    private static final String SELECT_TOKENS =
            "SELECT name, role, hash, created_at, expires_at, revoked_at FROM api_tokens";

    private static List<ApiToken> tokens(PreparedStatement ps) throws SQLException {
        List<ApiToken> tokens = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp revoked = rs.getTimestamp(6);
                tokens.add(new ApiToken(rs.getString(1), TokenRole.of(rs.getString(2)), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(),
                        revoked == null ? null : revoked.toInstant()));
            }
        }
        return tokens;
    }
}
