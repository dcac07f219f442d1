package dev.ebb.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.config.DestinationLimits;
import dev.ebb.core.config.Location;
import dev.ebb.spi.Quota;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateWindow;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LimitsTest {
    static final RateLimits HUBSPOT_PRO = new RateLimits(List.of(new RateWindow(190, Duration.ofSeconds(10))), 10,
            Optional.of(new Quota(625_000, ZoneId.of("UTC"))));
    static final Location AT = new Location(Path.of("ebb.yaml"), 9);

    @Test
    void aShareLowersEveryWindowAndTheQuota() {
        RateLimits lowered = Limits.lowered(HUBSPOT_PRO, new DestinationLimits(BigDecimal.valueOf(80), null, null, AT));
        assertThat(lowered.windows()).containsExactly(new RateWindow(152, Duration.ofSeconds(10)));
        assertThat(lowered.dailyQuota().orElseThrow().requests()).isEqualTo(500_000);
        assertThat(lowered.maxConcurrency()).isEqualTo(10);
    }

    @Test
    void aLoweredQuotaIsCountedOverTheVendorsWindow() {
        RateLimits salesforce = new RateLimits(List.of(), 25, Optional.of(Quota.rolling24Hours(100_000)));
        Quota lowered = Limits.lowered(salesforce, new DestinationLimits(BigDecimal.valueOf(50), null, 20_000L, AT))
                .dailyQuota().orElseThrow();
        assertThat(lowered).isEqualTo(Quota.rolling24Hours(20_000));
    }

    @Test
    void explicitCapsOnlyEverLower() {
        RateLimits lowered = Limits.lowered(HUBSPOT_PRO, new DestinationLimits(null, 20, 700_000L, AT));
        assertThat(lowered.maxConcurrency()).isEqualTo(10);
        assertThat(lowered.dailyQuota().orElseThrow().requests()).isEqualTo(625_000);
        RateLimits capped = Limits.lowered(HUBSPOT_PRO, new DestinationLimits(null, 2, 1000L, AT));
        assertThat(capped.maxConcurrency()).isEqualTo(2);
        assertThat(capped.dailyQuota().orElseThrow().requests()).isEqualTo(1000);
    }

    @Test
    void noLimitsKeepsTheDeclaredOnes() {
        assertThat(Limits.lowered(HUBSPOT_PRO, null)).isSameAs(HUBSPOT_PRO);
    }
}
