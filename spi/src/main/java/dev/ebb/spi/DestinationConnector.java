package dev.ebb.spi;

import java.util.List;

/**
 * The factory for one kind of destination ({@code type: hubspot} in {@code ebb.yaml}), registered with
 * {@link java.util.ServiceLoader}. Implementations are stateless and thread-safe.
 */
public interface DestinationConnector {
    /** The {@code type:} value that selects this connector. */
    String type();

    /** The settings an entry of this type accepts. */
    List<ConnectorOption> options();

    /** Opens a connection. Makes no network call; problems with the account surface on the first call. */
    Destination open(ConnectorContext context);
}
