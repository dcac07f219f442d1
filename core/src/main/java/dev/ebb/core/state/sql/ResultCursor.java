package dev.ebb.core.state.sql;

import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.StateException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Function;

/**
 * A query's rows one at a time, for the stores whose state is SQL: the statement and its result close together.
 * One thread at a time.
 */
public final class ResultCursor<T> implements RowCursor<T> {

    /** Reads the current row. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final Statement statement;
    private final ResultSet rows;
    private final RowReader<T> reader;
    private final Function<SQLException, StateException> failed;

    /**
     * Runs {@code sql} on {@code statement} (set up by the caller: a fetch size, say).
     *
     * @param failed what a failure means, in the store's words
     */
    public ResultCursor(Statement statement, String sql, RowReader<T> reader,
                        Function<SQLException, StateException> failed) throws StateException {
        this.statement = statement;
        this.reader = reader;
        this.failed = failed;
        try {
            rows = statement.executeQuery(sql);
        } catch (SQLException e) {
            throw failed.apply(e);
        }
    }

    @Override
    public T next() throws StateException {
        try {
            return rows.next() ? reader.read(rows) : null;
        } catch (SQLException e) {
            throw failed.apply(e);
        }
    }

    @Override
    public void close() throws StateException {
        try {
            rows.close();
            statement.close();
        } catch (SQLException e) {
            throw failed.apply(e);
        }
    }
}
