package dev.ebb.testkit;

import dev.ebb.spi.Column;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceConnector;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SourceRow;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The conformance suite every source connector extends: a model's columns are described without reading its rows,
 * rows stream one at a time and the stream says when it is over, a query the source cannot run is a
 * {@link SourceException} that says why (and is not "unreachable"), and closing a stream or a source twice is
 * harmless. A connector's test supplies the connector, settings for a source that can run {@link #query()}, and what
 * that query returns.
 */
public abstract class SourceContractTest {

    /** The connector under test. */
    protected abstract SourceConnector connector();

    /** The project folder relative settings are resolved against. */
    protected abstract Path projectRoot();

    /** Settings of a source that can run {@link #query()}; called before each test, after any set-up. */
    protected Map<String, String> sourceSettings() {
        return Map.of();
    }

    /** A query that returns {@link #expectedRows()} in that order, with {@link #expectedColumns()}. */
    protected abstract String query();

    /** The columns of {@link #query()}. */
    protected abstract List<Column> expectedColumns();

    /** The rows of {@link #query()}, each value as the SPI's Java type for its column, in order. */
    protected abstract List<List<Object>> expectedRows();

    /** A query the source cannot run (a missing column, a syntax error). */
    protected abstract String badQuery();

    /** Opens a source of the connector under test on {@link #sourceSettings()}; the caller closes it. */
    protected final Source openSource() throws SourceException {
        return connector().open(new ConnectorContext("contract", sourceSettings(), projectRoot(), Clock.systemUTC()));
    }

    @Test
    void describeGivesTheColumnsOfAQuery() throws Exception {
        try (Source source = openSource()) {
            assertThat(source.describe(query())).isEqualTo(expectedColumns());
        }
    }

    @Test
    void rowsStreamOneAtATimeAndTheEndIsNull() throws Exception {
        try (Source source = openSource(); RowStream stream = source.query(query())) {
            assertThat(stream.columns()).as("columns before the first row").isEqualTo(expectedColumns());
            List<List<Object>> rows = new ArrayList<>();
            SourceRow row;
            while ((row = stream.next()) != null) {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < stream.columns().size(); i++) values.add(row.value(i));
                rows.add(values);
            }
            assertThat(rows).isEqualTo(expectedRows());
            assertThat(stream.next()).as("still the end").isNull();
        }
    }

    @Test
    void aQueryTheSourceCannotRunIsASourceExceptionThatSaysWhy() throws Exception {
        try (Source source = openSource()) {
            SourceException described = catchThrowableOfType(SourceException.class, () -> source.describe(badQuery()));
            assertThat(described).as("describe of a bad query").isNotNull();
            assertThat(described.getMessage()).isNotBlank();
            assertThat(described.unreachable()).as("the source was reached").isFalse();

            SourceException queried = catchThrowableOfType(SourceException.class, () -> source.query(badQuery()));
            assertThat(queried).as("query of a bad query").isNotNull();
            assertThat(queried.unreachable()).isFalse();

            assertThat(source.describe(query())).as("the source still works").isEqualTo(expectedColumns());
        }
    }

    @Test
    void closingAStreamOrASourceTwiceIsHarmless() throws Exception {
        Source source = openSource();
        RowStream stream = source.query(query());
        stream.next();
        stream.close();
        stream.close();
        source.close();
        source.close();
    }
}
