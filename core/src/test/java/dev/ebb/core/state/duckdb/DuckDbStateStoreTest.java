package dev.ebb.core.state.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.Change;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
import dev.ebb.spi.Operation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbStateStoreTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

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

    /** DuckDB's own default is 80% of the machine; state: { memory_limit, temp_directory } bounds the store's. */
    @Test
    void theStoresDuckDbIsBoundedAsStateSaysAndByOneGigabyteOtherwise() throws Exception {
        Path file = dir.resolve("state.duckdb");
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            assertThat(settings(store)).containsExactly("953.6 MiB", file.toAbsolutePath() + ".tmp");
        }
        Path spill = dir.resolve("spill");
        DuckDbStateStore.Limits limits = new DuckDbStateStore.Limits("2GB", java.util.Optional.of(spill));
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE, limits)) {
            assertThat(settings(store)).containsExactly("1.8 GiB", spill.toString());
        }
        for (Path readOnly : List.of(file, dir.resolve("never-written.duckdb"))) {
            try (DuckDbStateStore store = DuckDbStateStore.open(readOnly, Access.READ_ONLY, limits)) {
                assertThat(settings(store)).as(readOnly.toString()).containsExactly("1.8 GiB", spill.toString());
            }
        }
        Path notAFolder = Files.writeString(dir.resolve("spill.txt"), "x");
        assertThatThrownBy(() -> DuckDbStateStore.open(file, Access.READ_WRITE,
                new DuckDbStateStore.Limits("2GB", java.util.Optional.of(notAFolder))))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("state.temp_directory " + notAFolder + " is a file, not a folder");
    }

    private static List<String> settings(DuckDbStateStore store) throws SQLException {
        try (Connection c = store.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('memory_limit'), current_setting('temp_directory')")) {
            rs.next();
            return List.of(rs.getString(1), rs.getString(2));
        }
    }

    /**
     * The fold at a run's end keeps the store's DuckDB within its limit when the run's log is many times larger than
     * that limit (a full sync of 10M rows once ran out of 1 GB ordering every logged entry by recency).
     */
    @Test
    void aRunsLogFarLargerThanTheMemoryLimitFoldsIntoTheSnapshot() throws Exception {
        Path file = dir.resolve("state.duckdb");
        int rows = 200_000;
        String filler = "x".repeat(300);
        DuckDbStateStore.Limits limits = new DuckDbStateStore.Limits("32MB", java.util.Optional.of(dir.resolve("spill")));
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE, limits)) {
            for (int round = 1; round <= 2; round++) {
                long run = store.startRun("people", T0);
                for (int from = 0; from < rows; from += 10_000) {
                    List<RowOutcome> batch = new ArrayList<>();
                    for (int i = from; i < from + 10_000; i++) {
                        // the second run changes every row and removes every tenth
                        boolean removed = round == 2 && i % 10 == 0;
                        batch.add(new RowOutcome("k" + i, removed ? Change.REMOVED : Change.ADDED,
                                removed ? Operation.DELETE : Operation.UPSERT, Outcome.DELIVERED, null,
                                "fp-" + round + "-" + i, "k" + i, null, null, i + filler + round));
                    }
                    store.commit("people", run, batch, T0);
                }
                store.finishRun(new RunRecord(run, "people", T0, T0, RunStatus.SUCCEEDED, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0, null));
            }
            assertThat(store.snapshotSize("people")).isEqualTo(rows - rows / 10);
            assertThat(store.snapshotEntry("people", "k10")).as("removed by the second run").isEmpty();
            assertThat(store.snapshotEntry("people", "k7").orElseThrow().fingerprint()).isEqualTo("fp-2-7");
        }
    }

    @Test
    void aFileThatIsNotAStateStoreIsNotMistakenForALockedOne() throws Exception {
        Path file = dir.resolve("state.duckdb");
        Files.write(file, "not a database block, garbage through and through\n".repeat(200).getBytes());
        assertThatThrownBy(() -> DuckDbStateStore.open(file, Access.READ_WRITE))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("is not an Ebb state store: it is not a DuckDB database file")
                .hasMessageContaining("point state.path in ebb.yaml at a file of its own")
                .hasMessageNotContaining("in use")
                .satisfies(e -> assertThat(((StateException) e).kind()).isEqualTo(StateException.Kind.FOREIGN));
    }

    @Test
    void aStatePathPointingAtTheModelsCsvIsRefusedAndTheFileLeftAlone() throws Exception {
        Path csv = dir.resolve("customers.csv");
        String content = "customer_email,score\na@x.io,1\n";
        Files.writeString(csv, content);
        for (Access access : Access.values()) {
            assertThatThrownBy(() -> DuckDbStateStore.open(csv, access))
                    .hasMessageContaining("is not an Ebb state store");
        }
        assertThat(Files.readString(csv)).isEqualTo(content);
        assertThat(dir.resolve("customers.csv.wal")).doesNotExist();
    }

    @Test
    void aDuckDbDatabaseOfAnotherProgramIsRefusedAndGetsNoEbbTables() throws Exception {
        Path lakehouse = dir.resolve("lakehouse.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lakehouse); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers AS SELECT 'a@x.io' AS email");
        }
        assertThatThrownBy(() -> DuckDbStateStore.open(lakehouse, Access.READ_WRITE))
                .hasMessageContaining("is not an Ebb state store: it is a DuckDB database of another program");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lakehouse); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM duckdb_tables()")) {
            rs.next();
            assertThat(rs.getLong(1)).as("only the lakehouse's own table").isEqualTo(1);
        }
    }

    @Test
    void aCorruptedBlockIsReportedAsDamagedWithHowToRecoverNeverAsInUse() throws Exception {
        Path file = storeWithARun();
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 8192; i < 8192 + 64; i++) bytes[i] ^= 0x5a; // inside the second database header's block
        Files.write(file, bytes);
        assertDamaged(file);
    }

    @Test
    void aTruncatedOrEmptyStoreIsReportedAsDamaged() throws Exception {
        Path file = storeWithARun();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        assertDamaged(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        assertDamaged(file);
    }

    @Test
    void aDamagedStoreMovedAsideIsKeptAndANewOneOpens() throws Exception {
        Path file = storeWithARun();
        Files.write(file, new byte[0]);
        Path aside = DuckDbStateStore.moveAside(file, Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(aside.getFileName().toString()).isEqualTo("state.duckdb.damaged-20260102T030405Z");
        assertThat(aside).exists();
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            assertThat(store.runs(null, 10)).isEmpty();
        }
    }

    private Path storeWithARun() throws StateException {
        Path file = dir.resolve("state.duckdb");
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            long run = store.startRun("people", T0);
            List<RowOutcome> many = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) many.add(delivered("p" + i + "@x.io"));
            store.commit("people", run, many, T0);
        }
        return file;
    }

    private static void assertDamaged(Path file) {
        for (Access access : Access.values()) {
            assertThatThrownBy(() -> {
                try (DuckDbStateStore store = DuckDbStateStore.open(file, access)) {
                    store.snapshotSize("people");
                }
            }).isInstanceOf(StateException.class)
                    .satisfies(e -> assertThat(((StateException) e).kind()).isEqualTo(StateException.Kind.DAMAGED))
                    .hasMessageContaining("damaged")
                    .hasMessageContaining("restore the file from a backup, or run 'ebb reset SYNC'")
                    .hasMessageNotContaining("in use");
        }
    }

    @Test
    void aFullDiskFailsTheCommitSayingSoStoresNoneOfItAndTheStoreGoesOn() throws Exception {
        Path file = dir.resolve("state.duckdb");
        boolean[] full = {false};
        // What DuckDB does when the disk fills during a commit: the commit fails, and the transaction is gone.
        DuckDbStateStore.Committer disk = c -> {
            if (!full[0]) {
                c.commit();
                return;
            }
            c.rollback();
            throw new SQLException("IO Error: Could not write file \"state.duckdb.wal\": No space left on device");
        };
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE, disk)) {
            long run = store.startRun("people", T0);
            store.commit("people", run, List.of(delivered("a@x.io")), T0);
            full[0] = true;
            assertThatThrownBy(() -> store.commit("people", run, List.of(delivered("b@x.io")), T0))
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining("the disk of the state store is full")
                    .hasMessageNotContaining("no transaction is active")
                    .satisfies(e -> assertThat(((StateException) e).kind()).isEqualTo(StateException.Kind.DISK_FULL));
            full[0] = false;
            assertThat(store.snapshotEntry("people", "b@x.io")).as("none of the failed commit").isEmpty();
            store.commit("people", run, List.of(delivered("c@x.io")), T0.plusSeconds(5));
            assertThat(store.snapshotSize("people")).isEqualTo(2);
            assertThat(store.run(run).orElseThrow().delivered()).as("what was committed").isEqualTo(2);
        }
    }

    @Test
    void aKilledRunKeepsWhatItCommittedAndEndsAtItsLastCommit() throws Exception {
        Path file = dir.resolve("state.duckdb");
        long run;
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            run = store.startRun("people", T0);
            store.recordPlan(run, new PlanCounts(3, 3, 0, 0, 0, 0));
            store.commit("people", run, List.of(delivered("a@x.io"), delivered("b@x.io")), T0.plusSeconds(7));
            // the process dies here: the run is never finished
        }
        try (DuckDbStateStore reader = DuckDbStateStore.open(file, Access.READ_ONLY)) {
            RunRecord seen = reader.run(run).orElseThrow();
            assertThat(seen.status()).as("no process writes the store: the run died").isEqualTo(RunStatus.ABANDONED);
            assertThat(seen.finishedAt()).isEqualTo(T0.plusSeconds(7));
            assertThat(seen.added()).isEqualTo(3);
            assertThat(seen.delivered()).isEqualTo(2);
        }
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            assertThat(store.run(run).orElseThrow().status()).as("a writer sees its own runs as they are")
                    .isEqualTo(RunStatus.RUNNING);
            assertThat(store.closeAbandonedRuns("people", T0.plusSeconds(3600))).isEqualTo(1);
            RunRecord closed = store.run(run).orElseThrow();
            assertThat(closed.status()).isEqualTo(RunStatus.ABANDONED);
            assertThat(closed.finishedAt()).as("at its last commit, not at the next run").isEqualTo(T0.plusSeconds(7));
            assertThat(closed.delivered()).isEqualTo(2);
            assertThat(closed.added()).isEqualTo(3);
        }
    }

    @Test
    void whileAnotherProcessWritesTheStoreItsPublishedRunLogShowsTheLiveRun() throws Exception {
        Path file = dir.resolve("state.duckdb");
        long run;
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            run = store.startRun("people", T0);
            store.recordPlan(run, new PlanCounts(3, 3, 0, 0, 0, 0));
            store.commit("people", run, List.of(delivered("a@x.io")), T0.plusSeconds(2));
            store.commit("people", run, List.of(delivered("b@x.io")), T0.plusSeconds(3));
            // closing publishes nothing new: the copy is as of the last commit, or newer
        }
        try (FileChannel channel = FileChannel.open(dir.resolve("state.duckdb.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock writer = channel.lock()) {
            assertThat(writer.isValid()).isTrue();
            assertThatThrownBy(() -> DuckDbStateStore.open(file, Access.READ_ONLY))
                    .hasMessageContaining("'ebb runs' follows that run")
                    .satisfies(e -> assertThat(((StateException) e).kind()).isEqualTo(StateException.Kind.IN_USE));
            try (DuckDbStateStore published = DuckDbStateStore.openPublished(file)) {
                RunRecord live = published.runs("people", 5).getFirst();
                assertThat(live.runId()).isEqualTo(run);
                assertThat(live.status()).as("its writer holds the lock: it is live").isEqualTo(RunStatus.RUNNING);
                assertThat(live.added()).isEqualTo(3);
                assertThat(live.delivered()).as("the commits published so far").isBetween(1L, 2L);
            }
        }
    }

    private static RowOutcome delivered(String key) {
        return new RowOutcome(key, Change.ADDED, Operation.UPSERT, Outcome.DELIVERED, null, "fp-" + key, key, null);
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
