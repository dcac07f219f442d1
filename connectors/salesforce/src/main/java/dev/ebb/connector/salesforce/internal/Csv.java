package dev.ebb.connector.salesforce.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV as Bulk API 2.0 reads and writes it: comma delimiter, LF line endings, double quotes around values
 * that hold a comma, a quote or a line break, and {@code ""} for a quote inside a quoted value
 * (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_prepare_csv.htm).
 *
 * <p>Not part of Ebb's API: shared by the Salesforce destination and its sandbox. Stateless and thread-safe.
 */
public final class Csv {
    private Csv() {
    }

    /** One row, values in order, ending with LF. */
    public static String line(List<String> values) {
        return line(values, ',', "\n");
    }

    /** One row with this delimiter and line ending. */
    public static String line(List<String> values, char delimiter, String lineEnding) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) out.append(delimiter);
            out.append(quote(values.get(i), delimiter));
        }
        return out.append(lineEnding).toString();
    }

    /** A value, quoted when it must be; {@code null} is written as an empty value. */
    public static String quote(String value, char delimiter) {
        if (value == null || value.isEmpty()) return "";
        boolean needs = value.indexOf(delimiter) >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return needs ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /**
     * Parses a whole CSV text into rows of values (LF or CRLF line endings). A trailing line break does not make
     * an empty row; an empty text has no rows.
     *
     * @throws IllegalArgumentException when a quoted value is not closed, or a quote appears inside an unquoted value
     */
    public static List<List<String>> parse(String text) {
        return parse(text, ',');
    }

    /** {@link #parse(String)} with another delimiter (Bulk API 2.0 also takes backquote, caret, pipe, semicolon, tab). */
    public static List<List<String>> parse(String text, char delimiter) {
        List<List<String>> rows = new ArrayList<>();
        if (text.isEmpty()) return rows;
        List<String> row = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int i = 0;
        int line = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        value.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                    i++;
                    continue;
                }
                if (c == '\n') line++;
                value.append(c);
                i++;
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (!value.isEmpty() || wasQuoted) {
                        throw new IllegalArgumentException("a quote inside an unquoted value on line " + line);
                    }
                    quoted = true;
                    wasQuoted = true;
                    i++;
                }
                case '\r', '\n' -> {
                    row.add(value.toString());
                    value.setLength(0);
                    wasQuoted = false;
                    rows.add(row);
                    row = new ArrayList<>();
                    i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
                    line++;
                }
                default -> {
                    if (c == delimiter) {
                        row.add(value.toString());
                        value.setLength(0);
                        wasQuoted = false;
                        i++;
                        continue;
                    }
                    if (wasQuoted) {
                        throw new IllegalArgumentException("text after a closing quote on line " + line);
                    }
                    value.append(c);
                    i++;
                }
            }
        }
        if (quoted) throw new IllegalArgumentException("a quoted value is not closed (line " + line + ")");
        if (!value.isEmpty() || wasQuoted || !row.isEmpty()) {
            row.add(value.toString());
            rows.add(row);
        }
        return rows;
    }
}
