package dev.ebb.server.api;

import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.RunDocuments;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.OutcomePage;
import dev.ebb.core.state.RunOutcome;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
import dev.ebb.server.ApiException;
import dev.ebb.server.Role;
import dev.ebb.server.Routes;
import dev.ebb.server.schedule.RunTicket;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /api/runs}: the run log, a run's rows, and what can be done to a run (cancel, approve, reject, retry). */
final class RunResources {
    /** The most keys one retry plans again. */
    static final int MAX_RETRIED = 100_000;

    private final Api api;

    RunResources(Api api) {
        this.api = api;
    }

    void register(Routes routes) {
        routes.get("/api/runs", Role.READ, "runs", "The run log, newest first, with counts and timings.", this::list,
                new Routes.Param("sync", "only this sync's runs"),
                new Routes.Param("limit", "how many (default 50, at most 1000)"));
        routes.get("/api/queue", Role.READ, "runs", "The runs going, waiting, and recently ended in this server.",
                ctx -> ctx.json(Map.of("capacity", api.context().runs().capacity(), "waiting",
                        api.context().runs().waiting(), "tickets", api.context().runs().tickets().stream()
                                .map(Api::ticket).toList())));
        routes.get("/api/runs/{run}", Role.READ, "runs", "One run: counts, timings, status, and its progress while"
                + " it goes.", ctx -> ctx.json(document(run(ctx))));
        routes.get("/api/runs/{run}/rows", Role.READ, "runs", "A run's per-row outcomes with the destination's"
                + " reason, paged, filterable by outcome and key.", this::rows,
                new Routes.Param("status", "delivered, rejected, invalid, failed or skipped"),
                new Routes.Param("key", "keys containing this text (case-blind)"),
                new Routes.Param("offset", "rows to skip (default 0)"),
                new Routes.Param("limit", "rows in the page (default 50, at most 1000)"));
        routes.post("/api/runs/{run}/cancel", Role.OPERATOR, "runs", "Cancel a run: it stops at its next batch"
                + " boundary; what its batches committed stays, the rest is planned again by the next run.",
                this::cancel);
        routes.post("/api/runs/{run}/approve", Role.OPERATOR, "runs", "Deliver the plan a guarded run holds (queued"
                + " like a run; nothing is sent if the plan changed since).", this::approve);
        routes.post("/api/runs/{run}/reject", Role.OPERATOR, "runs", "Drop the plan a guarded run holds.",
                this::reject);
        routes.post("/api/runs/{run}/retry", Role.OPERATOR, "runs", "Retry the failed rows of a run: a run that"
                + " plans just those keys again.", this::retry,
                new Routes.Param("rejected", "true to retry the rejected rows too"));
    }

    private void list(Context ctx) {
        String sync = ctx.queryParam("sync");
        if (sync != null && api.context().project().sync(sync).isEmpty()) {
            throw ApiException.notFound("there is no sync named '" + sync + "'");
        }
        int limit = Api.intParam(ctx, "limit", Api.DEFAULT_PAGE, 1, Api.MAX_PAGE);
        try {
            ctx.json(Map.of("runs", api.context().state().runs(sync, limit).stream().map(this::document).toList()));
        } catch (StateException e) {
            throw Api.failure(e);
        }
    }

    private RunRecord run(Context ctx) {
        long id = Api.runId(ctx);
        try {
            return api.context().state().run(id).orElseThrow(() -> ApiException.notFound("there is no run " + id));
        } catch (StateException e) {
            throw Api.failure(e);
        }
    }

    private Map<String, Object> document(RunRecord r) {
        Map<String, Object> doc = RunDocuments.run(r, api.context().clock().instant());
        Optional<RunTicket> going = r.status() == RunStatus.RUNNING ? api.context().runs().runningRun(r.runId())
                : Optional.empty();
        doc.put("progress", going.map(Api::ticket).orElse(null));
        return doc;
    }

