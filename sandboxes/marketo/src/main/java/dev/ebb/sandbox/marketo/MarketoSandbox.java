package dev.ebb.sandbox.marketo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxOptions;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SandboxServer;
import dev.ebb.spi.ConnectorOption;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Marketo instance: the Identity endpoint and the Lead Database's lead endpoints as Marketo documents them,
 * leads in memory.
 *
 * <p>What it models (see {@code docs/sandboxes/marketo.md} for the full list and the gaps):
 * <ul>
 *   <li>{@code GET|POST /identity/oauth/token} (2-legged OAuth, client credentials): access tokens that live an hour;
 *       asked again before expiry it returns "the same token and the remaining lifespan"
 *       (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/authentication).</li>
 *   <li>REST calls authenticated by {@code Authorization: Bearer} (or the older {@code access_token} query
 *       parameter); 601 for an unknown token, 602 for an expired one, inside an HTTP 200.</li>
 *   <li>{@code POST /rest/v1/leads.json} (Sync Leads): actions {@code createOrUpdate}, {@code createOnly},
 *       {@code updateOnly}, {@code createDuplicate}; {@code lookupField}; at most 300 records; per-record
 *       {@code created} / {@code updated} / {@code skipped} with {@code reasons} 1001, 1003, 1004, 1005, 1006, 1007,
 *       1011 (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/leads,
 *       https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes).</li>
 *   <li>{@code GET /rest/v1/leads.json?filterType=&filterValues=&fields=} (also as {@code POST …?_method=GET} with a
 *       form body), {@code GET /rest/v1/lead/{id}.json}, {@code GET /rest/v1/leads/describe.json} and
 *       {@code describe2.json}, {@code POST /rest/v1/leads/delete.json}.</li>
 *   <li>Limits per instance: 100 calls per sliding 20 seconds (606), 10 in flight (615), a daily quota that resets at
 *       midnight America/Chicago (607), all as response-level errors in an HTTP 200; bodies over 1 MB are a 413, URIs
 *       over 8 KB a 414 (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/marketo-integration-best-practices).</li>
 * </ul>
 *
 * <p>Thread-safe: one lock guards leads and fields, so each call is applied atomically; tokens and limits have
 * their own.
 */
public final class MarketoSandbox extends SandboxServer {
    /** The client id accepted when none is configured. */
    public static final String DEFAULT_CLIENT_ID = "sandbox-client-id";
    /** The client secret of {@link #DEFAULT_CLIENT_ID}. */
    public static final String DEFAULT_CLIENT_SECRET = "sandbox-client-secret";
    /** The API-only user that owns the custom service, reported as the token's {@code scope}. */
    public static final String DEFAULT_SCOPE = "ebb-sandbox@example.com";
    /** "Batch Size: Lead DB - 300 records" (marketo-integration-best-practices page). */
    public static final int MAX_BATCH = 300;
    /** "Marketo will return 413 if the Request Payload exceeds 1MB" (error-codes page). */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** "414 will be returned when the URI of a GET request exceeds 8KB" (error-codes page). */
    public static final int MAX_URI_BYTES = 8 << 10;
    /** "Rate Limit: API access per instance limited to 100 calls per 20 seconds" (best-practices page). */
    public static final int DEFAULT_PER_WINDOW = 100;
    /** The rate limit's window. */
    public static final Duration WINDOW = Duration.ofSeconds(20);
    /** "Concurrency Limit: Maximum of ten concurrent API calls" (best-practices page). */
    public static final int DEFAULT_CONCURRENCY = 10;
    /** "Most subscriptions are allocated 50,000 API calls per day" (best-practices page). */
    public static final long DEFAULT_DAILY = 50_000;
    /** "(which resets daily at 12:00AM CST)" (best-practices page). */
    public static final ZoneId DEFAULT_RESET_ZONE = ZoneId.of("America/Chicago");
    /** "When an access token is originally created, its lifespan is 3600 seconds or one hour" (authentication page). */
    public static final Duration DEFAULT_TOKEN_LIFESPAN = Duration.ofSeconds(3600);

