package dev.ebb.spi;

import java.util.List;
import java.util.Optional;

/**
 * The documented limits of one destination account, shared by everything that writes to it.
 *
 * @param windows        every request window that applies; the runtime keeps under all of them
 * @param maxConcurrency calls in flight at once, at least 1
 * @param dailyQuota     the daily allowance, if the vendor has one
 */
public record RateLimits(List<RateWindow> windows, int maxConcurrency, Optional<Quota> dailyQuota) {
    public RateLimits {
        windows = List.copyOf(windows);
        if (maxConcurrency < 1) throw new IllegalArgumentException("maxConcurrency must be at least 1");
        java.util.Objects.requireNonNull(dailyQuota, "dailyQuota");
    }
}
