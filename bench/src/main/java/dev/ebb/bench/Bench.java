package dev.ebb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one benchmark by name: {@code bench/run NAME [options]}. Progress goes to standard output as it happens; the
 * last line is one JSON object with the figures, for scripts to keep and compare.
 *
 * <p>Exit codes: 0 when the benchmark ran and its checks held, 1 when a check failed (the JSON says which), 2 for a
 * usage error.
 */
public final class Bench {
    /** Every benchmark, by the name {@code bench/run} takes. */
    private static final Map<String, Benchmark> BENCHMARKS = new LinkedHashMap<>();

    static {
        register(new PlanMillion());
        register(new PlanTenMillion());
        register(new DeliverHubSpot());
    }

    private Bench() {
    }

    private static void register(Benchmark benchmark) {
        BENCHMARKS.put(benchmark.name(), benchmark);
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length == 0 || !BENCHMARKS.containsKey(args[0])) {
            if (args.length > 0) System.err.println("bench: there is no benchmark named '" + args[0] + "'");
            System.err.println("usage: bench/run NAME [options]");
            System.err.println("benchmarks:");
            BENCHMARKS.values().forEach(b -> System.err.printf("  %-10s %s%n", b.name(), b.description()));
            System.exit(2);
        }
        Benchmark benchmark = BENCHMARKS.get(args[0]);
        Benchmark.Result result;
        try {
            result = benchmark.run(Arrays.copyOfRange(args, 1, args.length), line -> out.println(benchmark.name()
                    + ": " + line));
        } catch (IllegalArgumentException e) {
            System.err.println("bench " + benchmark.name() + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("benchmark", benchmark.name());
        figures.put("ok", result.ok());
        figures.putAll(result.figures());
        out.println(new ObjectMapper().writeValueAsString(figures));
        out.flush();
        System.exit(result.ok() ? 0 : 1);
    }
}
