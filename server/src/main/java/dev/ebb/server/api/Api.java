package dev.ebb.server.api;

import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.AuditEntry;
import dev.ebb.core.state.StateException;
import dev.ebb.server.ApiException;
import dev.ebb.server.EbbServer;
import dev.ebb.server.ServerContext;
import dev.ebb.server.auth.Tokens;
import dev.ebb.server.schedule.RunQueue;
import dev.ebb.server.schedule.RunTicket;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the API's resources share: reading parameters, queueing runs, auditing actions, answering failures. */
final class Api {
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 1000;

    private final ServerContext context;

    Api(ServerContext context) {
        this.context = context;
    }

    ServerContext context() {
        return context;
    }

    /** The sync the path names; 404 with the syncs there are when there is none. */
    SyncConfig sync(Context ctx) {
        String name = ctx.pathParam("sync");
        return context.project().sync(name).orElseThrow(() -> ApiException.notFound("there is no sync named '"
                + name + "'; GET /api/syncs lists them"));
    }

    /** A run id from the path; 400 when it is not a number. */
    static long runId(Context ctx) {
        String text = ctx.pathParam("run");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + text + "' is not a run id; run ids are numbers");
        }
    }

    /** A whole-number query parameter from {@code min} to {@code max}, or {@code fallback} when absent. */
    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) return fallback;
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException e) {
            // said below
        }
        throw ApiException.badRequest("'" + name + "' must be a whole number from " + min + " to " + max + ", not '"
                + text + "'");
    }

    /** Who made this request (the auth check put it there). */
    static Tokens.Caller caller(Context ctx) {
        Tokens.Caller caller = ctx.attribute(EbbServer.CALLER);
        if (caller == null) throw new IllegalStateException("an action route answered without a caller");
        return caller;
    }

    /** Records in the audit log that the request's token did {@code action}. */
    void audit(Context ctx, String action, String sync, Long runId, String detail) {
        try {
            context.state().audit(new AuditEntry(0, context.clock().instant(), caller(ctx).name(), action, sync,
                    runId, detail));
        } catch (StateException e) {
            throw new ApiException(503, "the action was done, but the audit log could not record it: "
                    + e.getMessage());
        }
    }

    /** Queues a run; a full queue is 429, a server that is stopping 503, each with what to do. */
    RunTicket submit(RunTicket.Request request) {
        if (context.scheduler().paused(request.sync())) {
            throw ApiException.conflict("sync '" + request.sync() + "' is paused; resume it first (POST /api/syncs/"
                    + request.sync() + "/resume)");
        }
        try {
            return context.runs().submit(request);
        } catch (RunQueue.Refused e) {
            throw new ApiException(switch (e.reason()) {
                case QUEUE_FULL -> 429;
                case SHUTTING_DOWN -> 503;
            }, e.getMessage());
        }
    }

    /** The answer to an engine's refusal: 400 for what the request got wrong, 503 for what could not be reached. */
    static ApiException failure(SyncException e) {
        return new ApiException(switch (e.kind()) {
            case INVALID -> 400;
            case UNAVAILABLE -> 503;
        }, e.getMessage());
    }

    static ApiException failure(StateException e) {
        return new ApiException(503, "the state store could not answer: " + e.getMessage());
    }

    /** A ticket as the API shows it: what was asked, where it stands, how far it got. */
    static Map<String, Object> ticket(RunTicket t) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ticket", t.id());
        doc.put("sync", t.request().sync());
        doc.put("action", t.request().action().name().toLowerCase(java.util.Locale.ROOT));
        doc.put("of_run", t.request().ofRun());
        doc.put("trigger", t.request().trigger());
        doc.put("state", t.state().name().toLowerCase(java.util.Locale.ROOT));
        doc.put("run_id", t.runId());
        doc.put("queued_at", text(t.queuedAt()));
        doc.put("started_at", text(t.startedAt()));
        doc.put("ended_at", text(t.endedAt()));
        doc.put("rows_settled", t.settled());
        doc.put("rows_to_send", t.total());
        doc.put("api_calls", t.calls());
        doc.put("cancel_requested", t.cancellation().requested());
        doc.put("status", t.report() == null ? null : t.report().record().status().label());
        doc.put("error", t.error());
        return doc;
    }

    static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
