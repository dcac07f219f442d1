package dev.ebb.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema (draft 2020-12) of the project format, for editors and {@code ebb schema}. The root validates
 * {@code ebb.yaml}; {@code #/$defs/sync} validates {@code syncs/*.yaml} and {@code #/$defs/model} validates
 * {@code models/*.yaml}. Connector settings are open in the schema (they depend on the installed connectors); the
 * loader checks them. Thread-safe.
 */
public final class ProjectSchema {
    /** Where the schema lives on the class path. */
    static final String RESOURCE = "ebb-project.schema.json";

    private ProjectSchema() {
    }

    /** The schema's JSON text. */
    public static String json() {
        try (InputStream in = ProjectSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path; the build is broken");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
