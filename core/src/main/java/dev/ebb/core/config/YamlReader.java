package dev.ebb.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one YAML document into a {@link YamlNode} tree, token by token, so that every key and value keeps its line.
 * Thread-safe: each call has its own parser.
 */
final class YamlReader {
    // Jackson's factory is thread-safe once configured; the parser it creates is not, and is per call.
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private final JsonParser parser;
    private final Path file;
    private final Problems problems;

    private YamlReader(JsonParser parser, Path file, Problems problems) {
        this.parser = parser;
        this.file = file;
        this.problems = problems;
    }

    /**
     * Parses {@code text}, the content of {@code file} (relative to the project root, for messages).
     *
     * @return the document's root (an empty mapping for an empty document), or empty when the YAML is malformed;
     *         either way every problem found is in {@code problems}
     */
    static Optional<YamlNode> read(String text, Path file, Problems problems) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            YamlReader reader = new YamlReader(parser, file, problems);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Optional.of(new YamlNode.Mapping(List.of(), 1));
            }
            YamlNode root = reader.value(first);
            if (parser.nextToken() != null) {
                problems.error(reader.here(), "a second YAML document starts here, and a file holds one; remove"
                        + " the '---' before it and what follows, or move that to a file of its own");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            int line = line(e);
            problems.error(new Location(file, line), "malformed YAML: " + describe(e) + hint(text, line));
            return Optional.empty();
        } catch (IOException e) {
            // Reading from a String cannot fail with anything but a parse error; keep the compiler honest.
            problems.error(new Location(file, 0), "cannot parse: " + e.getMessage());
            return Optional.empty();
        }
    }

    // Jackson 2 exposes SnakeYAML's problem, context and marks only through this deprecated wrapper; the
    // alternative is SnakeYAML's own exception type, a dependency this module does not declare.
    @SuppressWarnings("deprecation")
    private static int line(JsonProcessingException e) {
        // The problem mark (0-based) is where the parser gave up; Jackson's own location trails it by a token.
        if (e instanceof com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException marked
                && marked.getProblemMark() != null) {
            return marked.getProblemMark().getLine() + 1;
        }
        JsonLocation where = e.getLocation();
        return where == null ? 0 : where.getLineNr();
    }

    @SuppressWarnings("deprecation")
    private static String describe(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException marked) {
            String problem = marked.getProblem();
            String context = marked.getContext();
            StringBuilder message = new StringBuilder(problem == null ? "cannot parse" : problem.strip());
            if (context != null && marked.getContextMark() != null) {
                message.append(" (").append(context.strip()).append(" that starts at line ")
                        .append(marked.getContextMark().getLine() + 1).append(')');
            }
            return message.append("; check the indentation, quotes and brackets here").toString();
        }
        return e.getOriginalMessage();
    }

    /** The commonest cause, named: in a flow mapping, YAML reads the braces of an unquoted reference. */
    private static String hint(String text, int line) {
        String[] lines = text.split("\n", -1);
        // The parser stops on the reference's line, or on the next when the reference ends its line.
        for (int index = line - 2; index <= line - 1; index++) {
            if (index >= 0 && index < lines.length && lines[index].contains("${")) {
                return "; inside { … }, quote secret references: token: \"${env:NAME}\"";
            }
        }
        return "";
    }

    private Location here() {
        return new Location(file, parser.currentTokenLocation().getLineNr());
    }

    private YamlNode value(JsonToken token) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        return switch (token) {
            case START_OBJECT -> mapping(line);
            case START_ARRAY -> sequence(line);
            case VALUE_STRING, VALUE_EMBEDDED_OBJECT -> {
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    problems.error(here(), "aliases (*" + parser.getText() + ") are not supported; write the value"
                            + " out");
                }
                yield new YamlNode.Scalar(parser.getText(), parser.getText(), line);
            }
            case VALUE_NUMBER_INT -> {
                Number number = parser.getNumberValue();
                Object value = number instanceof BigInteger big ? big : Long.valueOf(number.longValue());
                yield new YamlNode.Scalar(value, parser.getText(), line);
            }
            case VALUE_NUMBER_FLOAT -> new YamlNode.Scalar(parser.getDoubleValue(), parser.getText(), line);
            case VALUE_TRUE -> new YamlNode.Scalar(Boolean.TRUE, parser.getText(), line);
            case VALUE_FALSE -> new YamlNode.Scalar(Boolean.FALSE, parser.getText(), line);
            case VALUE_NULL -> new YamlNode.Scalar(null, parser.getText() == null ? "" : parser.getText(), line);
            case END_OBJECT, END_ARRAY, FIELD_NAME, NOT_AVAILABLE ->
                    throw new IllegalStateException("unexpected " + token + " at line " + line);
        };
    }

    private YamlNode.Mapping mapping(int line) throws IOException {
        List<YamlNode.Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT && token != null) {
            String key = parser.currentName();
            int keyLine = parser.currentTokenLocation().getLineNr();
            YamlNode value = value(parser.nextToken());
            Integer first = seen.putIfAbsent(key, keyLine);
            if (first != null) {
                problems.error(new Location(file, keyLine),
                        "duplicate key '" + key + "' (first at line " + first + "); keep one of them");
            } else {
                entries.add(new YamlNode.Entry(key, keyLine, value));
            }
        }
        return new YamlNode.Mapping(entries, line);
    }

    private YamlNode.Sequence sequence(int line) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            items.add(value(token));
        }
        return new YamlNode.Sequence(items, line);
    }
}
