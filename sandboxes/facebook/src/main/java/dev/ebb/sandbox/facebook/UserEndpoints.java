package dev.ebb.sandbox.facebook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxResponse;

import java.util.Map;

/**
 * The membership edges of an audience: {@code POST} and {@code DELETE /{audience_id}/users} (add and remove, with an
 * optional session), {@code POST /{audience_id}/usersreplace} (a replace session, batch by batch) and
 * {@code GET /{audience_id}/sessions} (CustomAudienceSession: received, invalid, stage). Each answers what Meta's
 * reference pages show: {@code audience_id} (or {@code account_id} for a replace), {@code session_id},
 * {@code num_received}, {@code num_invalid_entries} and {@code invalid_entry_samples}.
 *
 * <p>Called with the sandbox's lock held.
 */
final class UserEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String adAccountId;

    UserEndpoints(String adAccountId) {
        this.adAccountId = adAccountId;
    }

    /** {@code POST} (add) or {@code DELETE} (remove) {@code /{audience_id}/users}. */
    SandboxResponse users(Audience audience, boolean add, Map<String, String> params, long now) {
        refuseFlagged(audience);
        UserPayload payload = UserPayload.read(params, false);
        long sessionId = payload.session() == null ? now : payload.session().sessionId();
        if (payload.session() != null) {
            Audience.Session session = audience.session(sessionId, false, now);
            count(session, payload, now);
        }
        payload.rows().forEach(add ? audience::add : audience::remove);
        audience.updated = now;
        ObjectNode body = JSON.createObjectNode().put("audience_id", audience.id);
        return SandboxResponse.json(200, counts(body, sessionId, payload));
    }

    /** {@code POST /{audience_id}/usersreplace}: stages the batch; the last batch replaces the membership. */
    SandboxResponse replace(Audience audience, Map<String, String> params, long now) {
        refuseFlagged(audience);
        UserPayload payload = UserPayload.read(params, true);
        UserPayload.SessionParam param = payload.session();
        Audience.Session session = audience.session(param.sessionId(), true, now);
        if (!session.replace) {
            throw GraphError.invalidParameter("session " + param.sessionId() + " is an add/remove session; a replace "
                    + "needs a session id of its own");
        }
        if (session.finished && param.batchSeq() == 1 && !session.batches.contains(1)) session.staged.clear();
        // A batch sent again (a retry after a lost answer) is staged once.
        if (session.batches.add(param.batchSeq())) session.staged.addAll(payload.rows());
        count(session, payload, now);
        if (param.lastBatch()) {
            audience.replaceWith(session);
            session.finished = true;
            session.ended = now;
        }
        audience.updated = now;
        ObjectNode body = JSON.createObjectNode().put("account_id", adAccountId.substring("act_".length()));
        return SandboxResponse.json(200, counts(body, param.sessionId(), payload));
    }

    /** {@code GET /{audience_id}/sessions}, optionally for one {@code session_id}. */
    SandboxResponse sessions(Audience audience, Map<String, String> params) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        String wanted = params.get("session_id");
        for (Audience.Session session : audience.sessions()) {
            if (wanted != null && !wanted.equals(String.valueOf(session.sessionId))) continue;
            ObjectNode node = data.addObject()
                    .put("session_id", String.valueOf(session.sessionId))
                    .put("start_time", String.valueOf(session.started))
                    .put("end_time", String.valueOf(session.ended))
                    .put("num_received", String.valueOf(session.received))
                    .put("num_invalid_entries", String.valueOf(session.invalid))
                    .put("num_matched", String.valueOf(session.received - session.invalid))
                    .put("stage", session.finished || !session.replace ? "uploaded" : "uploading");
            node.put("progress", session.finished || !session.replace ? "100" : "0");
        }
        return SandboxResponse.json(200, body);
    }

    private static void count(Audience.Session session, UserPayload payload, long now) {
        session.received += payload.rows().size() + payload.invalid();
        session.invalid += payload.invalid();
        session.lastBatch = Math.max(session.lastBatch, payload.session().batchSeq());
        if (payload.session().lastBatch() && !session.replace) {
            session.finished = true;
            session.ended = now;
        }
    }

    private static ObjectNode counts(ObjectNode body, long sessionId, UserPayload payload) {
        body.put("session_id", String.valueOf(sessionId))
                .put("num_received", payload.rows().size() + payload.invalid())
                .put("num_invalid_entries", payload.invalid());
        ObjectNode samples = body.putObject("invalid_entry_samples");
        payload.samples().forEach(samples::put);
        return body;
    }

    /**
     * "If the audience is flagged with an operation_status of 471, you must resolve the restrictions … before you
     * can update or delete the user memberships" (custom-audience/users reference page).
     */
    private static void refuseFlagged(Audience audience) {
        if (!audience.flagged) return;
        throw new SandboxReply(GraphError.response(400, 100, 1713230, "OAuthException", "Invalid parameter", false));
    }
}
