package dev.ebb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;

/**
 * Where commands print: human text on stdout, or with {@code --json} one JSON document, so that scripts never
 * parse prose. Errors always go to stderr.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .findAndRegisterModules();

    final boolean json;
    final PrintStream out;
    final PrintStream err;

    Output(boolean json, PrintStream out, PrintStream err) {
        this.json = json;
        this.out = out;
        this.err = err;
    }

    void line(String text) {
        if (!json) out.println(text);
    }

    void json(Object document) {
        try {
            out.println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void error(String message) {
        err.println("error: " + message);
    }

    void warn(String message) {
        err.println("warning: " + message);
    }
}
