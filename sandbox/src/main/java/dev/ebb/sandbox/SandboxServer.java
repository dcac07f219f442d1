package dev.ebb.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The base of every vendor sandbox: a local HTTP server (the JDK's, one virtual thread per request) bound to
 * 127.0.0.1 that speaks one vendor's API, with a request log and fault injection the tests and the CLI share.
 *
 * <p>Lifecycle: construct, {@link #start()}, use {@link #baseUrl()} as the vendor's base URL, {@link #close()}.
 *
 * <p>A subclass implements {@link #handle} (the vendor API) and {@link #throttled} (the vendor's own 429), and
 * may add inspection routes with {@link #handleSandbox}. The base owns everything under {@code /_sandbox/}:
 * <ul>
 *   <li>{@code GET /_sandbox/requests}: the request log with counts per path and per status;
 *       {@code DELETE /_sandbox/requests} resets it.</li>
 *   <li>{@code POST /_sandbox/faults} with {@code {"kind":"status","status":503,"count":3,"path":"/crm/v3"}},
 *       {@code {"kind":"throttle","count":4}}, {@code {"kind":"latency","ms":200,"count":5}} or
 *       {@code {"kind":"drop","count":2}} queues a {@link Fault}; a status or throttle fault may add
 *       {@code "headers": {"Retry-After": "2"}} to its answer. {@code GET} lists the queue and {@code DELETE}
 *       empties it.</li>
 * </ul>
 * Requests under {@code /_sandbox/} are neither logged nor passed to {@link #handle}, so they never count against
 * a vendor's rate limits.
 *
 * <p>Thread-safe: requests are handled concurrently, and the Java API may be called from any thread.
 */
public abstract class SandboxServer implements AutoCloseable {
    /** The path prefix of the inspection and fault-injection API. */
    public static final String SANDBOX_PREFIX = "/_sandbox/";
    /** How many requests the log keeps; the counts cover every request since the last reset. */
    public static final int LOG_CAPACITY = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int requestedPort;
    private final Clock clock;
    private final Object lock = new Object();
    private final Deque<LoggedRequest> log = new ArrayDeque<>();
    private final Map<String, Long> countsByPath = new TreeMap<>();
    private final Map<Integer, Long> countsByStatus = new TreeMap<>();
    private final List<PendingFault> faults = new ArrayList<>();
    private long total;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param port  the port to bind on 127.0.0.1, or 0 for a free one
     * @param clock the clock that stamps the request log (and that a subclass uses for its own time)
     */
    protected SandboxServer(int port, Clock clock) {
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("not a port: " + port);
        this.requestedPort = port;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A server configured by a vendor sandbox's builder: its port and clock. */
    protected SandboxServer(Builder<?> builder) {
        this(builder.port, builder.clock);
    }

    /**
     * What every vendor sandbox's builder sets: the port and the clock. A vendor's builder extends it with its own
     * settings ({@code class Builder extends SandboxServer.Builder<Builder>}). Not thread-safe.
     *
     * @param <B> the vendor's builder, so that the setters here chain with its own
     */
    public abstract static class Builder<B extends Builder<B>> {
        private int port;
        private Clock clock = Clock.systemUTC();

        protected Builder() {
        }

        /** The port to bind on 127.0.0.1, 0 (the default) for a free one. */
        public final B port(int port) {
            if (port < 0 || port > 65_535) throw new IllegalArgumentException("not a port: " + port);
            this.port = port;
            return self();
        }

        /** The clock for timestamps, rate windows, tokens and jobs (default: the system's, in UTC). */
        public final B clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return self();
        }

        /** The clock set so far, for a builder that derives a default from it. */
        protected final Clock clock() {
            return clock;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }
    }

    /**
     * Binds the server and starts answering. Called once.
     *
     * @throws IOException when the port cannot be bound (in use, not permitted)
     */
    public final void start() throws IOException {
        synchronized (lock) {
            if (server != null) throw new IllegalStateException("the sandbox is already started");
            HttpServer created = HttpServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 0);
            executor = Executors.newVirtualThreadPerTaskExecutor();
            created.setExecutor(executor);
            created.createContext("/", this::exchange);
            created.start();
            server = created;
        }
    }

    /** The bound port. */
    public final int port() {
        synchronized (lock) {
            if (server == null) throw new IllegalStateException("the sandbox is not started");
            return server.getAddress().getPort();
        }
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash: the vendor base URL to configure. */
    public final String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The sandbox's clock. */
    public final Clock clock() {
        return clock;
    }

    /** Stops answering and releases the port. Idempotent. */
    @Override
    public void close() {
        HttpServer stopping;
        ExecutorService stoppingExecutor;
        synchronized (lock) {
            stopping = server;
            stoppingExecutor = executor;
            server = null;
            executor = null;
        }
        if (stopping != null) stopping.stop(0);
        if (stoppingExecutor != null) stoppingExecutor.shutdownNow();
    }

    // ---- the request log ----------------------------------------------------------------------------------

    /** The logged vendor requests, oldest first (at most {@link #LOG_CAPACITY}). */
    public final List<LoggedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(log);
        }
    }

    /** Vendor requests received since the last reset. */
    public final long requestCount() {
        synchronized (lock) {
            return total;
        }
    }

    /** Vendor requests received since the last reset whose path starts with {@code pathPrefix}. */
    public final long requestCount(String pathPrefix) {
        synchronized (lock) {
            return countsByPath.entrySet().stream().filter(e -> e.getKey().startsWith(pathPrefix))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** Vendor requests per path since the last reset, sorted by path. */
    public final Map<String, Long> countsByPath() {
        synchronized (lock) {
            return java.util.Collections.unmodifiableMap(new TreeMap<>(countsByPath));
        }
    }

    /** Vendor requests per answered status since the last reset ({@link LoggedRequest#DROPPED} for drops). */
    public final Map<Integer, Long> countsByStatus() {
        synchronized (lock) {
            return java.util.Collections.unmodifiableMap(new TreeMap<>(countsByStatus));
        }
    }

    /** Empties the request log and its counts. */
    public final void clearRequests() {
        synchronized (lock) {
            log.clear();
            countsByPath.clear();
            countsByStatus.clear();
            total = 0;
        }
    }

    // ---- faults -------------------------------------------------------------------------------------------

    /** Queues a fault behind those already waiting. */
    public final void inject(Fault fault) {
        Objects.requireNonNull(fault, "fault");
        synchronized (lock) {
            faults.add(new PendingFault(fault));
        }
    }

    /** The faults still waiting, each with the count it has left. */
    public final List<Fault> pendingFaults() {
        synchronized (lock) {
            return faults.stream().map(PendingFault::remaining).toList();
        }
    }

    /** Drops every waiting fault. */
    public final void clearFaults() {
        synchronized (lock) {
            faults.clear();
        }
    }

    // ---- what a subclass supplies -------------------------------------------------------------------------

    /**
     * Answers one vendor request (any path outside {@code /_sandbox/}) that no fault intercepted. Called
     * concurrently from request threads.
     */
    protected abstract SandboxResponse handle(SandboxRequest request);

    /** The vendor's own answer when it throttles a request (status, headers and body), for throttle faults. */
    protected abstract SandboxResponse throttled(SandboxRequest request);

    /**
     * Answers a request under {@code /_sandbox/} that the base does not own (inspection routes of the vendor's
     * sandbox), or empty for a 404.
     */
    protected Optional<SandboxResponse> handleSandbox(SandboxRequest request) {
        return Optional.empty();
    }

    /** The answer to a {@link Fault.Kind#STATUS} fault; by default the fault's body, or a small JSON error. */
    protected SandboxResponse statusFault(SandboxRequest request, Fault fault) {
        if (fault.body() != null) {
            boolean json = fault.body().stripLeading().startsWith("{") || fault.body().stripLeading().startsWith("[");
            SandboxResponse response = SandboxResponse.text(fault.status(), fault.body());
            return json ? new SandboxResponse(fault.status(),
                    Map.of("Content-Type", List.of("application/json;charset=utf-8")), response.body()) : response;
        }
        ObjectNode body = JSON.createObjectNode()
                .put("status", "error")
                .put("message", "Injected sandbox fault: HTTP " + fault.status());
        return SandboxResponse.json(fault.status(), body);
    }

    /** The answer when {@link #handle} throws: a 500 that names the bug, so sandbox defects are visible. */
    protected SandboxResponse internalError(SandboxRequest request, RuntimeException e) {
        ObjectNode body = JSON.createObjectNode()
                .put("status", "error")
                .put("message", "sandbox error: " + e);
        return SandboxResponse.json(500, body);
    }

    // ---- the exchange -------------------------------------------------------------------------------------

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            SandboxRequest request = read(exchange);
            if (request.path().startsWith(SANDBOX_PREFIX) || request.path().equals("/_sandbox")) {
                send(exchange, sandboxRoute(request));
                return;
            }
            Instant arrived = clock.instant();
            Fault fault = takeFault(request.path());
            Fault.Kind faultKind = fault == null ? null : fault.kind();
            if (fault != null) {
                switch (fault.kind()) {
                    case DROP -> {
                        record(request, LoggedRequest.DROPPED, arrived, faultKind);
                        return; // closing the exchange unanswered drops the connection
                    }
                    case STATUS -> {
                        SandboxResponse response = statusFault(request, fault).withHeaders(fault.headers());
                        record(request, response.status(), arrived, faultKind);
                        send(exchange, response);
                        return;
                    }
                    case THROTTLE -> {
                        SandboxResponse response = throttled(request).withHeaders(fault.headers());
                        record(request, response.status(), arrived, faultKind);
                        send(exchange, response);
                        return;
                    }
                    case LATENCY -> pause(fault.latency());
                }
            }
            SandboxResponse response;
            try {
                response = handle(request);
            } catch (SandboxReply reply) {
                response = reply.response();
            } catch (RuntimeException e) {
                response = internalError(request, e);
            }
            // Logged before the answer leaves, so a client that counts calls after a response sees this one.
            record(request, response.status(), arrived, faultKind);
            send(exchange, response);
        }
    }

    private static SandboxRequest read(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        return new SandboxRequest(
                exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                exchange.getRequestURI().getPath(),
                SandboxRequest.parseQuery(exchange.getRequestURI().getRawQuery()),
                exchange.getRequestHeaders(),
                body);
    }

    private static void send(HttpExchange exchange, SandboxResponse response) throws IOException {
        response.headers().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
        byte[] body = response.body();
        // The JDK server reads a length of 0 as "chunked"; -1 is "no body".
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Fault takeFault(String path) {
        synchronized (lock) {
            for (Iterator<PendingFault> it = faults.iterator(); it.hasNext(); ) {
                PendingFault pending = it.next();
                if (pending.fault.matches(path)) {
                    pending.left--;
                    if (pending.left == 0) it.remove();
                    return pending.fault;
                }
            }
            return null;
        }
    }

    private void record(SandboxRequest request, int status, Instant arrived, Fault.Kind fault) {
        synchronized (lock) {
            if (log.size() == LOG_CAPACITY) log.removeFirst();
            log.addLast(new LoggedRequest(request.method(), request.path(), status, arrived, fault));
            countsByPath.merge(request.path(), 1L, Long::sum);
            countsByStatus.merge(status, 1L, Long::sum);
            total++;
        }
    }

    /**
     * Holds the calling request thread (a virtual thread) for {@code duration}. Latency faults are the only
     * waiting in a sandbox; it goes through a scheduled executor rather than sleeping.
     */
    static void pause(Duration duration) {
        CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS)).join();
    }

    // ---- /_sandbox/ ---------------------------------------------------------------------------------------

    private SandboxResponse sandboxRoute(SandboxRequest request) {
        String route = request.method() + " " + request.path();
        try {
            return switch (route) {
                case "GET /_sandbox/requests" -> SandboxResponse.json(200, requestsJson());
                case "DELETE /_sandbox/requests" -> {
                    clearRequests();
                    yield SandboxResponse.empty(204);
                }
                case "GET /_sandbox/faults" -> SandboxResponse.json(200, faultsJson(pendingFaults()));
                case "POST /_sandbox/faults" -> {
                    List<Fault> added = parseFaults(request.bodyText());
                    added.forEach(this::inject);
                    yield SandboxResponse.json(201, faultsJson(added));
                }
                case "DELETE /_sandbox/faults" -> {
                    clearFaults();
                    yield SandboxResponse.empty(204);
                }
                default -> handleSandbox(request).orElseGet(() -> sandboxError(404,
                        "no sandbox endpoint " + route + "; see GET /_sandbox/requests, /_sandbox/faults"));
            };
        } catch (SandboxReply reply) {
            return reply.response();
        } catch (IllegalArgumentException e) {
            return sandboxError(400, e.getMessage());
        } catch (RuntimeException e) {
            return internalError(request, e);
        }
    }

    /** A JSON error answer of the {@code /_sandbox/} API: {@code {"error": message}}. */
    protected static SandboxResponse sandboxError(int status, String message) {
        return SandboxResponse.json(status, JSON.createObjectNode().put("error", message));
    }

    private ObjectNode requestsJson() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode byPath = JSON.createObjectNode();
        ObjectNode byStatus = JSON.createObjectNode();
        ArrayNode entries = JSON.createArrayNode();
        synchronized (lock) {
            body.put("total", total);
            countsByPath.forEach(byPath::put);
            countsByStatus.forEach((status, count) -> byStatus.put(String.valueOf(status), count));
            for (LoggedRequest logged : log) {
                ObjectNode entry = entries.addObject()
                        .put("method", logged.method())
                        .put("path", logged.path())
                        .put("status", logged.status())
                        .put("time", logged.time().toString());
                if (logged.fault() != null) entry.put("fault", logged.fault().name().toLowerCase(Locale.ROOT));
            }
        }
        body.set("byPath", byPath);
        body.set("byStatus", byStatus);
        body.set("requests", entries);
        return body;
    }

    private static ArrayNode faultsJson(List<Fault> faults) {
        ArrayNode array = JSON.createArrayNode();
        for (Fault fault : faults) {
            ObjectNode node = array.addObject()
                    .put("kind", fault.kind().name().toLowerCase(Locale.ROOT))
                    .put("count", fault.count());
            if (fault.pathPrefix() != null) node.put("path", fault.pathPrefix());
            switch (fault.kind()) {
                case STATUS -> {
                    node.put("status", fault.status());
                    if (fault.body() != null) node.put("body", fault.body());
                }
                case LATENCY -> node.put("ms", fault.latency().toMillis());
                case THROTTLE, DROP -> { }
            }
            if (!fault.headers().isEmpty()) {
                ObjectNode headers = node.putObject("headers");
                fault.headers().forEach(headers::put);
            }
        }
        return array;
    }

    /** Reads one fault object, or an array of them, from the {@code POST /_sandbox/faults} body. */
    static List<Fault> parseFaults(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            throw new IllegalArgumentException("expected a fault object like {\"kind\":\"status\",\"status\":503}");
        }
        List<Fault> parsed = new ArrayList<>();
        for (JsonNode node : root.isArray() ? root : List.of(root)) parsed.add(parseFault(node));
        return parsed;
    }

    private static Fault parseFault(JsonNode node) {
        String kindName = node.path("kind").asText("");
        Fault.Kind kind;
        try {
            kind = Fault.Kind.valueOf(kindName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault kind '" + kindName
                    + "'; use one of status, throttle, latency, drop");
        }
        int count = node.path("count").asInt(1);
        String path = node.hasNonNull("path") ? node.get("path").asText() : null;
        String body = node.hasNonNull("body")
                ? (node.get("body").isTextual() ? node.get("body").asText() : node.get("body").toString())
                : null;
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode given = node.path("headers");
        if (!given.isMissingNode() && !given.isNull() && !given.isObject()) {
            throw new IllegalArgumentException("a fault's headers are an object, e.g. \"headers\": {\"Retry-After\": \"2\"}");
        }
        given.properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        return new Fault(kind, count, path, node.path("status").asInt(0), body,
                Duration.ofMillis(node.path("ms").asLong(0)), headers);
    }

    private static final class PendingFault {
        private final Fault fault;
        private int left;

        private PendingFault(Fault fault) {
            this.fault = fault;
            this.left = fault.count();
        }

        private Fault remaining() {
            return fault.withCount(left);
        }
    }
}
