package dev.ebb.core.state;

import java.time.LocalDate;

/** Calls made per destination account per quota day, so that a daily quota holds across runs and processes. */
public interface QuotaLedger {

    /** Calls made to {@code account} on {@code day} (in the quota's time zone), as recorded. */
    long quotaUsed(String account, LocalDate day) throws StateException;

    /** Adds {@code calls} to the account's count for {@code day}. */
    void addQuotaUsage(String account, LocalDate day, long calls) throws StateException;
}
