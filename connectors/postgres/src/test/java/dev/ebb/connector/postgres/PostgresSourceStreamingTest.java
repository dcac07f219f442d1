package dev.ebb.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ebb.spi.RowStream;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceRow;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A million rows of about 150 bytes through a 64 MB heap. Fetched whole (auto-commit on, or no fetch size), the
 * driver would hold them all before the first row and run out of memory; this passes only if they come through the
 * server-side cursor {@code fetch_size} at a time. Runs in its own JVM: the {@code small-heap} execution in this
 * module's pom.
 */
class PostgresSourceStreamingTest {
    private static final long ROWS = 1_000_000;

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @Test
    void aMillionRowsStreamThroughASmallHeap() throws Exception {
        // Proves nothing in a large heap (an IDE run, or -Dtest in the default execution): skip there.
        assumeTrue(Runtime.getRuntime().maxMemory() <= 80L * 1024 * 1024, "needs the small-heap execution's -Xmx64m");
        TestingWarehouse warehouse = TestingWarehouse.create(POSTGRES);
        long count = 0;
        long idSum = 0;
        try (Source source = warehouse.open("fetch_size", "2000");
             RowStream stream = source.query("""
                     SELECT g AS id, md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text) AS payload,
                            'customer-' || g || '@example.com' AS email
                     FROM generate_series(1, %d) g""".formatted(ROWS))) {
            SourceRow row;
            while ((row = stream.next()) != null) {
                count++;
                idSum += (Long) row.value(0);
                assertThat(((String) row.value(1)).length()).isEqualTo(96);
            }
        }
        assertThat(count).isEqualTo(ROWS);
        assertThat(idSum).isEqualTo(ROWS * (ROWS + 1) / 2);
    }
}
