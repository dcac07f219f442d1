package dev.ebb.core.config;

import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.SourceConnector;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The connector types a project may use, and the options each declares: what the loader checks {@code type:} and
 * the settings of {@code sources:} and {@code destinations:} against, and where the runtime finds the connector to
 * open. Immutable and thread-safe.
 */
public final class ConnectorCatalog {
    private final Map<String, SourceConnector> sources;
    private final Map<String, DestinationConnector> destinations;

    private ConnectorCatalog(Map<String, SourceConnector> sources, Map<String, DestinationConnector> destinations) {
        this.sources = Collections.unmodifiableMap(sources);
        this.destinations = Collections.unmodifiableMap(destinations);
    }

    /** The connectors registered with {@link ServiceLoader} on the class path of this class's loader. */
    public static ConnectorCatalog fromServiceLoader() {
        return fromServiceLoader(ConnectorCatalog.class.getClassLoader());
    }

    /** The connectors registered with {@link ServiceLoader} that {@code loader} sees. */
    public static ConnectorCatalog fromServiceLoader(ClassLoader loader) {
        return of(ServiceLoader.load(SourceConnector.class, loader).stream().map(ServiceLoader.Provider::get).toList(),
                ServiceLoader.load(DestinationConnector.class, loader).stream().map(ServiceLoader.Provider::get)
                        .toList());
    }

    /**
     * A catalog of exactly these connectors, for tests and embedding.
     *
     * @throws IllegalArgumentException when two connectors of one kind claim the same type
     */
    public static ConnectorCatalog of(List<? extends SourceConnector> sources,
                                      List<? extends DestinationConnector> destinations) {
        return new ConnectorCatalog(byType(sources, SourceConnector::type),
                byType(destinations, DestinationConnector::type));
    }

    private static <C> Map<String, C> byType(List<? extends C> connectors, Function<C, String> type) {
        Map<String, C> byType = new TreeMap<>();
        for (C connector : connectors) {
            C previous = byType.putIfAbsent(type.apply(connector), connector);
            if (previous != null) {
                throw new IllegalArgumentException("connector type '" + type.apply(connector)
                        + "' is registered twice: " + previous.getClass().getName() + " and "
                        + connector.getClass().getName());
            }
        }
        return byType;
    }

    /** The source types, sorted. */
    public Set<String> sourceTypes() {
        return sources.keySet();
    }

    /** The destination types, sorted. */
    public Set<String> destinationTypes() {
        return destinations.keySet();
    }

    public Optional<SourceConnector> source(String type) {
        return Optional.ofNullable(sources.get(type));
    }

    public Optional<DestinationConnector> destination(String type) {
        return Optional.ofNullable(destinations.get(type));
    }

    /** The options a source type declares, or empty when there is no such type. */
    public Optional<List<ConnectorOption>> sourceOptions(String type) {
        return source(type).map(SourceConnector::options).map(List::copyOf);
    }

    /** The options a destination type declares, or empty when there is no such type. */
    public Optional<List<ConnectorOption>> destinationOptions(String type) {
        return destination(type).map(DestinationConnector::options).map(List::copyOf);
    }
}
