package dev.ebb.core.plan;

import dev.ebb.core.config.ConfigException;
import dev.ebb.core.config.ConnectionConfig;
import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Redaction;
import dev.ebb.core.config.Secrets;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceConnector;
import dev.ebb.spi.SourceException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Opens a project's connections with the connectors of a {@link ConnectorCatalog}, resolving secret references
 * from the environment at the moment of opening (never earlier, never stored).
 */
public final class CatalogConnectors implements Connectors {
    private final ProjectConfig project;
    private final ConnectorCatalog catalog;
    private final Map<String, String> env;
    private final Clock clock;

    public CatalogConnectors(ProjectConfig project, ConnectorCatalog catalog, Map<String, String> env, Clock clock) {
        this.project = project;
        this.catalog = catalog;
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    @Override
    public Source openSource(String name) throws SourceException, SyncException {
        ConnectionConfig config = connection(project.sources(), name, "source");
        SourceConnector connector = catalog.source(config.type()).orElseThrow(() -> new SyncException(
                SyncException.Kind.INVALID, config.location() + ": no source connector of type '" + config.type()
                + "'"));
        try {
            return connector.open(context(config));
        } catch (SourceException e) {
            throw new SourceException(redaction(config, connector.options()).apply(e.getMessage()), e,
                    e.unreachable());
        } catch (IllegalArgumentException e) {
            throw invalid(config, connector.options(), e);
        }
    }

    @Override
    public Destination openDestination(String name) throws SyncException {
        ConnectionConfig config = connection(project.destinations(), name, "destination");
        DestinationConnector connector = catalog.destination(config.type()).orElseThrow(() -> new SyncException(
                SyncException.Kind.INVALID, config.location() + ": no destination connector of type '"
                + config.type() + "'"));
        try {
            return connector.open(context(config));
        } catch (IllegalArgumentException e) {
            throw invalid(config, connector.options(), e);
        }
    }

    /**
     * A setting the connector refused. It checked the resolved values, so its message may show what a reference
     * resolved to: the message names the reference instead.
     */
    private SyncException invalid(ConnectionConfig config, List<ConnectorOption> options, IllegalArgumentException e) {
        return new SyncException(SyncException.Kind.INVALID, config.location() + ": "
                + redaction(config, options).apply(e.getMessage()), e);
    }

    private Redaction redaction(ConnectionConfig config, List<ConnectorOption> options) {
        return Redaction.of(config, options, project.root(), env);
    }

    private ConnectorContext context(ConnectionConfig config) throws SyncException {
        try {
            Map<String, String> settings = Secrets.resolveAll(config, project.root(), env);
            if (config.state() != null) {
                // The source keeps Ebb's warehouse-native state: it opens so that Ebb may write that schema.
                settings = new java.util.HashMap<>(settings);
                settings.put(ConnectorContext.STATE_SCHEMA, config.state().schema());
            }
            return new ConnectorContext(config.name(), settings, project.root(), clock);
        } catch (ConfigException e) {
            throw new SyncException(SyncException.Kind.INVALID, e.getMessage(), e);
        }
    }

    private static ConnectionConfig connection(Map<String, ConnectionConfig> entries, String name, String kind)
            throws SyncException {
        ConnectionConfig config = entries.get(name);
        if (config == null) {
            throw new SyncException(SyncException.Kind.INVALID, "there is no " + kind + " named '" + name
                    + "' in ebb.yaml; it has: " + String.join(", ", entries.keySet()));
        }
        return config;
    }
}
