package dev.ebb.connector.webhook;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.WriteBatch;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The body of one request: a Mustache template (mustache.java) rendered over one row, or over a batch's rows, or,
 * without a template, Ebb's default JSON document. Every {@code {{name}}} is written JSON-escaped, so a value cannot
 * break out of the string it stands in; {@code {{{json.name}}}} writes the value as a JSON literal (a quoted string,
 * a number, {@code true}, {@code null}). Partials ({@code {{> file}}}) are refused: a template never reads a file.
 *
 * <p>What a row offers: {@code key}, {@code match} (the match value), {@code match_field}, {@code operation}
 * ({@code upsert}, {@code create}, {@code update}, {@code delete}), {@code object}, each mapped field by its name
 * and under {@code fields.}, {@code json.} and {@code row_json} (the match field and every mapped field as a JSON
 * object), and {@code first} / {@code last}. A batch template iterates {@code {{#rows}}…{{/rows}}} and also has
 * {@code count}, {@code operation}, {@code object} and {@code rows_json}.
 *
 * <p>Immutable and thread-safe: a compiled template may render on several threads at once.
 */
final class BodyTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mustache mustache;

    private BodyTemplate(Mustache mustache) {
        this.mustache = mustache;
    }

    /** Ebb's default body: {@code {"operation":…,"match":{"field":…,"value":…},"fields":{…}}}, rows in a batch. */
    static BodyTemplate defaultBody() {
        return new BodyTemplate(null);
    }

    /**
     * Compiles {@code text}.
     *
     * @throws IllegalArgumentException when it is not a well-formed Mustache template, with the parser's reason
     */
    static BodyTemplate compile(String text, String name) {
        try {
            return new BodyTemplate(new JsonEscaping().compile(new StringReader(text), name));
        } catch (MustacheException e) {
            throw new IllegalArgumentException("the body template is not valid Mustache: " + e.getMessage());
        }
    }

    /** The body for {@code records} of {@code batch}, one row's document when {@code perRow}. */
    String render(WriteBatch batch, List<OutboundRecord> records, boolean perRow) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            rows.add(row(batch, records.get(i), i == 0, i == records.size() - 1));
        }
        if (mustache == null) return defaultDocument(batch, records, perRow);
        Map<String, Object> scope;
        if (perRow) {
            scope = rows.getFirst();
        } else {
            scope = new LinkedHashMap<>();
            scope.put("rows", rows);
            scope.put("count", records.size());
            scope.put("operation", operation(batch));
            scope.put("object", batch.object());
            ArrayNode all = JSON.createArrayNode();
            records.forEach(r -> all.add(document(batch, r)));
            scope.put("rows_json", all.toString());
        }
        StringWriter out = new StringWriter();
        mustache.execute(out, scope);
        return out.toString();
    }

    private static Map<String, Object> row(WriteBatch batch, OutboundRecord record, boolean first, boolean last) {
        Map<String, Object> texts = new LinkedHashMap<>();
        Map<String, Object> literals = new LinkedHashMap<>();
        record.fields().forEach((name, value) -> {
            texts.put(name, text(value));
            literals.put(name, literal(value));
        });
        Map<String, Object> row = new LinkedHashMap<>(texts);
        row.put("fields", texts);
        row.put("json", literals);
        row.put("key", record.key());
        row.put("match", record.matchValue());
        row.put("match_field", batch.matchField());
        row.put("operation", operation(batch));
        row.put("object", batch.object());
        row.put("row_json", document(batch, record).toString());
        row.put("first", first);
        row.put("last", last);
        return row;
    }

    private static String defaultDocument(WriteBatch batch, List<OutboundRecord> records, boolean perRow) {
        if (perRow) {
            ObjectNode one = JSON.createObjectNode().put("operation", operation(batch));
            one.setAll(defaultRow(batch, records.getFirst()));
            return one.toString();
        }
        ObjectNode body = JSON.createObjectNode().put("operation", operation(batch));
        ArrayNode rows = body.putArray("rows");
        records.forEach(r -> rows.add(defaultRow(batch, r)));
        return body.toString();
    }

    private static ObjectNode defaultRow(WriteBatch batch, OutboundRecord record) {
        ObjectNode row = JSON.createObjectNode();
        row.putObject("match").put("field", batch.matchField()).put("value", record.matchValue());
        ObjectNode fields = row.putObject("fields");
        record.fields().forEach((name, value) -> fields.set(name, JSON.valueToTree(jsonValue(value))));
        return row;
    }

    /** The match field and every mapped field, as one JSON object. */
    private static ObjectNode document(WriteBatch batch, OutboundRecord record) {
        ObjectNode node = JSON.createObjectNode().put(batch.matchField(), record.matchValue());
        record.fields().forEach((name, value) -> node.set(name, JSON.valueToTree(jsonValue(value))));
        return node;
    }

    static String operation(WriteBatch batch) {
        return batch.operation().name().toLowerCase(Locale.ROOT);
    }

    /** A value as text: numbers plain, instants ISO-8601 to the millisecond, {@code null} as nothing. */
    static String text(Object value) {
        return switch (value) {
            case null -> null;
            case BigDecimal d -> d.toPlainString();
            case Double d -> Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : d.toString();
            case Instant i -> i.truncatedTo(ChronoUnit.MILLIS).toString();
            default -> value.toString();
        };
    }

    /** A value as the JSON text that writes it. */
    private static String literal(Object value) {
        return JSON.valueToTree(jsonValue(value)).toString();
    }

    private static Object jsonValue(Object value) {
        return switch (value) {
            case null -> null;
            case BigDecimal d -> d;
            case Number n -> n instanceof Double d && !Double.isFinite(d) ? d.toString() : n;
            case Boolean b -> b;
            default -> text(value);
        };
    }

    /** A factory that escapes for JSON strings instead of HTML, and never reads a partial. */
    private static final class JsonEscaping extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(JsonStringEncoder.getInstance().quoteAsString(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Mustache compilePartial(String name) {
            throw new MustacheException("partials ({{> " + name + "}}) are not supported; write the body inline");
        }
    }
}
