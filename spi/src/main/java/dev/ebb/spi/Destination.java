package dev.ebb.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open connection to one account of an operational tool (a HubSpot portal, a Salesforce org).
 *
 * <p>Lifecycle:
 * <ol>
 *   <li>The runtime opens it through {@link DestinationConnector#open}; opening makes no network call.</li>
 *   <li>It asks for {@link #accountId()}, {@link #rateLimits()} and {@link #object} (declarations, no call).</li>
 *   <li>It calls {@link #describe} (discovery), and then {@link #start}, {@link #resume} and {@link #read} any number
 *       of times, possibly from several threads at once: implementations are thread-safe.</li>
 *   <li>It calls {@link #close()} once, after every call has returned.</li>
 * </ol>
 *
 * <p>There is one write path. The runtime writes a batch by calling {@link #start}; a synchronous API answers the
 * batch in that call and returns {@link WriteStep.Done} at once. An asynchronous API (Salesforce Bulk API 2.0 ingest
 * jobs, Zendesk's {@code job_status}) returns a {@link WriteStep.Pending} step; the runtime waits its
 * {@link WriteStep.Pending#after()} and calls {@link #resume} with it, again and again, until a {@link WriteStep.Done}
 * step carries every record's answer. After a failure the runtime may call the same step again (the same batch for
 * {@link #start}, the same {@link WriteStep.Pending} for {@link #resume}).
 *
 * <p>One call of {@link #start}, {@link #resume}, {@link #read} or {@link #describe} is one API request (or one
 * database transaction): no loops over pages or steps that hide requests from the runtime's rate budget, no
 * sleeping, no retrying. The one exception is signing in: a request for an access token that the vendor does not
 * count against the account's API allocation (an OAuth token endpoint) may precede the call that needs it.
 */
public interface Destination extends AutoCloseable {

    /**
     * A stable identity of the account this connection writes to. Every sync whose destination has the same
     * account id shares one rate budget and one daily quota. It must not reveal a secret.
     */
    String accountId();

    /** The account's documented limits (before any lowering the user configured). */
    RateLimits rateLimits();

    /** What can be done with {@code object}, or empty when the destination has no such object. */
    Optional<ObjectCapabilities> object(String object);

    /**
     * Discovers the object's fields from the vendor. One API call.
     *
     * @throws DestinationException when the call fails; a missing object is a {@link
     *                              DestinationException.PermanentException}
     */
    ObjectSchema describe(String object) throws DestinationException;

    /**
     * Starts writing one batch, with one call. A synchronous API answers {@code new WriteStep.Done(result)}; an
     * asynchronous one answers a {@link WriteStep.Pending} step that {@link #resume} takes further.
     *
     * @throws DestinationException when the call as a whole failed (no record of it may be assumed written); a
     *                              transient failure may be retried by calling {@code start} again with the same batch
     */
    WriteStep start(WriteBatch batch) throws DestinationException;

    /**
     * Takes a pending write one call further (upload, close, poll, fetch results). Only called with a step this
     * destination returned; a destination whose writes are all synchronous never returns one and need not override it.
     *
     * @throws DestinationException when the call failed; a transient failure may be retried with the same step
     */
    default WriteStep resume(WriteStep.Pending pending) throws DestinationException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no asynchronous writes");
    }

    /**
     * Reads the current values of records, in one call, for objects whose capabilities declare
     * {@link ObjectCapabilities#readBack()}.
     *
     * @param matchValues at most {@link BatchLimits#maxRecords()} values of {@code matchField}
     * @return the records that exist; a value with no record is absent from the list
     */
    default List<RemoteRecord> read(String object, String matchField, Collection<String> matchValues,
                                    Collection<String> fields) throws DestinationException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot read records back");
    }

    /**
     * Checks one record's values before any call, for a rule that field types cannot express: an email an audience
     * cannot normalise, a phone number that cannot be made E.164. The plan reports a row with a problem as invalid,
     * with this reason, and never sends it. Pure: no call, no state, cheap enough for every planned row.
     *
     * @param fields destination field name to value, as {@link OutboundRecord#fields()} would carry them
     * @return what is wrong, naming the field (never a secret), or empty when the record can be sent
     */
    default Optional<String> problem(String object, Map<String, Object> fields) {
        return Optional.empty();
    }

    @Override
    void close();
}
