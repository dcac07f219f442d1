package dev.ebb.connector.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anObjectIsReadAndAnythingElseBecomesAMessage() {
        assertThat(JsonAnswers.object(JSON, "{\"a\":1}", "message").path("a").asInt()).isEqualTo(1);
        assertThat(JsonAnswers.object(JSON, "", "message").isEmpty()).isTrue();
        assertThat(JsonAnswers.object(JSON, "<html>Bad gateway</html>", "description").path("description").asText())
                .isEqualTo("<html>Bad gateway</html>");
        assertThat(JsonAnswers.object(JSON, "[1]", "message").path("message").asText()).isEqualTo("[1]");
        assertThat(JsonAnswers.objectOrArray(JSON, "[1]", "message").isArray()).isTrue();
        assertThat(JsonAnswers.object(JSON, "x".repeat(400), "message").path("message").asText())
                .hasSize(301).endsWith("…");
    }
}
