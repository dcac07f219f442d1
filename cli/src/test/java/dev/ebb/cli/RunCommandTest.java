package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void replaceNamesOneAudienceAndIsRefusedWithAll() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Ebb.execute(new String[]{"run", "--all", "--replace", "-p", dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());

        assertThat(exitCode).isEqualTo(ExitCode.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--replace replaces one audience: name its sync instead of --all");
    }
}
