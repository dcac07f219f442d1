package dev.ebb.server.cluster;

import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.postgres.PostgresStateStore;
import dev.ebb.server.schedule.QuartzSchedulers;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.UUID;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz on the PostgreSQL state store, for several {@code ebb serve} workers: the clustered JDBC job store
 * ({@code JobStoreTX}, PostgreSQL delegate) in the store's schema (its {@code qrtz_} tables come from migration V11),
 * on the store's own pool. Every worker of a project is an instance of one scheduler (named after the project), so
 * each tick of a schedule fires on exactly one of them: Quartz locks the trigger's row to fire it.
 *
 * <p>Each worker also schedules, once for the cluster, the {@link RecoveryJob}: every {@code sweep}, one worker looks
 * for runs whose worker died (it lost its sync's lock) and queues the sync again, which closes the abandoned run and
 * sends the rows it had not committed.
 */
public final class ClusteredSchedulers {
    /** The recovery sweep's job, one for the whole cluster. */
    static final JobKey RECOVERY = JobKey.jobKey("recover-abandoned-runs", "ebb");

    private ClusteredSchedulers() {
    }

    /** How often a worker checks in with the cluster, and how often the recovery sweep goes. */
    public record Timing(Duration checkin, Duration sweep) {
        /** Quartz's default check-in (7.5 s); a sweep every 15 s. */
        public static final Timing DEFAULT = new Timing(Duration.ofMillis(7_500), Duration.ofSeconds(15));

        public Timing {
            if (checkin.toMillis() < 100 || sweep.toMillis() < 100) {
                throw new IllegalArgumentException("check-in and sweep intervals must be at least 100 ms");
            }
        }
    }

    /**
     * The schedulers of a project whose state store is PostgreSQL, or {@code null} when it is not (the embedded store
     * is held by one process, whose schedule may stay in memory).
     */
    public static QuartzSchedulers on(ProjectConfig project, StateStore state, int threads, Timing timing) {
        if (!(state instanceof PostgresStateStore postgres)) return null;
        String name = "ebb-" + project.name();
        return () -> {
            // Quartz finds a data source by name in a JVM-wide registry; a fresh name per scheduler keeps two
            // stores (tests) apart.
            String dataSource = "ebb-state-" + UUID.randomUUID();
            DBConnectionManager.getInstance().addConnectionProvider(dataSource, new StorePool(postgres));
            Properties props = new Properties();
            props.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, name);
            props.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, StdSchedulerFactory.AUTO_GENERATE_INSTANCE_ID);
            props.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
            props.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.impl.jdbcjobstore.JobStoreTX");
            props.setProperty("org.quartz.jobStore.driverDelegateClass",
                    "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            props.setProperty("org.quartz.jobStore.dataSource", dataSource);
            props.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
            props.setProperty("org.quartz.jobStore.isClustered", "true");
            props.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(timing.checkin().toMillis()));
            // As the in-memory store: a tick missed by more than a minute fires once, not once per missed tick.
            props.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
            StdSchedulerFactory factory = new StdSchedulerFactory(props);
            Scheduler scheduler = factory.getScheduler();
            scheduler.getContext().put(RecoveryJob.PROJECT, project);
            scheduler.getContext().put(RecoveryJob.STATE, state);
            scheduleRecovery(scheduler, timing.sweep());
            return scheduler;
        };
    }

    private static void scheduleRecovery(Scheduler scheduler, Duration sweep) throws SchedulerException {
        JobDetail job = JobBuilder.newJob(RecoveryJob.class).withIdentity(RECOVERY).storeDurably().build();
        scheduler.addJob(job, true);
        TriggerKey key = TriggerKey.triggerKey(RECOVERY.getName(), RECOVERY.getGroup());
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(job)
                .startAt(new Date(System.currentTimeMillis() + sweep.toMillis()))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(sweep.toMillis())
                        .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        // The first worker schedules it; the others find it there (a worker started later keeps its pace).
        if (!scheduler.checkExists(key)) {
            try {
                scheduler.scheduleJob(trigger);
            } catch (org.quartz.ObjectAlreadyExistsException raced) {
                // Another worker scheduled it between the check and now: one sweep for the cluster either way.
            }
        }
    }

    /** Quartz's connections are the state store's: its pool, with its schema on the search path. */
    private record StorePool(PostgresStateStore store) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return store.connect();
        }

        @Override
        public void shutdown() {
            // The store closes its pool.
        }

        @Override
        public void initialize() {
        }
    }
}
