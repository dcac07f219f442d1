package dev.ebb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The options as they were given, each {@code --name value} pair in order.
     *
     * @throws IllegalArgumentException when the last option has no value
     */
    static List<Map.Entry<String, String>> options(String[] args) {
        List<Map.Entry<String, String>> options = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
            options.add(Map.entry(args[i], args[i + 1]));
        }
        return options;
    }

    /** Deletes a folder and everything in it, if it exists. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
