package dev.ebb.core.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapped values of one planned row, as they wait in the run's scratch table between the diff and delivery:
 * a JSON array of {@code [field, tag, text]} triples that keeps the value types JSON alone would lose.
 */
public final class Payload {
    private static final JsonFactory JSON = new JsonFactory();

    private Payload() {
    }

    public static String encode(List<String> fields, List<Object> values) {
        StringWriter out = new StringWriter(32 * fields.size());
        try (JsonGenerator gen = JSON.createGenerator(out)) {
            gen.writeStartArray();
            for (int i = 0; i < fields.size(); i++) {
                Object value = values.get(i);
                gen.writeString(fields.get(i));
                gen.writeString(switch (value) {
                    case null -> "N";
                    case String s -> "S";
                    case BigDecimal d -> "D";
                    case Boolean b -> "B";
                    case LocalDate d -> "d";
                    case Instant t -> "T";
                    default -> throw new IllegalArgumentException("not a converted value: " + value.getClass());
                });
                if (value == null) gen.writeNull();
                else gen.writeString(value instanceof BigDecimal d ? d.toPlainString() : value.toString());
            }
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static Map<String, Object> decode(String json) {
        Map<String, Object> fields = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.VALUE_STRING) {
                String field = parser.getText();
                parser.nextToken();
                String tag = parser.getText();
                parser.nextToken();
                String text = parser.currentToken() == JsonToken.VALUE_NULL ? null : parser.getText();
                fields.put(field, switch (tag) {
                    case "N" -> null;
                    case "S" -> text;
                    case "D" -> new BigDecimal(text);
                    case "B" -> Boolean.valueOf(text);
                    case "d" -> LocalDate.parse(text);
                    case "T" -> Instant.parse(text);
                    default -> throw new IllegalStateException("unknown payload tag " + tag);
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fields;
    }

    /** A rough size of the record on the wire, for byte limits on batches. */
    public static int estimatedBytes(String payload) {
        return payload == null ? 64 : payload.length() + 64;
    }
}
