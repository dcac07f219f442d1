package dev.ebb.core.state.warehouse;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.ApiToken;
import dev.ebb.core.state.AuditEntry;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.LoggedOutcome;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.OutcomePage;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.SnapshotEntry;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The project's state store, with the snapshots and the planner of some syncs kept in their source's warehouse
 * ({@code sources.NAME.state: { store: warehouse }}): for those syncs, {@code Snapshots} and {@code Planner} are the
 * warehouse's ({@link WarehouseSnapshots}); the run log, conflicts and quota counts are the project store's for
 * every sync.
 *
 * <p>A batch commit of such a sync is two transactions: the warehouse's snapshot first, then the project store's run
 * log ({@link dev.ebb.core.state.RunLog#logOutcomes}). A process that dies between them leaves a run that
 * under-counts its last batch, and a snapshot that knows what the destination acknowledged: nothing is lost and
 * nothing is sent again. The in-flight marks live beside the snapshot, so a death mid-call is covered as in the
 * embedded store.
 *
 * <p>Thread-safe as its parts are. Each source's warehouse state is opened on first use and closed with this store.
 */
public final class RoutedStateStore implements StateStore {

    /** Opens the warehouse-native state of a source; called once per source, on first use. */
    @FunctionalInterface
    public interface Opener {
        WarehouseSnapshots open(String source) throws StateException;
    }

    private final StateStore project;
    private final Map<String, String> warehouseSourceOfSync;
    private final Opener opener;
    private final Runnable closeSources;
    private final Map<String, WarehouseSnapshots> opened = new LinkedHashMap<>();

    /**
     * @param project               the project's store (run log, conflicts, quotas; snapshots of the other syncs)
     * @param warehouseSourceOfSync for each sync whose snapshot lives in its warehouse, the source's name
     * @param closeSources          closes the sources the opener opened, after their states
     */
    public RoutedStateStore(StateStore project, Map<String, String> warehouseSourceOfSync, Opener opener,
                            Runnable closeSources) {
        this.project = project;
        this.warehouseSourceOfSync = Map.copyOf(warehouseSourceOfSync);
        this.opener = opener;
        this.closeSources = closeSources;
    }

    /** The warehouse state of {@code sync}, or empty when its snapshot is the project store's. */
    public Optional<WarehouseSnapshots> warehouse(String sync) throws StateException {
        String source = warehouseSourceOfSync.get(sync);
        if (source == null) return Optional.empty();
        synchronized (opened) {
            WarehouseSnapshots found = opened.get(source);
            if (found == null) {
                found = opener.open(source);
                opened.put(source, found);
            }
            return Optional.of(found);
        }
    }

    @Override
    public Access access() {
        return project.access();
    }

    @Override
    public void lock(String sync) throws StateException {
        project.lock(sync);
    }

    @Override
    public void unlock(String sync) {
        project.unlock(sync);
    }

    @Override
    public PlanSession plan(String sync) throws StateException {
        Optional<WarehouseSnapshots> warehouse = warehouse(sync);
        return warehouse.isPresent() ? warehouse.get().plan(sync, project.access() == Access.READ_WRITE)
                : project.plan(sync);
    }

    // ---- snapshots: the warehouse's for its syncs -------------------------------------------------------------

    @Override
    public Optional<String> specHash(String sync) throws StateException {
        Optional<WarehouseSnapshots> warehouse = warehouse(sync);
        return warehouse.isPresent() ? warehouse.get().specHash(sync) : project.specHash(sync);
    }

    @Override
    public void saveSpec(String sync, String specHash, String spec, Instant now) throws StateException {
        Optional<WarehouseSnapshots> warehouse = warehouse(sync);
        if (warehouse.isPresent()) warehouse.get().saveSpec(sync, specHash, spec, now);
        else project.saveSpec(sync, specHash, spec, now);
    }

    @Override
    public void replaceSpec(String sync, String specHash, String spec, Instant now) throws StateException {
        Optional<WarehouseSnapshots> warehouse = warehouse(sync);
        if (warehouse.isPresent()) warehouse.get().replaceSpec(sync, specHash, spec, now);
        else project.replaceSpec(sync, specHash, spec, now);
    }

    @Override
    public long reset(String sync) throws StateException {
        Optional<WarehouseSnapshots> warehouse = warehouse(sync);
        return warehouse.isPresent() ? warehouse.get().reset(sync) : project.reset(sync);
    }

    @Override
    public Optional<SnapshotEntry> snapshotEntry(String sync, String key) throws StateException {
        Optional<WarehouseSnapshots> warehouse = warehouse(sync);
        return warehouse.isPresent() ? warehouse.get().snapshotEntry(sync, key) : project.snapshotEntry(sync, key);
    }

    @Override
    public long snapshotSize(String sync) throws StateException {
        Optional<WarehouseSnapshots> warehouse = warehouse(sync);
        return warehouse.isPresent() ? warehouse.get().snapshotSize(sync) : project.snapshotSize(sync);
    }

    @Override
    public void markInFlight(String sync, long runId, List<RowOutcome> rows) throws StateException {
        Optional<WarehouseSnapshots> warehouse = warehouse(sync);
        if (warehouse.isPresent()) warehouse.get().markInFlight(sync, runId, rows);
        else project.markInFlight(sync, runId, rows);
    }

    @Override
    public void commit(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        Optional<WarehouseSnapshots> warehouse = warehouse(sync);
        if (warehouse.isEmpty()) {
            project.commit(sync, runId, outcomes, now);
            return;
        }
        warehouse.get().commit(sync, runId, outcomes, now);
        project.logOutcomes(sync, runId, outcomes, now);
    }

    @Override
    public void commitReplace(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        Optional<WarehouseSnapshots> warehouse = warehouse(sync);
        if (warehouse.isEmpty()) {
            project.commitReplace(sync, runId, outcomes, now);
            return;
        }
        warehouse.get().commitReplace(sync, runId, outcomes, now);
        project.logOutcomes(sync, runId, outcomes, now);
    }

    // ---- the run log, conflicts and quotas: the project store's -----------------------------------------------

    @Override
    public int closeAbandonedRuns(String sync, Instant now) throws StateException {
        return project.closeAbandonedRuns(sync, now);
    }

    @Override
    public long startRun(String sync, Instant now) throws StateException {
        return project.startRun(sync, now);
    }

    @Override
    public void recordPlan(long runId, PlanCounts counts) throws StateException {
        project.recordPlan(runId, counts);
    }

    @Override
    public void logOutcomes(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException {
        project.logOutcomes(sync, runId, outcomes, now);
    }

    @Override
    public void finishRun(RunRecord run) throws StateException {
        project.finishRun(run);
    }

    @Override
    public Optional<RunRecord> run(long runId) throws StateException {
        return project.run(runId);
    }

    @Override
    public List<RunRecord> runs(String sync, int limit) throws StateException {
        return project.runs(sync, limit);
    }

    @Override
    public void hold(long runId, String planIdentity) throws StateException {
        project.hold(runId, planIdentity);
    }

    @Override
    public Optional<String> heldPlan(long runId) throws StateException {
        return project.heldPlan(runId);
    }

    @Override
    public void decide(long runId, RunStatus decision, String message, Instant now) throws StateException {
        project.decide(runId, decision, message, now);
    }

    @Override
    public List<LoggedOutcome> outcomes(String sync, String key, int limit) throws StateException {
        return project.outcomes(sync, key, limit);
    }

    @Override
    public List<LoggedOutcome> outcomesOfRun(long runId, Outcome outcome, int limit) throws StateException {
        return project.outcomesOfRun(runId, outcome, limit);
    }

    @Override
    public OutcomePage outcomePage(long runId, Outcome outcome, String keyPart, int offset, int limit)
            throws StateException {
        return project.outcomePage(runId, outcome, keyPart, offset, limit);
    }

    @Override
    public long audit(AuditEntry entry) throws StateException {
        return project.audit(entry);
    }

    @Override
    public List<AuditEntry> auditEntries(String sync, int offset, int limit) throws StateException {
        return project.auditEntries(sync, offset, limit);
    }

    @Override
    public void saveToken(ApiToken token) throws StateException {
        project.saveToken(token);
    }

    @Override
    public Optional<ApiToken> tokenByHash(String hash) throws StateException {
        return project.tokenByHash(hash);
    }

    @Override
    public List<ApiToken> tokens() throws StateException {
        return project.tokens();
    }

    @Override
    public boolean revokeToken(String name, Instant now) throws StateException {
        return project.revokeToken(name, now);
    }

    @Override
    public void recordConflicts(List<Conflict> found, Instant now) throws StateException {
        project.recordConflicts(found, now);
    }

    @Override
    public void settleConflicts(String sync, List<Map.Entry<String, String>> keyFields, Instant now)
            throws StateException {
        project.settleConflicts(sync, keyFields, now);
    }

    @Override
    public List<Conflict> conflicts(String sync, String key) throws StateException {
        return project.conflicts(sync, key);
    }

    @Override
    public List<Conflict> openConflicts(String sync, String key) throws StateException {
        return project.openConflicts(sync, key);
    }

    /** The conflict closes in the project store; the field's hash is decided where the sync's snapshot lives. */
    @Override
    public void resolveConflict(String sync, String key, String field, Resolution resolution, String newBaseHash,
                                String keptAgainstHash, Instant now) throws StateException {
        project.resolveConflict(sync, key, field, resolution, newBaseHash, keptAgainstHash, now);
        Optional<WarehouseSnapshots> warehouse = warehouse(sync);
        if (warehouse.isPresent()) warehouse.get().decideFieldHash(sync, key, field, newBaseHash, keptAgainstHash);
    }

    @Override
    public long quotaUsed(String account, LocalDate day) throws StateException {
        return project.quotaUsed(account, day);
    }

    @Override
    public void addQuotaUsage(String account, LocalDate day, long calls) throws StateException {
        project.addQuotaUsage(account, day, calls);
    }

    @Override
    public long quotaUsedSince(String account, Instant from) throws StateException {
        return project.quotaUsedSince(account, from);
    }

    @Override
    public void addHourlyQuotaUsage(String account, Instant hour, long calls) throws StateException {
        project.addHourlyQuotaUsage(account, hour, calls);
    }

    @Override
    public void close() {
        synchronized (opened) {
            opened.values().forEach(WarehouseSnapshots::close);
            opened.clear();
        }
        closeSources.run();
        project.close();
    }
}
