package dev.ebb.connector.jdbc.internal;

import java.util.Objects;

/**
 * What a vendor changes in how a {@link JdbcSource} runs and reads models.
 *
 * @param dialect   the SQL dialect the runtime may push its own SQL to ({@code dev.ebb.spi.SqlEngine}'s names)
 * @param codes     the vendor's error codes, read before the standard SQLSTATEs
 * @param types     the vendor's type mapping, consulted before the JDBC type's
 * @param fetchSize rows the driver fetches per round trip: the most a stream holds at once
 */
public record JdbcProfile(String dialect, VendorCodes codes, JdbcTypes.TypeRule types, int fetchSize) {
    public JdbcProfile {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(codes, "codes");
        Objects.requireNonNull(types, "types");
        if (fetchSize < 1) throw new IllegalArgumentException("fetchSize must be positive");
    }
}
