package dev.ebb.connector.support;

import dev.ebb.spi.RateUsage;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

/** Reading a vendor's rate-limit headers into a {@link RateUsage}. */
public final class RateHeaders {
    private RateHeaders() {
    }

    /** The first of {@code names} the answer carries as a whole number; empty when none does. */
    public static Optional<Long> number(HttpHeaders headers, String... names) {
        for (String name : names) {
            Optional<String> value = headers.firstValue(name);
            if (value.isEmpty()) continue;
            try {
                return Optional.of(Long.parseLong(value.get().trim()));
            } catch (NumberFormatException e) {
                // unreadable: the next spelling may do
            }
        }
        return Optional.empty();
    }

    /** The usage from its parts, each {@code null} when the vendor did not say; {@link RateUsage#UNKNOWN} for none. */
    public static RateUsage usage(Long windowMax, Long windowRemaining, Duration window, Long dailyRemaining) {
        if (windowMax == null && windowRemaining == null && window == null && dailyRemaining == null) {
            return RateUsage.UNKNOWN;
        }
        return new RateUsage(windowMax, windowRemaining, window, dailyRemaining);
    }
}
