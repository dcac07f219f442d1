package dev.ebb.core.run;

import dev.ebb.spi.BatchLimits;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.MatchRule;
import dev.ebb.spi.Mode;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RateWindow;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A destination that keeps records in memory, for engine tests: one object {@code people}, matched by
 * {@code email}, with scripted faults and a predicate deciding which records it rejects.
 */
final class MemoryDestination implements Destination {
    final Map<String, Map<String, Object>> records = new LinkedHashMap<>();
    final Map<String, String> ids = new HashMap<>();
    /** Thrown by the next writes, in order. */
    final Queue<DestinationException> faults = new ArrayDeque<>();
    /** Thrown by the next describe calls, in order. */
    final Queue<DestinationException> describeFaults = new ArrayDeque<>();
    /** Thrown by the next writes after they applied their batch, in order: the vendor did the work, its answer was lost. */
    final Queue<DestinationException> faultsAfterApply = new ArrayDeque<>();
    final List<WriteBatch> writes = new ArrayList<>();
    /** Every record a write applied, in order: the history the vendor's side saw. */
    final List<Applied> applied = new ArrayList<>();
    /** Write calls so far, failed ones included. */
    int writeCalls;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger nextId = new AtomicInteger(1);
    Predicate<OutboundRecord> rejects = r -> false;
    /** Records the destination cannot apply for now (a locked row): answered failed, with a reason. */
    Predicate<OutboundRecord> cannotApply = r -> false;
    /** Records whose presence makes the destination refuse the whole batch (no per-record answer). */
    Predicate<OutboundRecord> poisons = r -> false;
    /** The refusal's message; by default it names the poisoning record. */
    String poisonMessage;
    /** Set to throw after applying a batch, as a process dying after the vendor applied it would. */
    RuntimeException crashAfterApply;
    private int crashOnWrite;
    private boolean crashAfterApplying;
    private RuntimeException crash;
    int batchSize = 3;
    /** The calls in flight at once that the destination declares. */
    int concurrency = 1;
    /** Runs at the start of every write call, before anything else. */
    Runnable beforeWrite = () -> { };
    /** The object's replace limits; empty when it cannot be replaced as a whole (the default). */
    Optional<BatchLimits> replaceLimits = Optional.empty();
    /** What the destination says is wrong with a record's values before any call; nothing by default. */
    java.util.function.Function<Map<String, Object>, Optional<String>> problems = fields -> Optional.empty();
    /** Pending steps of a replace session after its start (create, upload, then the answer). */
    static final int REPLACE_STEPS = 2;
    Optional<dev.ebb.spi.Quota> dailyQuota = Optional.empty();

    static final List<FieldSpec> FIELDS = List.of(
            new FieldSpec("email", FieldType.STRING, true, false, List.of()),
            FieldSpec.of("score", FieldType.NUMBER),
            FieldSpec.of("plan", FieldType.STRING),
            FieldSpec.of("active", FieldType.BOOLEAN),
            new FieldSpec("id", FieldType.STRING, true, true, List.of()));

    /** One record a write applied. */
    record Applied(int write, Operation operation, String key, String matchValue, Map<String, Object> fields) {
    }

    /**
     * Makes write call number {@code write} (counted by {@link #writeCalls}) throw {@code crash} before it applies
     * anything, or after it applied its batch, as a process dying around the vendor's work would.
     */
    void crashOn(int write, boolean afterApplying, RuntimeException crash) {
        this.crashOnWrite = write;
        this.crashAfterApplying = afterApplying;
        this.crash = crash;
    }

    @Override
    public String accountId() {
        return "memory";
    }

    @Override
    public RateLimits rateLimits() {
        return new RateLimits(List.of(new RateWindow(1000, Duration.ofSeconds(1))), concurrency, dailyQuota);
    }

    @Override
    public Optional<ObjectCapabilities> object(String object) {
        if (!object.equals("people")) return Optional.empty();
        return Optional.of(new ObjectCapabilities("people", EnumSet.allOf(Mode.class),
                EnumSet.allOf(RemovalBehaviour.class), new MatchRule(Set.of("email"), true),
                new BatchLimits(batchSize, 1_000_000), true, Optional.empty(), replaceLimits));
    }

    @Override
    public Optional<String> problem(String object, Map<String, Object> fields) {
        return problems.apply(fields);
    }

    @Override
    public ObjectSchema describe(String object) throws DestinationException {
        calls.incrementAndGet();
        DestinationException fault = describeFaults.poll();
        if (fault != null) throw fault;
        return new ObjectSchema(object, FIELDS);
    }

