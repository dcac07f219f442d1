package dev.ebb.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads {@code state: { store: embedded, path, memory_limit, temp_directory }} of {@code ebb.yaml}. Not thread-safe.
 */
final class EmbeddedStateReader {
    private final NodeReader reader;

    EmbeddedStateReader(NodeReader reader) {
        this.reader = reader;
    }

    StateConfig read(YamlNode.Mapping state, StateConfig defaults) {
        for (String key : PostgresStateReader.KEYS) {
            state.entry(key).ifPresent(e -> reader.error(e.line(), "'" + key + "' is a setting of the postgres"
                    + " state store; remove it, or write store: postgres"));
        }
        Path path = defaults.path();
        Optional<YamlNode.Entry> pathEntry = state.entry("path");
        if (pathEntry.isPresent()) {
            Optional<String> written = reader.string(pathEntry.get());
            if (written.isPresent()) {
                try {
                    path = Path.of(written.get());
                } catch (InvalidPathException e) {
                    reader.error(pathEntry.get().value().line(), "'path': '" + written.get()
                            + "' is not a valid file path");
                }
            }
        }
        String memoryLimit = null;
        Optional<YamlNode.Entry> memoryEntry = state.entry("memory_limit");
        if (memoryEntry.isPresent()) {
            Optional<String> written = reader.string(memoryEntry.get());
            Optional<String> problem = written.flatMap(StateConfig::memoryProblem);
            if (problem.isPresent()) {
                reader.error(memoryEntry.get().value().line(), "state.memory_limit: " + problem.get());
            } else if (written.isPresent()) {
                memoryLimit = written.get().strip();
            }
        }
        Path tempDirectory = null;
        Optional<YamlNode.Entry> tempEntry = state.entry("temp_directory");
        if (tempEntry.isPresent()) {
            Optional<String> written = reader.string(tempEntry.get());
            if (written.isPresent()) {
                try {
                    tempDirectory = Path.of(written.get().strip());
                } catch (InvalidPathException e) {
                    reader.error(tempEntry.get().value().line(), "state.temp_directory: '" + written.get()
                            + "' is not a valid folder path; write one relative to the project root, e.g."
                            + " temp_directory: .ebb/spill");
                }
            }
        }
        return StateConfig.embedded(path, memoryLimit, tempDirectory);
    }
}
