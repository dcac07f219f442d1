package dev.ebb.connector.duckdb;

import dev.ebb.spi.SourceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Makes sure a model's SQL is exactly one query before anything runs it, so that a model can never write: not to a
 * database, not to a file ({@code COPY … TO}), not by attaching another database. Stateless.
 *
 * <p>The check has to come before the driver sees the SQL: DuckDB's JDBC driver executes every statement but the
 * last when it <em>prepares</em> a multi-statement string, so {@code DROP TABLE t; SELECT 1} would drop the table
 * while being prepared. DuckDB's own parser decides instead, without executing anything, through {@code
 * json_serialize_sql}: it serialises only queries, one entry per statement, and reports syntax errors with their
 * position.
 */
final class ModelQuery {
    private static final String PARSE = """
            SELECT parsed->>'$.error', parsed->>'$.error_type', parsed->>'$.error_message', parsed->>'$.position',
                   json_array_length(parsed, '$.statements')
            FROM (SELECT json_serialize_sql(?::VARCHAR) AS parsed)""";

    private ModelQuery() {
    }

    private record Parsed(boolean error, String errorType, String message, int position, int statements) {
    }

    /**
     * The SQL to run for the model: the model itself, without trailing semicolons. A {@code PIVOT} without an
     * {@code IN} list is refused: DuckDB runs it as several statements (it creates a type for the values it finds).
     *
     * @throws SourceException when the SQL is empty, is not a query, holds several statements, or does not parse
     */
    static String check(Connection connection, String source, String sql) throws SourceException {
        String statement = withoutTrailingSemicolons(sql);
        Parsed parsed = parse(connection, source, statement);
        if (!parsed.error()) {
            return switch (parsed.statements()) {
                case 0 -> throw new SourceException("source '" + source + "': the model's SQL is empty", null);
                case 1 -> statement;
                default -> throw new SourceException("source '" + source + "': a model is one query, and this SQL"
                        + " holds " + parsed.statements() + " statements; keep only the query", null);
            };
        }
        if ("parser".equals(parsed.errorType())) {
            throw new SourceException("source '" + source + "': Parser Error: " + parsed.message()
                    + excerpt(statement, parsed.position()), null);
        }
        if (!"not implemented".equals(parsed.errorType())) {
            throw new SourceException("source '" + source + "': DuckDB cannot check the model's SQL ("
                    + parsed.errorType() + "): " + parsed.message(), null);
        }
        // "Only SELECT statements can be serialized": the SQL holds a statement of another kind.
        throw new SourceException("source '" + source + "': a model must be a single query (SELECT, WITH …"
                + " SELECT, FROM …, VALUES, or a PIVOT that lists its values: PIVOT t ON c IN (…)); DuckDB reads this"
                + " SQL as another kind of statement. Models run read-only: they cannot create, insert, update,"
                + " delete, copy or attach", null);
    }

    private static Parsed parse(Connection connection, String source, String sql) throws SourceException {
        try (PreparedStatement statement = connection.prepareStatement(PARSE)) {
            statement.setString(1, sql);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                String position = result.getString(4);
                return new Parsed("true".equals(result.getString(1)), result.getString(2), result.getString(3),
                        position == null ? -1 : Integer.parseInt(position), result.getInt(5));
            }
        } catch (SQLException | NumberFormatException e) {
            throw new SourceException("source '" + source + "': cannot check the model's SQL: " + e.getMessage(), e);
        }
    }

    /** DuckDB's own layout for a parser error: the line, and a caret under the character. */
    private static String excerpt(String sql, int position) {
        if (position < 0 || position > sql.length()) {
            return "";
        }
        int lineStart = sql.lastIndexOf('\n', position - 1) + 1;
        int lineEnd = sql.indexOf('\n', position);
        String line = sql.substring(lineStart, lineEnd < 0 ? sql.length() : lineEnd);
        long lineNumber = sql.substring(0, lineStart).chars().filter(c -> c == '\n').count() + 1;
        String prefix = "LINE " + lineNumber + ": ";
        return "\n\n" + prefix + line + "\n" + " ".repeat(prefix.length() + position - lineStart) + "^";
    }

    static String withoutTrailingSemicolons(String sql) {
        String trimmed = sql.stripTrailing();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).stripTrailing();
        }
        return trimmed;
    }
}
