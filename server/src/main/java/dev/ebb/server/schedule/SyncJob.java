package dev.ebb.server.schedule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;

/**
 * A sync's schedule fired: queue its run. Runs on a Quartz thread and only hands the run to the queue, which
 * coalesces it with a run of the sync already waiting; a full queue skips this tick (and says so in the log).
 */
@DisallowConcurrentExecution
public final class SyncJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(SyncJob.class);
    /** The scheduler context's entry that holds the {@link RunQueue}. */
    public static final String QUEUE = "ebb.queue";
    /** The job data's entry that names the sync. */
    static final String SYNC = "sync";

    @Override
    public void execute(JobExecutionContext job) {
        String sync = job.getMergedJobDataMap().getString(SYNC);
        try {
            RunQueue queue = (RunQueue) job.getScheduler().getContext().get(QUEUE);
            queue.submit(RunTicket.Request.changes(sync, "schedule"));
        } catch (RunQueue.Refused e) {
            LOG.warn("sync " + sync + ": its scheduled run was skipped: " + e.getMessage());
        } catch (SchedulerException e) {
            LOG.warn("sync " + sync + ": its scheduled run could not be queued: " + e.getMessage());
        }
    }
}
