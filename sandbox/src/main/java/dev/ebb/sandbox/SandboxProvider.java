package dev.ebb.sandbox;

import dev.ebb.spi.ConnectorOption;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Starts one vendor's sandbox; registered with {@link ServiceLoader} by the connector module that ships it, so that
 * {@code ebb sandbox <vendor> --port N} can find it. Implementations are stateless and thread-safe.
 */
public interface SandboxProvider {

    /** The vendor's name on the command line ({@code hubspot}); lower case. */
    String vendor();

    /**
     * Starts a sandbox.
     *
     * @param port    the port to bind on 127.0.0.1, or 0 for a free one
     * @param options vendor-specific settings (e.g. {@code tier=professional}); unknown keys are rejected
     * @return the started server; the caller closes it
     * @throws IOException              when the port cannot be bound
     * @throws IllegalArgumentException when an option is unknown or malformed; the message names the fix
     */
    SandboxServer start(int port, Map<String, String> options) throws IOException;

    /** One line for {@code ebb sandbox --help}. */
    String description();

    /** The options {@link #start} accepts, for help text and validation. */
    default List<ConnectorOption> options() {
        return List.of();
    }

    /** Every provider on the class path. */
    static List<SandboxProvider> all() {
        return ServiceLoader.load(SandboxProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** The provider of {@code vendor}, if one is on the class path. */
    static Optional<SandboxProvider> find(String vendor) {
        return all().stream().filter(p -> p.vendor().equals(vendor)).findFirst();
    }
}
