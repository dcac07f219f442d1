package dev.ebb.bench;

import java.util.Map;

/**
 * What a database server that runs in processes of its own did during one phase of a benchmark (its memory, its
 * costliest statements), for the figures. Not thread-safe: one phase at a time.
 */
interface ServerWatch {
    /** Starts watching a phase; returns this. */
    ServerWatch start() throws Exception;

    /** Stops watching; what it saw, by figure name (no phase in the names: the caller adds it). */
    Map<String, Object> stop() throws Exception;
}
