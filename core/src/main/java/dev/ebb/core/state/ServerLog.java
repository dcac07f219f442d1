package dev.ebb.core.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ebb serve} keeps in the state store besides runs: its API tokens (hashed) and the audit log of the
 * actions taken through it. A store that does not keep them answers each call with a {@link StateException} that
 * says so, which is what these defaults do.
 */
public interface ServerLog {

    /** Records an action; returns its id. */
    default long audit(AuditEntry entry) throws StateException {
        throw unsupported();
    }

    /** The audit log, newest first; {@code sync} may be null for every sync. */
    default List<AuditEntry> auditEntries(String sync, int offset, int limit) throws StateException {
        throw unsupported();
    }

    /** Stores a new token; its name must be new. */
    default void saveToken(ApiToken token) throws StateException {
        throw unsupported();
    }

    /** The token whose SHA-256 is {@code hash}, revoked or expired ones included. */
    default Optional<ApiToken> tokenByHash(String hash) throws StateException {
        throw unsupported();
    }

    /** Every token, oldest first. */
    default List<ApiToken> tokens() throws StateException {
        throw unsupported();
    }

    /** Revokes the token named {@code name}; returns whether there was one not yet revoked. */
    default boolean revokeToken(String name, Instant now) throws StateException {
        throw unsupported();
    }

    private StateException unsupported() {
        return new StateException("this state store (" + getClass().getSimpleName() + ") keeps no API tokens or"
                + " audit log yet; use the embedded store for ebb serve", null);
    }
}