    /** The options {@link #fromOptions} accepts, described as {@code ebb sandbox marketo --help} lists them. */
    public static final List<ConnectorOption> SETTINGS = List.of(
            ConnectorOption.optional("client_id", "the custom service's client id (default " + DEFAULT_CLIENT_ID + ")"),
            ConnectorOption.optional("client_secret", "its client secret (default " + DEFAULT_CLIENT_SECRET + ")"),
            ConnectorOption.optional("scope", "the API-only user reported as the token's scope"),
            ConnectorOption.optional("per_20s", "calls per sliding 20 seconds (default 100)"),
            ConnectorOption.optional("daily", "calls per day (default 50000)"),
            ConnectorOption.optional("concurrency", "calls in flight at once (default 10)"),
            ConnectorOption.optional("time_zone", "the zone whose midnight resets the daily quota "
                    + "(default America/Chicago)"),
            ConnectorOption.optional("token_ttl_s", "lifespan of a new access token in seconds (default 3600)"),
            ConnectorOption.optional("processing_ms", "how long each REST call holds its concurrency slot "
                    + "(default 0)"),
            ConnectorOption.optional("fields", "custom lead fields, e.g. churnRiskScore:float,plan:string "
                    + "(Marketo data types)"));
    /** The option keys {@link #fromOptions} accepts. */
    public static final Set<String> OPTIONS = SandboxOptions.names(SETTINGS);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDENTITY = "/identity/oauth/token";
    static final Set<String> ACTIONS = Set.of("createOrUpdate", "createOnly", "updateOnly", "createDuplicate");
    /**
     * Standard fields that may be a {@code lookupField} or {@code filterType}: "any of the following fields are
     * supported: cookies, email, facebookId, id, leadPartitionId, linkedInId, sfdcAccountId, sfdcContactId, sfdcLeadId,
     * sfdcLeadOwnerId, sfdcOpptyId, twitterId" (Get Leads by Filter Type, swagger-mapi.json); custom fields of the
     * string, email and integer types may be too.
     */
    private static final Set<String> STANDARD_LOOKUPS = Set.of("cookies", "email", "facebookId", "id",
            "leadPartitionId", "linkedInId", "sfdcAccountId", "sfdcContactId", "sfdcLeadId", "sfdcLeadOwnerId",
            "sfdcOpptyId", "twitterId");
    private static final Set<String> CUSTOM_LOOKUP_TYPES = Set.of("string", "email", "integer");
    /** "If the fields parameter is not included … the following default fields are returned" (leads page). */
    static final List<String> DEFAULT_FIELDS = List.of("id", "updatedAt", "lastName", "email", "createdAt",
            "firstName");
    private static final Pattern LEAD_BY_ID = Pattern.compile("/rest/v1/lead/(\\d+)\\.json");

    private final Map<String, String> clients;
    private final String scope;
    private final Duration tokenLifespan;
    private final Duration processing;
    private final LimitGate gate;
    private final LeadEndpoints leadEndpoints = new LeadEndpoints(this);
    private final AtomicLong requestIds = new AtomicLong(0x2a41);

    private final Object tokenLock = new Object();
    private final Map<String, Token> tokensByClient = new HashMap<>();
    private final Map<String, Token> tokensByValue = new HashMap<>();

    final Object data = new Object();
    final Map<String, MarketoField> fields = new LinkedHashMap<>();
    final Map<String, Integer> fieldIds = new HashMap<>();
    final TreeMap<Long, Lead> leads = new TreeMap<>();
    final Map<String, Set<Long>> byEmail = new HashMap<>();
    long nextLeadId = 1001;
    private int nextFieldId = 1;

    private record Token(String value, String clientId, Instant expiresAt) {
    }

    /** A stored lead: its id, its field values (never id, createdAt or updatedAt) and its timestamps. */
    static final class Lead {
        final long id;
        final Map<String, Object> values = new LinkedHashMap<>();
        final Instant createdAt;
        Instant updatedAt;

        Lead(long id, Instant now) {
            this.id = id;
            this.createdAt = now;
            this.updatedAt = now;
        }
    }

    private MarketoSandbox(Builder builder) {
        super(builder);
        this.clients = Map.copyOf(builder.clients);
        this.scope = builder.scope;
        this.tokenLifespan = builder.tokenLifespan;
        this.processing = builder.processing;
        this.gate = new LimitGate(builder.perWindow, WINDOW, builder.daily, builder.concurrency, builder.zone,
                clock());
        standardFields().forEach(this::putField);
        builder.fields.forEach(this::addField);
    }

