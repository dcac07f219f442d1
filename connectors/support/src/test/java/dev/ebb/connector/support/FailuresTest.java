package dev.ebb.connector.support;

import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {
    private static final Clock CLOCK = Clock.systemUTC();

    private static HttpAnswer answer(int status, Map<String, List<String>> headers) {
        return new HttpAnswer(status, HttpHeaders.of(headers, (a, b) -> true), null);
    }

    private static DestinationException byStatus(int status) {
        return Failures.classify(answer(status, Map.of()), "refused", CLOCK, Failures.BY_STATUS);
    }

    @Test
    void aThrottleCarriesTheRetryAfterAndIsNotADailyLimit() {
        DestinationException e = Failures.classify(answer(429, Map.of("Retry-After", List.of("9"))), "slow down",
                CLOCK, Failures.BY_STATUS);
        assertThat(e).isInstanceOfSatisfying(ThrottledException.class, t -> {
            assertThat(t.retryAfter()).isEqualTo(Duration.ofSeconds(9));
            assertThat(t.dailyLimit()).isFalse();
        }).hasMessage("slow down");
        assertThat(((ThrottledException) byStatus(429)).retryAfter()).as("no hint").isNull();
    }

    @Test
    void serverErrorsMayPassAndEverythingElseIsPermanent() {
        for (int status : new int[]{500, 502, 503, 504}) {
            assertThat(byStatus(status)).as("" + status).isInstanceOfSatisfying(TransientException.class,
                    t -> assertThat(t.unreachable()).isFalse());
        }
        for (int status : new int[]{400, 401, 403, 404, 409, 422}) {
            assertThat(byStatus(status)).as("" + status).isInstanceOf(PermanentException.class);
        }
    }

    @Test
    void theVendorRuleDecidesFirst() {
        Failures.VendorRule conflictsPass = (answer, message) -> answer.status() == 409
                ? Optional.of(new TransientException(message, null, false)) : Optional.empty();
        assertThat(Failures.classify(answer(409, Map.of()), "busy", CLOCK, conflictsPass))
                .isInstanceOf(TransientException.class);
        assertThat(Failures.classify(answer(404, Map.of()), "gone", CLOCK, conflictsPass))
                .isInstanceOf(PermanentException.class);
    }
}
