package dev.ebb.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Peak memory of a phase: the heap the JVM used, and the resident set of the whole process (which includes
 * DuckDB's native memory, outside the heap).
 *
 * <p>Heap peaks come from the heap pools' own peak counters, summed: an upper bound of the true peak, since the pools
 * need not peak at the same moment. The resident peak is Linux's {@code VmHWM}; where the kernel allows it, the mark
 * is reset at the start of a phase ({@code clear_refs} 5), otherwise it is the process's peak so far.
 */
final class MemoryWatch {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private MemoryWatch() {
    }

    /** Starts a phase: resets the heap pools' peaks and, if it can, the resident high-water mark. */
    static boolean reset() {
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
