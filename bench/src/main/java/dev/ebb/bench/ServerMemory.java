package dev.ebb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The resident memory of a database server that runs in processes of its own (PostgreSQL: the postmaster and its
 * backends and workers), sampled from {@code /proc} every {@value #EVERY_MS} ms on one daemon thread between
 * {@link #start()} and {@link #stop()}. Each sample sums the processes' proportional set sizes ({@code Pss} of
 * {@code smaps_rollup}), which count shared buffers once however many backends touched them. Short-lived peaks
 * between two samples are missed. Thread-safe.
 */
final class ServerMemory {
    private static final long EVERY_MS = 200;

    private final long pid;
    private volatile boolean running;
    private volatile long peakKib = -1;
    private Thread sampler;

    /** @param pid the server's main process, or a negative number when it is not known (no figure, then) */
    ServerMemory(long pid) {
        this.pid = pid;
    }

    synchronized ServerMemory start() {
        if (pid < 0 || !Files.isReadable(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) return this;
        running = true;
        sampler = Thread.ofPlatform().daemon().name("server-memory").start(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(EVERY_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return this;
    }

    /** Stops sampling; the peak of the samples' sums, in MiB, where it could be read. */
    synchronized OptionalLong stop() throws InterruptedException {
        running = false;
        if (sampler != null) {
            sampler.interrupt();
            sampler.join();
            sample();
        }
        return peakKib < 0 ? OptionalLong.empty() : OptionalLong.of(peakKib >> 10);
    }

    private void sample() {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        long sum = 0;
        boolean any = false;
        for (long p : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p), "smaps_rollup"))) {
                    if (line.startsWith("Pss:")) {
                        sum += Long.parseLong(line.substring(4).replace("kB", "").strip());
                        any = true;
                    }
                }
            } catch (IOException | NumberFormatException | SecurityException e) {
                // the process ended between listing and reading: it holds no memory any more
            }
        }
        if (any && sum > peakKib) peakKib = sum;
    }
}
