package dev.ebb.connector.support;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header (RFC 9110 §10.2.3): delta-seconds ({@code 120}) or an HTTP-date
 * ({@code Wed, 21 Oct 2015 07:28:00 GMT}). A date in the past, or a negative number, is no wait; an unreadable
 * value is no hint at all.
 */
public final class RetryAfter {
    private RetryAfter() {
    }

    /** The wait the header asks for, measured from {@code clock}'s now; empty without a readable header. */
    public static Optional<Duration> of(HttpHeaders headers, Clock clock) {
        return headers.firstValue("Retry-After").flatMap(value -> parse(value, clock.instant()));
    }

    /**
     * The wait until the instant a header gives in epoch seconds, as Braze's and Intercom's {@code X-RateLimit-Reset}
     * do; an instant in the past is no wait, an unreadable value no hint.
     */
    public static Optional<Duration> untilEpochSeconds(HttpHeaders headers, String name, Clock clock) {
        return RateHeaders.number(headers, name).map(epoch -> {
            Duration wait = Duration.between(clock.instant(), Instant.ofEpochSecond(epoch));
            return wait.isNegative() ? Duration.ZERO : wait;
        });
    }

    /** The wait {@code value} asks for at {@code now}; empty when it is neither delta-seconds nor an HTTP-date. */
    public static Optional<Duration> parse(String value, Instant now) {
        String text = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(text))));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException unparsable) {
                return Optional.empty();
            }
        }
    }
}
