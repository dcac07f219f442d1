package dev.ebb.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.state.RunRecord;
import dev.ebb.spi.DestinationException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that waits says why, and its duration counts the wait. */
class RunWaitsTest {
    @TempDir
    Path dir;

    @Test
    void aThrottledStartIsPartOfTheRunsDurationAndItsReasonReachesTheWaiter() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.row("a@x.io", "1", "free");
            // The first call of a run, reading the destination's schema, meets a 429 asking for 40 s.
            f.destination.describeFaults.add(new DestinationException.ThrottledException("HTTP 429: slow down",
                    Duration.ofSeconds(40), false));

            RunRecord run = f.engine().run("people", Progress.NONE).record();

            assertThat(Duration.between(run.startedAt(), run.finishedAt())).isGreaterThanOrEqualTo(
                    Duration.ofSeconds(40));
            assertThat(f.waits).anySatisfy(reason -> assertThat(reason)
                    .startsWith("throttled by the destination (HTTP 429: slow down)"));
            assertThat(run.delivered()).isEqualTo(1);
        }
    }

    @Test
    void aTransientFailureWaitsForItsBackOffAndSaysSo() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.row("a@x.io", "1", "free");
            f.destination.faults.add(new DestinationException.TransientException("HTTP 503", null, false));

            f.engine().run("people", Progress.NONE);

            assertThat(f.waits).anySatisfy(reason -> assertThat(reason)
                    .isEqualTo("retrying after a transient failure (HTTP 503)"));
        }
    }
}
