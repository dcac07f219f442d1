package dev.ebb.spi;

import java.time.Duration;
import java.util.Objects;

/** At most {@code requests} calls per {@code per}, e.g. HubSpot Professional's 190 per 10 seconds. */
public record RateWindow(int requests, Duration per) {
    public RateWindow {
        if (requests < 1) throw new IllegalArgumentException("requests must be at least 1: " + requests);
        Objects.requireNonNull(per, "per");
        if (per.isNegative() || per.isZero()) throw new IllegalArgumentException("per must be positive: " + per);
    }
}
