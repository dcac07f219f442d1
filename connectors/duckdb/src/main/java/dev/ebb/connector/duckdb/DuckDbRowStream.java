package dev.ebb.connector.duckdb;

import dev.ebb.spi.Column;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SourceRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Rows pulled from a streaming DuckDB result, one vector in memory at a time. The row object and its values array
 * are reused: a row is valid until the next call, as {@link SourceRow} allows. Not thread-safe.
 */
final class DuckDbRowStream implements RowStream {
    private final String source;
    private final PreparedStatement statement;
    private final ResultSet result;
    private final List<Column> columns;
    private final DuckDbTypes.ValueReader[] readers;
    private final Object[] values;
    private final SourceRow row;
    private boolean closed;

    DuckDbRowStream(String source, PreparedStatement statement, ResultSet result,
                    List<DuckDbTypes.TypedColumn> typed) {
        this.source = source;
        this.statement = statement;
        this.result = result;
        this.columns = typed.stream().map(DuckDbTypes.TypedColumn::column).toList();
        this.readers = typed.stream().map(DuckDbTypes.TypedColumn::reader).toArray(DuckDbTypes.ValueReader[]::new);
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
            if (!result.next()) {
                return null;
            }
            for (int i = 0; i < readers.length; i++) {
                values[i] = readers[i].read(result, i + 1);
            }
            return row;
        } catch (SQLException e) {
            throw new SourceException("source '" + source + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws SourceException {
        if (closed) {
            return;
        }
        closed = true;
        try (statement; result) {
            // Closing a streaming result stops DuckDB's query; what it had not produced is never computed.
        } catch (SQLException e) {
            throw new SourceException("source '" + source + "': closing the result failed: " + e.getMessage(), e);
        }
    }
}
