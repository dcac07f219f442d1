package dev.ebb.server.schedule;

import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.Cancellation;
import dev.ebb.core.run.RunReport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's runs: a bounded queue and a few run threads. A sync is never run twice at once: a second request for a
 * sync already queued is the same ticket, and a queued sync waits while its previous run goes. A full queue refuses
 * the request ({@link Refused}); so does a server that is shutting down.
 *
 * <p>Thread-safe. Cancelling a running run sets its {@link Cancellation}, which the run's delivery checks between
 * batches: batches in flight finish and commit, the rest stays pending for the next run.
 */
public final class RunQueue {
    /** Runs one ticket's request; the engine in production, a fake in tests. */
    @FunctionalInterface
    public interface Runner {
        RunReport run(RunTicket ticket) throws SyncException, InterruptedException;
    }

    /** Hears each ticket that ends (for {@code after:} and alerts). Called on the run's thread; returns quickly. */
    @FunctionalInterface
    public interface Listener {
        void ended(RunTicket ticket);
    }

    /** A request the queue will not take, and why. */
    public static final class Refused extends Exception {
        /** Why: the queue is full, or the server is shutting down. */
        public enum Reason { QUEUE_FULL, SHUTTING_DOWN }

        private final Reason reason;

        Refused(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    private static final Logger LOG = Logger.getLogger(RunQueue.class.getName());
    private static final int FINISHED_KEPT = 200;

    private final Runner runner;
    private final int capacity;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<RunTicket> queued = new ArrayDeque<>();
    private final Map<String, RunTicket> running = new LinkedHashMap<>();
    private final Deque<RunTicket> finished = new ArrayDeque<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean accepting = true;

    /**
     * @param capacity    how many runs may wait (running ones not counted)
     * @param concurrency how many runs go at once (of different syncs)
     */
    public RunQueue(Runner runner, int capacity, int concurrency, Clock clock) {
        if (capacity < 1 || concurrency < 1) {
            throw new IllegalArgumentException("the run queue needs a capacity and a concurrency of at least 1");
        }
        this.runner = runner;
        this.capacity = capacity;
        this.clock = clock;
        for (int i = 1; i <= concurrency; i++) {
            Thread thread = Thread.ofPlatform().name("ebb-run-" + i).daemon(false).unstarted(this::work);
            threads.add(thread);
        }
    }

    /** Starts the run threads. */
    public void start() {
        threads.forEach(Thread::start);
    }

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Queues a run. A sync already queued answers with its waiting ticket (one run will do for both requests).
     *
     * @throws Refused when the queue is full or the server is shutting down
     */
    public RunTicket submit(RunTicket.Request request) throws Refused {
        lock.lock();
        try {
            if (!accepting) {
                throw new Refused(Refused.Reason.SHUTTING_DOWN, "the server is shutting down and takes no new runs;"
                        + " trigger the run again once it is back");
            }
            for (RunTicket waiting : queued) {
                if (waiting.request().sameRun(request)) {
                    return waiting;
                }
            }
            if (queued.size() >= capacity) {
                throw new Refused(Refused.Reason.QUEUE_FULL, "the run queue is full (" + capacity + " runs waiting);"
                        + " try again when some have started, or raise --queue");
            }
            RunTicket ticket = new RunTicket(ids.incrementAndGet(), request, clock.instant());
            queued.addLast(ticket);
            changed.signalAll();
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cancels the sync's queued and running runs: a queued one never starts, a running one stops at its next batch
     * boundary. Returns the tickets cancelled.
     */
    public List<RunTicket> cancel(String sync, String reason) {
        List<RunTicket> cancelled = new ArrayList<>();
        lock.lock();
        try {
            for (var it = queued.iterator(); it.hasNext(); ) {
                RunTicket t = it.next();
                if (t.request().sync().equals(sync)) {
                    it.remove();
                    t.dropped(reason, clock.instant());
                    remember(t);
                    cancelled.add(t);
                }
            }
            RunTicket going = running.get(sync);
            if (going != null) {
                going.cancellation().cancel(reason);
                cancelled.add(going);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        cancelled.stream().filter(t -> t.state() == RunTicket.State.CANCELLED).forEach(this::tell);
        return cancelled;
    }

    /** The running ticket whose run has this id, if one has. */
    public Optional<RunTicket> runningRun(long runId) {
        lock.lock();
        try {
            return running.values().stream().filter(t -> t.runId() != null && t.runId() == runId).findFirst();
        } finally {
            lock.unlock();
        }
    }

    /** The sync's queued or running ticket, running first. */
    public Optional<RunTicket> active(String sync) {
        lock.lock();
        try {
            RunTicket going = running.get(sync);
            if (going != null) return Optional.of(going);
            return queued.stream().filter(t -> t.request().sync().equals(sync)).findFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Every ticket the queue knows: running, queued, then the recently ended, newest first. */
    public List<RunTicket> tickets() {
        lock.lock();
        try {
            List<RunTicket> all = new ArrayList<>(running.values());
            all.addAll(queued);
            all.addAll(finished);
            return all;
        } finally {
            lock.unlock();
        }
    }

    public Optional<RunTicket> ticket(long id) {
        return tickets().stream().filter(t -> t.id() == id).findFirst();
    }

    public boolean accepting() {
        return accepting;
    }

    public int capacity() {
        return capacity;
    }

    public int waiting() {
        lock.lock();
        try {
            return queued.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops taking runs, drops the queued ones, asks the running ones to stop at their next batch boundary (batches
     * in flight finish and commit), and waits for them up to {@code patience}. Returns whether every run ended.
     */
    public boolean shutdown(String reason, Duration patience) throws InterruptedException {
        List<RunTicket> dropped;
        lock.lock();
        try {
            accepting = false;
            dropped = new ArrayList<>(queued);
            queued.clear();
            for (RunTicket t : dropped) {
                t.dropped(reason, clock.instant());
                remember(t);
            }
            running.values().forEach(t -> t.cancellation().cancel(reason));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        dropped.forEach(this::tell);
        long deadline = System.nanoTime() + patience.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) thread.join(Duration.ofNanos(left));
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    private void work() {
        while (true) {
            RunTicket ticket;
            try {
                ticket = next();
            } catch (InterruptedException e) {
                return;
            }
            if (ticket == null) return;
            try {
                ticket.ended(runner.run(ticket), clock.instant());
            } catch (SyncException e) {
                // A run that fails before it starts (binding or checking the sync) leaves no run record: the log
                // and the ticket are where it shows.
                LOG.log(Level.WARNING, "sync " + ticket.request().sync() + ": its run failed: " + e.getMessage());
                ticket.failed(e.getMessage(), clock.instant());
            } catch (InterruptedException e) {
                ticket.failed("interrupted", clock.instant());
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "sync " + ticket.request().sync() + ": its run failed on an internal error", e);
                ticket.failed("internal error: " + e.getClass().getSimpleName(), clock.instant());
            } finally {
                lock.lock();
                try {
                    running.remove(ticket.request().sync());
                    remember(ticket);
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            tell(ticket);
            if (Thread.currentThread().isInterrupted()) return;
        }
    }

    /** The oldest queued ticket whose sync is not running; null once the queue is shut down. */
    private RunTicket next() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (!accepting && queued.isEmpty()) return null;
                Set<String> busy = new HashSet<>(running.keySet());
                for (var it = queued.iterator(); it.hasNext(); ) {
                    RunTicket t = it.next();
                    if (!busy.contains(t.request().sync())) {
                        it.remove();
                        running.put(t.request().sync(), t);
                        t.started(clock.instant());
                        return t;
                    }
                }
                changed.await(1, TimeUnit.SECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void remember(RunTicket ticket) {
        finished.addFirst(ticket);
        while (finished.size() > FINISHED_KEPT) finished.removeLast();
    }

    private void tell(RunTicket ticket) {
        for (Listener l : listeners) {
            try {
                l.ended(ticket);
            } catch (RuntimeException e) {
                // A listener's failure must not stop the run threads; the ticket's outcome stands.
            }
        }
    }
}
