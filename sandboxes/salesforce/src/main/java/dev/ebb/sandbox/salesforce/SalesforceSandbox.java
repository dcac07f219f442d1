package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.SandboxOptions;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.SlidingWindow;
import dev.ebb.sandbox.salesforce.FieldValues.SaveErrorException;
import dev.ebb.sandbox.salesforce.Org.SaveResult;
import dev.ebb.sandbox.salesforce.SObjectType.Stored;
import dev.ebb.sandbox.salesforce.Soql.SoqlException;
import dev.ebb.spi.ConnectorOption;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ebb.sandbox.salesforce.RestAnswers.error;
import static dev.ebb.sandbox.salesforce.RestAnswers.methodNotAllowed;
import static dev.ebb.sandbox.salesforce.RestAnswers.notFound;
import static dev.ebb.sandbox.salesforce.RestAnswers.readJson;

/**
 * A local Salesforce org: the OAuth 2.0 token endpoint, REST API describe, sObject and sObject Collections
 * endpoints, SOQL queries and Bulk API 2.0 ingest jobs, as Salesforce documents them, with records in memory.
 *
 * <p>What it models (see {@code docs/sandboxes/salesforce.md} for the full list and the gaps):
 * <ul>
 *   <li>Sign-in at {@code /services/oauth2/token} with the JWT bearer (the assertion's RS256 signature checked
 *       against a configured public key or certificate, and its {@code iss}, {@code sub}, {@code aud}, {@code exp}),
 *       client credentials and refresh token flows; Bearer access tokens that expire with the session timeout
 *       (401 {@code INVALID_SESSION_ID}).</li>
 *   <li>Contact and Account with their usual fields, and custom objects and fields (External IDs, unique,
 *       required, restricted picklists), described by {@code GET /sobjects/{Object}/describe}.</li>
 *   <li>sObject Collections create, update, upsert by External ID and delete, at most 200 records
 *       ({@code EXCEEDED_ID_LIMIT}), {@code allOrNone} either way, per-record results in order.</li>
 *   <li>Validation with Salesforce's status codes: {@code REQUIRED_FIELD_MISSING}, {@code INVALID_EMAIL_ADDRESS},
 *       {@code STRING_TOO_LONG}, {@code INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST}, {@code NUMBER_OUTSIDE_VALID_RANGE},
 *       {@code DUPLICATE_VALUE}, {@code DUPLICATE_EXTERNAL_ID}, {@code MALFORMED_ID}, {@code ENTITY_IS_DELETED},
 *       and whole-request {@code JSON_PARSER_ERROR} / {@code INVALID_FIELD}.</li>
 *   <li>Bulk API 2.0 ingest jobs: create, upload once, close, a job that moves UploadComplete → InProgress →
 *       JobComplete as it is polled, and the successful, failed ({@code sf__Error}) and unprocessed results as CSV.</li>
 *   <li>The org's rolling 24-hour API request allocation, reported on every answer in {@code Sforce-Limit-Info}
 *       and enforced with Salesforce's 403 {@code REQUEST_LIMIT_EXCEEDED}; the Bulk batch allocation.</li>
 * </ul>
 *
 * <p>Thread-safe: one lock guards the org's data and jobs, so each request is applied atomically.
 */
public final class SalesforceSandbox extends SandboxServer {
    public static final String DEFAULT_CLIENT_ID = "ebb-sandbox-client";
    public static final String DEFAULT_CLIENT_SECRET = "ebb-sandbox-secret";
    public static final String DEFAULT_USERNAME = "integration@ebb-sandbox.example";
    public static final String DEFAULT_REFRESH_TOKEN = "ebb-sandbox-refresh-token";
    public static final String DEFAULT_ORG_ID = "00D8d0000001EbbEAE";
    /** The daily API request allocation of an Enterprise Edition org before per-license additions (LIMITS §2). */
    public static final long DEFAULT_DAILY_LIMIT = 100_000;
    /** "15,000 batches per rolling 24 hours", shared by Bulk API and Bulk API 2.0 (LIMITS §2). */
    public static final long DEFAULT_BULK_BATCHES = 15_000;
    /** Salesforce's default session timeout is two hours (Setup, Session Settings). */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofHours(2);
    /** "The list can contain up to 200 objects" (sObject Collections; LIMITS §2). */
    public static final int MAX_COLLECTION_RECORDS = 200;
    /** Salesforce makes one batch per 10,000 records of a job's data (LIMITS §2). */
    public static final int RECORDS_PER_BATCH = 10_000;
    /** At most 150 MB of base64 per upload, that is about 100 MB of CSV (upload-job-data.html, LIMITS §2). */
    public static final long MAX_UPLOAD_BYTES = 150L * 1024 * 1024 * 3 / 4;
    /** URI and headers together: 16,384 bytes (Salesforce help article 000386264). */
    public static final int MAX_URI = 16_384;
    /** Query results come 2,000 records a page (same article). */
    public static final int QUERY_PAGE = 2_000;
    /** API versions the sandbox answers: Spring '14 to Winter '26. */
    static final int OLDEST_VERSION = 30;
    static final int NEWEST_VERSION = 65;

