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
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
import dev.ebb.server.Role;
import dev.ebb.server.ServerContext;
import dev.ebb.server.schedule.RunQueue;
import dev.ebb.server.schedule.RunTicket;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The web UI's backend in the server: the same tokens as the API, runs through the same queue (so the UI's trigger
 * and approval obey the queue bound, pauses and one run per sync), and every action in the same audit log.
 * Thread-safe.
 */
final class ServerUiBackend implements UiBackend {
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
        return context.tokens().lookup(token).map(c -> new UiUser(c.name(), c.role().allows(Role.OPERATOR)));
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
        if (context.project().sync(sync).isEmpty()) throw new Refused("there is no sync named '" + sync + "'");
        RunTicket ticket = submit(RunTicket.Request.changes(sync, "token:" + by.name()), by);
        audit(by, "trigger", sync, null, "ticket " + ticket.id());
        return Optional.ofNullable(ticket.runId());
    }

    @Override
    public void approve(long runId, UiUser by) throws Refused {
        RunRecord run = held(runId);
        RunTicket ticket = submit(new RunTicket.Request(run.sync(), RunTicket.Action.APPROVE, runId, Set.of(),
                "token:" + by.name()), by);
        audit(by, "approve", run.sync(), runId, "ticket " + ticket.id());
    }

    @Override
    public void reject(long runId, UiUser by) throws Refused {
        RunRecord run = held(runId);
        try {
            context.engine().reject(runId);
        } catch (SyncException e) {
            throw new Refused(e.getMessage());
        }
        audit(by, "reject", run.sync(), runId, null);
    }

    @Override
    public void resolve(String sync, String key, String field, Resolution resolution, UiUser by) throws Refused {
        operator(by);
        try {
            context.engine().resolve(sync, key, field, resolution);
        } catch (SyncException e) {
            throw new Refused(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted");
        }
        audit(by, "resolve", sync, null, "field " + field + ": took the " + resolution.label() + " value");
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

    private RunTicket submit(RunTicket.Request request, UiUser by) throws Refused {
        operator(by);
        if (context.scheduler().paused(request.sync())) {
            throw new Refused("sync " + request.sync() + " is paused; resume it first");
        }
        try {
            return context.runs().submit(request);
        } catch (RunQueue.Refused e) {
            throw new Refused(e.getMessage());
        }
    }

    private RunRecord held(long runId) throws Refused {
        try {
            RunRecord run = context.state().run(runId).orElseThrow(() -> new Refused("there is no run " + runId));
            if (run.status() != RunStatus.AWAITING_APPROVAL) {
                throw new Refused("run " + runId + " is " + run.status() + ", not awaiting approval");
            }
            return run;
        } catch (StateException e) {
            throw new Refused(e.getMessage());
        }
    }

    /** The UI shows actions to operators only; this holds even for a request made by hand. */
    private static void operator(UiUser by) throws Refused {
        if (!by.operator()) throw new Refused("token '" + by.name() + "' is read-only; this needs an operator token");
    }

    private void audit(UiUser by, String action, String sync, Long runId, String detail) throws Refused {
        try {
            context.state().audit(new AuditEntry(0, context.clock().instant(), by.name(), action, sync, runId,
                    detail));
        } catch (StateException e) {
            throw new Refused("done, but the audit log could not record it: " + e.getMessage());
        }
    }
}
