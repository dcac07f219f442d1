package dev.ebb.connector.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An answer's body as JSON, whatever came back: an empty body is an empty object, and a body that is not the JSON
 * the vendor documents (a proxy's or gateway's HTML page, a CSV) is an object holding its first 300 characters under
 * the field the vendor's errors use for their text, so the connector's reason line still says something.
 *
 * <p>Needs Jackson, which this module declares optional: a connector that calls it brings Jackson itself.
 */
public final class JsonAnswers {
    /** How much of a body that is not JSON is kept for a message. */
    static final int EXCERPT = 300;

    private JsonAnswers() {
    }

    /** The body as a JSON object, or an object with {@code messageField} holding the start of the body. */
    public static JsonNode object(ObjectMapper mapper, String text, String messageField) {
        return parse(mapper, text, messageField, false);
    }

    /** The body as a JSON object or array (vendors that answer lists, such as Salesforce), else as {@link #object}. */
    public static JsonNode objectOrArray(ObjectMapper mapper, String text, String messageField) {
        return parse(mapper, text, messageField, true);
    }

    private static JsonNode parse(ObjectMapper mapper, String text, String messageField, boolean arrays) {
        if (text == null || text.isBlank()) return mapper.createObjectNode();
        try {
            JsonNode node = mapper.readTree(text);
            if (node != null && (node.isObject() || (arrays && node.isArray()))) return node;
        } catch (JsonProcessingException e) {
            // not JSON: what the excerpt below says
        }
        return mapper.createObjectNode().put(messageField, excerpt(text));
    }

    /** The start of {@code text}, marked with an ellipsis when cut. */
    static String excerpt(String text) {
        return text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text;
    }
}
