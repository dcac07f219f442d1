package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one writing process per state file, told apart from every other reason a file cannot be opened: a lock on
 * a file beside it ({@code state.duckdb.lock}), exclusive for a writer, shared for readers. The operating system
 * releases it when the process ends, however it ends, so a killed run never leaves the store locked.
 *
 * <p>Within one process the store may be opened more than once (tests, a read-only look beside a run); the lock is
 * taken once per file and counted.
 */
final class StateFileLock implements AutoCloseable {
    private static final Map<Path, Held> HELD = new ConcurrentHashMap<>();

    private record Held(FileChannel channel, FileLock lock, int users) {
    }

    private final Path file;

    private StateFileLock(Path file) {
        this.file = file;
    }

    /**
     * Takes the lock of {@code stateFile} for {@code access}.
     *
     * @throws StateException when another process has the store open in a way that excludes this one
     */
    static StateFileLock acquire(Path stateFile, Access access, String shown) throws StateException {
        Path lockFile = stateFile.toAbsolutePath().normalize().resolveSibling(stateFile.getFileName() + ".lock");
        try {
            HELD.compute(lockFile, (path, held) -> {
                if (held != null) return new Held(held.channel, held.lock, held.users + 1);
                try {
                    FileChannel channel = access == Access.READ_ONLY && !Files.isWritable(path.getParent())
                            ? null
                            : FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.READ);
                    if (channel == null) return new Held(null, null, 1);
                    FileLock lock;
                    try {
                        lock = channel.tryLock(0, Long.MAX_VALUE, access == Access.READ_ONLY);
                    } catch (OverlappingFileLockException e) {
                        lock = null;
                    }
                    if (lock == null) {
                        channel.close();
                        throw new InUse();
                    }
                    return new Held(channel, lock, 1);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (InUse e) {
            throw new StateException(StateException.Kind.IN_USE, access == Access.READ_ONLY
                    ? "the state store " + shown + " is being written by a run in another Ebb process (DuckDB lets one "
                    + "process write a file, or several read it, not both): 'ebb runs' follows that run; this command "
                    + "can look once it finishes"
                    : "the state store " + shown + " is in use by another Ebb process; runs of one project do not "
                    + "overlap: wait for it to finish, or stop it", null);
        } catch (java.io.UncheckedIOException e) {
            throw new StateException("cannot lock the state store " + shown + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
        return new StateFileLock(lockFile);
    }

    /** Whether this process holds the file's lock for writing (a reader beside a writer of the same process). */
    boolean exclusive() {
        Held held = HELD.get(file);
        return held != null && held.lock != null && !held.lock.isShared();
    }

    @Override
    public void close() {
        HELD.computeIfPresent(file, (path, held) -> {
            if (held.users > 1) return new Held(held.channel, held.lock, held.users - 1);
            try {
                if (held.channel != null) held.channel.close(); // releases the lock
            } catch (IOException ignored) {
                // the lock goes with the process in any case
            }
            return null;
        });
    }

    /** Another process holds the lock. */
    private static final class InUse extends RuntimeException {
        InUse() {
            super(null, null, false, false);
        }
    }
}
