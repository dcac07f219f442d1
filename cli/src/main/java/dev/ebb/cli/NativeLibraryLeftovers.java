package dev.ebb.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Removes the copies of DuckDB's native library that earlier processes left in the temporary folder. The DuckDB JDBC
 * driver unpacks its library (57 MB) from its jar into {@code java.io.tmpdir} as {@code libduckdb_java*.so} at every
 * process start, and only deletes it when the JVM exits normally: a killed process leaves it behind, and 22 kills
 * left 1.2 GB. The driver offers no setting for where or whether it unpacks (it loads a library found on
 * {@code java.library.path} only when its jar holds none), so Ebb cleans up at its own start instead.
 *
 * <p>Deleting a library another live process has loaded is harmless where the driver unpacks it this way (Linux and
 * macOS keep a mapped file until it is unmapped; Windows refuses the deletion, which is ignored). The one moment to
 * avoid is between the driver's unpacking and its loading, so a copy written in the last {@link #SETTLE} stays.
 */
final class NativeLibraryLeftovers {
    /** How long after its last write a copy may still be about to be loaded. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private NativeLibraryLeftovers() {
    }

    /** Deletes the settled copies in {@code folder}; returns how many. Never fails: it is housekeeping. */
    static int clean(Path folder, Instant now) {
        int deleted = 0;
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(folder, "libduckdb_java*.so")) {
            for (Path copy : copies) {
                try {
                    if (Files.getLastModifiedTime(copy).toInstant().isBefore(now.minus(SETTLE))
                            && Files.deleteIfExists(copy)) {
                        deleted++;
                    }
                } catch (IOException | SecurityException notOurs) {
                    // another user's copy, or one in use on Windows: not ours to remove
                }
            }
        } catch (IOException | SecurityException unreadable) {
            // no temporary folder to clean
        }
        return deleted;
    }
}
