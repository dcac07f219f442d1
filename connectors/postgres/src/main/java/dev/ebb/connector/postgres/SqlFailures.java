package dev.ebb.connector.postgres;

import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.TransientException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;

/**
 * What PostgreSQL's refusals mean, by SQLSTATE (its error codes,
 * https://www.postgresql.org/docs/current/errcodes-appendix.html), never by message text.
 */
final class SqlFailures {
    private SqlFailures() {
    }

    /**
     * Whether the error is about the values of the row being written (class 22 data exception, class 23 integrity
     * constraint violation, a trigger's RAISE in class P0): the same statement without that row would succeed.
     */
    static boolean aboutTheRow(SQLException e) {
        String state = state(e);
        return state.startsWith("22") || state.startsWith("23") || state.startsWith("P0");
    }

    /** The reason a refused row carries: the SQLSTATE and the server's message, without its detail (row values). */
    static String reason(SQLException e) {
        String message = e instanceof PSQLException psql && psql.getServerErrorMessage() != null
                ? message(psql.getServerErrorMessage()) : e.getMessage();
        return state(e) + ": " + message;
    }

    /** A failure while connecting: the server could not be reached, or refused who we are. */
    static DestinationException ofConnect(SQLException e) {
        String state = state(e);
        // 08001: the driver could not open a connection (refused, timed out, unknown host).
        if (state.equals("08001")) {
            return new TransientException("cannot connect to PostgreSQL: " + e.getMessage(), e, true);
        }
        return ofCall(e);
    }

    /** A failure of a statement or a commit. */
    static DestinationException ofCall(SQLException e) {
        String state = state(e);
        String reason = reason(e);
        String stateClass = state.length() >= 2 ? state.substring(0, 2) : state;
        return switch (stateClass) {
            // Connection lost, transaction rolled back (serialization, deadlock), out of resources, operator
            // intervention (shutdown, statement timeout), system errors: another attempt may succeed.
            case "08", "40", "53", "57", "58" -> new TransientException(reason, e, false);
            case "28" -> new PermanentException(reason + " (check the destination's user and password)", e);
            case "3D" -> new PermanentException(reason + " (check the database name in the destination's url)", e);
            case "42" -> state.equals("42501")
                    ? new PermanentException(reason + " (grant the destination's user SELECT, INSERT, UPDATE and "
                            + "DELETE on the table)", e)
                    : new PermanentException(reason, e);
            case "55" -> state.equals("55P03") ? new TransientException(reason, e, false)
                    : new PermanentException(reason, e);
            default -> new PermanentException(reason, e);
        };
    }

    private static String message(ServerErrorMessage server) {
        return server.getMessage();
    }

    private static String state(SQLException e) {
        return e.getSQLState() == null ? "" : e.getSQLState();
    }
}
