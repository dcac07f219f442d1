/**
 * Sync logs written back to the warehouse ({@code sync_logs:} of a source): every run's per-row outcomes and its
 * summary, as tables of the source's database that analysts query, with old rows deleted past a retention. Opt-in
 * per source; a failure to write them is a warning, never a failed or lost run. See {@code docs/sync-logs.md}.
 */
package dev.ebb.core.synclog;
