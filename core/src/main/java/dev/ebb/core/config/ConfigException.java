package dev.ebb.core.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The project's configuration is invalid; every problem found is listed, not just the first. The warnings found on
 * the way (see {@link LoadedProject#warnings()}) come along, so that one report shows everything.
 */
public final class ConfigException extends Exception {
    private final List<ConfigProblem> problems;
    private final List<ConfigProblem> warnings;

    public ConfigException(List<ConfigProblem> problems, List<ConfigProblem> warnings) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    public ConfigException(List<ConfigProblem> problems) {
        this(problems, List.of());
    }

    public ConfigException(Location location, String message) {
        this(List.of(new ConfigProblem(location, message)));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /** Warnings found alongside the problems; empty unless the loader raised this. */
    public List<ConfigProblem> warnings() {
        return warnings;
    }
}
