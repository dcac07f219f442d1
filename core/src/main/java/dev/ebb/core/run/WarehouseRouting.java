package dev.ebb.core.run;

import dev.ebb.core.config.ConnectionConfig;
import dev.ebb.core.config.ModelConfig;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.plan.Connectors;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.warehouse.RoutedStateStore;
import dev.ebb.core.state.warehouse.WarehouseSnapshots;
import dev.ebb.spi.Column;
import dev.ebb.spi.Destination;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SqlEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Wires the warehouse-native state in: the syncs whose model lives on a source with {@code state: { store:
 * warehouse }} keep their snapshots there ({@link RoutedStateStore}). Each such source is opened once per process
 * and shared by the state and by every sync bound to it (DuckDB opens a file once per process, in one mode), and
 * closed with the state store. Projects without such a source get their store and connectors back unchanged.
 *
 * <p>Thread-safe.
 */
public final class WarehouseRouting {
    private WarehouseRouting() {
    }

    /** The state store and the connectors a project's engine uses. */
    public record Wired(StateStore state, Connectors connectors) {
    }

    public static Wired wire(ProjectConfig project, StateStore projectStore, Connectors connectors) {
        Map<String, String> sourceOfSync = new LinkedHashMap<>();
        for (SyncConfig sync : project.syncs().values()) {
            ModelConfig model = project.models().get(sync.model());
            ConnectionConfig source = model == null ? null : project.sources().get(model.source());
            if (source != null && source.state() != null) sourceOfSync.put(sync.name(), source.name());
        }
        if (sourceOfSync.isEmpty()) return new Wired(projectStore, connectors);
        SharedSources shared = new SharedSources(project, connectors);
        RoutedStateStore routed = new RoutedStateStore(projectStore, sourceOfSync, shared::state, shared::close);
        return new Wired(routed, shared);
    }

    /** Opens each state-keeping source once; hands the binder views of it that it may close. */
    private static final class SharedSources implements Connectors {
        private final ProjectConfig project;
        private final Connectors connectors;
        private final Map<String, Source> open = new LinkedHashMap<>();

        SharedSources(ProjectConfig project, Connectors connectors) {
            this.project = project;
            this.connectors = connectors;
        }

        @Override
        public synchronized Source openSource(String name) throws SourceException, SyncException {
            ConnectionConfig config = project.sources().get(name);
            if (config == null || config.state() == null) return connectors.openSource(name);
            return new Borrowed(shared(name));
        }

        @Override
        public Destination openDestination(String name) throws SyncException {
            return connectors.openDestination(name);
        }

        private synchronized Source shared(String name) throws SourceException, SyncException {
            Source source = open.get(name);
            if (source == null) {
                source = connectors.openSource(name);
                open.put(name, source);
            }
            return source;
        }

        WarehouseSnapshots state(String name) throws StateException {
            Source source;
            try {
                source = shared(name);
            } catch (SourceException | SyncException e) {
                throw new StateException("the warehouse-native state of source '" + name + "' cannot be opened: "
                        + e.getMessage(), e);
            }
            return WarehouseSnapshots.open(source, project.sources().get(name).state().schema(), name);
        }

        synchronized void close() {
            for (Source source : open.values()) {
                try {
                    source.close();
                } catch (SourceException ignored) {
                    // closing is all that is left to do with it
                }
            }
            open.clear();
        }
    }

    /** A shared source as a sync binds it: its close leaves the source open for the state and the next sync. */
    private record Borrowed(Source source) implements Source {
        @Override
        public List<Column> describe(String sql) throws SourceException {
            return source.describe(sql);
        }

        @Override
        public RowStream query(String sql) throws SourceException {
            return source.query(sql);
        }

        @Override
        public Optional<SqlEngine> engine() {
            return source.engine();
        }

        @Override
        public void close() {
        }
    }
}
