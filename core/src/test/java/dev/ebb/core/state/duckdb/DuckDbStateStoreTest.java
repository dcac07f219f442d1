package dev.ebb.core.state.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbStateStoreTest {
    @TempDir
    Path dir;

    @Test
    void aStoreHeldByAnotherProcessIsReportedInUse() throws Exception {
        Path file = dir.resolve("state.duckdb");
        try (FileChannel channel = FileChannel.open(dir.resolve("state.duckdb.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            assertThat(held.isValid()).isTrue();
            assertThatThrownBy(() -> DuckDbStateStore.open(file, Access.READ_WRITE))
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining("is in use by another Ebb process");
        }
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            assertThat(store.access()).isEqualTo(Access.READ_WRITE);
        }
    }

    @Test
    void aFileThatIsNotAStateStoreIsNotMistakenForALockedOne() throws Exception {
        Path file = dir.resolve("state.duckdb");
        Files.write(file, "not a database block, garbage through and through\n".repeat(200).getBytes());
        assertThatThrownBy(() -> DuckDbStateStore.open(file, Access.READ_WRITE))
                .isInstanceOf(StateException.class)
                .hasMessageStartingWith("cannot open the state store")
                .hasMessageNotContaining("in use");
    }

    @Test
    void oneProcessMayOpenTheStoreMoreThanOnceAndTheLockGoesWithTheLast() throws Exception {
        Path file = dir.resolve("state.duckdb");
        try (DuckDbStateStore first = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            long run = first.startRun("people", Instant.parse("2026-01-01T00:00:00Z"));
            try (DuckDbStateStore second = DuckDbStateStore.open(file, Access.READ_WRITE)) {
                assertThat(second.run(run)).isPresent();
            }
            assertThat(first.run(run)).isPresent();
        }
        try (FileChannel channel = FileChannel.open(dir.resolve("state.duckdb.lock"), StandardOpenOption.WRITE);
             FileLock free = channel.tryLock()) {
            assertThat(free).as("released once every opener closed").isNotNull();
        }
    }
}
