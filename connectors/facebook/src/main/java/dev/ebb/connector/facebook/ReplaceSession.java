package dev.ebb.connector.facebook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.connector.support.HttpAnswer;
import dev.ebb.connector.support.JsonAnswers;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole-membership replace as Meta's {@code usersreplace} session
 * (https://developers.facebook.com/docs/marketing-api/reference/custom-audience/usersreplace): the batch's members
 * go in slices of at most 10,000, each one call with {@code session: {session_id, batch_seq, last_batch_flag,
 * estimated_num_total}}; when the slice with {@code last_batch_flag} arrives, Meta drops every member the session did
 * not send. {@link #start} sends the first slice; each further slice is a {@link WriteStep.Pending} step that
 * {@link #resume} sends, so the runtime books every call. A step is immutable: the runtime may send one again after a
 * transient failure, and a slice sent twice under the same {@code batch_seq} is the same slice.
 *
 * <p>Records whose values cannot be normalised are refused before the first call and never sent; the session must
 * carry at least one member, since a replace with nobody in it cannot be sent.
 */
final class ReplaceSession {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where a replace stands: the records it sends (in order), the slice to send next, and the answers so far.
     *
     * @param sendable the records that passed the check, in batch order
     * @param next     the index of the next slice (0 for the first)
     * @param results  every record's answer so far (refusals before the first call included)
     */
    record State(long sessionId, List<OutboundRecord> sendable, int next, List<RecordResult> results) {
        State {
            sendable = List.copyOf(sendable);
            results = List.copyOf(results);
        }

        int slices() {
            return (sendable.size() + FacebookDestination.MAX_USERS - 1) / FacebookDestination.MAX_USERS;
        }
    }

    private final FacebookDestination destination;
    private final UserRows rows;
    private final int perHour;
    private final Clock clock;

    ReplaceSession(FacebookDestination destination, UserRows rows, int perHour, Clock clock) {
        this.destination = destination;
        this.rows = rows;
        this.perHour = perHour;
        this.clock = clock;
    }

    WriteStep start(WriteBatch batch) throws DestinationException {
        List<RecordResult> refused = new ArrayList<>();
        List<OutboundRecord> sendable = new ArrayList<>();
        for (OutboundRecord record : batch.records()) {
            var problem = rows.problem(withMatch(record, batch.matchField()));
            if (problem.isPresent()) refused.add(RecordResult.rejected(record.key(), "not sent: " + problem.get()));
            else sendable.add(record);
        }
        if (sendable.isEmpty()) {
            throw new PermanentException("a replace of audience " + batch.object() + " needs at least one member whose "
                    + "identifiers can be sent; every one of the " + batch.records().size() + " was refused: "
                    + refused.getFirst().reason(), null);
        }
        return send(batch, new State(FacebookDestination.sessionId(batch), sendable, 0, refused));
    }

    WriteStep resume(WriteStep.Pending pending) throws DestinationException {
        if (!(pending.state() instanceof State state)) {
            throw new IllegalArgumentException("not a step of a Meta replace session: " + pending.state());
        }
        return send(pending.batch(), state);
    }

    /** Sends slice {@code state.next()}: one call. */
    private WriteStep send(WriteBatch batch, State state) throws DestinationException {
        int from = state.next() * FacebookDestination.MAX_USERS;
        List<OutboundRecord> slice = state.sendable().subList(from,
                Math.min(state.sendable().size(), from + FacebookDestination.MAX_USERS));
        UserRows.Encoded encoded = rows.encode(slice, batch.operation(), batch.matchField());
        boolean last = state.next() + 1 == state.slices();
        String form = FacebookDestination.form(encoded, new FacebookDestination.Session(state.sessionId(),
                state.next() + 1, last, state.sendable().size()));
        HttpAnswer answer = destination.send("POST", "/" + batch.object() + "/usersreplace", form);
        String what = "replacing the members of audience " + batch.object() + " (session " + state.sessionId()
                + ", batch " + (state.next() + 1) + " of " + state.slices() + ")";
        if (!answer.ok()) throw GraphFailures.classify(answer, what, clock);
        AudienceKey match = AudienceKey.BY_NAME.get(batch.matchField());
        List<RecordResult> results = new ArrayList<>(state.results());
        results.addAll(UsersAnswer.results(JsonAnswers.object(JSON, answer.body(), "message"), encoded.rows(),
                row -> row.sent(encoded.schema(), match)));
        RateUsage usage = GraphFailures.usage(answer.headers(), perHour);
        if (last) return new WriteStep.Done(new WriteResult(results, usage));
        State next = new State(state.sessionId(), state.sendable(), state.next() + 1, results);
        return new WriteStep.Pending(batch, next, Duration.ZERO, "Meta usersreplace session " + state.sessionId()
                + ": batch " + (next.next() + 1) + " of " + next.slices() + " next");
    }

    private static java.util.Map<String, Object> withMatch(OutboundRecord record, String matchField) {
        java.util.Map<String, Object> values = new java.util.LinkedHashMap<>(record.fields());
        values.putIfAbsent(matchField, record.matchValue());
        return values;
    }
}
