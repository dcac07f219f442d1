package dev.ebb.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogFormatTest {
    @Test
    void jsonWritesOneJsonObjectPerLineForSlf4jAndJavaUtilLogging() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            LogFormat.of("json").apply();
            LoggerFactory.getLogger("dev.ebb.test").info("run {} of churn ended", 7);
            java.util.logging.Logger.getLogger("dev.ebb.server.Test").warning("a server warning");
        } finally {
            System.setErr(original);
            LogFormat.TEXT.apply();
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = lines.stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + l, e);
            }
        }).toList();
        assertThat(events).extracting(e -> e.get("level").asText() + " " + e.get("formattedMessage").asText())
                .contains("INFO run 7 of churn ended", "WARN a server warning");
    }

    @Test
    void anUnknownFormatSaysWhichOnesThereAre() {
        assertThatThrownBy(() -> LogFormat.of("xml")).hasMessage("--log-format must be 'text' or 'json', not 'xml'");
    }
}
