package dev.ebb.connector.jdbc.internal;

import dev.ebb.spi.Column;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SourceRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Rows pulled from a forward-only result that the driver fetches {@link JdbcProfile#fetchSize()} at a time (a
 * server-side cursor where the driver has one), inside the read-only transaction the query opened. The row object
 * and its values array are reused: a row is valid until the next call, as {@link SourceRow} allows. Closing ends
 * the transaction (rolled back: it only read) and hands the connection back to the pool. Not thread-safe.
 */
final class JdbcRowStream implements RowStream {
    private final String source;
    private final VendorCodes codes;
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet result;
    private final List<Column> columns;
    private final JdbcTypes.ValueReader[] readers;
    private final Object[] values;
    private final SourceRow row;
    private boolean closed;

    JdbcRowStream(String source, VendorCodes codes, Connection connection, PreparedStatement statement,
                  ResultSet result, List<JdbcTypes.TypedColumn> typed) {
        this.source = source;
        this.codes = codes;
        this.connection = connection;
        this.statement = statement;
        this.result = result;
        this.columns = typed.stream().map(JdbcTypes.TypedColumn::column).toList();
        this.readers = typed.stream().map(JdbcTypes.TypedColumn::reader).toArray(JdbcTypes.ValueReader[]::new);
        this.values = new Object[typed.size()];
        this.row = index -> values[index];
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public SourceRow next() throws SourceException {
        if (closed) {
            throw new SourceException("source '" + source + "': the stream is closed (another query started on"
                    + " this source, or it was closed)", null);
        }
        try {
            if (!result.next()) return null;
            for (int i = 0; i < readers.length; i++) {
                values[i] = readers[i].read(result, i + 1);
            }
            return row;
        } catch (SQLException e) {
            throw SqlProblems.ofQuery(source, e, codes);
        }
    }

    @Override
    public void close() throws SourceException {
        if (closed) return;
        closed = true;
        JdbcSource.release(source, connection, statement, result);
    }
}
