package dev.ebb.core.config;

/** One thing wrong with the project's configuration, and what to change. */
public record ConfigProblem(Location location, String message) {
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