    /**
     * Daily API requests and Bulk API batches are counted over a rolling 24 hours, not per calendar day
     * (salesforce-app-limits-platform-api.html, salesforce-app-limits-platform-bulkapi.html; LIMITS §2).
     */
    static final Duration ROLLING_DAY = Duration.ofHours(24);

    /** The options {@link #fromOptions} accepts, described as {@code ebb sandbox salesforce --help} lists them. */
    public static final List<ConnectorOption> SETTINGS = List.of(
            ConnectorOption.optional("client_id", "the connected app's consumer key (default " + DEFAULT_CLIENT_ID + ")"),
            ConnectorOption.optional("client_secret", "its consumer secret (default " + DEFAULT_CLIENT_SECRET + ")"),
            ConnectorOption.optional("username", "the integration user, a JWT's sub (default " + DEFAULT_USERNAME + ")"),
            ConnectorOption.optional("jwt_public_key", "a PEM file (public key or certificate) JWT assertions "
                    + "must verify with; without it the JWT bearer flow refuses every assertion"),
            ConnectorOption.optional("refresh_token", "accepted refresh tokens, comma-separated (default "
                    + DEFAULT_REFRESH_TOKEN + ")"),
            ConnectorOption.optional("client_credentials", "true | false: whether the client credentials flow "
                    + "is enabled (default true)"),
            ConnectorOption.optional("audiences", "accepted JWT aud values besides the sandbox's URL (default "
                    + "https://login.salesforce.com,https://test.salesforce.com)"),
            ConnectorOption.optional("daily_limit", "API requests per rolling 24 hours (default "
                    + DEFAULT_DAILY_LIMIT + ")"),
            ConnectorOption.optional("bulk_batches", "Bulk API batches per rolling 24 hours (default "
                    + DEFAULT_BULK_BATCHES + ")"),
            ConnectorOption.optional("bulk_polls", "job-info reads that answer InProgress before a closed job "
                    + "is processed (default 1)"),
            ConnectorOption.optional("session_seconds", "how long access tokens live (default 7200)"),
            ConnectorOption.optional("org_id", "the org id (default " + DEFAULT_ORG_ID + ")"),
            ConnectorOption.optional("instance_url", "the instance_url token responses name (default: the "
                    + "sandbox's URL)"),
            ConnectorOption.optional("objects", "custom objects to create, e.g. Churn_Signal__c,Renewal__c"),
            ConnectorOption.optional("fields", "fields to add, e.g. Contact.Customer_Key__c:string(80):external:"
                    + "unique,Contact.Churn_Risk_Score__c:double(18,4),Contact.Plan__c:picklist(Free|Pro):restricted"));
    /** The option keys {@link #fromOptions} accepts. */
    public static final Set<String> OPTIONS = SandboxOptions.names(SETTINGS);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("v(\\d{2})\\.0");

    private final Object data = new Object();
    private final Org org;
    private final TokenEndpoint oauth;
    private final SlidingWindow requests;
    private final SlidingWindow batches;
    private final BulkIngest bulk;
    private final SObjectCollections collections;
    private final SObjectRows rows;
    private final String configuredInstanceUrl;
    private final Map<String, List<ObjectNode>> cursors = new HashMap<>();

    private SalesforceSandbox(Builder builder) {
        super(builder);
        this.org = new Org(clock(), SalesforceIds.normalize(builder.orgId).orElseThrow(() ->
                new IllegalArgumentException("org_id '" + builder.orgId + "' is not a 15 or 18 character id")),
                SalesforceIds.make("005", 42));
        this.configuredInstanceUrl = builder.instanceUrl;
        Set<String> audiences = new LinkedHashSet<>(builder.audiences);
        this.oauth = new TokenEndpoint(clock(), builder.clientId, builder.clientSecret, builder.username,
                builder.jwtKeys, builder.refreshTokens, builder.clientCredentials, audiences, builder.sessionTimeout,
                org.orgId, org.userId, this::instanceUrl);
        this.requests = new SlidingWindow(builder.dailyLimit, ROLLING_DAY, clock());
        this.batches = new SlidingWindow(builder.bulkBatches, ROLLING_DAY, clock());
        this.collections = new SObjectCollections(data, org);
        this.rows = new SObjectRows(data, org);
        this.bulk = new BulkIngest(data, org, batches, builder.bulkPolls, clock());
        org.addType(StandardObjects.account());
        org.addType(StandardObjects.contact());
        builder.customObjects.forEach((name, fields) -> org.createCustomObject(name, fields));
        builder.fields.forEach(entry -> addField(entry.getKey(), entry.getValue()));
    }

