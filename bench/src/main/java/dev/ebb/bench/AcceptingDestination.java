package dev.ebb.bench;

import dev.ebb.spi.BatchLimits;
import dev.ebb.spi.Destination;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.MatchRule;
import dev.ebb.spi.Mode;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RateWindow;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A destination that accepts every record at once and keeps nothing, so that a benchmark measures Ebb and not a
 * vendor. One object, {@code contacts}, matched by {@code email}, with the fields the benchmark models map.
 * Thread-safe.
 */
final class AcceptingDestination implements Destination {
    static final String OBJECT = "contacts";
    static final List<FieldSpec> FIELDS = List.of(
            new FieldSpec("email", FieldType.STRING, true, false, List.of()),
            FieldSpec.of("churn_risk_score", FieldType.NUMBER),
            FieldSpec.of("lifetime_value", FieldType.NUMBER),
            new FieldSpec("plan", FieldType.ENUMERATION, false, false, List.of("free", "starter", "pro", "enterprise")),
            FieldSpec.of("active", FieldType.BOOLEAN),
            FieldSpec.of("renewal_date", FieldType.DATE),
            FieldSpec.of("last_seen_at", FieldType.DATETIME),
            FieldSpec.of("country", FieldType.STRING),
            FieldSpec.of("seats", FieldType.NUMBER));

    final AtomicLong calls = new AtomicLong();
    final AtomicLong records = new AtomicLong();
    private final BatchLimits limits;

    /** Batches of 1,000 records, 10 MB. */
    AcceptingDestination() {
        this.limits = new BatchLimits(1_000, 10_000_000);
    }

    @Override
    public String accountId() {
        return "bench-accepting";
    }

    @Override
    public RateLimits rateLimits() {
        // No limit worth the name: the budget must never be what a benchmark measures.
        return new RateLimits(List.of(new RateWindow(1_000_000, Duration.ofSeconds(1))), 4, Optional.empty());
    }

    @Override
    public Optional<ObjectCapabilities> object(String object) {
        if (!object.equals(OBJECT)) return Optional.empty();
        return Optional.of(new ObjectCapabilities(OBJECT, EnumSet.allOf(Mode.class),
                EnumSet.allOf(RemovalBehaviour.class), new MatchRule(Set.of("email"), false),
                limits, false));
    }

    @Override
    public ObjectSchema describe(String object) {
        calls.incrementAndGet();
        return new ObjectSchema(object, FIELDS);
    }

    @Override
    public WriteStep start(WriteBatch batch) {
        calls.incrementAndGet();
        records.addAndGet(batch.records().size());
        List<RecordResult> results = new ArrayList<>(batch.records().size());
        for (OutboundRecord r : batch.records()) results.add(RecordResult.accepted(r.key(), null));
        return new WriteStep.Done(new WriteResult(results, RateUsage.UNKNOWN));
    }

    @Override
    public void close() {
    }
}
