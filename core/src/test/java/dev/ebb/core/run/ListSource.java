package dev.ebb.core.run;

import dev.ebb.spi.Column;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SourceRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A source whose model is a list of rows held by the test. */
final class ListSource implements Source {
    final List<Column> columns;
    final List<Object[]> rows = new ArrayList<>();
    SourceException failure;

    ListSource(List<Column> columns) {
        this.columns = columns;
    }

    @Override
    public List<Column> describe(String sql) throws SourceException {
        if (failure != null) throw failure;
        return columns;
    }

    @Override
    public RowStream query(String sql) throws SourceException {
        if (failure != null) throw failure;
        Iterator<Object[]> it = new ArrayList<>(rows).iterator();
        return new RowStream() {
            @Override
            public List<Column> columns() {
                return columns;
            }

            @Override
            public SourceRow next() {
                if (!it.hasNext()) return null;
                Object[] row = it.next();
                return i -> row[i];
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
    }
}
