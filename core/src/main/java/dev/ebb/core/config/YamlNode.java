package dev.ebb.core.config;

import java.util.List;
import java.util.Optional;

/**
 * A YAML value with the line it was written on: the loader's own small tree, because a data-binding tree forgets
 * where things came from and every problem must name its line. Immutable.
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    /** The 1-based line where the value starts. */
    int line();

    /** How an error message names this kind of value ("a string", "a list"). */
    String kind();

    /**
     * A scalar.
     *
     * @param value {@link String}, {@link Long}, {@link java.math.BigInteger}, {@link Double}, {@link Boolean}, or
     *              {@code null} for {@code ~}, {@code null} and an empty value
     * @param text  the scalar as written (without quotes); empty for an empty value
     */
    record Scalar(Object value, String text, int line) implements YamlNode {
        boolean isNull() {
            return value == null;
        }

        @Override
        public String kind() {
            return switch (value) {
                case null -> "an empty value";
                case String s -> "a string";
                case Boolean b -> "a boolean";
                default -> "a number";
            };
        }
    }

    /** One {@code key: value} of a mapping; {@code line} is the key's line. */
    record Entry(String key, int line, YamlNode value) {
    }

    /** A mapping, in file order, without duplicate keys (the reader reports and drops them). */
    record Mapping(List<Entry> entries, int line) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** A list. */
    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }
}
