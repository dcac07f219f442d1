package dev.ebb.sandbox.salesforce;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CSV a Bulk API 2.0 client uploads, as Salesforce describes the format ("Prepare CSV Files",
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_bulk_v2/datafiles_prepare_csv.htm): values
 * separated by the job's {@code columnDelimiter}, rows ended by LF or CRLF, a value that holds the delimiter, a quote
 * or a line break enclosed in double quotes, and a quote inside one doubled. The sandbox reads the file itself rather
 * than with the connector's writer, so a quoting bug on one side shows on the other. Stateless.
 */
final class UploadedCsv {
    private UploadedCsv() {
    }

    /**
     * The rows of {@code text}; a trailing line break makes no empty row, an empty text has none.
     *
     * @throws IllegalArgumentException when a quoted value is not closed, or a quote stands inside an unquoted value
     */
    static List<List<String>> rows(String text, char delimiter) {
        Reader reader = new Reader(text, delimiter);
        List<List<String>> rows = new ArrayList<>();
        while (reader.more()) rows.add(reader.row());
        return rows;
    }

    static List<List<String>> rows(String text) {
        return rows(text, ',');
    }

    /** A cursor over the text, one row at a time. */
    private static final class Reader {
        private final String text;
        private final char delimiter;
        private int at;
        private int line = 1;

        Reader(String text, char delimiter) {
            this.text = text;
            this.delimiter = delimiter;
        }

        boolean more() {
            return at < text.length();
        }

        List<String> row() {
            List<String> row = new ArrayList<>();
            while (true) {
                row.add(text.startsWith("\"", at) ? quoted() : plain());
                if (at >= text.length()) return row;
                char ended = text.charAt(at++);
                if (ended == delimiter) {
                    if (at >= text.length()) {
                        row.add("");
                        return row;
                    }
                    continue;
                }
                if (ended == '\r' && text.startsWith("\n", at)) at++;
                line++;
                return row;
            }
        }

        /** An unquoted value, up to the delimiter or the end of the line. */
        private String plain() {
            int start = at;
            while (at < text.length() && !ends(text.charAt(at))) {
                if (text.charAt(at) == '"') {
                    throw new IllegalArgumentException("a quote inside an unquoted value on line " + line);
                }
                at++;
            }
            return text.substring(start, at);
        }

        /** A value in double quotes, with {@code ""} for a quote; what follows the closing quote must end it. */
        private String quoted() {
            StringBuilder value = new StringBuilder();
            int opened = line;
            at++;
            while (true) {
                int close = text.indexOf('"', at);
                if (close < 0) throw new IllegalArgumentException("a quoted value is not closed (line " + opened + ")");
                String part = text.substring(at, close);
                line += (int) part.chars().filter(c -> c == '\n').count();
                value.append(part);
                at = close + 1;
                if (!text.startsWith("\"", at)) break;
                value.append('"');
                at++;
            }
            if (at < text.length() && !ends(text.charAt(at))) {
                throw new IllegalArgumentException("text after a closing quote on line " + line);
            }
            return value.toString();
        }

        private boolean ends(char c) {
            return c == delimiter || c == '\n' || c == '\r';
        }
    }
}
