package dev.ebb.server.ops;

import dev.ebb.core.config.AlertsConfig;
import dev.ebb.core.config.ConfigException;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Redaction;
import dev.ebb.core.config.Secrets;
import dev.ebb.core.state.RunLog;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.StateException;
import io.javalin.config.RoutesConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators of {@code ebb serve} look at from outside: {@code /metrics}, {@code /health}, {@code /ready}, and the
 * alerts {@code alerts:} asks for. Follows the run log once a second (see {@link RunWatcher}).
 *
 * <p>Lifecycle: construct, {@link #routes}, {@link #start}, {@link #close}. Thread-safe.
 */
public final class Operations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

    private final EbbMetrics metrics;
    private final Readiness readiness;
    private final RunWatcher watcher;
    private final AlertRules rules;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ebb-run-watcher").daemon().factory());

    /**
     * @param env where the alert URLs' secret references are resolved ({@code System.getenv()})
     * @throws ConfigException when an alert URL's reference cannot be resolved, or does not resolve to a URL
     */
    public Operations(ProjectConfig project, RunLog runs, EbbMetrics metrics, Readiness readiness,
                      Redaction redaction, Map<String, String> env) throws ConfigException {
        this.metrics = metrics;
        this.readiness = readiness;
        AlertsConfig alerts = project.alerts();
        this.rules = new AlertRules(alerts.maxRejected());
        List<Consumer<RunRecord>> listeners = new ArrayList<>();
        listeners.add(metrics::finished);
        if (alerts.any()) {
            AlertSender sender = new AlertSender(project.name(), url(alerts.webhook(), alerts, project, env),
                    url(alerts.slack(), alerts, project, env), redaction);
            listeners.add(run -> rules.consider(run).forEach(sender::send));
        }
        this.watcher = new RunWatcher(runs, listeners);
    }

    private static URI url(String raw, AlertsConfig alerts, ProjectConfig project, Map<String, String> env)
            throws ConfigException {
        if (raw == null) return null;
        String resolved = Secrets.resolve(raw, alerts.location(), project.root(), env);
        try {
            URI uri = URI.create(resolved.strip());
            if (uri.getScheme() != null && uri.getScheme().matches("(?i)https?") && uri.getHost() != null) return uri;
        } catch (IllegalArgumentException e) {
            // said below, without the value: it may be a credential
        }
        throw new ConfigException(alerts.location(), "an alerts: URL does not resolve to an http:// or https:// URL;"
                + " check the variable or file it names");
    }

    /** Adds {@code /metrics}, {@code /health} and {@code /ready}. */
    public void routes(RoutesConfig routes) {
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
        routes.get("/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"up\"}"));
        routes.get("/ready", ctx -> {
            List<String> problems = readiness.problems();
            ctx.status(problems.isEmpty() ? 200 : 503).json(problems.isEmpty() ? Map.of("status", "ready")
                    : Map.of("status", "not_ready", "problems", problems));
        });
    }

    /** Starts following the run log: runs over by now are remembered, not counted or alerted. */
    public synchronized void start() throws StateException {
        for (RunRecord run : watcher.baseline()) rules.remember(run);
        poller.scheduleWithFixedDelay(this::poll, 1, 1, TimeUnit.SECONDS);
    }

    /** One look at the run log; the poller calls it every second, tests call it directly. */
    synchronized void poll() {
        try {
            watcher.poll();
        } catch (StateException | RuntimeException e) {
            LOG.warn("could not read the run log for metrics and alerts: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
