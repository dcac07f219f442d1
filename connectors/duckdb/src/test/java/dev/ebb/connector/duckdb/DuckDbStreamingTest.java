package dev.ebb.connector.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceRow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two million rows through a 48 MB heap. Held as Java objects they would take several hundred megabytes, so this
 * passes only if rows stream. Runs in its own JVM: the {@code small-heap} execution in this module's pom.
 */
class DuckDbStreamingTest {
    private static final long ROWS = 2_000_000;

    @TempDir
    Path root;

    @Test
    void twoMillionRowsStreamThroughASmallHeap() throws Exception {
        // Proves nothing in a large heap (an IDE run, or -Dtest in the default execution): skip there.
        assumeTrue(Runtime.getRuntime().maxMemory() <= 64L * 1024 * 1024, "needs the small-heap execution's -Xmx48m");
        ConnectorContext context = new ConnectorContext("lakehouse", Map.of(), root, Clock.systemUTC());

        long count = 0;
        long idSum = 0;
        try (Source source = new DuckDbConnector().open(context);
             RowStream stream = source.query("""
                     SELECT range AS id,
                            'customer-' || range || '@example.com' AS email,
                            range * 0.5 AS score,
                            TIMESTAMP '2024-01-01' + to_seconds(range) AS seen
                     FROM range(%d)""".formatted(ROWS))) {
            SourceRow row;
            while ((row = stream.next()) != null) {
                count++;
                idSum += (Long) row.value(0);
                assertThat(row.value(1)).isInstanceOf(String.class);
                assertThat(row.value(3)).isInstanceOf(Instant.class);
            }
        }

        assertThat(count).isEqualTo(ROWS);
        assertThat(idSum).isEqualTo(ROWS * (ROWS - 1) / 2);
    }
}
