package dev.ebb.core.state.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Inserts rows into a table a few hundred at a time, as one multi-row {@code INSERT … VALUES} each: what every JDBC
 * driver sends as one statement (a batch of single-row inserts is one round trip per row on some). Not thread-safe.
 */
final class RowInserter implements AutoCloseable {
    /** Rows per statement: few enough to stay far below any driver's limit of parameters (PostgreSQL's 65,535). */
    private static final int ROWS = 256;

    private final Connection connection;
    private final String table;
    private final int columns;
    private final List<Object> pending = new ArrayList<>();
    private PreparedStatement full;

    RowInserter(Connection connection, String table, int columns) {
        this.connection = connection;
        this.table = table;
        this.columns = columns;
    }

    /** Adds one row: {@code values} in the table's column order. */
    void add(Object... values) throws SQLException {
        if (values.length != columns) {
            throw new IllegalArgumentException(table + " takes " + columns + " values, not " + values.length);
        }
        for (Object value : values) pending.add(value == null ? NULL : value);
        if (pending.size() == ROWS * columns) {
            if (full == null) full = connection.prepareStatement(sql(ROWS));
            run(full);
        }
    }

    /** Inserts what is pending. */
    void flush() throws SQLException {
        if (pending.isEmpty()) return;
        try (PreparedStatement rest = connection.prepareStatement(sql(pending.size() / columns))) {
            run(rest);
        }
    }

    private void run(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < pending.size(); i++) {
            Object value = pending.get(i);
            if (value == NULL) statement.setNull(i + 1, java.sql.Types.NULL);
            else statement.setObject(i + 1, value);
        }
        statement.executeUpdate();
        pending.clear();
    }

    private String sql(int rows) {
        String tuple = "(" + "?, ".repeat(columns - 1) + "?)";
        return "INSERT INTO " + table + " VALUES " + String.join(", ", java.util.Collections.nCopies(rows, tuple));
    }

    /** A null, kept apart in the pending list from a value. */
    private static final Object NULL = new Object();

    @Override
    public void close() throws SQLException {
        flush();
        if (full != null) full.close();
    }
}
