package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryLeftoversTest {
    @TempDir
    Path tmp;

    @Test
    void removesTheDriversSettledCopiesAndNothingElse() throws Exception {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        Path killed = copy("libduckdb_java123.so", now.minusSeconds(3600));
        Path settled = copy("libduckdb_java456.so", now.minusSeconds(6));
        Path unpacking = copy("libduckdb_java789.so", now.minusSeconds(1));
        Path other = copy("libother.so", now.minusSeconds(3600));

        assertThat(NativeLibraryLeftovers.clean(tmp, now)).isEqualTo(2);
        assertThat(killed).doesNotExist();
        assertThat(settled).doesNotExist();
        assertThat(unpacking).as("perhaps about to be loaded").exists();
        assertThat(other).exists();
    }

    @Test
    void aMissingFolderIsNoFailure() {
        assertThat(NativeLibraryLeftovers.clean(tmp.resolve("none"), Instant.now())).isZero();
    }

    private Path copy(String name, Instant written) throws Exception {
        Path file = Files.write(tmp.resolve(name), new byte[] {1});
        Files.setLastModifiedTime(file, FileTime.from(written));
        return file;
    }
}