    public synchronized WriteResult write(WriteBatch batch) throws DestinationException {
        beforeWrite.run();
        calls.incrementAndGet();
        writeCalls++;
        DestinationException fault = faults.poll();
        if (fault != null) throw fault;
        if (writeCalls == crashOnWrite && !crashAfterApplying) throw crash;
        for (OutboundRecord r : batch.records()) {
            if (poisons.test(r)) {
                throw new DestinationException.PermanentException(poisonMessage != null ? poisonMessage
                        : "VALIDATION_ERROR: " + r.matchValue() + " poisons the whole batch", null);
            }
        }
        writes.add(batch);
        // A replace drops every member, then adds the batch's records: the membership becomes exactly those accepted.
        if (batch.operation() == Operation.REPLACE) records.clear();
        List<RecordResult> results = new ArrayList<>();
        for (OutboundRecord r : batch.records()) {
            if (cannotApply.test(r)) {
                results.add(RecordResult.failed(r.key(), "UNABLE_TO_LOCK_ROW: the record is locked"));
                continue;
            }
            if (rejects.test(r)) {
                results.add(RecordResult.rejected(r.key(), "INVALID: rejected by the test"));
                continue;
            }
            String match = r.matchValue();
            switch (batch.operation()) {
                case UPSERT, CREATE, UPDATE, REPLACE -> {
                    if (batch.operation() == Operation.UPDATE && !records.containsKey(match)) {
                        results.add(RecordResult.rejected(r.key(), "OBJECT_NOT_FOUND: no record " + match));
                        continue;
                    }
                    if (batch.operation() == Operation.CREATE && records.containsKey(match)) {
                        results.add(RecordResult.rejected(r.key(), "CONFLICT: " + match + " exists"));
                        continue;
                    }
                    Map<String, Object> fields = records.computeIfAbsent(match, m -> new LinkedHashMap<>());
                    fields.put("email", match);
                    r.fields().forEach((k, v) -> {
                        if (v == null) fields.remove(k);
                        else fields.put(k, v);
                    });
                    String id = ids.computeIfAbsent(match, m -> "id-" + nextId.getAndIncrement());
                    applied.add(new Applied(writeCalls, batch.operation(), r.key(), match, r.fields()));
                    results.add(RecordResult.accepted(r.key(), id));
                }
                case DELETE -> {
                    records.remove(match);
                    applied.add(new Applied(writeCalls, batch.operation(), r.key(), match, r.fields()));
                    results.add(RecordResult.accepted(r.key(), ids.remove(match)));
                }
            }
        }
        if (crashAfterApply != null) {
            RuntimeException crash = crashAfterApply;
            crashAfterApply = null;
            throw crash;
        }
        if (writeCalls == crashOnWrite && crashAfterApplying) throw crash;
        DestinationException lostAnswer = faultsAfterApply.poll();
        if (lostAnswer != null) throw lostAnswer;
        return new WriteResult(results, RateUsage.UNKNOWN);
    }

    final AtomicInteger reads = new AtomicInteger();

    /** Reads current values back, as text, the way HTTP APIs return them. */
    @Override
    public synchronized List<dev.ebb.spi.RemoteRecord> read(String object, String matchField,
                                                            java.util.Collection<String> matchValues,
                                                            java.util.Collection<String> fields) {
        calls.incrementAndGet();
        reads.incrementAndGet();
        List<dev.ebb.spi.RemoteRecord> found = new ArrayList<>();
        for (String match : matchValues) {
            Map<String, Object> record = records.get(match);
            if (record == null) continue;
            Map<String, Object> values = new LinkedHashMap<>();
            for (String field : fields) {
                Object value = record.get(field);
                values.put(field, value == null ? null : value instanceof java.math.BigDecimal d
                        ? d.toPlainString() : value.toString());
            }
            found.add(new dev.ebb.spi.RemoteRecord(match, ids.get(match), values));
        }
        return found;
    }

    /** A person editing a record in the tool. */
    synchronized void personSets(String match, String field, Object value) {
        Map<String, Object> record = records.computeIfAbsent(match, m -> {
            ids.put(m, "id-" + nextId.getAndIncrement());
            Map<String, Object> fresh = new LinkedHashMap<>();
            fresh.put("email", m);
            return fresh;
        });
        if (value == null) record.remove(field);
        else record.put(field, value);
    }

    /** When above zero, writes are asynchronous: this many pending steps, each asking for a 2-second wait. */
    int pendingSteps;
    final AtomicInteger resumes = new AtomicInteger();

    @Override
    public dev.ebb.spi.WriteStep start(WriteBatch batch) throws DestinationException {
        if (pendingSteps == 0 && batch.operation() != Operation.REPLACE) {
            return new dev.ebb.spi.WriteStep.Done(write(batch));
        }
        calls.incrementAndGet();
        return new dev.ebb.spi.WriteStep.Pending(batch, 1, Duration.ofSeconds(2), "job queued");
    }

    @Override
    public dev.ebb.spi.WriteStep resume(dev.ebb.spi.WriteStep.Pending pending) throws DestinationException {
        resumes.incrementAndGet();
        int step = (Integer) pending.state();
        int steps = pending.batch().operation() == Operation.REPLACE ? REPLACE_STEPS : pendingSteps;
        if (step < steps) {
            calls.incrementAndGet();
            return new dev.ebb.spi.WriteStep.Pending(pending.batch(), step + 1, Duration.ofSeconds(2), "job running");
        }
        return new dev.ebb.spi.WriteStep.Done(write(pending.batch()));
    }

    @Override
    public void close() {
    }
}
