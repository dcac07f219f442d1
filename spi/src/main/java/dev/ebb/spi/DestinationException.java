package dev.ebb.spi;

/**
 * A whole call failed. The family is sealed so that the runtime's handling is exhaustive; connectors classify by
 * status code, vendor error code or exception type, never by message text.
 *
 * <ul>
 *   <li>{@link ThrottledException}: the vendor asked us to slow down; the runtime waits and tries again.</li>
 *   <li>{@link TransientException}: a fault that may pass (5xx, timeout, dropped connection); the runtime backs
 *       off and tries again, up to a bound, then leaves the rows failed for the next run.</li>
 *   <li>{@link PermanentException}: trying again cannot help (bad credentials, a malformed request); the
 *       rows are left failed with the reason, and the run reports it.</li>
 * </ul>
 */
public abstract sealed class DestinationException extends Exception
        permits DestinationException.ThrottledException, DestinationException.TransientException,
                DestinationException.PermanentException {

    protected DestinationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The vendor throttled the call (HTTP 429, Salesforce's 403 REQUEST_LIMIT_EXCEEDED, Marketo's 606, …). */
    public static final class ThrottledException extends DestinationException {
        private final java.time.Duration retryAfter;
        private final boolean dailyLimit;

        /**
         * @param retryAfter how long the vendor asked us to wait, or {@code null} when it did not say
         * @param dailyLimit whether the daily allowance (not a short window) is exhausted
         */
        public ThrottledException(String message, java.time.Duration retryAfter, boolean dailyLimit) {
            super(message, null);
            this.retryAfter = retryAfter;
            this.dailyLimit = dailyLimit;
        }

        /** The vendor's wait hint, or {@code null}. */
        public java.time.Duration retryAfter() {
            return retryAfter;
        }

        public boolean dailyLimit() {
            return dailyLimit;
        }
    }

    /** A fault that may pass: 5xx, a timeout, a dropped or refused connection. */
    public static final class TransientException extends DestinationException {
        private final boolean unreachable;

        /** @param unreachable whether the destination could not be reached at all (connection refused, DNS) */
        public TransientException(String message, Throwable cause, boolean unreachable) {
            super(message, cause);
            this.unreachable = unreachable;
        }

        public boolean unreachable() {
            return unreachable;
        }
    }

    /** Trying again cannot help: bad credentials, a forbidden object, a request the vendor cannot parse. */
    public static final class PermanentException extends DestinationException {
        public PermanentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
