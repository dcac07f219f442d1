package dev.ebb.core.delivery;

import dev.ebb.core.config.DestinationLimits;
import dev.ebb.spi.Quota;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateWindow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

/** A destination's declared limits, lowered by its {@code limits:} in {@code ebb.yaml}. Never raised. */
final class Limits {
    private Limits() {
    }

    static RateLimits lowered(RateLimits declared, DestinationLimits limits) {
        if (limits == null) return declared;
        BigDecimal share = limits.share() == null ? BigDecimal.valueOf(100) : limits.share();
        List<RateWindow> windows = declared.windows().stream()
                .map(w -> new RateWindow(scale(w.requests(), share), w.per())).toList();
        int concurrency = limits.maxConcurrency() == null ? declared.maxConcurrency()
                : Math.min(declared.maxConcurrency(), limits.maxConcurrency());
        Optional<Quota> quota = declared.dailyQuota().map(q -> {
            long scaled = scale(q.requests(), share);
            long capped = limits.dailyQuota() == null ? scaled : Math.min(scaled, limits.dailyQuota());
            return q.withRequests(capped);
        });
        if (quota.isEmpty() && limits.dailyQuota() != null) {
            // A vendor without a declared daily quota: the user's own cap still holds, counted by UTC days.
            quota = Optional.of(new Quota(limits.dailyQuota(), java.time.ZoneOffset.UTC));
        }
        return new RateLimits(windows, concurrency, quota);
    }

    private static int scale(int requests, BigDecimal share) {
        return (int) Math.max(1, scale((long) requests, share));
    }

    private static long scale(long requests, BigDecimal share) {
        return Math.max(1, BigDecimal.valueOf(requests).multiply(share)
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR).longValue());
    }
}
