package dev.ebb.core.state.postgres;

import dev.ebb.core.state.StateException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * What a failure of the PostgreSQL store means for the user, by the SQLSTATE the server (or the driver) gives: an
 * unreachable server, a refused sign-in, a missing database, a right Ebb lacks. Messages name the server, database,
 * user and schema, never the password. Immutable.
 *
 * @param server where the store is, {@code host[:port]/database}
 */
record PostgresFailures(String server, String database, String user, String schema) {

    /** The store as messages name it. */
    String shown() {
        return "the PostgreSQL state store (schema " + schema + " on " + server + ")";
    }

    /** A failure while opening the store: connecting, signing in, creating or migrating its schema. */
    StateException opening(SQLException e) {
        String state = sqlState(e);
        String reason = firstLine(e.getMessage());
        if (state.startsWith("08") || state.equals("57P03") || causedBy(e, ConnectException.class)
                || causedBy(e, UnknownHostException.class)) {
            return new StateException(StateException.Kind.UNREACHABLE, "cannot reach the PostgreSQL server of the "
                    + "state store at " + server + " (" + reason + "): check state.url in ebb.yaml, and that the "
                    + "server runs and accepts connections from this machine", e);
        }
        if (state.equals("28P01") || state.equals("28000")) {
            return new StateException(StateException.Kind.DENIED, "the PostgreSQL server at " + server + " refused "
                    + "the sign-in of user '" + user + "' for the state store (" + reason + "): check state.user and "
                    + "state.password in ebb.yaml (and the variable or file the password comes from)", e);
        }
        if (state.equals("3D000")) {
            return new StateException(StateException.Kind.DENIED, "the database '" + database + "' of the state "
                    + "store does not exist on " + server + ": create it (CREATE DATABASE " + database + "), or "
                    + "correct state.url in ebb.yaml", e);
        }
        if (state.equals("53300")) {
            return new StateException(StateException.Kind.UNREACHABLE, "the PostgreSQL server at " + server
                    + " accepts no more connections (" + reason + "): raise its max_connections, or run fewer Ebb "
                    + "processes at once (each keeps up to " + Postgres.POOL_SIZE + " connections, and one for its "
                    + "locks)", e);
        }
        return failed(e);
    }

    /** A failure of a statement of the store's work. */
    StateException failed(SQLException e) {
        String state = sqlState(e);
        if (state.equals("42501")) {
            return new StateException(StateException.Kind.DENIED, "user '" + user + "' lacks a right on schema "
                    + schema + " of the state store (" + firstLine(e.getMessage()) + "): ask an administrator of "
                    + server + " to run CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION " + user
                    + ", or GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + user + " and GRANT SELECT, INSERT, "
                    + "UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + user, e);
        }
        if (state.equals("3F000")) {
            return new StateException(StateException.Kind.DENIED, "schema " + schema + " of the state store does not "
                    + "exist on " + server + ", and user '" + user + "' may not create it: ask an administrator to "
                    + "run CREATE SCHEMA " + schema + " AUTHORIZATION " + user, e);
        }
        if (state.startsWith("08") || state.startsWith("57P")) {
            return new StateException(StateException.Kind.UNREACHABLE, "lost the connection to " + shown() + " ("
                    + firstLine(e.getMessage()) + "); rows whose outcome could not be recorded are sent again by the "
                    + "next run", e);
        }
        if (state.equals("53100")) {
            return new StateException(StateException.Kind.DISK_FULL, "the disk of " + shown() + " is full ("
                    + firstLine(e.getMessage()) + "): free some space, then run again. Nothing the destination "
                    + "acknowledged is lost: rows whose outcome could not be recorded are sent again by the next run.",
                    e);
        }
        return new StateException(shown() + " failed: " + firstLine(e.getMessage()), e);
    }

    private static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) return sql.getSQLState();
        }
        return "";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }

    static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
