package dev.ebb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ebb.core.config.Redaction;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where commands print: human text on stdout, or with {@code --json} one JSON document (snake_case keys, see
 * docs/json/), so that scripts never parse prose. Errors always go to stderr. Everything printed passes through
 * the project's {@link Redaction}, so that no secret, and no value a reference resolved to, reaches the screen
 * whatever path a message took.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).findAndRegisterModules();

    final boolean json;
    final PrintStream out;
    final PrintStream err;
    private final Supplier<Redaction> redaction;
    private Redaction resolved;
    private boolean documentPrinted;

    Output(boolean json, PrintStream out, PrintStream err, Supplier<Redaction> redaction) {
        this.json = json;
        this.out = out;
        this.err = err;
        this.redaction = redaction;
    }

    void line(String text) {
        if (!json) out.println(redact(text));
    }

    void json(Object document) {
        out.println(render(redact(JSON.valueToTree(document))));
        documentPrinted = true;
    }

    /** A document as the JSON text every command prints. */
    static String render(Object document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@link #json} printed the command's document already. */
    boolean documentPrinted() {
        return documentPrinted;
    }

    void error(String message) {
        err.println("error: " + redact(message));
    }

    void warn(String message) {
        err.println("warning: " + redact(message));
    }

    /** The text with the project's resolved settings taken out. */
    String redact(String text) {
        if (resolved == null) resolved = redaction.get();
        return resolved.apply(text);
    }

    private JsonNode redact(JsonNode node) {
        if (node instanceof TextNode text) return TextNode.valueOf(redact(text.asText()));
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) array.set(i, redact(array.get(i)));
        } else if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(redact(field.getValue()));
            }
        }
        return node;
    }
}
