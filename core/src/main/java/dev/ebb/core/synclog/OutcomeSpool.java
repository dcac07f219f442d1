package dev.ebb.core.synclog;

import dev.ebb.core.state.RowOutcome;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The outcomes a run committed, kept in a temporary file until the run ends and they are written to the warehouse:
 * a run may settle millions of rows, and the heap holds none of them. Thread-safe for appends (batches commit from
 * several threads); read once, after the last append.
 */
final class OutcomeSpool implements AutoCloseable {
    /** A vendor's reason can be a whole response body; analysts need its start. */
    static final int MAX_REASON = 2000;

    /** One row of {@code sync_outcomes}, as read back. */
    record Row(String key, String change, String operation, String status, String reason, Instant at) {
    }

    /** Reads the spooled rows in the order they were appended. */
    interface Reader extends AutoCloseable {
        /** The next row, or {@code null} after the last. */
        Row next() throws IOException;

        @Override
        void close() throws IOException;
    }

    private final Path file;
    private final DataOutputStream out;
    private long rows;

    OutcomeSpool() throws IOException {
        file = Files.createTempFile("ebb-sync-log-", ".spool");
        file.toFile().deleteOnExit();
        out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    synchronized void append(List<RowOutcome> outcomes, Instant at) throws IOException {
        for (RowOutcome o : outcomes) {
            write(o.key());
            write(lower(o.change()));
            write(lower(o.operation()));
            write(lower(o.outcome()));
            write(o.reason() == null || o.reason().length() <= MAX_REASON ? o.reason()
                    : o.reason().substring(0, MAX_REASON));
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
            rows++;
        }
    }

    synchronized long rows() {
        return rows;
    }

    /** Ends the appends and reads the rows back. */
    synchronized Reader read() throws IOException {
        out.flush();
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        return new Reader() {
            @Override
            public Row next() throws IOException {
                String key;
                try {
                    key = text(in);
                } catch (EOFException end) {
                    return null;
                }
                return new Row(key, text(in), text(in), text(in), text(in),
                        Instant.ofEpochSecond(in.readLong(), in.readInt()));
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    private void write(String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String text(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            out.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