    /** A builder with the sandbox's defaults (client {@value #DEFAULT_CLIENT_ID}, a free port). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A sandbox from {@code ebb sandbox salesforce} options: {@code client_id}, {@code client_secret},
     * {@code username}, {@code jwt_public_key} (a PEM file: public key or certificate), {@code refresh_token},
     * {@code client_credentials} (true|false), {@code audiences}, {@code daily_limit}, {@code bulk_batches},
     * {@code bulk_polls}, {@code session_seconds}, {@code org_id}, {@code instance_url}, {@code objects}
     * ({@code Churn_Signal__c,Renewal__c}) and {@code fields}
     * ({@code Contact.Customer_Key__c:string(80):external:unique,Contact.Score__c:double(18,4)}).
     *
     * @throws IllegalArgumentException for an unknown option or a malformed value, naming the fix
     */
    public static SalesforceSandbox fromOptions(int port, Map<String, String> given) {
        SandboxOptions options = SandboxOptions.read("salesforce", SETTINGS, given);
        Builder builder = builder().port(port);
        options.text("client_id").ifPresent(builder::clientId);
        options.text("client_secret").ifPresent(builder::clientSecret);
        options.text("username").ifPresent(builder::username);
        options.text("jwt_public_key").ifPresent(file -> {
            try {
                builder.jwtKey(CertificateKeys.read(Files.readString(Path.of(file))));
            } catch (IOException e) {
                throw new IllegalArgumentException("jwt_public_key: cannot read " + file + ": " + e.getMessage());
            }
        });
        options.list("refresh_token").ifPresent(tokens -> builder.refreshTokens(tokens.toArray(String[]::new)));
        options.flag("client_credentials", "true", "false").ifPresent(builder::clientCredentials);
        options.list("audiences").ifPresent(audiences -> builder.audiences(audiences.toArray(String[]::new)));
        options.positiveLong("daily_limit").ifPresent(builder::dailyLimit);
        options.positiveLong("bulk_batches").ifPresent(builder::bulkBatches);
        options.wholeNumber("bulk_polls").ifPresent(polls -> builder.bulkPolls(polls.intValue()));
        options.positiveLong("session_seconds").ifPresent(s -> builder.sessionTimeout(Duration.ofSeconds(s)));
        options.text("org_id").ifPresent(builder::orgId);
        options.text("instance_url").ifPresent(builder::instanceUrl);
        options.list("objects").ifPresent(names -> names.forEach(builder::customObject));
        options.text("fields").ifPresent(value -> {
            // Split before each "Object." so a type's own commas, as in double(18,4), stay inside its entry.
            for (String spec : value.split(",(?=[A-Za-z][A-Za-z0-9_]*\\.)")) {
                if (spec.isBlank()) continue;
                int dot = spec.indexOf('.');
                if (dot < 1) {
                    throw new IllegalArgumentException("fields entry '" + spec.trim() + "' should read "
                            + "Object.Name:type, e.g. Contact.Customer_Key__c:string(80):external:unique");
                }
                builder.field(spec.substring(0, dot).trim(), SalesforceField.parse(spec.substring(dot + 1)));
            }
        });
        return builder.build();
    }

    /** Configures a {@link SalesforceSandbox}; not thread-safe. */
    public static final class Builder extends SandboxServer.Builder<Builder> {
        private String clientId = DEFAULT_CLIENT_ID;
        private String clientSecret = DEFAULT_CLIENT_SECRET;
        private String username = DEFAULT_USERNAME;
        private final List<PublicKey> jwtKeys = new ArrayList<>();
        private Set<String> refreshTokens = Set.of(DEFAULT_REFRESH_TOKEN);
        private boolean clientCredentials = true;
        private Set<String> audiences = Set.of("https://login.salesforce.com", "https://test.salesforce.com");
        private long dailyLimit = DEFAULT_DAILY_LIMIT;
        private long bulkBatches = DEFAULT_BULK_BATCHES;
        private int bulkPolls = 1;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
        private String orgId = DEFAULT_ORG_ID;
        private String instanceUrl;
        private final Map<String, List<SalesforceField>> customObjects = new LinkedHashMap<>();
        private final List<Map.Entry<String, SalesforceField>> fields = new ArrayList<>();

