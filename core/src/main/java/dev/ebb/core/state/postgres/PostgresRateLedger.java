package dev.ebb.core.state.postgres;

import dev.ebb.core.state.RateLedger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The rate ledger every worker on one PostgreSQL state store shares (tables {@code rate_accounts} and
 * {@code rate_grants}, migration V10): each call is booked in one short transaction that locks the account's row, so
 * bookings of one account are serialised across processes and the calls granted in any window, by all workers
 * together, never exceed its allowance.
 *
 * <p>Instants are on the database's clock ({@code clock_timestamp()} read once the row is locked), so workers on
 * machines whose clocks disagree still share one timeline; the wait a booking returns is relative to that instant,
 * and the round trip back only makes the call later, never earlier.
 *
 * <p>A booking costs about five statements on a connection borrowed from the store's pool. Thread-safe: bookings of
 * one account wait for each other on its row, others go side by side.
 */
public final class PostgresRateLedger implements RateLedger {

    /** Where the ledger borrows a connection for each booking; it closes the connection when done. */
    @FunctionalInterface
    public interface Connections {
        /** A connection to the state store's database, its tables on the search path. */
        Connection open() throws SQLException;
    }

    private final Connections connections;

    /** The ledger in {@code store}'s schema, on the store's pool. */
    public static PostgresRateLedger of(PostgresStateStore store) {
        return new PostgresRateLedger(store::connect);
    }

    public PostgresRateLedger(Connections connections) {
        this.connections = connections;
    }

    @Override
    public Duration book(String account, List<Allowance> windows, Duration notBefore) {
        return inTransaction("book a call of destination account " + account,
                c -> book(c, account, windows, notBefore));
    }

    @Override
    public void pause(String account, Duration wait) {
        inTransaction("share a throttle's pause of destination account " + account, c -> {
            try (PreparedStatement st = c.prepareStatement("""
                    INSERT INTO rate_accounts (account, paused_until)
                    VALUES (?, clock_timestamp() + make_interval(secs => ?))
                    ON CONFLICT (account) DO UPDATE
                    SET paused_until = greatest(rate_accounts.paused_until, EXCLUDED.paused_until)""")) {
                st.setString(1, account);
                st.setDouble(2, wait.toNanos() / 1e9);
                return st.executeUpdate();
            }
        });
    }

    /** Work inside one transaction of the ledger's connection. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(String what, Work<T> work) {
        try (Connection c = connections.open()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
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
        } catch (SQLException e) {
            throw new IllegalStateException("could not " + what + " in the state store's rate ledger (PostgreSQL): "
                    + e.getMessage(), e);
        }
    }

    private static Duration book(Connection c, String account, List<Allowance> windows, Duration notBefore)
            throws SQLException {
        Instant now;
        Instant from;
        // Upserting the account's row locks it until the commit; RETURNING reads the clock once the lock is held.
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO rate_accounts (account) VALUES (?)
                ON CONFLICT (account) DO UPDATE SET account = EXCLUDED.account
                RETURNING clock_timestamp(), paused_until, last_grant""")) {
            st.setString(1, account);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                now = rs.getObject(1, OffsetDateTime.class).toInstant();
                from = latest(now.plus(notBefore), instant(rs, 2), instant(rs, 3));
            }
        }
        Instant at;
        try (PreparedStatement nth = c.prepareStatement("""
                SELECT granted_at FROM rate_grants WHERE account = ? AND granted_at > ?
                ORDER BY granted_at DESC OFFSET ? LIMIT 1""")) {
            at = RateLedger.schedule(from, windows, (n, horizon) -> {
                try {
                    nth.setString(1, account);
                    nth.setObject(2, OffsetDateTime.ofInstant(horizon, ZoneOffset.UTC));
                    nth.setInt(3, n - 1);
                    try (ResultSet rs = nth.executeQuery()) {
                        return rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant() : null;
                    }
                } catch (SQLException e) {
                    throw new Unchecked(e);
                }
            });
        } catch (Unchecked e) {
            throw e.sql;
        }
        // timestamptz keeps microseconds: round up, so that the stored grant is never earlier than the call.
        Instant truncated = at.truncatedTo(ChronoUnit.MICROS);
        Instant grant = truncated.equals(at) ? at : truncated.plus(1, ChronoUnit.MICROS);
        Duration longest = windows.stream().map(Allowance::span).max(Duration::compareTo).orElse(Duration.ZERO);
        try (PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO rate_grants (account, granted_at) VALUES (?, ?)");
             PreparedStatement last = c.prepareStatement(
                     "UPDATE rate_accounts SET last_grant = ? WHERE account = ?");
             PreparedStatement prune = c.prepareStatement(
                     "DELETE FROM rate_grants WHERE account = ? AND granted_at <= ?")) {
            OffsetDateTime granted = OffsetDateTime.ofInstant(grant, ZoneOffset.UTC);
            insert.setString(1, account);
            insert.setObject(2, granted);
            insert.executeUpdate();
            last.setObject(1, granted);
            last.setString(2, account);
            last.executeUpdate();
            // Grants older than the longest window never count again.
            prune.setString(1, account);
            prune.setObject(2, OffsetDateTime.ofInstant(now.minus(longest), ZoneOffset.UTC));
            prune.executeUpdate();
        }
        return Duration.between(now, grant);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? Instant.MIN : value.toInstant();
    }

    private static Instant latest(Instant a, Instant b, Instant c) {
        Instant ab = a.isAfter(b) ? a : b;
        return ab.isAfter(c) ? ab : c;
    }

    /** Carries a statement's failure out of {@link RateLedger#schedule}'s callback. */
    private static final class Unchecked extends RuntimeException {
        final SQLException sql;

        Unchecked(SQLException sql) {
            super(sql);
            this.sql = sql;
        }
    }
}
