package dev.ebb.connector.jdbc.internal;

import java.sql.SQLException;
import java.util.Optional;

/**
 * A vendor's own error codes ({@link SQLException#getErrorCode()}, or a SQLSTATE it uses in its own sense), read
 * before the standard SQLSTATE classes. Stateless.
 */
@FunctionalInterface
public interface VendorCodes {
    /** No vendor rule: only the standard SQLSTATEs and exception types count. */
    VendorCodes NONE = e -> Optional.empty();

    /** The problem {@code e} (one link of a chain) names by the vendor's codes, or empty. */
    Optional<SqlProblem> problem(SQLException e);
}
