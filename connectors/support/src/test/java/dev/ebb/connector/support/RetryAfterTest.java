package dev.ebb.connector.support;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2015-10-21T07:27:00Z");

    @Test
    void deltaSecondsAreAWaitAndANegativeOneIsNone() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 7 ", NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("-3", NOW)).contains(Duration.ZERO);
    }

    @Test
    void anHttpDateIsTheWaitUntilThenAndOneInThePastIsNone() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW)).contains(Duration.ofSeconds(60));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void anUnreadableValueIsNoHint() {
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
    }

    @Test
    void theHeaderIsReadAgainstTheClock() {
        HttpHeaders headers = HttpHeaders.of(Map.of("Retry-After", List.of("Wed, 21 Oct 2015 07:27:30 GMT")),
                (a, b) -> true);
        assertThat(RetryAfter.of(headers, Clock.fixed(NOW, ZoneOffset.UTC))).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.of(HttpHeaders.of(Map.of(), (a, b) -> true), Clock.systemUTC())).isEmpty();
    }

    @Test
    void anEpochResetIsTheWaitUntilThen() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        HttpHeaders ahead = HttpHeaders.of(Map.of("X-RateLimit-Reset", List.of(String.valueOf(NOW.getEpochSecond() + 3))),
                (a, b) -> true);
        HttpHeaders past = HttpHeaders.of(Map.of("X-RateLimit-Reset", List.of(String.valueOf(NOW.getEpochSecond() - 9))),
                (a, b) -> true);
        assertThat(RetryAfter.untilEpochSeconds(ahead, "X-RateLimit-Reset", clock)).contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.untilEpochSeconds(past, "X-RateLimit-Reset", clock)).contains(Duration.ZERO);
        assertThat(RetryAfter.untilEpochSeconds(past, "X-Other", clock)).isEmpty();
    }
}
