package dev.ebb.core.config;

import java.nio.file.Path;

/**
 * {@code dbt:} of {@code ebb.yaml}: where the dbt project is whose models syncs may name as
 * {@code model: { ref: NAME }}. Immutable.
 *
 * @param projectDir the dbt project's folder, relative to the Ebb project root (as written)
 * @param target     the dbt target the manifest should be compiled for, named in advice ({@code dbt compile
 *                   --target prod}); {@code null} when not set
 * @param location   where {@code dbt:} is written
 */
public record DbtConfig(Path projectDir, String target, Location location) {
    /** Where dbt writes the manifest, inside the dbt project (dbt's default {@code target-path}). */
    public static final Path MANIFEST = Path.of("target", "manifest.json");

    /** The manifest file, resolved against the Ebb project root. */
    public Path manifest(Path root) {
        return root.resolve(projectDir).resolve(MANIFEST).normalize();
    }

    /** The dbt command that writes a fresh manifest for this project's target. */
    String compileCommand() {
        return "dbt compile" + (target == null ? "" : " --target " + target) + " (or dbt parse) in " + projectDir;
    }
}