        private Builder() {
        }

        /** The connected app's consumer key. */
        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            return this;
        }

        /** The connected app's consumer secret. */
        public Builder clientSecret(String clientSecret) {
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
            return this;
        }

        /** The integration user: a JWT assertion's {@code sub}. */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /** A key JWT assertions may be signed with (the connected app's certificate); several may be added. */
        public Builder jwtKey(PublicKey key) {
            jwtKeys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /** The refresh tokens the client may use. */
        public Builder refreshTokens(String... tokens) {
            this.refreshTokens = Set.of(tokens);
            return this;
        }

        /** Whether the connected app enables the client credentials flow (default true). */
        public Builder clientCredentials(boolean enabled) {
            this.clientCredentials = enabled;
            return this;
        }

        /** Accepted JWT audiences, besides the sandbox's own URL. */
        public Builder audiences(String... audiences) {
            this.audiences = Set.of(audiences);
            return this;
        }

        /** The org's API requests per rolling 24 hours (small values make limit tests fast). */
        public Builder dailyLimit(long requests) {
            this.dailyLimit = requests;
            return this;
        }

        /** Bulk API batches per rolling 24 hours. */
        public Builder bulkBatches(long batches) {
            this.bulkBatches = batches;
            return this;
        }

        /** How many Get Job Info reads answer {@code InProgress} before a closed job is processed (default 1). */
        public Builder bulkPolls(int polls) {
            if (polls < 0) throw new IllegalArgumentException("bulk_polls must not be negative");
            this.bulkPolls = polls;
            return this;
        }

        /** How long an access token lives (default two hours). */
        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder orgId(String orgId) {
            this.orgId = Objects.requireNonNull(orgId, "orgId");
            return this;
        }

        /** The {@code instance_url} token responses name (default: the sandbox's own URL). */
        public Builder instanceUrl(String instanceUrl) {
            this.instanceUrl = instanceUrl;
            return this;
        }

        /** A custom object ({@code Churn_Signal__c}) with its Name and these fields. */
        public Builder customObject(String name, SalesforceField... fields) {
            customObjects.put(name, List.of(fields));
            return this;
        }

        /** A field to add to an object (standard or custom) at start. */
        public Builder field(String object, SalesforceField field) {
            fields.add(Map.entry(object, field));
            return this;
        }

        public SalesforceSandbox build() {
            return new SalesforceSandbox(this);
        }
    }

    // ---- the Java API -------------------------------------------------------------------------------------

    /** The base URL token responses send clients to. */
    public String instanceUrl() {
        return configuredInstanceUrl != null ? configuredInstanceUrl : baseUrl();
    }

    public String clientId() {
        return oauth.clientId();
    }

    public String clientSecret() {
        return oauth.clientSecret();
    }

    public String username() {
        return oauth.username();
    }

    public String orgId() {
        return org.orgId;
    }

    /** Adds a field to an object, as Setup's Object Manager would. */
    public void addField(String object, SalesforceField field) {
        synchronized (data) {
            type(object).addField(field);
        }
    }

    /** Creates a custom object with its Name and {@code fields}. */
    public void createCustomObject(String name, SalesforceField... fields) {
        synchronized (data) {
            org.createCustomObject(name, List.of(fields));
        }
    }

    /** The object names, standard ones first. */
    public List<String> objects() {
        synchronized (data) {
            return org.types().stream().map(t -> t.name).toList();
        }
    }

    /** The fields of an object. */
    public List<SalesforceField> fields(String object) {
        synchronized (data) {
            return type(object).fields();
        }
    }

    /** Every record of an object, oldest first. */
    public List<SalesforceRecord> records(String object) {
        synchronized (data) {
            SObjectType type = type(object);
            return type.records().stream().map(type::snapshot).toList();
        }
    }

    public int recordCount(String object) {
        synchronized (data) {
            return type(object).size();
        }
    }

    /** The record with this id (15 or 18 characters). */
    public Optional<SalesforceRecord> record(String object, String id) {
        synchronized (data) {
            SObjectType type = type(object);
            return SalesforceIds.normalize(id).flatMap(type::byId).map(type::snapshot);
        }
    }

    /** The first record whose {@code field} holds {@code value} (text compared case-blind, as SOQL does). */
    public Optional<SalesforceRecord> findRecord(String object, String field, String value) {
        synchronized (data) {
            SObjectType type = type(object);
            SalesforceField spec = type.field(field).orElseThrow(() ->
                    new IllegalArgumentException(object + " has no field " + field));
            Object wanted = spec.type().textual() ? value : parseText(spec, value);
            return type.matching(spec, wanted).stream().findFirst().map(type::snapshot);
        }
    }

