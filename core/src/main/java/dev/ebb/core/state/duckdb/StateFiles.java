package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.StateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Tells a state file that can be used from one that cannot, before and after DuckDB opens it, and moves a damaged
 * one aside. DuckDB by itself opens a CSV file as an empty database (and keeps nothing in it), and tries to
 * download an extension for a SQLite file: both would make Ebb run with no state kept, re-sending everything.
 */
final class StateFiles {
    /** What to do about a damaged store; every message about one ends with it. */
    static final String RECOVERY = "To recover, restore the file from a backup, or run 'ebb reset SYNC', which moves "
            + "it aside (kept beside it as *.damaged-TIME) and starts a new state store: every sync's next run then "
            + "sends every row again (upserts match existing records, so nothing is duplicated)";

    /** DuckDB's main header: a checksum (8 bytes), then the magic bytes. */
    private static final byte[] MAGIC = "DUCK".getBytes(StandardCharsets.US_ASCII);
    private static final int MAGIC_OFFSET = 8;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private StateFiles() {
    }

    /**
     * Checks an existing file before DuckDB opens it: empty, or not a DuckDB file at all.
     *
     * @throws StateException {@link StateException.Kind#DAMAGED} for an empty file, {@link StateException.Kind#FOREIGN}
     *                        for a file of another format
     */
    static void checkBeforeOpen(Path file, String shown) throws StateException {
        if (!Files.exists(file)) return;
        if (!Files.isRegularFile(file)) {
            throw foreign(shown, "it is not a regular file");
        }
        byte[] head = new byte[MAGIC_OFFSET + MAGIC.length];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new StateException("cannot read the state store " + shown + ": " + e.getMessage(), e);
        }
        if (read == 0) {
            throw new StateException(StateException.Kind.DAMAGED, "the state store " + shown + " is empty: it was "
                    + "truncated to nothing, or its creation was interrupted. " + RECOVERY, null);
        }
        if (read < head.length || !Arrays.equals(head, MAGIC_OFFSET, head.length, MAGIC, 0, MAGIC.length)) {
            throw foreign(shown, "it is not a DuckDB database file");
        }
    }

    static StateException foreign(String shown, String why) {
        return new StateException(StateException.Kind.FOREIGN, shown + " is not an Ebb state store: " + why
                + ". Ebb never writes to or moves another program's file; point state.path in ebb.yaml at a file of "
                + "its own (or remove state.path for the default .ebb/state.duckdb)", null);
    }

    /**
     * Moves a damaged store (and its write-ahead log) aside, beside it, so that a new one can be created; the old
     * one stays for inspection or a restore. Returns where it went.
     */
    static Path moveAside(Path file, Instant now) throws StateException {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + STAMP.format(now));
        try {
            Files.move(file, aside);
            Path wal = file.resolveSibling(file.getFileName() + ".wal");
            if (Files.exists(wal)) Files.move(wal, aside.resolveSibling(aside.getFileName() + ".wal"));
        } catch (IOException e) {
            throw new StateException("cannot move the damaged state store " + file + " aside: " + e.getMessage(), e);
        }
        return aside;
    }
}
