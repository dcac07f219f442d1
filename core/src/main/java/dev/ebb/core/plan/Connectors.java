package dev.ebb.core.plan;

import dev.ebb.spi.Destination;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;

/**
 * Opens the project's connections by name, resolving secrets as it goes. The engine owns what it opens and closes
 * it.
 */
public interface Connectors {
    /** Opens the source named in {@code ebb.yaml}. */
    Source openSource(String name) throws SourceException, SyncException;

    /** Opens the destination named in {@code ebb.yaml}. Makes no network call. */
    Destination openDestination(String name) throws SyncException;
}