    /**
     * Creates a record as a person would in Salesforce's UI: validated like an API save, no API request counted.
     *
     * @throws IllegalArgumentException with Salesforce's error when the record is invalid
     */
    public SalesforceRecord createRecord(String object, Map<String, ?> values) {
        synchronized (data) {
            SObjectType type = type(object);
            SaveResult result = org.create(type, textValues(type, values), null);
            if (!result.success()) throw new IllegalArgumentException(result.errors().getFirst().bulkText());
            return type.snapshot(type.byId(result.id()).orElseThrow());
        }
    }

    /** Changes a record as a person would in Salesforce's UI (for tests of manual edits). */
    public SalesforceRecord updateRecord(String object, String id, Map<String, ?> values) {
        synchronized (data) {
            SObjectType type = type(object);
            SaveResult result = org.update(type, id, textValues(type, values), null);
            if (!result.success()) throw new IllegalArgumentException(result.errors().getFirst().bulkText());
            return type.snapshot(type.byId(result.id()).orElseThrow());
        }
    }

    /** The next {@code count} record saves, whatever API they come through, fail with {@code UNABLE_TO_LOCK_ROW}. */
    public void lockNextRecords(int count) {
        if (count < 1) throw new IllegalArgumentException("count must be at least 1");
        synchronized (data) {
            org.lockNext(count);
        }
    }

    /** Ends every session: the next API request with an old token is a 401 {@code INVALID_SESSION_ID}. */
    public void expireSessions() {
        oauth.expireAll();
    }

    /** API requests counted in the last 24 hours (what {@code Sforce-Limit-Info} reports as used). */
    public long apiRequestsUsed() {
        return requests.used();
    }

    /** Bulk API batches counted in the last 24 hours. */
    public long bulkBatchesUsed() {
        return batches.used();
    }

    /** Forgets the request and batch counts, as if a day had passed without calls. */
    public void resetLimits() {
        requests.reset();
        batches.reset();
    }

    /** The Bulk API 2.0 ingest jobs, oldest first, as Get Job Info reports them. */
    public List<JsonNode> jobs() {
        synchronized (data) {
            return bulk.jobs().stream().map(j -> (JsonNode) j.info(true)).toList();
        }
    }

    /** Processes every closed job now, whatever polls it would still wait for. */
    public void processJobs() {
        synchronized (data) {
            bulk.processClosedJobs();
        }
    }

    private SObjectType type(String object) {
        return org.type(object).orElseThrow(() -> new IllegalArgumentException("no object '" + object
                + "'; the sandbox has " + org.types().stream().map(t -> t.name).toList()));
    }

