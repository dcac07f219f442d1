package dev.ebb.bench;

import java.util.Map;
import java.util.function.Consumer;

/** One benchmark: sets up its data, measures, checks what it measured, and returns its figures. */
interface Benchmark {
    /** The name {@code bench/run} takes. */
    String name();

    /** One line for the usage message. */
    String description();

    /**
     * @param args     the options after the name
     * @param progress takes one human-readable line at a time
     * @throws IllegalArgumentException for an unknown or malformed option
     */
    Result run(String[] args, Consumer<String> progress) throws Exception;

    /**
     * @param ok      whether the benchmark's own checks held (e.g. the plan found exactly the rows changed)
     * @param figures the measurements, in the order they are printed; values JSON can carry
     */
    record Result(boolean ok, Map<String, Object> figures) {
    }
}
