package dev.ebb.core.state;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Calls made per destination account per quota day, or per hour for quotas over a rolling 24 hours, so that a
 * quota holds across runs and processes.
 */
public interface QuotaLedger {

    /** Calls made to {@code account} on {@code day} (in the quota's time zone), as recorded. */
    long quotaUsed(String account, LocalDate day) throws StateException;

    /** Adds {@code calls} to the account's count for {@code day}. */
    void addQuotaUsage(String account, LocalDate day, long calls) throws StateException;

    /** Calls made to {@code account} in the hourly buckets that start at or after {@code from}, as recorded. */
    long quotaUsedSince(String account, Instant from) throws StateException;

    /** Adds {@code calls} to the account's bucket of the hour starting at {@code hour}. */
    void addHourlyQuotaUsage(String account, Instant hour, long calls) throws StateException;
}
