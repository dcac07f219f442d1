package dev.ebb.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed reads of one file's {@link YamlNode}s that report what does not fit, at its line, and go on: every read
 * returns empty on a problem instead of throwing, so that validation continues past it. Not thread-safe.
 */
final class NodeReader {
    /** Names of entries, models and syncs: they appear in file names, URLs and metric labels. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");
    static final String NAME_RULE = "letters, digits, '_' and '-'";

    private final Path file;
    private final Problems problems;

    NodeReader(Path file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    Path file() {
        return file;
    }

    Location at(int line) {
        return new Location(file, line);
    }

    void error(int line, String message) {
        problems.error(at(line), message);
    }

    void warning(int line, String message) {
        problems.warning(at(line), message);
    }

    /** The node as a mapping; {@code what} names it in the message ("the sync", "match:"). */
    Optional<YamlNode.Mapping> mapping(YamlNode node, String what, String example) {
        if (node instanceof YamlNode.Mapping mapping) {
            return Optional.of(mapping);
        }
        error(node.line(), what + " must be a mapping of keys to values, found " + node.kind()
                + (example.isEmpty() ? "" : "; e.g. " + example));
        return Optional.empty();
    }

    /** Reports every key of {@code mapping} outside {@code allowed}, with a suggestion and the allowed keys. */
    void allowOnly(YamlNode.Mapping mapping, List<String> allowed, String where) {
        for (YamlNode.Entry entry : mapping.entries()) {
            if (!allowed.contains(entry.key())) {
                error(entry.line(), "unknown key '" + entry.key() + "' " + where
                        + Suggestions.hint(entry.key(), allowed, "keys"));
            }
        }
    }

    /** The entry, or a "missing required key" problem at the mapping's line. */
    Optional<YamlNode.Entry> required(YamlNode.Mapping mapping, String key, String where, String example) {
        Optional<YamlNode.Entry> entry = mapping.entry(key);
        // A misspelt key (feilds:) is already reported as unknown, with the suggestion: one mistake, one problem.
        boolean misspelt = mapping.entries().stream()
                .anyMatch(e -> Suggestions.nearest(e.key(), List.of(key)).isPresent() && !e.key().equals(key));
        if (entry.isEmpty() && !misspelt) {
            error(mapping.line(), "missing required key '" + key + "' " + where + "; add e.g. " + example);
        }
        return entry;
    }

    /** A non-empty scalar's text (a number or boolean is taken as written). */
    Optional<String> string(YamlNode.Entry entry) {
        return string(entry.value(), "'" + entry.key() + "'");
    }

    Optional<String> string(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar scalar && !scalar.isNull()) {
            if (scalar.text().isBlank()) {
                error(node.line(), what + " must not be empty");
                return Optional.empty();
            }
            return Optional.of(scalar.text());
        }
        error(node.line(), what + " must be a string, found " + node.kind());
        return Optional.empty();
    }

    /** A whole number of at least {@code min}. */
    Optional<Long> count(YamlNode.Entry entry, long min, String example) {
        if (entry.value() instanceof YamlNode.Scalar scalar && scalar.value() instanceof Number n
                && new java.math.BigDecimal(scalar.text()).stripTrailingZeros().scale() <= 0
                && n.longValue() >= min) {
            return Optional.of(n.longValue());
        }
        error(entry.value().line(), "'" + entry.key() + "' must be a whole number of at least " + min + ", e.g. "
                + example);
        return Optional.empty();
    }

    /** A percentage written {@code 5%}, above 0 and at most {@code max}. */
    Optional<java.math.BigDecimal> percent(YamlNode.Entry entry, java.math.BigDecimal max, String example) {
        if (entry.value() instanceof YamlNode.Scalar scalar && scalar.value() instanceof String text
                && text.strip().endsWith("%")) {
            try {
                java.math.BigDecimal value = new java.math.BigDecimal(text.strip().replace("%", "").strip());
                if (value.signum() > 0 && value.compareTo(max) <= 0) return Optional.of(value);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        error(entry.value().line(), "'" + entry.key() + "' must be a percentage above 0% and at most "
                + max.toPlainString() + "%, e.g. " + example);
        return Optional.empty();
    }

    /** A name that must follow {@link #NAME}. */
    Optional<String> name(YamlNode.Entry entry) {
        Optional<String> text = string(entry);
        if (text.isPresent() && !NAME.matcher(text.get()).matches()) {
            error(entry.line(), "'" + entry.key() + "': '" + text.get() + "' is not a valid name; use " + NAME_RULE);
            return Optional.empty();
        }
        return text;
    }

    /** One column or a list of columns, at least one, without repeats. */
    Optional<List<String>> columns(YamlNode.Entry entry) {
        YamlNode node = entry.value();
        if (node instanceof YamlNode.Sequence sequence) {
            if (sequence.items().isEmpty()) {
                error(entry.line(), "'" + entry.key() + "' lists no column; name at least one");
                return Optional.empty();
            }
            Set<String> columns = new LinkedHashSet<>();
            boolean ok = true;
            for (YamlNode item : sequence.items()) {
                Optional<String> column = string(item, "each column of '" + entry.key() + "'");
                if (column.isEmpty()) {
                    ok = false;
                } else if (!columns.add(column.get())) {
                    error(item.line(), "column '" + column.get() + "' appears twice in '" + entry.key() + "'");
                    ok = false;
                }
            }
            return ok ? Optional.of(List.copyOf(columns)) : Optional.empty();
        }
        if (node instanceof YamlNode.Mapping) {
            error(entry.line(), "'" + entry.key() + "' must be a column name or a list of column names, found "
                    + node.kind());
            return Optional.empty();
        }
        return string(entry).map(List::of);
    }

    /** One of {@code type}'s constants, written in lower snake case. */
    <E extends Enum<E>> Optional<E> choice(YamlNode.Entry entry, Class<E> type) {
        return choice(entry, type, ConfigKeys.spellings(type));
    }

    /** One of {@code type}'s constants whose spelling is in {@code allowed}. */
    <E extends Enum<E>> Optional<E> choice(YamlNode.Entry entry, Class<E> type, List<String> allowed) {
        Optional<String> text = string(entry);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        int index = allowed.indexOf(text.get());
        if (index < 0) {
            error(entry.value().line(), "'" + entry.key() + "' cannot be '" + text.get() + "'"
                    + Suggestions.hint(text.get(), allowed, "values"));
            return Optional.empty();
        }
        return Optional.of(type.getEnumConstants()[ConfigKeys.spellings(type).indexOf(text.get())]);
    }

    /** A list's items; a problem when the node is not a list. */
    Optional<List<YamlNode>> list(YamlNode.Entry entry, String example) {
        if (entry.value() instanceof YamlNode.Sequence sequence) {
            return Optional.of(new ArrayList<>(sequence.items()));
        }
        error(entry.line(), "'" + entry.key() + "' must be a list, found " + entry.value().kind() + "; e.g. "
                + example);
        return Optional.empty();
    }
}
