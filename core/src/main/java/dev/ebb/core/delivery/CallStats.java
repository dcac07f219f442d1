package dev.ebb.core.delivery;

import java.util.concurrent.atomic.AtomicLong;

/** Counts of the calls one run made to its destination. Thread-safe. */
public final class CallStats {
    public final AtomicLong calls = new AtomicLong();
    public final AtomicLong throttles = new AtomicLong();
    public final AtomicLong retries = new AtomicLong();
}
