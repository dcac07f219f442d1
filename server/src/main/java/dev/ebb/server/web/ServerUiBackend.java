package dev.ebb.server.web;

import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Redaction;
import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.Progress;
import dev.ebb.core.state.AuditEntry;
import dev.ebb.core.state.ConflictLog;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.RunLog;
import dev.ebb.core.state.StateException;
import dev.ebb.server.Role;
import dev.ebb.server.ServerContext;
import dev.ebb.server.schedule.RunQueue;
import dev.ebb.server.schedule.RunTicket;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The UI over the server: runs go through the server's run queue (one run per sync, the queue's bound), decisions go
 * to the engine, tokens are the API's, and every action is written to the audit log as the API writes it.
 * Thread-safe.
 */
final class ServerUiBackend implements UiBackend {
    private static final Logger LOG = Logger.getLogger(ServerUiBackend.class.getName());

    private final ServerContext context;

    ServerUiBackend(ServerContext context) {
        this.context = context;
    }

    @Override
    public ProjectConfig project() {
        return context.project();
    }

    @Override
    public RunLog runs() {
        return context.state();
    }

    @Override
    public ConflictLog conflicts() {
        return context.state();
    }

    @Override
    public Redaction redaction() {
        return context.redaction();
    }

    @Override
    public Optional<UiUser> authenticate(String token) {
        return context.tokens().lookup(token)
                .map(caller -> new UiUser(caller.name(), caller.role().allows(Role.OPERATOR)));
    }

    @Override
    public Optional<Instant> nextRun(String sync) {
        return context.scheduler().nextRun(sync);
    }

    @Override
    public boolean paused(String sync) {
        return context.scheduler().paused(sync);
    }

    @Override
    public Optional<Long> trigger(String sync, UiUser by) throws Refused {
        try {
            RunTicket ticket = context.runs().submit(RunTicket.Request.changes(sync, "ui:" + by.name()));
            audit(by, "trigger", sync, null, "from the web UI");
            return Optional.ofNullable(ticket.runId());
        } catch (RunQueue.Refused e) {
            throw new Refused(e.getMessage());
        }
    }

    @Override
    public void approve(long runId, UiUser by) throws Refused {
        String sync = heldSync(runId);
        audit(by, "approve", sync, runId, "from the web UI");
        // Approving delivers the plan: a run of its own, so it goes on a thread of its own, not the request's.
        Thread.ofVirtual().name("ebb-approve-" + runId).start(() -> {
            try {
                context.engine().approve(runId, Progress.NONE);
            } catch (SyncException e) {
                LOG.warning("approving run " + runId + " of " + sync + " failed: "
                        + context.redaction().apply(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void reject(long runId, UiUser by) throws Refused {
        String sync = heldSync(runId);
        try {
            context.engine().reject(runId);
            audit(by, "reject", sync, runId, "from the web UI");
        } catch (SyncException e) {
            throw new Refused(e.getMessage());
        }
    }

    @Override
    public void resolve(String sync, String key, String field, Resolution resolution, UiUser by) throws Refused {
        try {
            context.engine().resolve(sync, key, field, resolution);
            audit(by, "resolve", sync, null, "field " + field + ": took the " + resolution.label() + " value");
        } catch (SyncException e) {
            throw new Refused(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted");
        }
    }

    @Override
    public PlanReport plan(String sync, int samplesPerKind) throws Refused {
        try {
            return context.engine().plan(sync, samplesPerKind, Progress.NONE);
        } catch (SyncException e) {
            throw new Refused(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted");
        }
    }

    private String heldSync(long runId) throws Refused {
        try {
            return context.state().run(runId).orElseThrow(() -> new Refused("there is no run " + runId)).sync();
        } catch (StateException e) {
            throw new Refused("the state store cannot be read now: " + e.getMessage());
        }
    }

    private void audit(UiUser by, String action, String sync, Long runId, String detail) {
        try {
            context.state().audit(new AuditEntry(0, context.clock().instant(), by.name(), action, sync, runId,
                    detail));
        } catch (StateException e) {
            LOG.log(Level.WARNING, "could not write the audit log: " + e.getMessage());
        }
    }
}
