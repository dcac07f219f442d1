package dev.ebb.core.config;

import java.nio.file.Path;

/** Where a piece of configuration came from, relative to the project root, for error messages. */
public record Location(Path file, int line) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file.toString();
    }
}
