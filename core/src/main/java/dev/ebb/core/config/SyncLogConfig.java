package dev.ebb.core.config;

/**
 * {@code sync_logs:} of a source in {@code ebb.yaml}: every run of a sync whose model runs on that source writes its
 * per-row outcomes and its summary into tables of the source, kept for {@code retentionDays}. Immutable.
 *
 * @param schema        the schema that holds the log tables (created when missing)
 * @param retentionDays rows older than this many days are deleted after each run
 * @param location      where {@code sync_logs:} is written
 */
public record SyncLogConfig(String schema, int retentionDays, Location location) {
    public static final String DEFAULT_SCHEMA = "ebb_logs";
    public static final int DEFAULT_RETENTION_DAYS = 30;
}