    private void rows(Context ctx) {
        RunRecord run = run(ctx);
        Outcome status = outcome(ctx.queryParam("status"));
        String key = ctx.queryParam("key");
        int offset = Api.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Api.intParam(ctx, "limit", Api.DEFAULT_PAGE, 1, Api.MAX_PAGE);
        OutcomePage found;
        try {
            found = api.context().state().outcomePage(run.runId(), status, key, offset, limit);
        } catch (StateException e) {
            throw Api.failure(e);
        }
        List<Map<String, Object>> page = new ArrayList<>();
        for (RunOutcome row : found.rows()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("key", row.key());
            doc.put("change", row.change());
            doc.put("operation", row.operation());
            doc.put("outcome", row.outcome().name().toLowerCase(Locale.ROOT));
            doc.put("reason", row.reason());
            doc.put("at", row.at().toString());
            page.add(doc);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("run_id", run.runId());
        doc.put("offset", offset);
        doc.put("limit", limit);
        doc.put("total", found.total());
        doc.put("next_offset", offset + page.size() < found.total() ? offset + page.size() : null);
        doc.put("rows", page);
        ctx.json(doc);
    }

    private static Outcome outcome(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return Outcome.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'status' is delivered, rejected, invalid, failed or skipped, not '" + text
                    + "'");
        }
    }

    private void cancel(Context ctx) {
        RunRecord run = run(ctx);
        Optional<RunTicket> going = api.context().runs().runningRun(run.runId());
        if (going.isEmpty()) {
            throw ApiException.conflict("run " + run.runId() + " is " + run.status() + ", not running in this"
                    + " server; there is nothing to cancel");
        }
        String who = Api.caller(ctx).name();
        going.get().cancellation().cancel("cancelled by token " + who);
        api.audit(ctx, "cancel", run.sync(), run.runId(), null);
        ctx.status(202).json(Api.ticket(going.get()));
    }

    private void approve(Context ctx) {
        RunRecord run = held(ctx);
        RunTicket ticket = api.submit(new RunTicket.Request(run.sync(), RunTicket.Action.APPROVE, run.runId(),
                Set.of(), "token:" + Api.caller(ctx).name()));
        api.audit(ctx, "approve", run.sync(), run.runId(), "ticket " + ticket.id());
        ctx.status(202).json(Api.ticket(ticket));
    }

    private void reject(Context ctx) {
        RunRecord run = held(ctx);
        RunRecord rejected;
        try {
            rejected = api.context().engine().reject(run.runId());
        } catch (SyncException e) {
            throw Api.failure(e);
        }
        api.audit(ctx, "reject", run.sync(), run.runId(), null);
        ctx.json(document(rejected));
    }

    private RunRecord held(Context ctx) {
        RunRecord run = run(ctx);
        if (run.status() != RunStatus.AWAITING_APPROVAL) {
            throw ApiException.conflict("run " + run.runId() + " of " + run.sync() + " is " + run.status()
                    + ", not awaiting approval");
        }
        return run;
    }

    private void retry(Context ctx) {
        RunRecord run = run(ctx);
        if (run.status() == RunStatus.RUNNING) {
            throw ApiException.conflict("run " + run.runId() + " is still running; retry its rows once it ended");
        }
        boolean rejectedToo = "true".equalsIgnoreCase(ctx.queryParam("rejected"));
        Set<String> keys = new LinkedHashSet<>();
        try {
            keys(run.runId(), Outcome.FAILED, keys);
            if (rejectedToo) keys(run.runId(), Outcome.REJECTED, keys);
        } catch (StateException e) {
            throw Api.failure(e);
        }
        if (keys.isEmpty()) {
            throw ApiException.conflict("run " + run.runId() + " has no failed rows" + (rejectedToo ? " or rejected"
                    + " rows" : "") + " to retry" + (rejectedToo ? "" : " (add ?rejected=true for its rejected rows)"));
        }
        RunTicket ticket = api.submit(new RunTicket.Request(run.sync(), RunTicket.Action.RETRY, run.runId(), keys,
                "token:" + Api.caller(ctx).name()));
        api.audit(ctx, "retry", run.sync(), run.runId(), keys.size() + " keys, ticket " + ticket.id());
        ctx.status(202).json(Api.ticket(ticket));
    }

    private void keys(long runId, Outcome outcome, Set<String> into) throws StateException {
        int page = Api.MAX_PAGE;
        for (int offset = 0; into.size() < MAX_RETRIED; offset += page) {
            List<RunOutcome> rows = api.context().state().outcomePage(runId, outcome, null, offset, page).rows();
            rows.forEach(r -> into.add(r.key()));
            if (rows.size() < page) return;
        }
        throw ApiException.badRequest("run " + runId + " has more than " + MAX_RETRIED + " rows to retry; run the"
                + " sync instead, which plans every one of them again");
    }
}
