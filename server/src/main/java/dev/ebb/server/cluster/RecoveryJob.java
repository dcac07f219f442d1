package dev.ebb.server.cluster;

import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.server.schedule.RunQueue;
import dev.ebb.server.schedule.RunTicket;
import dev.ebb.server.schedule.SyncJob;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerContext;
import org.quartz.SchedulerException;

/**
 * Takes over the runs of a worker that died: a sync whose latest run is {@link RunStatus#ABANDONED} (its worker no
 * longer holds the sync's lock, which PostgreSQL released with the dead worker's connection) is queued again on this
 * worker. That run closes the abandoned one at its last commit and plans again exactly the rows whose batches were
 * not committed, so the dead worker's run is finished and nothing is sent twice beyond the batch it had in flight.
 *
 * <p>One trigger for the cluster, so one worker sweeps per tick; a sync already queued or running here is coalesced
 * by the queue, and one running on another worker holds its lock, so its latest run is not abandoned.
 */
@DisallowConcurrentExecution
public final class RecoveryJob implements Job {
    private static final Logger LOG = Logger.getLogger(RecoveryJob.class.getName());
    static final String PROJECT = "ebb.project";
    static final String STATE = "ebb.state";

    @Override
    public void execute(JobExecutionContext job) {
        try {
            SchedulerContext context = job.getScheduler().getContext();
            ProjectConfig project = (ProjectConfig) context.get(PROJECT);
            StateStore state = (StateStore) context.get(STATE);
            RunQueue queue = (RunQueue) context.get(SyncJob.QUEUE);
            if (project == null || state == null || queue == null) return;
            for (String sync : project.syncs().keySet()) recover(sync, state, queue);
        } catch (SchedulerException e) {
            LOG.log(Level.WARNING, "the sweep for abandoned runs could not start: " + e.getMessage());
        }
    }

    private static void recover(String sync, StateStore state, RunQueue queue) {
        try {
            List<RunRecord> latest = state.runs(sync, 1);
            if (latest.isEmpty() || latest.getFirst().status() != RunStatus.ABANDONED) return;
            LOG.info("sync " + sync + ": run " + latest.getFirst().runId() + " was abandoned by a worker that died;"
                    + " running the sync here to finish it");
            queue.submit(RunTicket.Request.changes(sync, "recovery"));
        } catch (StateException e) {
            LOG.log(Level.WARNING, "sync " + sync + ": could not look for an abandoned run: " + e.getMessage());
        } catch (RunQueue.Refused e) {
            LOG.log(Level.WARNING, "sync " + sync + ": its abandoned run could not be taken over now: "
                    + e.getMessage());
        }
    }
}
