package dev.ebb.core.engine;

import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.ModelConfig;
import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.config.Suggestions;
import dev.ebb.core.config.Guard;
import dev.ebb.core.config.Threshold;
import dev.ebb.core.delivery.CallStats;
import dev.ebb.core.delivery.QuotaGate;
import dev.ebb.core.delivery.Caller;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.state.Change;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.FieldHashes;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.spi.Column;
import dev.ebb.spi.Destination;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.Mode;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SourceRow;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Runs syncs: extract → fingerprint → diff → plan → deliver → commit (DESIGN §3).
 *
 * <p>The model's rows stream from the source into a scratch table of the state store (DuckDB), one row at a time:
 * key, fingerprint, match value and the mapped values. The diff against the snapshot is one SQL join there, so a
 * million rows never sit in the heap. Planned writes are batched within the object's limits and sent through a
 * {@link Caller} that keeps to the account's rate budget; after every batch the acknowledged rows advance the
 * snapshot in one transaction, so a crash resends at most the batch that was in flight. Before each call the batch's
 * rows are marked in flight ({@link StateStore#markInFlight}): a write the vendor applied but Ebb never heard back
 * about is sent again, or its record removed, by the next run, even when the model has meanwhile gone back to what
 * the snapshot holds.
 *
 * <p>Thread-safe for runs of different syncs; two runs of one sync are refused by {@link StateStore#lock}.
 */
public final class SyncEngine {
    /** Consecutive batches that may fail outright before a run stops sending. */
    private static final int MAX_FAILED_BATCHES_IN_A_ROW = 3;
    private static final int MAX_PROBLEMS_REPORTED = 20;
    /** Batches one run keeps in flight at most (fewer if the account allows fewer concurrent calls). */
    private static final int MAX_BATCHES_IN_FLIGHT = 4;

    private final ProjectConfig project;
    private final StateStore state;
    private final Connectors connectors;
    private final RateBudgets budgets;
    private final RetryPolicy retryPolicy;
    private final Waiter waiter;
    private final Clock clock;
    private final RandomGenerator random;
    /** One daily-quota gate per destination account, shared by every sync this engine runs. */
    private final java.util.concurrent.ConcurrentMap<String, QuotaGate> quotas =
            new java.util.concurrent.ConcurrentHashMap<>();

    public SyncEngine(ProjectConfig project, StateStore state, Connectors connectors, RateBudgets budgets,
                      RetryPolicy retryPolicy, Waiter waiter, Clock clock, RandomGenerator random) {
        this.project = project;
        this.state = state;
        this.connectors = connectors;
        this.budgets = budgets;
        this.retryPolicy = retryPolicy;
        this.waiter = waiter;
        this.clock = clock;
        this.random = random;
    }

    // ---- public entry points ----------------------------------------------------------------------------------

    /** A dry run: reads the model and the destination's schema, writes nothing anywhere. */
    public PlanReport plan(String syncName, int samplesPerKind, Progress progress)
            throws SyncException, InterruptedException {
        SyncConfig sync = sync(syncName);
        try (Prepared prepared = prepare(sync);
             Connection scratch = state.connect()) {
            List<String> warnings = new ArrayList<>();
            boolean specChanged = specChanged(sync, prepared, warnings);
            PlanCounts counts = extractAndDiff(prepared, scratch, specChanged, progress);
            List<PlanReport.Sample> samples = new ArrayList<>();
            for (String change : List.of("added", "changed", "removed")) {
                try (PreparedStatement ps = scratch.prepareStatement(
                        "SELECT key, payload, rematched FROM plan WHERE change = ? ORDER BY key LIMIT ?")) {
                    ps.setString(1, change);
                    ps.setInt(2, samplesPerKind);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Change kind = Change.valueOf(change.toUpperCase(Locale.ROOT));
                            Optional<Operation> op = operation(sync, kind, rs.getBoolean(3));
                            Map<String, Object> fields = op.map(o -> fields(prepared, o, rs)).orElse(Map.of());
                            samples.add(new PlanReport.Sample(rs.getString(1), change,
                                    op.map(o -> o.name().toLowerCase(Locale.ROOT)).orElse("none"), fields));
                        }
                    }
                }
            }
            List<PlanReport.Invalid> invalid = new ArrayList<>();
            try (Statement st = scratch.createStatement();
                 ResultSet rs = st.executeQuery("SELECT key, invalid FROM cur WHERE invalid IS NOT NULL LIMIT "
                         + samplesPerKind * 3)) {
                while (rs.next()) invalid.add(new PlanReport.Invalid(rs.getString(1), rs.getString(2)));
            }
            String breach = breach(sync, counts, state.snapshotSize(sync.name()));
            return new PlanReport(sync.name(), counts, samples, invalid, warnings,
                    prepared.caller.stats().calls.get(), breach);
        } catch (SQLException e) {
            throw stateFailure(e);
        }
    }

    /**
     * Checks a sync against its source and destination without reading a row: the model compiles and has the
     * key, match and mapped columns; the object, mode, match field and mapped fields exist at the destination.
     * One discovery call. Returns warnings (e.g. a mapping changed since the last run).
     */
    public List<String> check(String syncName) throws SyncException, InterruptedException {
        SyncConfig sync = sync(syncName);
        try (Prepared prepared = prepare(sync)) {
            List<String> warnings = new ArrayList<>();
            specChanged(sync, prepared, warnings);
            return warnings;
        } catch (SQLException e) {
            throw stateFailure(e);
        }
    }

    /**
     * Runs the sync: plans, delivers, and commits what the destination acknowledged. A plan over the sync's
     * blast-radius guard is not delivered: the run ends {@code awaiting_approval}.
     */
    public RunReport run(String syncName, Progress progress) throws SyncException, InterruptedException {
        return execute(sync(syncName), progress, null);
    }

    /**
     * Delivers the plan a run held for approval. The model is planned again and must give the very plan that was
     * held (same rows, same changes, same values); otherwise nothing is sent and the user is told to run again.
     * The approval and the run that delivered it are recorded in the run log.
     */
    public RunReport approve(long heldRunId, Progress progress) throws SyncException, InterruptedException {
        RunRecord held = heldRun(heldRunId);
        return execute(sync(held.sync()), progress, held.runId());
    }

    /** Drops the plan a run held for approval: nothing is delivered, and the decision is recorded. */
    public RunRecord reject(long heldRunId) throws SyncException {
        RunRecord held = heldRun(heldRunId);
        try {
            state.decide(held.runId(), "rejected", "rejected: its plan was not delivered", clock.instant());
            return state.run(held.runId()).orElseThrow();
        } catch (SQLException e) {
            throw stateFailure(e);
        }
    }

    /**
     * Resolves a conflict (respect_manual_edits): {@code takeWarehouse} writes the model's value over the person's
     * (one call) and makes it Ebb's again; otherwise the person's value stays and becomes the base, so that Ebb
     * writes the field again only when the warehouse value changes while the person leaves it alone.
     */
    public Conflict resolve(String syncName, String key, String field, boolean takeWarehouse)
            throws SyncException, InterruptedException {
        SyncConfig sync = sync(syncName);
        try (Prepared p = prepare(sync)) {
            Conflict conflict = state.conflicts(sync.name(), key, true).stream()
                    .filter(c -> c.field().equals(field)).findFirst()
                    .orElseThrow(() -> new SyncException(SyncException.Kind.INVALID, "there is no open conflict on "
                            + "field '" + field + "' of row " + key + " in sync '" + sync.name() + "' (see 'ebb "
                            + "conflicts " + sync.name() + "')"));
            FieldSpec spec = p.schema.field(field).orElseThrow(() -> new SyncException(SyncException.Kind.INVALID,
                    "object '" + sync.object() + "' no longer has field '" + field + "'"));
            String chosen = takeWarehouse ? conflict.warehouseValue() : conflict.destinationValue();
            Object value = lenient(chosen, spec);
            if (takeWarehouse) {
                var entry = state.snapshotEntry(sync.name(), key).orElseThrow(() -> new SyncException(
                        SyncException.Kind.INVALID, "row " + key + " is not in the snapshot of '" + sync.name()
                        + "' (it left the model, or was never delivered), so Ebb does not write its record; "
                        + "keep the person's value with --take destination"));
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put(field, value);
                WriteBatch write = new WriteBatch(sync.object(), Operation.UPDATE, sync.match().field(),
                        List.of(new OutboundRecord(key, entry.matchValue() == null ? key : entry.matchValue(),
                                entry.destinationId(), fields)));
                Caller.Result<WriteResult> result = writeSteps(p, write);
                String refusal = switch (result) {
                    case Caller.Result.GaveUp<WriteResult> gaveUp -> gaveUp.reason();
                    case Caller.Result.Done<WriteResult> done -> done.value().results().stream()
                            .filter(r -> !r.accepted()).map(RecordResult::reason).findFirst()
                            .orElse(done.value().results().isEmpty() ? "no answer for the record" : null);
                };
                if (refusal != null) {
                    throw new SyncException(SyncException.Kind.UNAVAILABLE, "the destination did not take the "
                            + "warehouse value, so the conflict stays open: " + refusal);
                }
            }
            state.resolveConflict(sync.name(), key, field, takeWarehouse ? "warehouse" : "destination",
                    valueHash(value), takeWarehouse ? null : valueHash(lenient(conflict.warehouseValue(), spec)),
                    clock.instant());
            return state.conflicts(sync.name(), key, false).stream().filter(c -> c.field().equals(field))
                    .findFirst().orElseThrow();
        } catch (SQLException e) {
            throw stateFailure(e);
        }
    }

    /**
     * One batch, through as many calls as the destination needs: one for a synchronous API; start, then resume
     * after each pending step's wait for an asynchronous one. Every call goes through the rate budget.
     */
    private Caller.Result<WriteResult> writeSteps(Prepared p, WriteBatch batch) throws InterruptedException {
        Caller.Result<WriteStep> step = p.caller.call(() -> p.destination.start(batch), SyncEngine::usage);
        while (true) {
            switch (step) {
                case Caller.Result.GaveUp<WriteStep> gaveUp -> {
                    return new Caller.Result.GaveUp<>(gaveUp.reason(), gaveUp.why());
                }
                case Caller.Result.Done<WriteStep> done -> {
                    switch (done.value()) {
                        case WriteStep.Done finished -> {
                            return new Caller.Result.Done<>(finished.result());
                        }
                        case WriteStep.Pending pendingStep -> {
                            waiter.await(pendingStep.after());
                            step = p.caller.call(() -> p.destination.resume(pendingStep), SyncEngine::usage);
                        }
                    }
                }
            }
        }
    }

    private static dev.ebb.spi.RateUsage usage(WriteStep step) {
        return step instanceof WriteStep.Done done ? done.result().usage() : dev.ebb.spi.RateUsage.UNKNOWN;
    }

    private RunRecord heldRun(long runId) throws SyncException {
        try {
            RunRecord run = state.run(runId).orElseThrow(() -> new SyncException(SyncException.Kind.INVALID,
                    "there is no run " + runId));
            if (!run.status().equals("awaiting_approval")) {
                throw new SyncException(SyncException.Kind.INVALID, "run " + runId + " of " + run.sync() + " is "
                        + run.status() + ", not awaiting approval");
            }
            long newest = state.runs(run.sync(), 1).getFirst().runId();
            if (newest != runId) {
                throw new SyncException(SyncException.Kind.INVALID, "run " + runId + " of " + run.sync()
                        + " was overtaken by run " + newest + "; only the newest held plan can be approved");
            }
            return run;
        } catch (SQLException e) {
            throw stateFailure(e);
        }
    }

    private RunReport execute(SyncConfig sync, Progress progress, Long approving)
            throws SyncException, InterruptedException {
        if (state.readOnly()) throw new IllegalStateException("a run needs a writable state store");
        try {
            state.lock(sync.name());
        } catch (StateException e) {
            throw new SyncException(SyncException.Kind.UNAVAILABLE, e.getMessage(), e);
        }
        try (Prepared prepared = prepare(sync);
             Connection scratch = state.connect()) {
            state.closeAbandonedRuns(sync.name(), clock.instant());
            List<String> warnings = new ArrayList<>();
            boolean specChanged = specChanged(sync, prepared, warnings);
            if (specChanged || state.specHash(sync.name()).isEmpty()) {
                state.saveSpec(sync.name(), prepared.specHash, prepared.spec, specChanged, clock.instant());
            }
            long runId = state.startRun(sync.name(), clock.instant());
            Delivery delivery = new Delivery(sync, prepared, runId, progress);
            PlanCounts counts;
            try {
                long delivered = state.snapshotSize(sync.name());
                counts = extractAndDiff(prepared, scratch, false, progress);
                delivery.recordInvalid(scratch);
                String identity = planIdentity(scratch);
                if (approving != null) {
                    String held = state.heldPlan(approving).orElse("");
                    if (!held.equals(identity)) {
                        throw new SyncException(SyncException.Kind.INVALID, "the plan of run " + approving
                                + " no longer stands: the model or what was delivered changed since it was held, "
                                + "so nothing was sent. Run 'ebb run " + sync.name() + "' for a new plan.");
                    }
                } else {
                    String breach = breach(sync, counts, delivered);
                    if (breach != null) {
                        state.hold(runId, identity);
                        String message = "held for approval: " + breach;
                        warnings.add("run " + runId + " is held for approval, nothing was sent: " + breach
                                + ". Review it with 'ebb plan " + sync.name() + "', then 'ebb approve " + runId
                                + "' or 'ebb reject " + runId + "'.");
                        RunRecord record = delivery.finish(counts, "awaiting_approval", message);
                        return new RunReport(record, warnings, delivery.problems, false);
                    }
                }
                delivery.deliver(scratch, counts);
            } catch (SyncException e) {
                delivery.finish(null, "failed", e.getMessage());
                throw e;
            }
            String status = delivery.quotaSpent ? "quota_exhausted"
                    : delivery.stopReason != null ? "failed"
                    : delivery.rejected.get() + delivery.failed.get() + delivery.invalid > 0 ? "completed_with_errors"
                    : "succeeded";
            if (delivery.stopReason != null) warnings.add("the run stopped sending: " + delivery.stopReason);
            RunRecord record = delivery.finish(counts, status, delivery.stopReason);
            if (approving != null) {
                state.decide(approving, "approved", "approved: delivered by run " + runId, clock.instant());
                warnings.add("run " + approving + " approved: its plan was delivered by run " + runId);
            }
            return new RunReport(record, warnings, delivery.problems, delivery.unreachable);
        } catch (SQLException e) {
            throw stateFailure(e);
        } finally {
            state.unlock(sync.name());
        }
    }

    // ---- preparation: config, source, destination ---------------------------------------------------------------

    private SyncConfig sync(String name) throws SyncException {
        return project.sync(name).orElseThrow(() -> new SyncException(SyncException.Kind.INVALID,
                "there is no sync named '" + name + "'; the project has: "
                        + (project.syncs().isEmpty() ? "none" : String.join(", ", project.syncs().keySet()))));
    }

    /** Everything a plan needs, opened and checked. */
    private final class Prepared implements AutoCloseable {
        SyncConfig sync;
        ModelConfig model;
        Source source;
        Destination destination;
        ObjectCapabilities capabilities;
        ObjectSchema schema;
        Caller caller;
        int[] keyColumns;
        int matchColumn;
        List<Binding> bindings = new ArrayList<>();
        /** Whether any mapping has a policy other than overwrite, so batches are read back before writing. */
        boolean ownsFields;
        List<String> fieldNames = new ArrayList<>();
        String specHash;
        String spec;

        @Override
        public void close() {
            if (destination != null) destination.close();
            if (source != null) {
                try {
                    source.close();
                } catch (SourceException ignored) {
                    // nothing was written through it; a failed close loses nothing
                }
            }
        }
    }

    /** One field mapping, resolved: a column index (or -1 for a constant) and the destination field. */
    private record Binding(FieldMapping mapping, int column, FieldSpec field) {
    }

    private Prepared prepare(SyncConfig sync) throws SyncException, InterruptedException {
        Prepared p = new Prepared();
        try {
            p.sync = sync;
            p.model = project.models().get(sync.model());
            if (p.model == null) {
                throw invalid(sync, "names model '" + sync.model() + "', which does not exist");
            }
            p.destination = connectors.openDestination(sync.destination());
            p.capabilities = p.destination.object(sync.object()).orElseThrow(() -> invalid(sync,
                    "destination '" + sync.destination() + "' has no object '" + sync.object() + "'"));
            for (FieldMapping mapping : sync.fields()) {
                if (mapping.policy() != FieldPolicy.OVERWRITE && !p.capabilities.readBack()) {
                    throw new SyncException(SyncException.Kind.INVALID, mapping.location() + ": field '"
                            + mapping.field() + "': policy '" + lower(mapping.policy()) + "' needs to read the "
                            + "record's current values, and object '" + sync.object() + "' of destination '"
                            + sync.destination() + "' cannot be read back; use 'overwrite'");
                }
            }
            if (!p.capabilities.modes().contains(sync.mode())) {
                throw invalid(sync, "object '" + sync.object() + "' does not support mode '"
                        + lower(sync.mode()) + "'; it supports: " + names(p.capabilities.modes()));
            }
            RemovalBehaviour removal = removal(sync);
            if (!p.capabilities.removals().contains(removal)) {
                throw invalid(sync, "object '" + sync.object() + "' does not support on_removed '" + lower(removal)
                        + "'; it supports: " + names(p.capabilities.removals()));
            }
            RateLimits limits = Limits.lowered(p.destination.rateLimits(), Optional.ofNullable(
                    project.destinations().get(sync.destination())).map(c -> c.limits()).orElse(null));
            String account = p.destination.accountId();
            QuotaGate quota = limits.dailyQuota().map(q -> quotas.computeIfAbsent(account,
                    a -> new QuotaGate(a, q, new StateLedger(), clock))).orElse(null);
            p.caller = new Caller(budgets.forAccount(account, limits), quota, retryPolicy, waiter, random,
                    new CallStats());

            p.source = connectors.openSource(p.model.source());
            List<Column> columns = p.source.describe(p.model.sql());
            p.keyColumns = new int[sync.key().size()];
            for (int i = 0; i < sync.key().size(); i++) {
                p.keyColumns[i] = column(columns, sync.key().get(i), sync, "key", sync.keyLocation());
            }
            p.matchColumn = column(columns, sync.match().column(), sync, "match column", sync.match().location());

            Caller.Result<ObjectSchema> described = p.caller.call(() -> p.destination.describe(sync.object()), null);
            p.schema = switch (described) {
                case Caller.Result.Done<ObjectSchema> done -> done.value();
                case Caller.Result.GaveUp<ObjectSchema> gaveUp -> throw new SyncException(
                        SyncException.Kind.UNAVAILABLE, "destination '" + sync.destination()
                        + "' could not describe object '" + sync.object() + "': " + gaveUp.reason());
            };
            if (!p.capabilities.match().allows(sync.match().field(), p.schema)) {
                throw new SyncException(SyncException.Kind.INVALID, sync.match().location() + ": match field '"
                        + sync.match().field() + "' cannot identify records of '" + sync.object()
                        + "': use one of " + matchable(p));
            }
            for (FieldMapping mapping : sync.fields()) {
                FieldSpec field = p.schema.field(mapping.field()).orElseThrow(() -> new SyncException(
                        SyncException.Kind.INVALID, mapping.location() + ": object '" + sync.object()
                        + "' has no field '" + mapping.field() + "'" + suggestion(mapping.field(), p.schema)));
                if (field.readOnly()) {
                    throw new SyncException(SyncException.Kind.INVALID, mapping.location() + ": field '"
                            + mapping.field() + "' of '" + sync.object() + "' is read-only");
                }
                int column = mapping.column() == null ? -1
                        : column(columns, mapping.column(), sync, "column", mapping.location());
                p.bindings.add(new Binding(mapping, column, field));
                p.fieldNames.add(mapping.field());
            }
            p.ownsFields = p.bindings.stream().anyMatch(b -> b.mapping.policy() != FieldPolicy.OVERWRITE);
            p.spec = spec(sync);
            p.specHash = sha256(p.spec);
            return p;
        } catch (SourceException e) {
            p.close();
            throw new SyncException(e.unreachable() ? SyncException.Kind.UNAVAILABLE : SyncException.Kind.INVALID,
                    "model '" + sync.model() + "' (" + project.models().get(sync.model()).location() + "): "
                            + e.getMessage(), e);
        } catch (SyncException | RuntimeException | InterruptedException e) {
            p.close();
            throw e;
        }
    }

    private static RemovalBehaviour removal(SyncConfig sync) {
        return sync.mode() == Mode.MIRROR ? RemovalBehaviour.DELETE : sync.onRemoved();
    }

    /** The column's index, or an error at the place that names it, with the nearest column as a suggestion. */
    private static int column(List<Column> columns, String name, SyncConfig sync, String role, Location where)
            throws SyncException {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equals(name)) return i;
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equalsIgnoreCase(name)) return i;
        List<String> names = columns.stream().map(Column::name).toList();
        String hint = Suggestions.nearest(name, names).map(n -> " (did you mean '" + n + "'?)").orElse("");
        throw new SyncException(SyncException.Kind.INVALID, (where == null ? sync.location() : where) + ": " + role
                + " '" + name + "' is not a column of model '" + sync.model() + "'" + hint + "; its columns: "
                + String.join(", ", names));
    }

    private static String matchable(Prepared p) {
        List<String> names = new ArrayList<>(p.capabilities.match().fixed());
        if (p.capabilities.match().anyUnique()) {
            p.schema.fields().stream().filter(FieldSpec::unique).map(FieldSpec::name)
                    .filter(n -> !names.contains(n)).forEach(names::add);
        }
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    private static String suggestion(String wanted, ObjectSchema schema) {
        return Suggestions.nearest(wanted, schema.fields().stream().map(FieldSpec::name).toList())
                .map(n -> " (did you mean '" + n + "'?)")
                .orElse("; create it in the destination first, or map another field");
    }

    private static SyncException invalid(SyncConfig sync, String message) {
        return new SyncException(SyncException.Kind.INVALID, sync.location() + ": sync '" + sync.name() + "' "
                + message);
    }

    /** What, if changed, makes the snapshot's fingerprints meaningless: identity, mode and mapping. */
    private static String spec(SyncConfig sync) {
        StringBuilder spec = new StringBuilder("fingerprint=v").append(Fingerprint.VERSION)
                .append("\nkey=").append(sync.key())
                .append("\nobject=").append(sync.object())
                .append("\nmode=").append(lower(sync.mode()))
                .append("\non_removed=").append(lower(removal(sync)))
                .append("\nmatch=").append(sync.match().column()).append("->").append(sync.match().field());
        for (FieldMapping f : sync.fields()) {
            spec.append("\nfield=").append(f.column() != null ? "column:" + f.column() : "value:" + f.value())
                    .append("->").append(f.field()).append(" policy=").append(lower(f.policy()))
                    .append(" nulls=").append(lower(f.nulls()));
        }
        return spec.toString();
    }

    private boolean specChanged(SyncConfig sync, Prepared p, List<String> warnings) throws SQLException {
        Optional<String> stored = state.specHash(sync.name());
        boolean changed = stored.isPresent() && !stored.get().equals(p.specHash);
        if (changed) {
            warnings.add("the mapping, mode or identifier of sync '" + sync.name() + "' changed since its last run: "
                    + "every row is planned again under the new one");
        }
        return changed;
    }

    // ---- extract and diff ---------------------------------------------------------------------------------------

    private PlanCounts extractAndDiff(Prepared p, Connection scratch, boolean ignoreSnapshotFingerprints,
                                      Progress progress) throws SyncException, SQLException {
        try (Statement st = scratch.createStatement()) {
            st.execute("DROP TABLE IF EXISTS cur");
            st.execute("DROP TABLE IF EXISTS plan");
            st.execute("CREATE TEMP TABLE cur(key VARCHAR, fp VARCHAR, match VARCHAR, payload VARCHAR, "
                    + "invalid VARCHAR)");
        }
        long rows = 0;
        try (RowStream stream = p.source.query(p.model.sql());
             var appender = ((org.duckdb.DuckDBConnection) scratch).createAppender("temp", "main", "cur")) {
            List<Object> values = new ArrayList<>(p.bindings.size());
            SourceRow row;
            while ((row = stream.next()) != null) {
                rows++;
                values.clear();
                String key = key(p, row);
                Object matchRaw = row.value(p.matchColumn);
                String match = matchRaw == null ? null : Values.text(matchRaw);
                String invalid = null;
                if (key == null) {
                    invalid = "key " + p.sync.key() + " is null";
                } else if (match == null) {
                    invalid = "match column '" + p.sync.match().column() + "' is null";
                } else {
                    for (Binding b : p.bindings) {
                        Object raw = b.column < 0 ? b.mapping.value() : row.value(b.column);
                        try {
                            values.add(Values.convert(raw, b.field));
                        } catch (Values.Unfit unfit) {
                            invalid = (b.column < 0 ? "value" : "column '" + b.mapping.column() + "'") + ": "
                                    + unfit.getMessage();
                            break;
                        }
                    }
                }
                appender.beginRow();
                appender.append(key);
                if (invalid == null) {
                    appender.append(Fingerprint.of(p.fieldNames, values));
                    appender.append(match);
                    appender.append(Payload.encode(p.fieldNames, values));
                    appender.append((String) null);
                } else {
                    appender.append((String) null);
                    appender.append(match);
                    appender.append((String) null);
                    appender.append(invalid);
                }
                appender.endRow();
                if (rows % 50_000 == 0) progress.extracted(rows);
            }
            progress.extracted(rows);
        } catch (SourceException e) {
            throw new SyncException(e.unreachable() ? SyncException.Kind.UNAVAILABLE : SyncException.Kind.INVALID,
                    "model '" + p.model.name() + "' (" + p.model.location() + "): " + e.getMessage(), e);
        }
        try (Statement st = scratch.createStatement()) {
            // A key or match value held by several rows cannot be delivered without guessing which row wins.
            st.execute("""
                    UPDATE cur SET invalid = 'duplicate key: ' || d.n || ' rows of the model share it', fp = NULL
                    FROM (SELECT key, count(*) AS n FROM cur WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1) d
                    WHERE cur.key = d.key""");
            st.execute("""
                    UPDATE cur SET invalid = 'duplicate match value: ' || d.n || ' rows of the model share it', fp = NULL
                    FROM (SELECT match, count(*) AS n FROM cur WHERE match IS NOT NULL AND invalid IS NULL
                          GROUP BY match HAVING count(*) > 1) d
                    WHERE cur.match = d.match AND cur.invalid IS NULL""");
        }
        // A row still in flight (sent, outcome unknown: see StateStore.markInFlight) may have reached the
        // destination, so the snapshot's fingerprint does not vouch for it: it is sent again, or, when it left the
        // model, removed even if the snapshot never knew it.
        try (PreparedStatement ps = scratch.prepareStatement("""
                CREATE TEMP TABLE plan AS
                WITH snap AS (""" + StateStore.CURRENT_SNAPSHOT + """
                ),
                     flight AS (""" + StateStore.IN_FLIGHT + """
                )
                SELECT c.key, c.fp, c.match, c.payload, s.dest_id,
                       CASE WHEN s.key IS NULL THEN 'added' ELSE 'changed' END AS change, false AS rematched,
                       coalesce(s.field_hashes, l.field_hashes) AS field_hashes
                FROM cur c LEFT JOIN snap s ON s.key = c.key LEFT JOIN flight f ON f.key = c.key
                     LEFT JOIN left_field_hashes l ON l.sync = $1 AND l.key = c.key
                WHERE c.invalid IS NULL AND (s.key IS NULL OR $2 OR s.fp IS DISTINCT FROM c.fp OR f.key IS NOT NULL)
                UNION ALL
                SELECT s.key, NULL, s.match, NULL, s.dest_id, 'removed',
                       s.match IN (SELECT match FROM cur WHERE invalid IS NULL), s.field_hashes
                FROM snap s WHERE NOT EXISTS (SELECT 1 FROM cur c WHERE c.key = s.key)
                UNION ALL
                SELECT f.key, NULL, f.match, NULL, NULL, 'removed',
                       f.match IN (SELECT match FROM cur WHERE invalid IS NULL), NULL
                FROM flight f WHERE NOT EXISTS (SELECT 1 FROM snap s WHERE s.key = f.key)
                                AND NOT EXISTS (SELECT 1 FROM cur c WHERE c.key = f.key)""")) {
            ps.setString(1, p.sync.name());
            ps.setBoolean(2, ignoreSnapshotFingerprints);
            ps.execute();
        }
        try (Statement st = scratch.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT (SELECT count(*) FROM cur),
                            (SELECT count(*) FROM cur WHERE invalid IS NOT NULL),
                            count(*) FILTER (WHERE change = 'added'),
                            count(*) FILTER (WHERE change = 'changed'),
                            count(*) FILTER (WHERE change = 'removed')
                     FROM plan""")) {
            rs.next();
            long total = rs.getLong(1);
            long invalid = rs.getLong(2);
            long added = rs.getLong(3);
            long changed = rs.getLong(4);
            long removed = rs.getLong(5);
            PlanCounts counts = new PlanCounts(total, added, changed, removed, total - invalid - added - changed,
                    invalid);
            progress.planned(counts);
            return counts;
        }
    }

    private static String key(Prepared p, SourceRow row) {
        if (p.keyColumns.length == 1) {
            Object value = row.value(p.keyColumns[0]);
            return value == null ? null : Values.text(value);
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < p.keyColumns.length; i++) {
            Object value = row.value(p.keyColumns[i]);
            if (value == null) return null;
            // The unit separator cannot appear in ordinary text, so composite keys stay unambiguous.
            if (i > 0) key.append('\u001F');
            key.append(Values.text(value));
        }
        return key.toString();
    }

    /** The write a planned row becomes under the sync's mode, or empty when it needs no call. */
    private static Optional<Operation> operation(SyncConfig sync, Change change, boolean rematched) {
        return switch (change) {
            case ADDED -> Optional.of(switch (sync.mode()) {
                case UPSERT, MIRROR -> Operation.UPSERT;
                case UPDATE -> Operation.UPDATE;
                case INSERT -> Operation.CREATE;
            });
            case CHANGED -> switch (sync.mode()) {
                case UPSERT, MIRROR -> Optional.of(Operation.UPSERT);
                case UPDATE -> Optional.of(Operation.UPDATE);
                case INSERT -> Optional.empty();
            };
            // A removed row whose match value now belongs to another row must not touch that row's record.
            case REMOVED -> rematched ? Optional.empty() : switch (removal(sync)) {
                case IGNORE -> Optional.empty();
                case CLEAR_FIELDS -> Optional.of(Operation.UPDATE);
                case DELETE -> Optional.of(Operation.DELETE);
            };
            case NONE -> Optional.empty();
        };
    }

    /** The fields a planned row sends for {@code op}; reads {@code payload} from the plan row. */
    private static Map<String, Object> fields(Prepared p, Operation op, ResultSet rs) {
        try {
            String payload = rs.getString("payload");
            if (op == Operation.DELETE) return Map.of();
            Map<String, Object> fields = new LinkedHashMap<>();
            if (payload == null) {
                // on_removed: clear_fields — every mapped field but the one that identifies the record.
                for (Binding b : p.bindings) {
                    if (!b.field.name().equals(p.sync.match().field())) fields.put(b.field.name(), null);
                }
                return fields;
            }
            Map<String, Object> values = Payload.decode(payload);
            for (Binding b : p.bindings) {
                Object value = values.get(b.field.name());
                if (value == null && b.mapping.nulls() == NullPolicy.SKIP) continue;
                fields.put(b.field.name(), value);
            }
            return fields;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- delivery -----------------------------------------------------------------------------------------------

    /**
     * One run's delivery: batching, calling, and committing outcomes batch by batch.
     *
     * <p>The plan is read on the run's thread, which fills batches; full batches go out on virtual threads, up to
     * {@link #inFlight} at once, each through the account's budget, and each commits its own outcomes when it is
     * answered. A key appears once in a plan, so batches in flight never hold two writes to one record, and the
     * writes to any one record stay in order from run to run.
     */
    private final class Delivery {
        final SyncConfig sync;
        final Prepared p;
        final long runId;
        final Progress progress;
        final Map<Operation, Pending> pending = new EnumMap<>(Operation.class);
        final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong rejected = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong skipped = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong settled = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicInteger failedBatchesInARow =
                new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong bisections = new java.util.concurrent.atomic.AtomicLong();
        final int inFlight;
        final java.util.concurrent.Semaphore slots;
        final java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        final java.util.concurrent.atomic.AtomicReference<Throwable> broken =
                new java.util.concurrent.atomic.AtomicReference<>();
        long invalid;
        long total;
        volatile String stopReason;
        volatile boolean unreachable;
        volatile boolean quotaSpent;
        final java.util.concurrent.atomic.AtomicLong readCalls = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong conflictCount = new java.util.concurrent.atomic.AtomicLong();
        /** The sync's open conflicts when the run began, as key and field joined by a unit separator. */
        final java.util.Set<String> openConflicts = new java.util.HashSet<>();

        Delivery(SyncConfig sync, Prepared p, long runId, Progress progress) {
            this.sync = sync;
            this.p = p;
            this.runId = runId;
            this.progress = progress;
            this.inFlight = Math.max(1, Math.min(MAX_BATCHES_IN_FLIGHT, p.destination.rateLimits().maxConcurrency()));
            this.slots = new java.util.concurrent.Semaphore(inFlight);
        }

        void recordInvalid(Connection scratch) throws SQLException {
            List<RowOutcome> outcomes = new ArrayList<>();
            try (Statement st = scratch.createStatement();
                 ResultSet rs = st.executeQuery("SELECT key, invalid FROM cur WHERE invalid IS NOT NULL")) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    invalid++;
                    problem("invalid", key, rs.getString(2));
                    outcomes.add(new RowOutcome(key == null ? "(null)" : key, Change.NONE, null, Outcome.INVALID,
                            rs.getString(2), null, null, null));
                    if (outcomes.size() == 1000) {
                        state.commit(sync.name(), runId, outcomes, clock.instant());
                        outcomes.clear();
                    }
                }
            }
            state.commit(sync.name(), runId, outcomes, clock.instant());
        }

        void deliver(Connection scratch, PlanCounts counts) throws SQLException, InterruptedException {
            total = counts.toSend();
            if (p.ownsFields) {
                for (Conflict open : state.conflicts(sync.name(), null, true)) {
                    openConflicts.add(open.key() + '\u001f' + open.field());
                }
            }
            // Large plans take the object's bulk path where it has one (e.g. Salesforce Bulk API 2.0).
            dev.ebb.spi.BatchLimits writeLimits = limits(counts.added() + counts.changed());
            dev.ebb.spi.BatchLimits removeLimits = limits(counts.removed());
            List<RowOutcome> noCall = new ArrayList<>();
            try (Statement st = scratch.createStatement();
                 ResultSet rs = st.executeQuery("SELECT key, fp, match, payload, dest_id, change, rematched, field_hashes "
                         + "FROM plan "
                         + "ORDER BY CASE change WHEN 'removed' THEN 1 ELSE 0 END, key")) {
                while (rs.next() && broken.get() == null) {
                    Change change = Change.valueOf(rs.getString("change").toUpperCase(Locale.ROOT));
                    String key = rs.getString("key");
                    String fp = rs.getString("fp");
                    String match = rs.getString("match");
                    String destId = rs.getString("dest_id");
                    String hashes = rs.getString("field_hashes");
                    Optional<Operation> op = operation(sync, change, rs.getBoolean("rematched"));
                    if (stopReason != null) {
                        failed.incrementAndGet();
                        noCall.add(new RowOutcome(key, change, op.orElse(null), Outcome.FAILED,
                                "not sent: " + stopReason, fp, match, destId, hashes));
                    } else if (op.isEmpty()) {
                        skipped.incrementAndGet();
                        noCall.add(new RowOutcome(key, change, null, Outcome.SKIPPED, skipReason(change), fp, match,
                                destId, hashes));
                    } else {
                        Operation operation = op.get();
                        Map<String, Object> fields = fields(p, operation, rs);
                        OutboundRecord record = new OutboundRecord(key, match == null ? key : match, destId, fields);
                        Pending batch = pending.computeIfAbsent(operation, o -> new Pending());
                        int bytes = Payload.estimatedBytes(rs.getString("payload"));
                        dev.ebb.spi.BatchLimits limits = change == Change.REMOVED ? removeLimits : writeLimits;
                        if (!batch.records.isEmpty() && (batch.records.size() >= limits.maxRecords()
                                || batch.bytes + bytes > limits.maxBytes())) {
                            dispatch(operation, batch);
                        }
                        batch.add(record, new RowOutcome(key, change, operation, Outcome.DELIVERED, null, fp, match,
                                destId, hashes), bytes);
                    }
                    if (noCall.size() >= 1000) {
                        flushNoCall(noCall);
                    }
                }
                for (Map.Entry<Operation, Pending> e : pending.entrySet()) {
                    if (!e.getValue().records.isEmpty() && broken.get() == null) dispatch(e.getKey(), e.getValue());
                }
                flushNoCall(noCall);
            } finally {
                // Every batch in flight is answered and committed (or has failed) before the run is closed.
                slots.acquire(inFlight);
                slots.release(inFlight);
                senders.shutdown();
            }
            Throwable failure = broken.get();
            if (failure instanceof SQLException e) throw e;
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            if (failure instanceof InterruptedException e) throw e;
            if (failure != null) throw new IllegalStateException(failure);
        }

        private dev.ebb.spi.BatchLimits limits(long records) {
            return p.capabilities.bulk().filter(b -> records >= b.fromRecords()).map(dev.ebb.spi.BulkLimits::limits)
                    .orElse(p.capabilities.limits());
        }

        private String skipReason(Change change) {
            return switch (change) {
                case CHANGED -> "mode insert never updates a record it created";
                case REMOVED -> removal(sync) == RemovalBehaviour.IGNORE ? "on_removed: ignore"
                        : "another row of the model now has this match value";
                case ADDED, NONE -> "nothing to send";
            };
        }

        private void flushNoCall(List<RowOutcome> noCall) throws SQLException {
            state.commit(sync.name(), runId, noCall, clock.instant());
            settled.addAndGet(noCall.size());
            noCall.clear();
        }

        /** Hands a full batch to a sender, waiting while {@link #inFlight} batches are out. */
        private void dispatch(Operation operation, Pending batch) throws InterruptedException {
            List<OutboundRecord> records = List.copyOf(batch.records);
            List<RowOutcome> outcomes = List.copyOf(batch.outcomes);
            batch.clear();
            slots.acquire();
            senders.execute(() -> {
                try {
                    List<RowOutcome> answered;
                    if (stopReason != null) {
                        answered = notSent(outcomes, stopReason);
                    } else {
                        // Before the call: if the process dies or the answer is lost, the next run knows what may
                        // have landed.
                        state.markInFlight(sync.name(), runId, outcomes);
                        answered = new ArrayList<>();
                        Ownership owned = operation == Operation.DELETE || !p.ownsFields ? null
                                : ownership(operation, records, outcomes, answered);
                        if (owned == null) {
                            answered.addAll(deliverBatch(operation, records, outcomes));
                        } else if (!owned.records.isEmpty()) {
                            answered.addAll(deliverBatch(operation, owned.records, owned.outcomes));
                        }
                        if (owned != null) {
                            state.recordConflicts(owned.conflicts, clock.instant());
                            state.settleConflicts(sync.name(), owned.settled, clock.instant());
                        }
                    }
                    state.commit(sync.name(), runId, answered, clock.instant());
                    p.caller.flushQuota();
                    settled.addAndGet(answered.size());
                    CallStats stats = p.caller.stats();
                    progress.delivered(settled.get(), total, stats.calls.get(), stats.throttles.get());
                } catch (Throwable t) {
                    broken.compareAndSet(null, t);
                } finally {
                    slots.release();
                }
            });
        }

        /**
         * A batch after its field policies were applied: what is still to write, the conflicts found, and the open
         * conflicts (key, field) that no longer stand because the person's value and the warehouse's agree, or the
         * person put back Ebb's own value.
         */
        private record Ownership(List<OutboundRecord> records, List<RowOutcome> outcomes, List<Conflict> conflicts,
                                 List<Map.Entry<String, String>> settled) {
        }

        /**
         * Applies the field policies to a batch (DESIGN §6): reads the records' current values back in one call,
         * inside the same budget, then per owned field decides whether to write it. Records left with nothing to
         * write are settled into {@code settledHere} as skipped; a failed read-back fails the whole batch, because
         * writing blind could overwrite a person's edit.
         */
        private Ownership ownership(Operation operation, List<OutboundRecord> records, List<RowOutcome> outcomes,
                                    List<RowOutcome> settledHere) throws InterruptedException {
            List<String> owned = p.bindings.stream().filter(b -> b.mapping.policy() != FieldPolicy.OVERWRITE)
                    .map(b -> b.field.name()).toList();
            List<String> matchValues = records.stream().map(OutboundRecord::matchValue).toList();
            Map<String, dev.ebb.spi.RemoteRecord> current = new HashMap<>();
            // A bulk-sized batch is read back in chunks of the object's usual batch size: read() takes no more.
            int chunk = p.capabilities.limits().maxRecords();
            Caller.Result<List<dev.ebb.spi.RemoteRecord>> read = new Caller.Result.Done<>(List.of());
            for (int from = 0; from < matchValues.size() && read instanceof Caller.Result.Done; from += chunk) {
                List<String> part = matchValues.subList(from, Math.min(matchValues.size(), from + chunk));
                read = p.caller.call(() -> {
                    readCalls.incrementAndGet(); // each attempt, as api_calls counts them: a retried read costs two
                    return p.destination.read(sync.object(), sync.match().field(), part, owned);
                }, null);
                if (read instanceof Caller.Result.Done<List<dev.ebb.spi.RemoteRecord>> done) {
                    done.value().forEach(r -> current.put(r.matchValue(), r));
                }
            }
            switch (read) {
                case Caller.Result.Done<List<dev.ebb.spi.RemoteRecord>> done -> {
                }
                case Caller.Result.GaveUp<List<dev.ebb.spi.RemoteRecord>> gaveUp -> {
                    String reason = "could not read the current values back, so nothing was written: "
                            + gaveUp.reason();
                    for (RowOutcome o : outcomes) {
                        failed.incrementAndGet();
                        problem("failed", o.key(), reason);
                        settledHere.add(withOutcome(o, Outcome.FAILED, reason, null));
                    }
                    if (gaveUp.stopRun() && stopReason == null) {
                        stopReason = gaveUp.reason();
                        unreachable |= gaveUp.unreachable();
                    }
                    return new Ownership(List.of(), List.of(), List.of(), List.of());
                }
            }
            List<OutboundRecord> toWrite = new ArrayList<>();
            List<RowOutcome> toWriteOutcomes = new ArrayList<>();
            List<Conflict> conflicts = new ArrayList<>();
            List<Map.Entry<String, String>> settled = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                OutboundRecord record = records.get(i);
                RowOutcome outcome = outcomes.get(i);
                dev.ebb.spi.RemoteRecord remote = current.get(record.matchValue());
                Map<String, Object> fields = new LinkedHashMap<>(record.fields());
                Map<String, String> hashes = FieldHashes.decode(outcome.fieldHashes());
                for (Binding b : p.bindings) {
                    String name = b.field.name();
                    if (b.mapping.policy() == FieldPolicy.OVERWRITE || !fields.containsKey(name)) continue;
                    Object ours = fields.get(name);
                    Object theirs = remote == null ? null : lenient(remote.fields().get(name), b.field);
                    switch (b.mapping.policy()) {
                        case OVERWRITE -> {
                        }
                        case IF_EMPTY -> {
                            if (remote != null && !empty(theirs)) fields.remove(name);
                        }
                        case CREATE_ONLY -> {
                            if (remote != null) fields.remove(name);
                        }
                        case RESPECT_MANUAL_EDITS -> {
                            String oursHash = valueHash(ours);
                            if (remote == null) {
                                hashes.put(name, oursHash);
                                continue;
                            }
                            String theirsHash = valueHash(theirs);
                            String base = hashes.get(name);
                            String keptAgainst = hashes.get(FieldHashes.keptAgainst(name));
                            boolean conflict = false;
                            if (theirsHash.equals(oursHash)) {
                                fields.remove(name); // already what the warehouse says
                                hashes.put(name, oursHash);
                                hashes.remove(FieldHashes.keptAgainst(name));
                            } else if (oursHash.equals(keptAgainst) && theirsHash.equals(base)) {
                                // Resolved for the person's value over this very warehouse value: it stays until
                                // the warehouse says something new (another column changing is no reason).
                                fields.remove(name);
                            } else if (base == null ? empty(theirs) : base.equals(theirsHash)) {
                                hashes.put(name, oursHash); // untouched since Ebb wrote it: Ebb's to change
                                hashes.remove(FieldHashes.keptAgainst(name));
                            } else {
                                // A person changed it: keep theirs, keep the old base, and say so.
                                fields.remove(name);
                                conflicts.add(new Conflict(sync.name(), record.key(), name, base,
                                        theirs == null ? null : Values.text(theirs),
                                        ours == null ? null : Values.text(ours), runId, clock.instant(), "open", null));
                                conflict = true;
                            }
                            if (!conflict && openConflicts.contains(record.key() + '\u001f' + name)) {
                                settled.add(Map.entry(record.key(), name));
                            }
                        }
                    }
                }
                RowOutcome decided = new RowOutcome(outcome.key(), outcome.change(), outcome.operation(),
                        outcome.outcome(), outcome.reason(), outcome.fingerprint(), outcome.matchValue(),
                        remote != null && outcome.destinationId() == null ? remote.destinationId()
                                : outcome.destinationId(), FieldHashes.encode(hashes));
                boolean nothingLeft = fields.isEmpty() && !record.fields().isEmpty();
                if (nothingLeft && remote != null) {
                    skipped.incrementAndGet();
                    settledHere.add(new RowOutcome(decided.key(), decided.change(), null, Outcome.SKIPPED,
                            "nothing to write: every field is kept by its policy", decided.fingerprint(),
                            decided.matchValue(), decided.destinationId(), decided.fieldHashes()));
                    continue;
                }
                toWrite.add(new OutboundRecord(record.key(), record.matchValue(), record.destinationId(), fields));
                toWriteOutcomes.add(decided);
            }
            conflictCount.addAndGet(conflicts.size());
            return new Ownership(toWrite, toWriteOutcomes, conflicts, settled);
        }

        private List<RowOutcome> notSent(List<RowOutcome> outcomes, String reason) {
            List<RowOutcome> answered = new ArrayList<>(outcomes.size());
            for (RowOutcome o : outcomes) answered.add(withOutcome(o, Outcome.FAILED, "not sent: " + reason, null));
            failed.addAndGet(answered.size());
            return answered;
        }

        /**
         * Writes one batch and says what happened to each row. A batch the destination refuses as a whole is split
         * in halves until the records that poison it are alone: the good ones are delivered, and each bad one is
         * rejected with the vendor's reason.
         */
        private List<RowOutcome> deliverBatch(Operation operation, List<OutboundRecord> records,
                                              List<RowOutcome> outcomes) throws InterruptedException {
            return deliverBatch(operation, records, outcomes, write(new WriteBatch(sync.object(), operation,
                    sync.match().field(), records)));
        }

        private List<RowOutcome> deliverBatch(Operation operation, List<OutboundRecord> records,
                                              List<RowOutcome> outcomes, Caller.Result<WriteResult> result)
                throws InterruptedException {
            List<RowOutcome> answered = new ArrayList<>(outcomes.size());
            switch (result) {
                case Caller.Result.Done<WriteResult> done -> {
                    failedBatchesInARow.set(0);
                    Map<String, RecordResult> byKey = new HashMap<>();
                    for (RecordResult r : done.value().results()) byKey.putIfAbsent(r.key(), r);
                    for (RowOutcome o : outcomes) {
                        RecordResult r = byKey.get(o.key());
                        if (r == null) {
                            failed.incrementAndGet();
                            problem("failed", o.key(), "the destination's answer did not mention this record");
                            answered.add(withOutcome(o, Outcome.FAILED,
                                    "the destination's answer did not mention this record", null));
                        } else if (r.accepted()) {
                            delivered.incrementAndGet();
                            answered.add(withOutcome(o, Outcome.DELIVERED, null, r.destinationId()));
                        } else {
                            rejected.incrementAndGet();
                            problem("rejected", o.key(), r.reason());
                            answered.add(withOutcome(o, Outcome.REJECTED, r.reason(), null));
                        }
                    }
                }
                case Caller.Result.GaveUp<WriteResult> gaveUp when gaveUp.permanent() && records.size() > 1 -> {
                    bisections.incrementAndGet();
                    int half = records.size() / 2;
                    List<OutboundRecord> left = records.subList(0, half);
                    List<OutboundRecord> right = records.subList(half, records.size());
                    Caller.Result<WriteResult> leftResult = write(new WriteBatch(sync.object(), operation,
                            sync.match().field(), left));
                    Caller.Result<WriteResult> rightResult = write(new WriteBatch(sync.object(), operation,
                            sync.match().field(), right));
                    if (sameRefusal(gaveUp, leftResult) && sameRefusal(gaveUp, rightResult)) {
                        // Both halves refused for the very same reason: the account refuses the writes (imports
                        // disabled, a permission), not one record. Splitting further would cost ~2n calls for
                        // nothing; the rows are left failed for a later run.
                        failedBatchesInARow.incrementAndGet();
                        for (RowOutcome o : outcomes) {
                            failed.incrementAndGet();
                            problem("failed", o.key(), gaveUp.reason());
                            answered.add(withOutcome(o, Outcome.FAILED, "refused with its whole batch: "
                                    + gaveUp.reason(), null));
                        }
                    } else {
                        answered.addAll(deliverBatch(operation, left, outcomes.subList(0, half), leftResult));
                        answered.addAll(deliverBatch(operation, right, outcomes.subList(half, outcomes.size()),
                                rightResult));
                    }
                }
                case Caller.Result.GaveUp<WriteResult> gaveUp when gaveUp.permanent() -> {
                    // Alone in its batch and still refused: this record is what the vendor objects to.
                    rejected.incrementAndGet();
                    RowOutcome o = outcomes.getFirst();
                    problem("rejected", o.key(), gaveUp.reason());
                    answered.add(withOutcome(o, Outcome.REJECTED, gaveUp.reason(), null));
                }
                case Caller.Result.GaveUp<WriteResult> gaveUp -> {
                    if (gaveUp.stopRun() || failedBatchesInARow.incrementAndGet() >= MAX_FAILED_BATCHES_IN_A_ROW) {
                        if (stopReason == null) stopReason = gaveUp.reason();
                        unreachable |= gaveUp.unreachable();
                        quotaSpent |= gaveUp.why() == Caller.Why.QUOTA;
                    }
                    for (RowOutcome o : outcomes) {
                        failed.incrementAndGet();
                        problem("failed", o.key(), gaveUp.reason());
                        answered.add(withOutcome(o, Outcome.FAILED, gaveUp.reason(), null));
                    }
                }
            }
            return answered;
        }

        private static boolean sameRefusal(Caller.Result.GaveUp<WriteResult> parent, Caller.Result<WriteResult> child) {
            return child instanceof Caller.Result.GaveUp<WriteResult> refused && refused.permanent()
                    && refused.reason().equals(parent.reason());
        }

        /**
         * One batch, through as many calls as the destination needs: one for a synchronous API; start, then resume
         * after each pending step's wait for an asynchronous one. Every call goes through the rate budget.
         */
        private Caller.Result<WriteResult> write(WriteBatch batch) throws InterruptedException {
            return writeSteps(p, batch);
        }

        private void problem(String kind, String key, String reason) {
            if (problems.size() < MAX_PROBLEMS_REPORTED) problems.add(kind + " " + key + ": " + reason);
        }

        RunRecord finish(PlanCounts counts, String status, String message) throws SQLException {
            p.caller.flushQuota();
            CallStats stats = p.caller.stats();
            PlanCounts c = counts == null ? new PlanCounts(0, 0, 0, 0, 0, 0) : counts;
            RunRecord record = new RunRecord(runId, sync.name(), null, clock.instant(), status, c.added(),
                    c.changed(), c.removed(), c.unchanged(), c.invalid(), delivered.get(), rejected.get(),
                    failed.get(), skipped.get(), stats.calls.get(), stats.throttles.get(), stats.retries.get(),
                    message, readCalls.get(), conflictCount.get());
            state.finishRun(record);
            return state.run(runId).orElse(record);
        }
    }

    private static RowOutcome withOutcome(RowOutcome o, Outcome outcome, String reason, String destinationId) {
        return new RowOutcome(o.key(), o.change(), o.operation(), outcome, reason, o.fingerprint(), o.matchValue(),
                destinationId != null ? destinationId : o.destinationId(), o.fieldHashes());
    }

    /** The hash Ebb keeps of a value it wrote: the fingerprint of that value alone. */
    static String valueHash(Object converted) {
        return Fingerprint.of(List.of(""), java.util.Collections.singletonList(converted));
    }

    /** A value read back, converted like the warehouse's value so that the two compare; as text if it does not fit. */
    private static Object lenient(Object raw, FieldSpec field) {
        if (raw == null) return null;
        try {
            return Values.convert(raw, field);
        } catch (Values.Unfit unfit) {
            return Values.text(raw);
        }
    }

    private static boolean empty(Object value) {
        return value == null || (value instanceof String text && text.isEmpty());
    }

    /** The records of one operation waiting to fill a batch. */
    private static final class Pending {
        final List<OutboundRecord> records = new ArrayList<>();
        final List<RowOutcome> outcomes = new ArrayList<>();
        long bytes;

        void add(OutboundRecord record, RowOutcome outcome, int size) {
            records.add(record);
            outcomes.add(outcome);
            bytes += size;
        }

        void clear() {
            records.clear();
            outcomes.clear();
            bytes = 0;
        }
    }

    /** Daily-quota counts kept in the state store. */
    private final class StateLedger implements QuotaGate.Ledger {
        @Override
        public long used(String account, java.time.LocalDate day) {
            try {
                return state.quotaUsed(account, day);
            } catch (SQLException e) {
                throw new IllegalStateException("the state store failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void add(String account, java.time.LocalDate day, long calls) {
            try {
                state.addQuotaUsage(account, day, calls);
            } catch (SQLException e) {
                throw new IllegalStateException("the state store failed: " + e.getMessage(), e);
            }
        }
    }

    // ---- the blast-radius guard ---------------------------------------------------------------------------------

    /** Share of a snapshot that a sync which deletes or clears records may remove without approval by default. */
    static final Threshold DEFAULT_MAX_REMOVED = new Threshold(java.math.BigDecimal.TEN, true);

    /** The guard in force: the sync's own, else the safe default for syncs that delete or clear records. */
    static Guard guard(SyncConfig sync) {
        if (sync.guard() != null) return sync.guard();
        boolean destructive = removal(sync) != RemovalBehaviour.IGNORE;
        return new Guard(destructive ? DEFAULT_MAX_REMOVED : null, null, sync.location());
    }

    /**
     * Why the plan must wait for approval, or {@code null} when it may go. Shares are of the records the sync has
     * delivered; a first run (an empty snapshot) is never held, since it changes and removes nothing.
     */
    static String breach(SyncConfig sync, PlanCounts counts, long snapshotSize) {
        Guard guard = guard(sync);
        if (snapshotSize == 0) return null;
        List<String> over = new ArrayList<>();
        if (guard.maxRemoved() != null && guard.maxRemoved().exceededBy(counts.removed(), snapshotSize)) {
            over.add("it removes " + counts.removed() + " of " + snapshotSize + " records ("
                    + Threshold.share(counts.removed(), snapshotSize) + "), over max_removed " + guard.maxRemoved());
        }
        if (guard.maxChanged() != null && guard.maxChanged().exceededBy(counts.changed(), snapshotSize)) {
            over.add("it changes " + counts.changed() + " of " + snapshotSize + " records ("
                    + Threshold.share(counts.changed(), snapshotSize) + "), over max_changed " + guard.maxChanged());
        }
        return over.isEmpty() ? null : String.join("; ", over) + " (" + guard.location() + ")";
    }

    /** An identity of the plan in the scratch tables: what a held run stands for, checked again on approval. */
    private static String planIdentity(Connection scratch) throws SQLException {
        try (Statement st = scratch.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT count(*), coalesce(bit_xor(hash(key || chr(31) || change || chr(31) || coalesce(fp, ''))), 0)
                FROM plan""")) {
            rs.next();
            return rs.getLong(1) + ":" + Long.toHexString(rs.getLong(2));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static SyncException stateFailure(SQLException e) {
        return new SyncException(SyncException.Kind.UNAVAILABLE, "the state store failed: " + e.getMessage(), e);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String names(java.util.Collection<? extends Enum<?>> values) {
        return String.join(", ", values.stream().map(SyncEngine::lower).sorted().toList());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
