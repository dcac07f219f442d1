package dev.ebb.core.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ebb serve} keeps in the state store besides runs: its API tokens (hashed) and the audit log of the
 * actions taken through it. Every store keeps them (the embedded DuckDB file, PostgreSQL), so that a team server and
 * a laptop answer the same API.
 */
public interface ServerLog {

    /** Records an action; returns its id. */
    long audit(AuditEntry entry) throws StateException;

    /** The audit log, newest first; {@code sync} may be null for every sync. */
    List<AuditEntry> auditEntries(String sync, int offset, int limit) throws StateException;

    /** Stores a new token; its name must be new. */
    void saveToken(ApiToken token) throws StateException;

    /** The token whose SHA-256 is {@code hash}, revoked or expired ones included. */
    Optional<ApiToken> tokenByHash(String hash) throws StateException;

    /** Every token, oldest first. */
    List<ApiToken> tokens() throws StateException;

    /** Revokes the token named {@code name}; returns whether there was one not yet revoked. */
    boolean revokeToken(String name, Instant now) throws StateException;
}
