package dev.ebb.sandbox;

import dev.ebb.spi.ConnectorOption;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Starts one vendor's sandbox; registered with {@link ServiceLoader} by the sandbox module that ships it, so that
 * {@code ebb sandbox <vendor> --port N} can find it. A vendor's provider is a subclass whose public no-argument
 * constructor names the vendor, describes the sandbox, declares its options and says how to build it from them.
 * Immutable and thread-safe.
 */
public abstract class SandboxProvider {

    /** Builds a vendor's sandbox, not yet started, from its {@code -o} options. */
    @FunctionalInterface
    protected interface Factory {
        /**
         * @throws IllegalArgumentException when an option is unknown or malformed; the message names the fix
         */
        SandboxServer create(int port, Map<String, String> options);
    }

    private final String vendor;
    private final String description;
    private final List<ConnectorOption> options;
    private final Factory factory;

    /**
     * @param vendor      the vendor's name on the command line ({@code hubspot}); lower case
     * @param description one line for {@code ebb sandbox --help}
     * @param options     the options {@link #start} accepts, for help text and validation
     * @param factory     builds the sandbox from a port and the options
     */
    protected SandboxProvider(String vendor, String description, List<ConnectorOption> options, Factory factory) {
        this.vendor = Objects.requireNonNull(vendor, "vendor");
        this.description = Objects.requireNonNull(description, "description");
        this.options = List.copyOf(options);
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** The vendor's name on the command line ({@code hubspot}); lower case. */
    public final String vendor() {
        return vendor;
    }

    /** One line for {@code ebb sandbox --help}. */
    public final String description() {
        return description;
    }

    /** The options {@link #start} accepts, for help text and validation. */
    public final List<ConnectorOption> options() {
        return options;
    }

    /**
     * Starts a sandbox.
     *
     * @param port    the port to bind on 127.0.0.1, or 0 for a free one
     * @param options vendor-specific settings (e.g. {@code tier=professional}); unknown keys are rejected
     * @return the started server; the caller closes it
     * @throws IOException              when the port cannot be bound
     * @throws IllegalArgumentException when an option is unknown or malformed; the message names the fix
     */
    public final SandboxServer start(int port, Map<String, String> options) throws IOException {
        SandboxServer server = factory.create(port, options);
        server.start();
        return server;
    }

    /** Every provider on the class path. */
    public static List<SandboxProvider> all() {
        return ServiceLoader.load(SandboxProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** The provider of {@code vendor}, if one is on the class path. */
    public static Optional<SandboxProvider> find(String vendor) {
        return all().stream().filter(p -> p.vendor().equals(vendor)).findFirst();
    }
}
