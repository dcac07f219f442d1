package dev.ebb.server.schedule;

import java.util.Properties;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Makes the Quartz scheduler that fires the syncs' schedules; the seam where the job store is chosen. The embedded
 * state store is held by one process, so its schedules live in memory ({@link #inMemory}); a shared (PostgreSQL) state
 * store gets Quartz's clustered JDBC store, so that each tick fires once across every server.
 */
@FunctionalInterface
public interface QuartzSchedulers {
    Scheduler create() throws SchedulerException;

    /** Quartz's RAMJobStore with {@code threads} threads to hand fired schedules to the run queue. */
    static QuartzSchedulers inMemory(String name, int threads) {
        return () -> {
            Properties props = new Properties();
            props.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, name);
            props.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
            props.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
            // A tick missed by more than a minute (the process was stopped) fires once, not once per missed tick.
            props.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
            return new StdSchedulerFactory(props).getScheduler();
        };
    }
}