    /** A builder with Marketo's defaults: one client ({@value #DEFAULT_CLIENT_ID}), Marketo's limits, a random port. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A sandbox configured from {@code ebb sandbox marketo} options: {@code client_id}, {@code client_secret},
     * {@code scope}, {@code per_20s}, {@code daily}, {@code concurrency}, {@code time_zone} (when the daily quota
     * resets), {@code token_ttl_s} (token lifespan), {@code processing_ms} (how long each REST call holds its
     * concurrency slot) and {@code fields} ({@code churnRiskScore:float,plan:string}: custom lead fields).
     *
     * @throws IllegalArgumentException for an unknown option or a malformed value, naming the fix
     */
    public static MarketoSandbox fromOptions(int port, Map<String, String> given) {
        SandboxOptions options = SandboxOptions.read("marketo", SETTINGS, given);
        Builder builder = builder().port(port);
        options.text("scope").ifPresent(builder::scope);
        options.positiveInt("per_20s").ifPresent(builder::perTwentySeconds);
        options.positiveLong("daily").ifPresent(builder::daily);
        options.positiveInt("concurrency").ifPresent(builder::concurrency);
        options.positiveLong("token_ttl_s").ifPresent(s -> builder.tokenLifespan(Duration.ofSeconds(s)));
        options.positiveLong("processing_ms").ifPresent(ms -> builder.processing(Duration.ofMillis(ms)));
        options.zone("time_zone", "America/Chicago").ifPresent(builder::timeZone);
        options.list("fields").ifPresent(specs -> specs.forEach(spec -> {
            String[] parts = spec.split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("fields entry '" + spec
                        + "' should read name:dataType, e.g. churnRiskScore:float");
            }
            builder.field(MarketoField.custom(parts[0].trim(), parts[1].trim()));
        }));
        return builder.client(options.text("client_id").orElse(DEFAULT_CLIENT_ID),
                options.text("client_secret").orElse(DEFAULT_CLIENT_SECRET)).build();
    }

    /** Configures a {@link MarketoSandbox}; not thread-safe. */
    public static final class Builder extends SandboxServer.Builder<Builder> {
        private final Map<String, String> clients = new LinkedHashMap<>();
        private String scope = DEFAULT_SCOPE;
        private int perWindow = DEFAULT_PER_WINDOW;
        private long daily = DEFAULT_DAILY;
        private int concurrency = DEFAULT_CONCURRENCY;
        private ZoneId zone = DEFAULT_RESET_ZONE;
        private Duration tokenLifespan = DEFAULT_TOKEN_LIFESPAN;
        private Duration processing = Duration.ZERO;
        private final List<MarketoField> fields = new ArrayList<>();

        private Builder() {
        }

        /** A custom service's credentials; the first call replaces the default client. */
        public Builder client(String clientId, String clientSecret) {
            if (clientId.isBlank() || clientSecret.isBlank()) {
                throw new IllegalArgumentException("a client needs a non-blank id and secret");
            }
            clients.put(clientId, clientSecret);
            return this;
        }

        /** The owning user reported as the token's scope. */
        public Builder scope(String scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /** Calls per sliding 20 seconds (default 100; small values make throttling tests fast). */
        public Builder perTwentySeconds(int calls) {
            this.perWindow = calls;
            return this;
        }

        /** Calls per day (default 50,000). */
        public Builder daily(long calls) {
            this.daily = calls;
            return this;
        }

        /** Calls in flight at once (default 10). */
        public Builder concurrency(int calls) {
            this.concurrency = calls;
            return this;
        }

        /** The zone whose midnight resets the daily quota (default America/Chicago). */
        public Builder timeZone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** The lifespan of a new access token (default one hour). */
        public Builder tokenLifespan(Duration lifespan) {
            if (lifespan.isNegative() || lifespan.isZero()) throw new IllegalArgumentException("token lifespan must be positive");
            this.tokenLifespan = lifespan;
            return this;
        }

        /** How long each admitted REST call holds its concurrency slot before it is handled (default none). */
        public Builder processing(Duration processing) {
            this.processing = Objects.requireNonNull(processing, "processing");
            return this;
        }

        /** A custom lead field to create at start. */
        public Builder field(MarketoField field) {
            fields.add(Objects.requireNonNull(field, "field"));
            return this;
        }

        /** A writable custom lead field of a Marketo data type ({@code float}, {@code string}, …). */
        public Builder field(String name, String dataType) {
            return field(MarketoField.custom(name, dataType));
        }

        public MarketoSandbox build() {
            if (clients.isEmpty()) clients.put(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
            return new MarketoSandbox(this);
        }
    }

    // ---- the Java API -------------------------------------------------------------------------------------

    /** Every lead, by ascending id. */
    public List<MarketoLead> leads() {
        synchronized (data) {
            return leads.values().stream().map(this::snapshot).toList();
        }
    }

    /** How many leads the instance holds. */
    public int leadCount() {
        synchronized (data) {
            return leads.size();
        }
    }

    /** The lead with this id. */
    public Optional<MarketoLead> lead(long id) {
        synchronized (data) {
            return Optional.ofNullable(leads.get(id)).map(this::snapshot);
        }
    }

    /** Every lead whose {@code field} holds {@code value} (text without regard to case, as Marketo looks up). */
    public List<MarketoLead> findLeads(String field, String value) {
        synchronized (data) {
            MarketoField spec = fields.get(field);
            if (spec == null) throw new IllegalArgumentException("no lead field '" + field + "'");
            return find(spec, value).stream().map(this::snapshot).toList();
        }
    }

    /** The first lead with this email address (without regard to case). */
    public Optional<MarketoLead> findLeadByEmail(String email) {
        return findLeads("email", email).stream().findFirst();
    }

    /**
     * Creates a lead as a person would in Marketo's UI (or a form fill): values are checked against the fields'
     * types, no call is counted, and duplicates by email are allowed, as Marketo allows them.
     */
    public MarketoLead createLead(Map<String, ?> values) {
        synchronized (data) {
            Map<String, Object> changes = new LinkedHashMap<>();
            for (Map.Entry<String, ?> entry : values.entrySet()) {
                MarketoField field = fields.get(entry.getKey());
                if (field == null || field.readOnly()) {
                    throw new IllegalArgumentException("no writable lead field '" + entry.getKey() + "'");
                }
                Object converted = LeadValues.convert(field, JSON.valueToTree(entry.getValue()));
                if (converted instanceof LeadValues.Invalid invalid) throw new IllegalArgumentException(invalid.message());
                changes.put(field.name(), converted);
            }
            Lead lead = new Lead(nextLeadId++, clock().instant());
            leads.put(lead.id, lead);
            apply(lead, changes);
            return snapshot(lead);
        }
    }

    /** The lead fields, standard and custom, in Describe order. */
    public List<MarketoField> fields() {
        synchronized (data) {
            return List.copyOf(fields.values());
        }
    }

    /** Creates a custom lead field (as {@code POST /rest/v1/leads/schema/fields.json} would). */
    public void addField(MarketoField field) {
        synchronized (data) {
            if (fields.containsKey(field.name())) {
                throw new IllegalArgumentException("lead field '" + field.name() + "' already exists");
            }
            putField(field);
        }
    }

    /** Lets every access token issued so far expire now, so the next REST call with one is answered 602. */
    public void expireTokens() {
        Instant now = clock().instant();
        synchronized (tokenLock) {
            tokensByValue.replaceAll((value, token) -> new Token(value, token.clientId(), now));
            tokensByClient.replaceAll((client, token) -> tokensByValue.get(token.value()));
        }
    }

    /** Forgets every access token, so the next REST call with one is answered 601. */
    public void revokeTokens() {
        synchronized (tokenLock) {
            tokensByValue.clear();
            tokensByClient.clear();
        }
    }

    /** REST calls counted in the current 20-second window. */
    public long callsInWindow() {
        return gate.usage()[0];
    }

    /** REST calls counted against today's quota. */
    public long callsToday() {
        return gate.usage()[1];
    }

    /** Clears the window and the daily count, as if a new day had begun. */
    public void resetLimits() {
        gate.reset();
    }

    // ---- HTTP: identity, authentication, limits, routing --------------------------------------------------

    @Override
    protected SandboxResponse handle(SandboxRequest request) {
        if (request.path().equals(IDENTITY)) return identity(request);
        if (!request.path().startsWith("/rest/")) return SandboxResponse.text(404, "Not Found");
        // HTTP-level errors come before anything else: they are the only non-200 answers of the REST API.
        if (request.body().length > MAX_BODY_BYTES) return SandboxResponse.text(413, "Request Entity Too Large");
        if (uriLength(request) > MAX_URI_BYTES) return SandboxResponse.text(414, "Request-URI Too Long");
        Optional<SandboxResponse> refused = authenticate(request);
        if (refused.isPresent()) return refused.get();

        LimitGate.Decision decision = gate.admit();
        if (decision.refusal() != null) {
            return error(decision.refusal().code, decision.refusal().message(gate.perWindow(), gate.window()));
        }
        boolean counted = false;
        try {
            if (!processing.isZero()) hold(processing);
            SandboxResponse response;
            try {
                response = route(request);
                counted = true;
            } catch (SandboxReply reply) {
                response = reply.response();
            }
            return response;
        } finally {
            gate.finish(decision.ticket(), counted);
        }
    }

    /** Marketo throttles inside an HTTP 200: {@code success: false} and error 606 (error-codes page). */
    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        return error(LimitGate.Refusal.RATE.code, LimitGate.Refusal.RATE.message(gate.perWindow(), gate.window()));
    }

    /**
     * The Identity endpoint: "Calls to this endpoint are not counted towards API call limit" (swagger-identity.json).
     * Errors are the OAuth server's JSON ({@code error}, {@code error_description}); the error-codes page says it
     * "can return a 401 Unauthorized error … typically due to an invalid Client Id or invalid Client Secret".
     */
    private SandboxResponse identity(SandboxRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("POST")) {
            return oauthError(405, "method_not_allowed", "Request method '" + request.method() + "' not supported");
        }
        Map<String, List<String>> params = new LinkedHashMap<>(request.query());
        if (request.method().equals("POST") && request.header("Content-Type").orElse("")
                .toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            SandboxRequest.parseQuery(request.bodyText()).forEach(params::putIfAbsent);
        }
        String clientId = first(params, "client_id");
        String secret = first(params, "client_secret");
        String grantType = first(params, "grant_type");
        if (clientId == null || clientId.isBlank()) {
            return oauthError(401, "unauthorized", "Full authentication is required to access this resource");
        }
        if (!clients.containsKey(clientId)) {
            return oauthError(401, "unauthorized", "No client with requested id: " + clientId);
        }
        if (!clients.get(clientId).equals(secret)) return oauthError(401, "invalid_client", "Bad client credentials");
        if (grantType == null || grantType.isBlank()) return oauthError(400, "invalid_request", "Missing grant type");
        if (!grantType.equals("client_credentials")) {
            return oauthError(400, "unsupported_grant_type", "Unsupported grant type: " + grantType);
        }
        Instant now = clock().instant();
        Token token;
        synchronized (tokenLock) {
            token = tokensByClient.get(clientId);
            // "If you call the Identity endpoint before your token has expired, the same token and the remaining
            // lifespan will be returned in the response" (authentication page).
            if (token == null || !now.isBefore(token.expiresAt())) {
                token = new Token(UUID.randomUUID() + ":sb", clientId, now.plus(tokenLifespan));
                tokensByClient.put(clientId, token);
                tokensByValue.put(token.value(), token);
            }
        }
        long remainingMillis = Duration.between(now, token.expiresAt()).toMillis();
        // A new token reports 3599 (authentication page's example): whole seconds left, less the one under way.
        long expiresIn = Math.max(0, (remainingMillis + 999) / 1000 - 1);
        ObjectNode body = JSON.createObjectNode()
                .put("access_token", token.value())
                .put("token_type", "bearer")
                .put("expires_in", expiresIn)
                .put("scope", scope);
        return SandboxResponse.json(200, body);
    }

    private static SandboxResponse oauthError(int status, String error, String description) {
        return SandboxResponse.json(status, JSON.createObjectNode().put("error", error)
                .put("error_description", description));
    }

    /** 600/601/602 for a missing, unknown or expired token, inside an HTTP 200 like every response-level error. */
    private Optional<SandboxResponse> authenticate(SandboxRequest request) {
        String header = request.header("Authorization").orElse("");
        String value = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : request.queryParam("access_token").orElse("").trim();
        if (value.isEmpty()) {
            // Marketo's reference lists no code for a missing token; 600 "Empty access token" is how integrators
            // report it (https://kb.demandbase.com/hc/en-us/articles/7274367003035) [3p].
            return Optional.of(error("600", "Empty access token"));
        }
        Token token;
        synchronized (tokenLock) {
            token = tokensByValue.get(value);
        }
        if (token == null) return Optional.of(error("601", "Access token invalid"));
        if (!clock().instant().isBefore(token.expiresAt())) return Optional.of(error("602", "Access token expired"));
        return Optional.empty();
    }

    private SandboxResponse route(SandboxRequest request) {
        String method = request.method();
        switch (request.path()) {
            case "/rest/v1/leads.json" -> {
                if (method.equals("GET")) return leadEndpoints.getLeads(request.query());
                if (method.equals("POST")) {
                    // "change your GET to POST, add the _method=GET parameter, and place a query string in the
                    // request body" (leads page, Get Leads by Filter Type).
                    if (request.queryParam("_method").orElse("").equalsIgnoreCase("GET")) {
                        Map<String, List<String>> params = new LinkedHashMap<>(request.query());
                        SandboxRequest.parseQuery(request.bodyText()).forEach(params::putIfAbsent);
                        return leadEndpoints.getLeads(params);
                    }
                    return leadEndpoints.syncLeads(request);
                }
            }
            case "/rest/v1/leads/describe.json" -> {
                if (method.equals("GET")) return leadEndpoints.describe();
            }
            case "/rest/v1/leads/describe2.json" -> {
                if (method.equals("GET")) return leadEndpoints.describe2();
            }
            case "/rest/v1/leads/delete.json" -> {
                if (method.equals("POST")) return leadEndpoints.delete(request);
            }
            default -> {
                Matcher byId = LEAD_BY_ID.matcher(request.path());
                if (!byId.matches()) throw fail("610", "Requested resource not found");
                if (method.equals("GET")) return leadEndpoints.getLead(Long.parseLong(byId.group(1)), request.query());
            }
        }
        throw fail("605", "HTTP Method not supported");
    }

    // ---- leads and fields ---------------------------------------------------------------------------------

    List<Lead> find(MarketoField field, String value) {
        if (field.name().equals("id")) {
            try {
                Lead lead = leads.get(Long.parseLong(value.trim()));
                return lead == null ? List.of() : List.of(lead);
            } catch (NumberFormatException e) {
                return List.of();
            }
        }
        if (field.name().equals("email")) {
            return byEmail.getOrDefault(value.trim().toLowerCase(Locale.ROOT), Set.of()).stream()
                    .map(leads::get).toList();
        }
        List<Lead> found = new ArrayList<>();
        for (Lead lead : leads.values()) {
            if (LeadValues.matches(field, lead.values.get(field.name()), value)) found.add(lead);
        }
        return found;
    }

    void apply(Lead lead, Map<String, Object> changes) {
        unindex(lead);
        changes.forEach((name, value) -> {
            if (value == null) lead.values.remove(name);
            else lead.values.put(name, value);
        });
        Object email = lead.values.get("email");
        if (email != null) {
            byEmail.computeIfAbsent(email.toString().toLowerCase(Locale.ROOT), k -> new java.util.TreeSet<>())
                    .add(lead.id);
        }
    }

    void unindex(Lead lead) {
        Object email = lead.values.get("email");
        if (email == null) return;
        String key = email.toString().toLowerCase(Locale.ROOT);
        Set<Long> ids = byEmail.get(key);
        if (ids == null) return;
        ids.remove(lead.id);
        if (ids.isEmpty()) byEmail.remove(key);
    }

    boolean lookupable(MarketoField field) {
        return STANDARD_LOOKUPS.contains(field.name()) || (field.custom() && CUSTOM_LOOKUP_TYPES.contains(field.dataType()));
    }

    private void putField(MarketoField field) {
        fields.put(field.name(), field);
        fieldIds.put(field.name(), nextFieldId++);
    }

    ObjectNode leadJson(Lead lead, List<String> wanted) {
        ObjectNode node = JSON.createObjectNode();
        for (String name : wanted) {
            Object value = switch (name) {
                case "id" -> lead.id;
                case "createdAt" -> LeadValues.DATETIME.format(lead.createdAt);
                case "updatedAt" -> LeadValues.DATETIME.format(lead.updatedAt);
                default -> lead.values.get(name);
            };
            // "If a particular field is requested, but not returned, the value is implied to be null" (leads page).
            if (value != null) node.set(name, LeadValues.json(value));
        }
        return node;
    }

    private MarketoLead snapshot(Lead lead) {
        Map<String, String> values = new LinkedHashMap<>();
        lead.values.forEach((name, value) -> values.put(name, LeadValues.text(value)));
        values.put("createdAt", LeadValues.DATETIME.format(lead.createdAt));
        values.put("updatedAt", LeadValues.DATETIME.format(lead.updatedAt));
        return new MarketoLead(lead.id, values);
    }

    /** A subset of Marketo's standard lead fields (list-of-standard-fields page), with their REST names. */
    private static List<MarketoField> standardFields() {
        return List.of(
                MarketoField.standard("id", "Id", "integer").asReadOnly(),
                MarketoField.standard("email", "Email Address", "email"),
                MarketoField.standard("salutation", "Salutation", "string"),
                MarketoField.standard("firstName", "First Name", "string"),
                MarketoField.standard("middleName", "Middle Name", "string"),
                MarketoField.standard("lastName", "Last Name", "string"),
                MarketoField.standard("title", "Job Title", "string"),
                MarketoField.standard("company", "Company Name", "string"),
                MarketoField.standard("phone", "Phone Number", "phone"),
                MarketoField.standard("mobilePhone", "Mobile Phone Number", "phone"),
                MarketoField.standard("address", "Address", "text"),
                MarketoField.standard("city", "City", "string"),
                MarketoField.standard("state", "State", "string"),
                MarketoField.standard("postalCode", "Postal Code", "string"),
                MarketoField.standard("country", "Country", "string"),
                MarketoField.standard("website", "Website", "url"),
                MarketoField.standard("industry", "Industry", "string"),
                MarketoField.standard("annualRevenue", "Annual Revenue", "currency"),
                MarketoField.standard("numberOfEmployees", "Num Employees", "integer"),
                MarketoField.standard("leadSource", "Person Source", "string"),
                MarketoField.standard("leadStatus", "Lead Status", "string"),
                MarketoField.standard("leadScore", "Lead Score", "integer"),
                MarketoField.standard("dateOfBirth", "Date of Birth", "date"),
                MarketoField.standard("unsubscribed", "Unsubscribed", "boolean"),
                MarketoField.standard("doNotCall", "Do Not Call", "boolean"),
                MarketoField.standard("cookies", "Cookies", "string"),
                MarketoField.standard("sfdcLeadId", "SFDC Lead ID", "string").asReadOnly(),
                MarketoField.standard("createdAt", "Created At", "datetime").asReadOnly(),
                MarketoField.standard("updatedAt", "Updated At", "datetime").asReadOnly());
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /**
     * The body of a POST as JSON: 612 without a JSON content type ("add a content type header specifying JSON"),
     * 609 when it does not parse (error-codes page).
     */
    JsonNode readJson(SandboxRequest request) {
        String contentType = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("application/json")) throw fail("612", "Invalid Content Type");
        try {
            JsonNode node = JSON.readTree(request.bodyText());
            if (node != null && node.isObject()) return node;
        } catch (JsonProcessingException e) {
            // the answer below
        }
        throw fail("609", "Invalid JSON");
    }

    SandboxResponse success(ArrayNode result) {
        ObjectNode body = JSON.createObjectNode().put("requestId", requestId());
        body.set("result", result);
        body.put("success", true);
        return SandboxResponse.json(200, body);
    }

    /** A response-level error: HTTP 200, {@code success: false}, one entry in {@code errors} (error-codes page). */
    private SandboxResponse error(String code, String message) {
        ObjectNode body = JSON.createObjectNode().put("requestId", requestId()).put("success", false);
        body.putArray("errors").addObject().put("code", code).put("message", message);
        return SandboxResponse.json(200, body);
    }

    SandboxReply fail(String code, String message) {
        return new SandboxReply(error(code, message));
    }

    /** Marketo's request ids look like {@code e42b#14272d07d78}: a counter and the time, in hex. */
    String requestId() {
        return Long.toHexString(requestIds.incrementAndGet()) + "#" + Long.toHexString(clock().millis());
    }

    static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    static List<String> splitAll(List<String> values) {
        return values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(v -> !v.isEmpty()).toList();
    }

    private static int uriLength(SandboxRequest request) {
        int length = request.path().length();
        for (Map.Entry<String, List<String>> param : request.query().entrySet()) {
            for (String value : param.getValue()) {
                length += 2 + URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8).length()
                        + URLEncoder.encode(value, StandardCharsets.UTF_8).length();
            }
        }
        return length;
    }

    /** Holds the request thread (a virtual thread) without sleeping, like the base's latency faults. */
    private static void hold(Duration duration) {
        CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS)).join();
    }

    // ---- /_sandbox/ ---------------------------------------------------------------------------------------

    @Override
    protected Optional<SandboxResponse> handleSandbox(SandboxRequest request) {
        String route = request.method() + " " + request.path();
        try {
            return switch (route) {
                case "GET /_sandbox/leads" -> Optional.of(dumpLeads());
                case "DELETE /_sandbox/leads" -> {
                    synchronized (data) {
                        leads.clear();
                        byEmail.clear();
                    }
                    yield Optional.of(SandboxResponse.empty(204));
                }
                case "POST /_sandbox/leads" -> Optional.of(createLeadsOverHttp(request));
                case "GET /_sandbox/fields" -> Optional.of(fieldsJson());
                case "POST /_sandbox/fields" -> {
                    JsonNode body = sandboxJson(request);
                    MarketoField field = MarketoField.custom(body.path("name").asText(""),
                            body.path("displayName").asText(null), body.path("dataType").asText("string"));
                    addField(field);
                    yield Optional.of(SandboxResponse.json(201, JSON.valueToTree(field)));
                }
                case "GET /_sandbox/limits" -> Optional.of(limitsJson());
                case "DELETE /_sandbox/limits" -> {
                    resetLimits();
                    yield Optional.of(SandboxResponse.empty(204));
                }
                case "GET /_sandbox/tokens" -> Optional.of(tokensJson());
                case "POST /_sandbox/tokens/expire" -> {
                    expireTokens();
                    yield Optional.of(SandboxResponse.empty(204));
                }
                case "DELETE /_sandbox/tokens" -> {
                    revokeTokens();
                    yield Optional.of(SandboxResponse.empty(204));
                }
                default -> Optional.empty();
            };
        } catch (SandboxReply reply) {
            return Optional.of(sandboxError(400, reply.response().bodyText()));
        }
    }

    private SandboxResponse dumpLeads() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode result = JSON.createArrayNode();
        synchronized (data) {
            body.put("total", leads.size());
            for (Lead lead : leads.values()) {
                ObjectNode node = result.addObject().put("id", lead.id);
                lead.values.forEach((name, value) -> node.set(name, LeadValues.json(value)));
                node.put("createdAt", LeadValues.DATETIME.format(lead.createdAt));
                node.put("updatedAt", LeadValues.DATETIME.format(lead.updatedAt));
            }
        }
        body.set("result", result);
        return SandboxResponse.json(200, body);
    }

    private SandboxResponse createLeadsOverHttp(SandboxRequest request) {
        JsonNode body = sandboxJson(request);
        List<JsonNode> inputs = new ArrayList<>();
        if (body.has("input") && body.get("input").isArray()) body.get("input").forEach(inputs::add);
        else inputs.add(body);
        ArrayNode created = JSON.createArrayNode();
        for (JsonNode input : inputs) {
            Map<String, Object> values = new LinkedHashMap<>();
            input.properties().forEach(e -> values.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
            MarketoLead lead = createLead(values);
            created.addObject().put("id", lead.id()).put("status", "created");
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.set("result", created);
        return SandboxResponse.json(201, answer);
    }

    private SandboxResponse fieldsJson() {
        ArrayNode result = JSON.createArrayNode();
        fields().forEach(field -> {
            ObjectNode node = JSON.valueToTree(field);
            node.put("lookup", lookupable(field));
            result.add(node);
        });
        return SandboxResponse.json(200, JSON.createObjectNode().set("result", result));
    }

    private SandboxResponse limitsJson() {
        long[] usage = gate.usage();
        ObjectNode body = JSON.createObjectNode()
                .put("per20Seconds", gate.perWindow())
                .put("inWindow", usage[0])
                .put("daily", gate.daily())
                .put("today", usage[1])
                .put("concurrency", gate.concurrency())
                .put("inFlight", usage[2])
                .put("timeZone", gate.zone().getId());
        return SandboxResponse.json(200, body);
    }

    private SandboxResponse tokensJson() {
        ArrayNode result = JSON.createArrayNode();
        Instant now = clock().instant();
        synchronized (tokenLock) {
            // Tokens are sandbox credentials, but the habit holds: never print one whole.
            tokensByValue.values().forEach(token -> result.addObject()
                    .put("token", token.value().substring(0, 4) + "…")
                    .put("clientId", token.clientId())
                    .put("expiresAt", token.expiresAt().toString())
                    .put("expired", !now.isBefore(token.expiresAt())));
        }
        return SandboxResponse.json(200, JSON.createObjectNode().set("result", result));
    }

    private static JsonNode sandboxJson(SandboxRequest request) {
        try {
            JsonNode node = JSON.readTree(request.bodyText());
            if (node != null && node.isObject()) return node;
        } catch (JsonProcessingException e) {
            // the message below
        }
        throw new IllegalArgumentException("the body must be a JSON object");
    }
}
