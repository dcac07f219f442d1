package dev.ebb.bench;

import java.io.IOException;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Peak memory of a phase: the heap the JVM used, and the resident set of the whole process (which includes
 * DuckDB's native memory, outside the heap).
 *
 * <p>Heap peaks come from the heap pools' own peak counters, summed: an upper bound of the true peak, since the pools
 * need not peak at the same moment; with garbage included, it says more about the collector than about the data. The
 * live heap is what stays after a collection: its peak over the phase's collections is what grows if a phase holds
 * its rows, and stays flat if it streams them. The resident peak is Linux's {@code VmHWM}; where the kernel allows it, the mark
 * is reset at the start of a phase ({@code clear_refs} 5), otherwise it is the process's peak so far.
 */
final class MemoryWatch {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /** The heap in use after the largest collection since the last reset, in bytes; -1 before any. */
    private static final AtomicLong LIVE_PEAK = new AtomicLong(-1);

    static {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(MemoryWatch::collected, null, null);
            }
        }
    }

    private MemoryWatch() {
    }

    private static void collected(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) return;
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) notification.getUserData());
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
            if (pool.getType() == MemoryType.HEAP && after != null) used += after.getUsed();
        }
        LIVE_PEAK.accumulateAndGet(used, Math::max);
    }

    /** Starts a phase: resets the heap pools' peaks and, if it can, the resident high-water mark. */
    static boolean reset() {
        LIVE_PEAK.set(-1);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** The heap used at its peak since the last {@link #reset()}, in MiB. */
    static long heapPeakMib() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) bytes += pool.getPeakUsage().getUsed();
        }
        return bytes >> 20;
    }

    /**
     * The heap in use after a collection, at its largest since the last {@link #reset()}, in MiB; empty when no
     * collection ran since.
     */
    static OptionalLong liveHeapPeakMib() {
        long bytes = LIVE_PEAK.get();
        return bytes < 0 ? OptionalLong.empty() : OptionalLong.of(bytes >> 20);
    }

    static long heapMaxMib() {
        return Runtime.getRuntime().maxMemory() >> 20;
    }

    /** The process's resident peak ({@code VmHWM}) in MiB, where the system reports one. */
    static OptionalLong residentPeakMib() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    String kib = line.substring("VmHWM:".length()).replace("kB", "").strip();
                    return OptionalLong.of(Long.parseLong(kib) >> 10);
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            // not Linux, or /proc is not mounted: no figure rather than a wrong one
        }
        return OptionalLong.empty();
    }
}
