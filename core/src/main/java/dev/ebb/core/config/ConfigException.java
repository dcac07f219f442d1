package dev.ebb.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** The project's configuration is invalid; every problem found is listed, not just the first. */
public final class ConfigException extends Exception {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(Location location, String message) {
        this(List.of(new ConfigProblem(location, message)));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
