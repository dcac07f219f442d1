package dev.ebb.connector.postgres;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** SQL spelling shared by the statements: quoted identifiers, and values in the text form PostgreSQL parses. */
final class Sql {
    private Sql() {
    }

    /** An identifier, quoted, so that any table or column name works as it is spelled. */
    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * A value as PostgreSQL's input functions read it; the statement casts it to the column's type, so that a value
     * the column cannot take is refused by the server, for that row. Numbers drop trailing zeros ({@code 3.00}
     * becomes {@code 3}, which an integer column takes); instants are ISO-8601 in UTC.
     */
    static String text(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case BigDecimal d -> d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
            case Double d when Double.isFinite(d) -> text(BigDecimal.valueOf(d));
            case Float f when Float.isFinite(f) -> text(new BigDecimal(Float.toString(f)));
            default -> value.toString();
        };
    }

    /** A {@code text[]} parameter. */
    static java.sql.Array textArray(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray(String[]::new));
    }
}
