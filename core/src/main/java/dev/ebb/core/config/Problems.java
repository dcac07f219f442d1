package dev.ebb.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What validation found, errors and warnings, so that one pass reports everything. Not thread-safe: one loader
 * fills it.
 */
final class Problems {
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    void error(Location location, String message) {
        errors.add(new ConfigProblem(location, message));
    }

    void warning(Location location, String message) {
        warnings.add(new ConfigProblem(location, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<ConfigProblem> errors() {
        return ordered(errors);
    }

    List<ConfigProblem> warnings() {
        return ordered(warnings);
    }

    /**
     * Files in the order they were first reported (ebb.yaml, then models, then syncs, as the loader reads them),
     * and by line within a file, so that a long report reads top to bottom like the project does.
     */
    private static List<ConfigProblem> ordered(List<ConfigProblem> problems) {
        Map<Path, List<ConfigProblem>> byFile = new LinkedHashMap<>();
        for (ConfigProblem problem : problems) {
            byFile.computeIfAbsent(problem.location().file(), f -> new ArrayList<>()).add(problem);
        }
        List<ConfigProblem> result = new ArrayList<>(problems.size());
        for (List<ConfigProblem> inFile : byFile.values()) {
            inFile.sort(Comparator.comparingInt(p -> p.location().line()));
            result.addAll(inFile);
        }
        return List.copyOf(result);
    }
}
