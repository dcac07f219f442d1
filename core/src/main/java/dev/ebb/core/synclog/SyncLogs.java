package dev.ebb.core.synclog;

import dev.ebb.core.config.ConfigException;
import dev.ebb.core.config.ConnectionConfig;
import dev.ebb.core.config.ModelConfig;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.config.SyncLogConfig;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunLog;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.StateException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sync logs of a project: for a sync whose model runs on a source with {@code sync_logs:}, a {@link Recording}
 * spools the outcomes each batch commits and, once the run is over and its source closed, writes them with the
 * run's summary into the source's log tables. Writing never fails a run: whatever goes wrong (the warehouse is
 * unreachable, the file is in use, a permission is missing) becomes one warning, and the run stays as the state
 * store recorded it. Thread-safe.
 */
public final class SyncLogs {
    /** Writes nothing: for a project without sync logs, and for tests. */
    public static final SyncLogs NONE = new SyncLogs(null, Map.of(), Clock.systemUTC());

    private final ProjectConfig project;
    private final Map<String, String> env;
    private final Clock clock;

    private SyncLogs(ProjectConfig project, Map<String, String> env, Clock clock) {
        this.project = project;
        this.env = env;
        this.clock = clock;
    }

    /**
     * @param env the environment the sources' secret references resolve against ({@code System.getenv()} in
     *            production)
     */
    public static SyncLogs of(ProjectConfig project, Map<String, String> env, Clock clock) {
        return new SyncLogs(project, Map.copyOf(env), clock);
    }

    /** A recording for one run of {@code sync}: a no-op when its source keeps no sync logs. */
    public Recording start(SyncConfig sync) {
        if (project == null) return Recording.OFF;
        Optional<SyncLogConfig> config = project.syncLogs(sync);
        if (config.isEmpty()) return Recording.OFF;
        ModelConfig model = project.models().get(sync.model());
        ConnectionConfig source = project.sources().get(model.source());
        return new Recording(this, source, config.get());
    }

    /**
     * One run's log, from its start to its write. {@link #committed} is called from the batches' threads; the
     * others from the run's thread.
     */
    public static final class Recording implements AutoCloseable {
        static final Recording OFF = new Recording(null, null, null);

        private final SyncLogs logs;
        private final ConnectionConfig source;
        private final SyncLogConfig config;
        private OutcomeSpool spool;
        private volatile String broken;
        private long runId = -1;

        private Recording(SyncLogs logs, ConnectionConfig source, SyncLogConfig config) {
            this.logs = logs;
            this.source = source;
            this.config = config;
        }

        private boolean on() {
            return config != null;
        }

        /** The run has an id: from now on its outcomes are recorded. */
        public void started(long runId) {
            if (!on()) return;
            this.runId = runId;
            try {
                spool = new OutcomeSpool();
            } catch (IOException e) {
                broken = "its outcomes could not be kept until the run ended (" + e.getMessage() + ")";
            }
        }

        /** Outcomes the state store has just committed. Never throws: a failure is reported by {@link #write}. */
        public void committed(List<RowOutcome> outcomes, Instant at) {
            if (!on() || spool == null || broken != null || outcomes.isEmpty()) return;
            try {
                spool.append(outcomes, at);
            } catch (IOException e) {
                broken = "its outcomes could not be kept until the run ended (" + e.getMessage() + ")";
            }
        }

        /**
         * Writes the run, as the run log has it now, and its outcomes into the source's log tables. Call once the
         * run is over and the model's source closed.
         *
         * @return a warning when the log could not be written, for the user; the run itself is unaffected
         */
        public Optional<String> write(RunLog runLog) {
            if (!on() || runId < 0) return Optional.empty();
            try {
                if (broken != null) return warning(broken);
                Optional<RunRecord> run = runLog.run(runId);
                if (run.isEmpty()) return Optional.empty();
                LogTarget target = LogTarget.of(source, logs.project.root(), logs.env);
                Instant now = logs.clock.instant();
                try (Connection connection = target.open()) {
                    LogWriter writer = new LogWriter(connection, target.engine(), config.schema(),
                            logs.project.name());
                    writer.createTables();
                    writer.write(run.get(), spool, now, now.minus(Duration.ofDays(config.retentionDays())));
                }
                return Optional.empty();
            } catch (SQLException | IOException | StateException | ConfigException | RuntimeException e) {
                return warning(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip());
            }
        }

        private Optional<String> warning(String reason) {
            return Optional.of("the sync log of run " + runId + " was not written to schema " + config.schema()
                    + " of source '" + source.name() + "' (the run itself is recorded in full): " + reason);
        }

        @Override
        public void close() {
            if (spool == null) return;
            try {
                spool.close();
            } catch (IOException e) {
                // A temporary file left behind is deleted when the process exits (deleteOnExit).
            }
        }
    }
}
