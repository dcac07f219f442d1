package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.spi.ConnectorOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactionTest {
    private static final List<ConnectorOption> OPTIONS = List.of(ConnectorOption.secret("token", "the token"),
            ConnectorOption.optional("base_url", "where"), ConnectorOption.optional("timeout_seconds", "how long"));

    @TempDir
    Path root;

    private Redaction redaction(Map<String, String> settings, Map<String, String> env) {
        return Redaction.of(new ConnectionConfig("crm", "crm", settings, new Location(Path.of("ebb.yaml"), 3)),
                OPTIONS, root, env);
    }

    @Test
    void aNonSecretSettingReadFromAFileIsShownAsItsReference() throws Exception {
        Files.writeString(root.resolve("base"), "http://internal host/PRIVATE-PATH\n");
        Redaction redaction = redaction(Map.of("base_url", "${file:base}"), Map.of());

        assertThat(redaction.apply("crm: base_url 'http://internal host/PRIVATE-PATH' is not an http(s) URL"))
                .isEqualTo("crm: base_url '${file:base}' is not an http(s) URL");
    }

    @Test
    void aSecretIsTakenOutWholeAndLineByLineWhateverItHolds() {
        Redaction redaction = redaction(Map.of("token", "Bearer ${env:TOKEN}"), Map.of("TOKEN", "pat-SECRET1\nSECRET2"));

        String message = redaction.apply("invalid header value: \"Bearer pat-SECRET1\nSECRET2\"; first line pat-SECRET1");

        assertThat(message).doesNotContain("SECRET").contains("Bearer ${env:TOKEN}").contains("${env:TOKEN}");
    }

    @Test
    void aLiteralSecretIsMaskedAndAShortValueOnlyWhereItIsQuoted() {
        Redaction redaction = redaction(Map.of("token", "pat-literal-token", "timeout_seconds", "${env:T}"),
                Map.of("T", "0"));

        assertThat(redaction.apply("sent pat-literal-token")).isEqualTo("sent " + Secrets.MASK);
        assertThat(redaction.apply("timeout_seconds must be a positive whole number up to 600, not '0'"))
                .isEqualTo("timeout_seconds must be a positive whole number up to 600, not '${env:T}'");
    }

    @Test
    void nothingToRedactLeavesTheTextAsItIs() {
        Redaction redaction = redaction(Map.of("base_url", "http://127.0.0.1:8089"), Map.of());

        assertThat(redaction.isEmpty()).isTrue();
        assertThat(redaction.apply("base_url 'http://127.0.0.1:8089' is fine")).isEqualTo(
                "base_url 'http://127.0.0.1:8089' is fine");
        assertThat(Redaction.NONE.apply(null)).isNull();
    }
}
