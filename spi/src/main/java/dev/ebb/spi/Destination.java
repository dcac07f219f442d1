package dev.ebb.spi;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * An open connection to one account of an operational tool (a HubSpot portal, a Salesforce org).
 *
 * <p>Lifecycle:
 * <ol>
 *   <li>The runtime opens it through {@link DestinationConnector#open}; opening makes no network call.</li>
 *   <li>It asks for {@link #accountId()}, {@link #rateLimits()} and {@link #object} (declarations, no call).</li>
 *   <li>It calls {@link #describe} (discovery) and then {@link #write} and {@link #read} any number of times,
 *       possibly from several threads at once: implementations are thread-safe.</li>
 *   <li>It calls {@link #close()} once, after every call has returned.</li>
 * </ol>
 *
 * <p>One call of {@link #write}, {@link #start}, {@link #resume} or {@link #read} is one API call (or one database transaction): no loops over
 * pages that hide calls from the runtime's rate budget, no sleeping, no retrying.
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
     * Writes one batch in one call and says what happened to each record.
     *
     * @throws DestinationException when the call as a whole failed (no record of it may be assumed written)
     */
    WriteResult write(WriteBatch batch) throws DestinationException;

    /**
     * Starts writing one batch with one call. Synchronous APIs need not override it: the default is {@link #write}.
     * An asynchronous API returns a {@link WriteStep.Pending} step, and the runtime calls {@link #resume} until a
     * {@link WriteStep.Done} step carries every record's answer.
     *
     * @throws DestinationException when the call as a whole failed
     */
    default WriteStep start(WriteBatch batch) throws DestinationException {
        return new WriteStep.Done(write(batch));
    }

    /**
     * Takes a pending write one call further (upload, close, poll, fetch results).
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

    @Override
    void close();
}
