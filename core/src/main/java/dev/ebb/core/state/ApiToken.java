package dev.ebb.core.state;

import java.time.Instant;

/**
 * An API token of {@code ebb serve}, as stored: never the token itself, only its SHA-256.
 *
 * @param name      the name it was created with, shown in the audit log
 * @param role      what it may do
 * @param hash      the SHA-256 of the token, in hex
 * @param createdAt when it was created
 * @param expiresAt when it stops being accepted
 * @param revokedAt when it was revoked, or {@code null}
 */
public record ApiToken(String name, TokenRole role, String hash, Instant createdAt, Instant expiresAt,
                       Instant revokedAt) {
}
