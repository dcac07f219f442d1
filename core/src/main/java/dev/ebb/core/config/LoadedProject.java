package dev.ebb.core.config;

import java.util.List;
import java.util.Objects;

/**
 * A valid project and the warnings its validation raised: things that work but that a person should change, like a
 * secret written in plain text. {@code ebb validate} prints them; a run goes ahead. Immutable.
 *
 * @param project  the project
 * @param warnings each with its file and line, in file order
 */
public record LoadedProject(ProjectConfig project, List<ConfigProblem> warnings) {
    public LoadedProject {
        Objects.requireNonNull(project, "project");
        warnings = List.copyOf(warnings);
    }
}
