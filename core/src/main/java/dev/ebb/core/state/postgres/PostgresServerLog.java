package dev.ebb.core.state.postgres;

import dev.ebb.core.state.ApiToken;
import dev.ebb.core.state.AuditEntry;
import dev.ebb.core.state.ServerLog;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.TokenRole;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code ebb serve}'s tables in PostgreSQL (V20): {@code api_tokens} (hashes only) and {@code audit_log}. */
final class PostgresServerLog implements ServerLog {
    private static final String SELECT_TOKENS =
            "SELECT name, role, hash, created_at, expires_at, revoked_at FROM api_tokens";

    private final Postgres db;

    PostgresServerLog(Postgres db) {
        this.db = db;
    }

    @Override
    public long audit(AuditEntry e) throws StateException {
        long[] id = new long[1];
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO audit_log (acted_at, actor, action, sync, run_id, detail) VALUES (?, ?, ?, ?, ?, ?)
                    RETURNING id""")) {
                ps.setObject(1, Postgres.at(e.at()));
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
                    WHERE ?::text IS NULL OR sync = ? ORDER BY id DESC LIMIT ? OFFSET ?""")) {
                ps.setString(1, sync);
                ps.setString(2, sync);
                ps.setInt(3, limit);
                ps.setInt(4, offset);
                List<AuditEntry> entries = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long runId = rs.getLong("run_id");
                        Long run = rs.wasNull() ? null : runId;
                        entries.add(new AuditEntry(rs.getLong("id"), PostgresRunLog.instant(rs, "acted_at"),
                                rs.getString("actor"), rs.getString("action"), rs.getString("sync"), run,
                                rs.getString("detail")));
                    }
                }
                return entries;
            }
        });
    }

    @Override
    public void saveToken(ApiToken t) throws StateException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO api_tokens (name, role, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)""")) {
                ps.setString(1, t.name());
                ps.setString(2, t.role().label());
                ps.setString(3, t.hash());
                ps.setObject(4, Postgres.at(t.createdAt()));
                ps.setObject(5, Postgres.at(t.expiresAt()));
                ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<ApiToken> tokenByHash(String hash) throws StateException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_TOKENS + " WHERE hash = ?")) {
                ps.setString(1, hash);
                return tokens(ps).stream().findFirst();
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
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
                ps.setObject(1, Postgres.at(now));
                ps.setString(2, name);
                changed[0] = ps.executeUpdate();
            }
        });
        return changed[0] > 0;
    }

    private static List<ApiToken> tokens(PreparedStatement ps) throws SQLException {
        List<ApiToken> tokens = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tokens.add(new ApiToken(rs.getString("name"), TokenRole.of(rs.getString("role")), rs.getString("hash"),
                        PostgresRunLog.instant(rs, "created_at"), PostgresRunLog.instant(rs, "expires_at"),
                        PostgresRunLog.instant(rs, "revoked_at")));
            }
        }
        return tokens;
    }
}
