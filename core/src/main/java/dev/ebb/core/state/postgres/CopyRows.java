package dev.ebb.core.state.postgres;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Rows written into a {@code COPY … FROM STDIN} in PostgreSQL's text format (tab-separated, {@code \N} for null,
 * backslash escapes), sent in chunks so that the heap holds one chunk, never the model. Not thread-safe.
 */
final class CopyRows {
    private static final int CHUNK = 256 * 1024;

    private final CopyIn copy;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(CHUNK + 4096);
    private final StringBuilder line = new StringBuilder(256);
    private boolean ended;

    CopyRows(CopyIn copy) {
        this.copy = copy;
    }

    void row(String... values) throws SQLException {
        line.setLength(0);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) line.append('\t');
            append(values[i]);
        }
        line.append('\n');
        buffer.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
        if (buffer.size() >= CHUNK) flush();
    }

    private void append(String value) {
        if (value == null) {
            line.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> line.append("\\\\");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                default -> line.append(ch);
            }
        }
    }

    private void flush() throws SQLException {
        if (buffer.size() == 0) return;
        byte[] bytes = buffer.toByteArray();
        copy.writeToCopy(bytes, 0, bytes.length);
        buffer.reset();
    }

    /** Sends what is left and ends the copy: the rows are in the table. */
    void end() throws SQLException {
        if (ended) return;
        flush();
        ended = true;
        copy.endCopy();
    }

    /** Abandons a copy that was never ended (the session closes early). */
    void cancel() throws SQLException {
        if (!ended && copy.isActive()) copy.cancelCopy();
        ended = true;
    }
}
