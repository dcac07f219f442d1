package dev.ebb.connector.jdbc.internal;

import dev.ebb.spi.SourceException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Classifies a driver's failure by SQLSTATE, vendor error code and exception type, never by message text. The
 * standard classes (ISO/IEC 9075 SQLSTATEs, which PostgreSQL, Redshift, Databricks and MySQL follow for these) are
 * read after the vendor's own codes. Stateless.
 */
public final class SqlProblems {
    private SqlProblems() {
    }

    /** The problem the failure names anywhere in its chain (causes and next exceptions), or empty. */
    public static Optional<SqlProblem> problem(Throwable failure, VendorCodes vendor) {
        List<Throwable> chain = chain(failure);
        // Specific codes first, wherever they are: a pool's "connection not available" wraps the server's 28P01.
        for (Throwable link : chain) {
            if (link instanceof SQLException sql) {
                Optional<SqlProblem> named = vendor.problem(sql).or(() -> byState(sql.getSQLState()));
                if (named.isPresent()) return named;
            }
        }
        for (Throwable link : chain) {
            Optional<SqlProblem> typed = byType(link);
            if (typed.isPresent()) return typed;
        }
        return Optional.empty();
    }

    /**
     * A failure to connect or to check the connection: always "could not run" ({@link SourceException#unreachable()
     * unreachable}), with what is wrong when the driver says.
     */
    public static SourceException ofConnect(String source, SQLException e, VendorCodes vendor) {
        Optional<SqlProblem> problem = problem(e, vendor);
        String what = problem.map(p -> "cannot connect (" + p.label() + "): ").orElse("cannot connect: ");
        return new SourceException("source '" + source + "': " + what + message(e)
                + problem.map(p -> "; " + p.fix()).orElse(""), e, true);
    }

    /**
     * A failure of a model's query: "could not run" when it is about the connection or grants (network,
     * authentication, permission, a missing schema or table), otherwise the model's own error (a typo, a missing
     * column), which is not unreachable.
     */
    public static SourceException ofQuery(String source, SQLException e, VendorCodes vendor) {
        Optional<SqlProblem> problem = problem(e, vendor);
        return problem.map(p -> new SourceException("source '" + source + "': " + p.label() + ": " + message(e)
                        + "; " + p.fix(), e, true))
                .orElseGet(() -> new SourceException("source '" + source + "': " + message(e), e, false));
    }

    /** The driver's message with the SQLSTATE and vendor code, which a search finds the vendor's page by. */
    static String message(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String code = e.getErrorCode() == 0 ? "" : Integer.toString(e.getErrorCode());
        String tag = state.isEmpty() && code.isEmpty() ? ""
                : " [" + state + (state.isEmpty() || code.isEmpty() ? "" : " ") + code + "]";
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return text + tag;
    }

    private static Optional<SqlProblem> byState(String state) {
        if (state == null || state.length() != 5) return Optional.empty();
        return switch (state) {
            case "42501" -> Optional.of(SqlProblem.PERMISSION);      // insufficient_privilege
            case "3D000" -> Optional.of(SqlProblem.MISSING_DATABASE); // invalid_catalog_name
            case "3F000" -> Optional.of(SqlProblem.MISSING_SCHEMA);   // invalid_schema_name
            case "42P01", "42S02" -> Optional.of(SqlProblem.MISSING_TABLE); // undefined_table; ODBC's "not found"
            default -> switch (state.substring(0, 2)) {
                case "28" -> Optional.of(SqlProblem.AUTHENTICATION);  // invalid authorization specification
                case "08" -> Optional.of(SqlProblem.NETWORK);         // connection exception
                default -> Optional.empty();
            };
        };
    }

    private static Optional<SqlProblem> byType(Throwable link) {
        if (link instanceof SQLInvalidAuthorizationSpecException) return Optional.of(SqlProblem.AUTHENTICATION);
        if (link instanceof SQLNonTransientConnectionException || link instanceof SQLTransientConnectionException
                || link instanceof ConnectException || link instanceof UnknownHostException
                || link instanceof NoRouteToHostException || link instanceof SocketTimeoutException
                || link instanceof SSLException) {
            return Optional.of(SqlProblem.NETWORK);
        }
        return Optional.empty();
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        List<Throwable> pending = new ArrayList<>(List.of(failure));
        while (!pending.isEmpty() && chain.size() < 32) {
            Throwable next = pending.remove(0);
            if (next == null || chain.contains(next)) continue;
            chain.add(next);
            pending.add(next.getCause());
            if (next instanceof SQLException sql) pending.add(sql.getNextException());
        }
        return chain;
    }
}
