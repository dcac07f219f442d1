package dev.ebb.server.schedule;

import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Schedule;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.state.RunStatus;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * The syncs' schedules in Quartz: one durable job per sync (a manual or {@code after} sync's has no trigger), an
 * {@code every} sync's a simple trigger, a {@code cron} sync's a cron trigger in its time zone. A fired trigger only
 * queues the run ({@link SyncJob}). A sync whose schedule says {@code after: X} is queued when a run of X succeeds.
 * Pausing keeps the sync's job and marks it (in its job data, so a persistent job store keeps it too).
 *
 * <p>Thread-safe (Quartz's scheduler is).
 */
public final class QuartzSyncScheduler implements SyncScheduler {
    private static final Logger LOG = Logger.getLogger(QuartzSyncScheduler.class.getName());
    private static final String GROUP = "syncs";
    private static final String PAUSED = "paused";

    private final ProjectConfig project;
    private final RunQueue queue;
    private final Scheduler scheduler;

    /**
     * @throws IllegalArgumentException when a sync's schedule cannot be scheduled (a cron expression Quartz cannot
     *                                  take), saying which and what to change
     */
    public QuartzSyncScheduler(ProjectConfig project, RunQueue queue, QuartzSchedulers schedulers) {
        this.project = project;
        this.queue = queue;
        try {
            this.scheduler = schedulers.create();
            scheduler.getContext().put(SyncJob.QUEUE, queue);
            for (SyncConfig sync : project.syncs().values()) schedule(sync);
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler could not start: " + e.getMessage(), e);
        }
        queue.listen(this::ended);
    }

    private void schedule(SyncConfig sync) throws SchedulerException {
        JobKey key = key(sync.name());
        JobDetail existing = scheduler.getJobDetail(key);
        boolean paused = existing != null && existing.getJobDataMap().getBooleanValue(PAUSED);
        JobDetail job = JobBuilder.newJob(SyncJob.class).withIdentity(key).storeDurably()
                .usingJobData(SyncJob.SYNC, sync.name()).usingJobData(PAUSED, paused).build();
        scheduler.addJob(job, true);
        Optional<Trigger> trigger = trigger(sync, job);
        TriggerKey triggerKey = TriggerKey.triggerKey(sync.name(), GROUP);
        if (trigger.isEmpty()) {
            scheduler.unscheduleJob(triggerKey);
            return;
        }
        if (scheduler.checkExists(triggerKey)) scheduler.rescheduleJob(triggerKey, trigger.get());
        else scheduler.scheduleJob(trigger.get());
        if (paused) scheduler.pauseJob(key);
    }

    private static Optional<Trigger> trigger(SyncConfig sync, JobDetail job) {
        Schedule s = sync.schedule();
        TriggerBuilder<Trigger> builder = TriggerBuilder.newTrigger()
                .withIdentity(TriggerKey.triggerKey(sync.name(), GROUP)).forJob(job);
        if (s.every() != null) {
            // The first run comes one interval after the server starts, not at once: a restart is not a run.
            return Optional.of(builder.startAt(Date.from(Instant.now().plus(s.every())))
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(s.every().toMillis())
                            .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount()).build());
        }
        if (s.cron() != null) {
            String quartz;
            try {
                quartz = CronExpressions.quartz(s.cron());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sync '" + sync.name() + "' (" + sync.location() + "): "
                        + e.getMessage(), e);
            }
            return Optional.of(builder.withSchedule(CronScheduleBuilder.cronSchedule(quartz)
                    .inTimeZone(TimeZone.getTimeZone(s.zone())).withMisfireHandlingInstructionFireAndProceed())
                    .build());
        }
        return Optional.empty();
    }

    /** A run ended: the syncs scheduled {@code after} it go, if it succeeded. */
    private void ended(RunTicket ticket) {
        if (ticket.report() == null || ticket.report().record().status() != RunStatus.SUCCEEDED) return;
        String done = ticket.request().sync();
        for (SyncConfig next : project.syncs().values()) {
            if (!done.equals(next.schedule().after()) || paused(next.name())) continue;
            try {
                queue.submit(RunTicket.Request.changes(next.name(), "after:" + done));
            } catch (RunQueue.Refused e) {
                LOG.log(Level.WARNING, "sync " + next.name() + ": its run after " + done + " was skipped: "
                        + e.getMessage());
            }
        }
    }

    @Override
    public void start() {
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler could not start: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Instant> nextRun(String sync) {
        if (paused(sync)) return Optional.empty();
        try {
            List<? extends Trigger> triggers = scheduler.getTriggersOfJob(key(sync));
            return triggers.stream().map(Trigger::getNextFireTime).filter(Objects::nonNull).min(Date::compareTo)
                    .map(Date::toInstant);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    @Override
    public void pause(String sync) {
        mark(sync, true);
    }

    @Override
    public void resume(String sync) {
        mark(sync, false);
    }

    private void mark(String sync, boolean paused) {
        try {
            JobDetail job = scheduler.getJobDetail(key(sync));
            if (job == null) throw new IllegalArgumentException("there is no sync named '" + sync + "'");
            job.getJobDataMap().put(PAUSED, paused);
            scheduler.addJob(job, true, true);
            if (paused) scheduler.pauseJob(job.getKey());
            else scheduler.resumeJob(job.getKey());
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not " + (paused ? "pause" : "resume") + " sync '" + sync + "': "
                    + e.getMessage(), e);
        }
    }

    @Override
    public boolean paused(String sync) {
        try {
            JobDetail job = scheduler.getJobDetail(key(sync));
            return job != null && job.getJobDataMap().getBooleanValue(PAUSED);
        } catch (SchedulerException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            scheduler.shutdown(false);
        } catch (SchedulerException e) {
            LOG.log(Level.WARNING, "the scheduler did not stop cleanly: " + e.getMessage());
        }
    }

    private static JobKey key(String sync) {
        return JobKey.jobKey(sync, GROUP);
    }
}
