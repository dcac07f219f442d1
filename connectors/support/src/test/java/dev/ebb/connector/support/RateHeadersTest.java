package dev.ebb.connector.support;

import dev.ebb.spi.RateUsage;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RateHeadersTest {
    private static HttpHeaders headers(Map<String, List<String>> values) {
        return HttpHeaders.of(values, (a, b) -> true);
    }

    @Test
    void theFirstReadableSpellingWins() {
        HttpHeaders headers = headers(Map.of("X-Rate-Limit", List.of("lots"), "ratelimit-limit", List.of(" 400 ")));
        assertThat(RateHeaders.number(headers, "X-Rate-Limit", "ratelimit-limit")).contains(400L);
        assertThat(RateHeaders.number(headers, "X-Missing")).isEmpty();
    }

    @Test
    void usageIsUnknownWhenTheVendorSaidNothing() {
        assertThat(RateHeaders.usage(null, null, null, null)).isSameAs(RateUsage.UNKNOWN);
        assertThat(RateHeaders.usage(190L, 12L, Duration.ofSeconds(10), null))
                .isEqualTo(new RateUsage(190L, 12L, Duration.ofSeconds(10), null));
    }
}
