package dev.ebb.core.state.warehouse;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Inserts rows into a table many thousands at a time, each time as one statement with one array parameter per
 * column, unnested: {@code INSERT INTO t SELECT unnest(CAST(? AS VARCHAR[])), unnest(CAST(? AS BIGINT[])), …}
 * (DuckDB and PostgreSQL both zip the unnests of one select list). A multi-row {@code INSERT … VALUES} of bound
 * parameters costs DuckDB tens of microseconds a row to bind, which made a batch commit's staging of 50,000 rows
 * take seconds; arrays take a tenth of that, and PostgreSQL one round trip per flush. The arrays' element types are
 * the table's own column types, read once from the table. Not thread-safe.
 */
final class RowInserter implements AutoCloseable {
    /** Rows per statement: bounds the arrays each statement binds (a batch's rows are in the heap anyway). */
    private static final int ROWS = 16_384;

    private final Connection connection;
    private final String table;
    private final List<List<Object>> pending;
    private String[] types;
    private PreparedStatement insert;

    RowInserter(Connection connection, String table, int columns) {
        this.connection = connection;
        this.table = table;
        this.pending = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) pending.add(new ArrayList<>());
    }

    /** Adds one row: {@code values} in the table's column order. */
    void add(Object... values) throws SQLException {
        if (values.length != pending.size()) {
            throw new IllegalArgumentException(table + " takes " + pending.size() + " values, not " + values.length);
        }
        for (int i = 0; i < values.length; i++) pending.get(i).add(values[i]);
        if (pending.getFirst().size() == ROWS) flush();
    }

    /** Inserts what is pending. */
    void flush() throws SQLException {
        if (pending.getFirst().isEmpty()) return;
        if (insert == null) insert = connection.prepareStatement(sql());
        for (int i = 0; i < pending.size(); i++) {
            List<Object> column = pending.get(i);
            Array values = connection.createArrayOf(types[i], column.toArray());
            insert.setArray(i + 1, values);
            column.clear();
        }
        insert.executeUpdate();
    }

    private String sql() throws SQLException {
        types = columnTypes();
        List<String> columns = new ArrayList<>(types.length);
        for (String type : types) columns.add("unnest(CAST(? AS " + type + "[]))");
        return "INSERT INTO " + table + " SELECT " + String.join(", ", columns);
    }

    /** The table's column types as the engine names them (DuckDB {@code VARCHAR}, PostgreSQL {@code varchar}). */
    private String[] columnTypes() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            if (meta.getColumnCount() != pending.size()) {
                throw new IllegalArgumentException(table + " has " + meta.getColumnCount() + " columns, not "
                        + pending.size());
            }
            String[] names = new String[pending.size()];
            for (int i = 0; i < names.length; i++) names[i] = meta.getColumnTypeName(i + 1);
            return names;
        }
    }

    @Override
    public void close() throws SQLException {
        flush();
        if (insert != null) insert.close();
    }
}
