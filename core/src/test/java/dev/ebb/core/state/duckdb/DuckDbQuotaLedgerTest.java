package dev.ebb.core.state.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.state.Access;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbQuotaLedgerTest {
    @TempDir
    Path dir;

    @Test
    void hourlyBucketsAddUpFromTheirStartAndSurviveAReopenBesideTheDailyCounts() throws Exception {
        Path file = dir.resolve("state.duckdb");
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            store.addHourlyQuotaUsage("org", Instant.parse("2026-01-01T09:00:00Z"), 5);
            store.addHourlyQuotaUsage("org", Instant.parse("2026-01-01T10:00:00Z"), 7);
            store.addHourlyQuotaUsage("org", Instant.parse("2026-01-01T10:00:00Z"), 1);
            store.addHourlyQuotaUsage("other", Instant.parse("2026-01-01T10:00:00Z"), 100);
            store.addQuotaUsage("org", LocalDate.parse("2026-01-01"), 40);
        }
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            assertThat(store.quotaUsedSince("org", Instant.parse("2026-01-01T09:00:00Z"))).isEqualTo(13);
            assertThat(store.quotaUsedSince("org", Instant.parse("2026-01-01T09:30:00Z"))).isEqualTo(8);
            assertThat(store.quotaUsedSince("org", Instant.parse("2026-01-01T11:00:00Z"))).isZero();
            assertThat(store.quotaUsed("org", LocalDate.parse("2026-01-01"))).isEqualTo(40);
        }
    }
}
