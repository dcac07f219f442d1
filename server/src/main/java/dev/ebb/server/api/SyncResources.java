package dev.ebb.server.api;

import dev.ebb.core.config.Schedule;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.Progress;
import dev.ebb.core.run.RunDocuments;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.StateException;
import dev.ebb.server.ApiException;
import dev.ebb.server.Role;
import dev.ebb.server.Routes;
import dev.ebb.server.schedule.RunTicket;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/syncs}: each sync with its schedule and where it stands; trigger, pause, resume, plan, reset. */
final class SyncResources {
    private final Api api;

    SyncResources(Api api) {
        this.api = api;
    }

    void register(Routes routes) {
        routes.get("/api/syncs", Role.READ, "syncs", "Every sync with its schedule, status, last and next run.",
                ctx -> ctx.json(Map.of("syncs", api.context().project().syncs().values().stream()
                        .map(this::document).toList())));
        routes.get("/api/syncs/{sync}", Role.READ, "syncs", "One sync with its schedule, status, last and next run.",
                ctx -> ctx.json(document(api.sync(ctx))));
        routes.post("/api/syncs/{sync}/trigger", Role.OPERATOR, "syncs", "Queue a run of the sync now (for dbt"
                + " Cloud, Airflow or any orchestrator): 202 with its ticket; 409 if paused, 429 if the queue is"
                + " full, 503 while the server stops.", this::trigger);
        routes.post("/api/syncs/{sync}/pause", Role.OPERATOR, "syncs", "Pause the sync: its schedule and after:"
                + " chain stop, triggers are refused, until resumed.", ctx -> pause(ctx, true));
        routes.post("/api/syncs/{sync}/resume", Role.OPERATOR, "syncs", "Resume a paused sync.",
                ctx -> pause(ctx, false));
        routes.get("/api/syncs/{sync}/plan", Role.READ, "syncs", "Plan preview: what a run would send now, with"
                + " sample payloads; writes nothing anywhere.", this::plan,
                new Routes.Param("samples", "sample rows per kind of change (default 5, at most 100)"));
        routes.post("/api/syncs/{sync}/reset", Role.OPERATOR, "syncs", "Forget the sync's snapshot: its next run is"
                + " a full sync. Refused while it runs.", this::reset);
    }

    private void trigger(Context ctx) {
        SyncConfig sync = api.sync(ctx);
        String who = Api.caller(ctx).name();
        RunTicket ticket = api.submit(RunTicket.Request.changes(sync.name(), "token:" + who));
        api.audit(ctx, "trigger", sync.name(), null, "ticket " + ticket.id());
        ctx.status(202).json(Api.ticket(ticket));
    }

    private void pause(Context ctx, boolean pause) {
        SyncConfig sync = api.sync(ctx);
        if (pause) api.context().scheduler().pause(sync.name());
        else api.context().scheduler().resume(sync.name());
        api.audit(ctx, pause ? "pause" : "resume", sync.name(), null, null);
        ctx.json(document(sync));
    }

    private void plan(Context ctx) throws InterruptedException {
        SyncConfig sync = api.sync(ctx);
        int samples = Api.intParam(ctx, "samples", 5, 0, 100);
        PlanReport plan;
        try {
            plan = api.context().engine().plan(sync.name(), samples, Progress.NONE);
        } catch (SyncException e) {
            throw Api.failure(e);
        }
        ctx.json(RunDocuments.plan(plan));
    }

    private void reset(Context ctx) {
        SyncConfig sync = api.sync(ctx);
        if (api.context().runs().active(sync.name()).isPresent()) {
            throw ApiException.conflict("sync '" + sync.name() + "' has a run queued or going; cancel it or wait,"
                    + " then reset");
        }
        long forgotten;
        try {
            api.context().state().lock(sync.name());
            try {
                forgotten = api.context().state().reset(sync.name());
            } finally {
                api.context().state().unlock(sync.name());
            }
        } catch (StateException e) {
            throw Api.failure(e);
        }
        api.audit(ctx, "reset", sync.name(), null, forgotten + " snapshot entries forgotten");
        ctx.json(Map.of("sync", sync.name(), "forgotten", forgotten));
    }

    /** A sync as the API shows it. */
    Map<String, Object> document(SyncConfig sync) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("sync", sync.name());
        doc.put("model", sync.model());
        doc.put("destination", sync.destination());
        doc.put("object", sync.object());
        doc.put("mode", sync.mode().name().toLowerCase(java.util.Locale.ROOT));
        doc.put("schedule", schedule(sync.schedule()));
        boolean paused = api.context().scheduler().paused(sync.name());
        doc.put("paused", paused);
        Optional<RunTicket> active = api.context().runs().active(sync.name());
        Optional<RunRecord> last = lastRun(sync.name());
        doc.put("status", paused ? "paused" : active.map(t -> t.state() == RunTicket.State.RUNNING ? "running"
                : "queued").orElse(last.map(r -> r.status().label()).orElse("never_run")));
        doc.put("active", active.map(Api::ticket).orElse(null));
        doc.put("last_run", last.map(r -> RunDocuments.run(r, api.context().clock().instant())).orElse(null));
        doc.put("next_run", api.context().scheduler().nextRun(sync.name()).map(Object::toString).orElse(null));
        return doc;
    }

    private Optional<RunRecord> lastRun(String sync) {
        try {
            List<RunRecord> runs = api.context().state().runs(sync, 1);
            return runs.stream().findFirst();
        } catch (StateException e) {
            throw Api.failure(e);
        }
    }

    private static Map<String, Object> schedule(Schedule s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (s.every() != null) doc.put("every", s.every().toString());
        if (s.cron() != null) {
            doc.put("cron", s.cron());
            doc.put("timezone", s.zone().getId());
        }
        if (s.after() != null) doc.put("after", s.after());
        if (s.manual()) doc.put("manual", true);
        return doc;
    }
}
