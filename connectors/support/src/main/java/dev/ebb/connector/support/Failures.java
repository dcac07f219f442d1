package dev.ebb.connector.support;

import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;

import java.time.Clock;
import java.util.Optional;

/**
 * Classifies a call the vendor refused as a whole, by its HTTP status: 429 is a {@link ThrottledException} with the
 * answer's {@code Retry-After}; 5xx a {@link TransientException}; 401, 403 and every other status a
 * {@link PermanentException}. A vendor that means more by its own statuses or codes (HubSpot's 423, Zendesk's 409,
 * Salesforce's {@code REQUEST_LIMIT_EXCEEDED}) says so in a {@link VendorRule}, consulted first.
 */
public final class Failures {
    private Failures() {
    }

    /** A vendor's own reading of an answer, before the status decides. */
    @FunctionalInterface
    public interface VendorRule {
        /** The vendor's classification of {@code answer}, or empty to let its status decide. */
        Optional<DestinationException> classify(HttpAnswer answer, String message);
    }

    /** No vendor rule: the status decides. */
    public static final VendorRule BY_STATUS = (answer, message) -> Optional.empty();

    /**
     * The exception for {@code answer}.
     *
     * @param message what the exception says: the call and the vendor's reason, never a secret
     * @param clock   the connector's clock, for a {@code Retry-After} given as an HTTP date
     */
    public static DestinationException classify(HttpAnswer answer, String message, Clock clock, VendorRule rule) {
        Optional<DestinationException> vendors = rule.classify(answer, message);
        if (vendors.isPresent()) return vendors.get();
        int status = answer.status();
        if (status == 429) {
            return new ThrottledException(message, RetryAfter.of(answer.headers(), clock).orElse(null), false);
        }
        if (status >= 500) return new TransientException(message, null, false);
        return new PermanentException(message, null);
    }
}