    private Map<String, Object> textValues(SObjectType type, Map<String, ?> values) {
        Map<String, Object> parsed = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            SalesforceField field = type.field(name).orElseThrow(() ->
                    new IllegalArgumentException(type.name + " has no field " + name));
            Object converted = value == null ? null : value instanceof String text ? parseText(field, text) : value;
            if (converted instanceof String s && s.isEmpty()) converted = null;
            parsed.put(field.name(), converted);
        });
        return parsed;
    }

    static Object parseText(SalesforceField field, String text) {
        if (field.type().textual()) return text;
        try {
            return FieldValues.fromText(field, text);
        } catch (SaveErrorException e) {
            throw new IllegalArgumentException(e.error.bulkText());
        }
    }

    // ---- HTTP: routing, sessions, limits ------------------------------------------------------------------

    @Override
    protected SandboxResponse handle(SandboxRequest request) {
        String path = request.path();
        if (path.equals("/services/oauth2/token")) return oauth.token(request, baseUrl());
        if (path.equals("/services/data") || path.equals("/services/data/")) return versions();
        if (!path.startsWith("/services/data/")) return notFound();
        String token = bearerToken(request);
        if (token == null || !oauth.valid(token)) {
            return error(401, "INVALID_SESSION_ID", "Session expired or invalid");
        }
        if (uriLength(request) > MAX_URI) return SandboxResponse.text(414, "URI Too Long");
        if (!requests.tryTake(1)) {
            return error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.").withHeader("Sforce-Limit-Info",
                    limitInfo());
        }
        SandboxResponse response;
        try {
            response = route(request);
        } catch (SandboxReply reply) {
            response = reply.response();
        }
        return response.withHeader("Sforce-Limit-Info", limitInfo());
    }

    /**
     * Salesforce's answer when too many long-running requests run at once: a 403 like the daily limit's, for a
     * different limit (LIMITS §2). Injected throttles use it; the daily one comes from the allocation itself.
     */
    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        return error(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.")
                .withHeader("Sforce-Limit-Info", limitInfo());
    }

    /** An injected status in Salesforce's error shape. */
    @Override
    protected SandboxResponse statusFault(SandboxRequest request, Fault fault) {
        if (fault.body() != null) return super.statusFault(request, fault);
        String code = switch (fault.status()) {
            case 500 -> "UNKNOWN_EXCEPTION";
            case 502, 503, 504 -> "SERVER_UNAVAILABLE";
            default -> "INJECTED_FAULT";
        };
        return error(fault.status(), code, "Injected sandbox fault: HTTP " + fault.status());
    }

    @Override
    protected SandboxResponse internalError(SandboxRequest request, RuntimeException e) {
        return error(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you "
                + "contact support: " + UUID.randomUUID() + " (sandbox: " + e + ")");
    }

    private String limitInfo() {
        return "api-usage=" + requests.used() + "/" + requests.limit();
    }

    private static String bearerToken(SandboxRequest request) {
        String header = request.header("Authorization").orElse("");
        if (header.length() < 8) return null;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) return header.substring(7).trim();
        if (header.regionMatches(true, 0, "OAuth ", 0, 6)) return header.substring(6).trim();
        return null;
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

    private SandboxResponse route(SandboxRequest request) {
        List<String> segments = Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty()).toList();
        // services, data, vNN.0, …
        Matcher version = VERSION.matcher(segments.get(2));
        if (!version.matches()) throw new SandboxReply(notFound());
        int number = Integer.parseInt(version.group(1));
        if (number < OLDEST_VERSION || number > NEWEST_VERSION) throw new SandboxReply(notFound());
        String apiVersion = number + ".0";
        String dataPath = "/services/data/v" + apiVersion;
        List<String> rest = segments.subList(3, segments.size());
        String method = request.method();
        if (rest.isEmpty()) return method.equals("GET") ? resources(dataPath) : methodNotAllowed(method, "GET");
        return switch (rest.getFirst()) {
            case "sobjects" -> sobjects(request, rest, dataPath);
            case "composite" -> {
                // sObject Collections came with 42.0, their upsert with 46.0.
                if (number < 42 || rest.size() < 2 || !rest.get(1).equals("sobjects")) throw new SandboxReply(notFound());
                yield collections.route(request, rest.subList(2, rest.size()), dataPath, number);
            }
            case "query" -> {
                if (!method.equals("GET")) yield methodNotAllowed(method, "GET");
                yield rest.size() == 1 ? query(request, dataPath) : rest.size() == 2 ? nextPage(rest.get(1))
                        : notFound();
            }
            case "limits" -> method.equals("GET") ? limits() : methodNotAllowed(method, "GET");
            case "jobs" -> {
                // Bulk API 2.0 came with 41.0.
                if (number < 41 || rest.size() < 2 || !rest.get(1).equals("ingest")) throw new SandboxReply(notFound());
                yield bulk.ingest(request, rest.subList(2, rest.size()), apiVersion);
            }
            default -> notFound();
        };
    }

    // ---- resources, describe ------------------------------------------------------------------------------

    private SandboxResponse versions() {
        ArrayNode list = JSON.createArrayNode();
        for (int v = OLDEST_VERSION; v <= NEWEST_VERSION; v++) {
            list.addObject().put("label", "v" + v + ".0").put("url", "/services/data/v" + v + ".0").put("version", v + ".0");
        }
        return SandboxResponse.json(200, list);
    }

    private static SandboxResponse resources(String dataPath) {
        ObjectNode body = JSON.createObjectNode();
        for (String resource : List.of("sobjects", "query", "composite", "limits", "jobs")) {
            body.put(resource, dataPath + "/" + resource);
        }
        return SandboxResponse.json(200, body);
    }

    private SandboxResponse limits() {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("DailyApiRequests").put("Max", requests.limit()).put("Remaining",
                requests.remaining());
        body.putObject("DailyBulkApiBatches").put("Max", batches.limit()).put("Remaining",
                batches.remaining());
        return SandboxResponse.json(200, body);
    }

    private SandboxResponse sobjects(SandboxRequest request, List<String> rest, String dataPath) {
        String method = request.method();
        if (rest.size() == 1) {
            if (!method.equals("GET")) return methodNotAllowed(method, "GET,HEAD");
            ObjectNode body = JSON.createObjectNode().put("encoding", "UTF-8").put("maxBatchSize", MAX_COLLECTION_RECORDS);
            ArrayNode list = body.putArray("sobjects");
            synchronized (data) {
                org.types().forEach(t -> list.add(t.summary(dataPath)));
            }
            return SandboxResponse.json(200, body);
        }
        SObjectType type;
        synchronized (data) {
            type = org.type(rest.get(1)).orElseThrow(() -> new SandboxReply(notFound()));
        }
        if (rest.size() == 2) {
            return switch (method) {
                case "GET" -> {
                    ObjectNode body = JSON.createObjectNode();
                    synchronized (data) {
                        body.set("objectDescribe", type.summary(dataPath));
                    }
                    body.putArray("recentItems");
                    yield SandboxResponse.json(200, body);
                }
                case "POST" -> rows.createOne(request, type);
                default -> methodNotAllowed(method, "GET,HEAD,POST");
            };
        }
        if (rest.size() == 3 && rest.get(2).equals("describe")) {
            if (!method.equals("GET")) return methodNotAllowed(method, "GET,HEAD");
            synchronized (data) {
                return SandboxResponse.json(200, type.describe(dataPath));
            }
        }
        if (rest.size() == 3) {
            return switch (method) {
                case "GET" -> rows.getOne(request, type, rest.get(2), dataPath);
                case "PATCH" -> rows.updateOne(request, type, rest.get(2));
                case "DELETE" -> rows.deleteOne(type, rest.get(2));
                default -> methodNotAllowed(method, "GET,HEAD,PATCH,DELETE");
            };
        }
        if (rest.size() == 4) {
            SalesforceField field;
            synchronized (data) {
                field = type.field(rest.get(2)).orElseThrow(() -> new SandboxReply(error(404, "NOT_FOUND",
                        "Provided external ID field does not exist or is not accessible: " + rest.get(2))));
            }
            return switch (method) {
                case "GET" -> rows.getByExternalId(request, type, field, rest.get(3), dataPath);
                case "PATCH" -> rows.upsertOne(request, type, field, rest.get(3), dataPath);
                case "DELETE" -> rows.deleteByExternalId(type, field, rest.get(3), dataPath);
                default -> methodNotAllowed(method, "GET,HEAD,PATCH,DELETE");
            };
        }
        return notFound();
    }

    // ---- SOQL ---------------------------------------------------------------------------------------------

    private SandboxResponse query(SandboxRequest request, String dataPath) {
        String soql = request.queryParam("q").orElse("");
        if (soql.isBlank()) return error(400, "MALFORMED_QUERY", "A query string must be provided in the q parameter");
        synchronized (data) {
            Soql query;
            try {
                query = Soql.parse(soql, org);
            } catch (SoqlException e) {
                return error(400, e.errorCode, e.getMessage());
            }
            List<Stored> rows = query.run();
            ObjectNode body = JSON.createObjectNode();
            body.put("totalSize", rows.size());
            if (query.count) {
                body.put("done", true);
                body.putArray("records");
                return SandboxResponse.json(200, body);
            }
            List<ObjectNode> records = rows.stream().map(s -> query.type.recordJson(s, query.selected, dataPath)).toList();
            return SandboxResponse.json(200, page(body, records, dataPath));
        }
    }

    private ObjectNode page(ObjectNode body, List<ObjectNode> records, String dataPath) {
        List<ObjectNode> first = records.subList(0, Math.min(QUERY_PAGE, records.size()));
        body.put("done", records.size() <= QUERY_PAGE);
        if (records.size() > QUERY_PAGE) {
            String locator = "01g8d" + UUID.randomUUID().toString().replace("-", "").substring(0, 13) + "-" + QUERY_PAGE;
            cursors.put(locator, new ArrayList<>(records.subList(QUERY_PAGE, records.size())));
            body.put("nextRecordsUrl", dataPath + "/query/" + locator);
        }
        ArrayNode array = body.putArray("records");
        first.forEach(array::add);
        return body;
    }

    private SandboxResponse nextPage(String locator) {
        synchronized (data) {
            List<ObjectNode> remaining = cursors.remove(locator);
            if (remaining == null) return error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
            ObjectNode body = JSON.createObjectNode().put("totalSize", remaining.size());
            String dataPath = "/services/data/v" + NEWEST_VERSION + ".0";
            return SandboxResponse.json(200, page(body, remaining, dataPath));
        }
    }

    // ---- /_sandbox/ ---------------------------------------------------------------------------------------

    @Override
    protected Optional<SandboxResponse> handleSandbox(SandboxRequest request) {
        List<String> segments = Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty()).toList();
        String method = request.method();
        if (segments.size() == 2 && segments.get(1).equals("objects")) {
            if (method.equals("GET")) {
                ArrayNode list = JSON.createArrayNode();
                synchronized (data) {
                    org.types().forEach(t -> list.addObject().put("name", t.name).put("keyPrefix", t.keyPrefix)
                            .put("custom", t.custom).put("total", t.size()));
                }
                return Optional.of(SandboxResponse.json(200, list));
            }
            if (method.equals("POST")) {
                JsonNode body = readJson(request);
                List<SalesforceField> fields = new ArrayList<>();
                body.path("fields").forEach(f -> fields.add(fieldFromJson(f)));
                createCustomObject(body.path("name").asText(""), fields.toArray(SalesforceField[]::new));
                return Optional.of(SandboxResponse.json(201, JSON.createObjectNode().put("name",
                        body.path("name").asText(""))));
            }
        }
        if (segments.size() == 3 && segments.get(1).equals("objects")) {
            if (method.equals("GET")) return Optional.of(dump(segments.get(2)));
            if (method.equals("DELETE")) {
                synchronized (data) {
                    type(segments.get(2)).clear();
                }
                return Optional.of(SandboxResponse.empty(204));
            }
        }
        if (segments.size() == 3 && segments.get(1).equals("fields") && method.equals("POST")) {
            SalesforceField field = fieldFromJson(readJson(request));
            addField(segments.get(2), field);
            return Optional.of(SandboxResponse.json(201, field.describe()));
        }
        if (segments.size() == 2 && segments.get(1).equals("limits")) {
            if (method.equals("GET")) {
                ObjectNode body = JSON.createObjectNode();
                body.putObject("apiRequests").put("used", requests.used()).put("limit", requests.limit());
                body.putObject("bulkBatches").put("used", batches.used()).put("limit", batches.limit());
                return Optional.of(SandboxResponse.json(200, body));
            }
            if (method.equals("DELETE")) {
                resetLimits();
                return Optional.of(SandboxResponse.empty(204));
            }
        }
        if (segments.size() == 2 && segments.get(1).equals("jobs") && method.equals("GET")) {
            ArrayNode list = JSON.createArrayNode();
            jobs().forEach(list::add);
            return Optional.of(SandboxResponse.json(200, list));
        }
        if (segments.size() == 2 && segments.get(1).equals("sessions") && method.equals("DELETE")) {
            expireSessions();
            return Optional.of(SandboxResponse.empty(204));
        }
        if (segments.size() == 2 && segments.get(1).equals("locks") && method.equals("POST")) {
            int count = readJson(request).path("count").asInt(1);
            lockNextRecords(count);
            return Optional.of(SandboxResponse.json(201, JSON.createObjectNode().put("count", count)));
        }
        return Optional.empty();
    }

    private SandboxResponse dump(String object) {
        ObjectNode body = JSON.createObjectNode();
        synchronized (data) {
            SObjectType type = type(object);
            body.put("name", type.name).put("total", type.size());
            ArrayNode records = body.putArray("records");
            for (Stored stored : type.records()) {
                ObjectNode record = records.addObject();
                stored.values.forEach((name, value) -> record.set(name, FieldValues.toJson(value)));
            }
        }
        return SandboxResponse.json(200, body);
    }

    /** A field from {@code {"name": …, "type": …, "length", "precision", "scale", "externalId", "unique", …}}. */
    private static SalesforceField fieldFromJson(JsonNode node) {
        String name = node.path("name").asText("");
        String type = node.path("type").asText("string");
        StringBuilder spec = new StringBuilder(name).append(':').append(type);
        List<String> args = new ArrayList<>();
        if (node.has("length")) args.add(node.get("length").asText());
        if (node.has("precision")) args.add(node.get("precision").asText());
        if (node.has("scale")) args.add(node.get("scale").asText());
        if (node.has("picklistValues")) {
            List<String> values = new ArrayList<>();
            node.get("picklistValues").forEach(v -> values.add(v.isTextual() ? v.asText() : v.path("value").asText()));
            args = List.of(String.join("|", values));
        }
        if (!args.isEmpty()) spec.append('(').append(String.join(",", args)).append(')');
        if (node.path("externalId").asBoolean(false)) spec.append(":external");
        if (node.path("unique").asBoolean(false)) spec.append(":unique");
        if (node.path("required").asBoolean(false)) spec.append(":required");
        if (node.path("restrictedPicklist").asBoolean(false) || node.path("restricted").asBoolean(false)) {
            spec.append(":restricted");
        }
        if (node.path("caseSensitive").asBoolean(false)) spec.append(":casesensitive");
        return SalesforceField.parse(spec.toString());
    }
}
