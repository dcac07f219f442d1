package dev.ebb.sandbox.hubspot;

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
import dev.ebb.sandbox.hubspot.ObjectType.Stored;
import dev.ebb.sandbox.hubspot.PropertyValues.Problem;
import dev.ebb.spi.ConnectorOption;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A local HubSpot: the CRM v3 objects and properties APIs as HubSpot documents them, records in memory.
 *
 * <p>What it models (see {@code docs/sandboxes/hubspot.md} for the full list and the gaps):
 * <ul>
 *   <li>Bearer tokens; anything else is HubSpot's 401 {@code INVALID_AUTHENTICATION}.</li>
 *   <li>Contacts ({@code 0-1}), companies ({@code 0-2}) and custom objects ({@code 2-…}), with HubSpot's default
 *       properties, addressed by name, object type id or fully qualified name.</li>
 *   <li>{@code /crm/v3/objects/{objectType}}: list with paging, create, and single read/update/archive;
 *       {@code batch/create|read|update|upsert|archive} with at most 100 inputs.</li>
 *   <li>{@code /crm/v3/properties/{objectType}}: list, read, create, {@code batch/create}, {@code batch/read}.</li>
 *   <li>Validation: unknown properties, values invalid for their type, contacts' email, read-only properties,
 *       unique values, upsert's unique {@code idProperty}, duplicate ids in one batch, unknown ids.</li>
 *   <li>Multi-status: when every input of a batch create/update/upsert carries an {@code objectWriteTraceId},
 *       invalid inputs are reported one by one in a 207 (context {@code objectWriteTraceId}) and the others are
 *       written; without trace ids one invalid input fails the whole batch (400 / 409), as HubSpot does
 *       (https://developers.hubspot.com/docs/api-reference/error-handling, "Multi-status errors"). Unknown ids of
 *       a batch update are always a 207 with {@code OBJECT_NOT_FOUND} and context {@code ids}
 *       (https://developers.hubspot.com/changelog/simplifying-batch-update-response-codes-for-crm-v3-apis).</li>
 *   <li>Rate limits per token: a rolling 10-second window and a daily count, by tier, with the
 *       {@code X-HubSpot-RateLimit-*} headers on every answer and HubSpot's 429 body
 *       (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).</li>
 * </ul>
 *
 * <p>Thread-safe: one lock guards the records and properties, so each batch is applied atomically.
 */
public final class HubSpotSandbox extends SandboxServer {
    /** The token accepted when none is configured. */
    public static final String DEFAULT_TOKEN = "sandbox-token";
    /** The portal (account) id the sandbox reports. */
    public static final long DEFAULT_PORTAL_ID = 24_681_357L;
    /** Inputs per batch request; "Batch operations … are limited to 100 inputs" (LIMITS §1, crm-contacts-v3). */
    public static final int MAX_BATCH_INPUTS = 100;

    /** The options {@link #fromOptions} accepts, described as {@code ebb sandbox hubspot --help} lists them. */
    public static final List<ConnectorOption> SETTINGS = List.of(
            ConnectorOption.optional("tokens", "accepted bearer tokens, comma-separated (default "
                    + DEFAULT_TOKEN + "); each token is one account for rate limits"),
            ConnectorOption.optional("token", "one accepted bearer token (the same as tokens)"),
            ConnectorOption.optional("tier", "free | starter | professional | enterprise: the rate limits "
                    + "(default starter: 100 per 10 s, 250,000 a day)"),
            ConnectorOption.optional("per_10s", "requests per rolling 10 seconds, overriding the tier"),
            ConnectorOption.optional("daily", "requests per day, overriding the tier"),
            ConnectorOption.optional("portal_id", "the portal id in messages (default " + DEFAULT_PORTAL_ID + ")"),
            ConnectorOption.optional("time_zone", "the account time zone whose midnight resets the daily count "
                    + "(default UTC)"),
            ConnectorOption.optional("custom_objects", "custom objects to create, e.g. cars:vin,pets "
                    + "(name, and an optional unique property)"),
            ConnectorOption.optional("properties", "extra properties, e.g. contacts.ltv:number,"
                    + "contacts.external_id:string:unique (types: string, number, bool, date, datetime)"));
    /** The option keys {@link #fromOptions} accepts. */
    public static final Set<String> OPTIONS = SandboxOptions.names(SETTINGS);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCS = "https://developers.hubspot.com/docs/methods/auth/oauth-overview";

    private final Set<String> tokens;
    private final long portalId;
    private final RateLimiter limiter;
    private final BatchEndpoints batches;
    private final PropertyEndpoints propertyEndpoints;
    private final Object data = new Object();
    private final List<ObjectType> types = new ArrayList<>();
    private long nextRecordId = 1001;
    private long nextCustomTypeId = 9_001;

    private HubSpotSandbox(Builder builder) {
        super(builder);
        this.tokens = Set.copyOf(builder.tokens);
        this.portalId = builder.portalId;
        this.propertyEndpoints = new PropertyEndpoints(data);
        this.batches = new BatchEndpoints(this, data, this::newRecordId, portalId, clock());
        int perWindow = builder.perTenSeconds != null ? builder.perTenSeconds : builder.tier.perTenSeconds();
        long daily = builder.daily != null ? builder.daily : builder.tier.perDay();
        this.limiter = new RateLimiter(perWindow, daily, HubSpotTier.WINDOW, builder.timeZone, clock());
        types.add(DefaultObjects.contacts());
        types.add(DefaultObjects.companies());
        builder.customObjects.forEach((name, properties) -> createCustomObject(name, properties));
        builder.properties.forEach(p -> createProperty(p.getKey(), p.getValue()));
    }

    /** A builder with HubSpot's defaults: token {@value #DEFAULT_TOKEN}, the starter tier, a random port. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A sandbox configured from {@code ebb sandbox hubspot} options: {@code tokens} (comma-separated; {@code token}
     * for one), {@code tier} (free|starter|professional|enterprise), {@code per_10s} and {@code daily} (override the
     * tier), {@code portal_id}, {@code time_zone} (when the daily count resets; default UTC) and
     * {@code custom_objects} ({@code cars:vin,pets}: object names, each with an optional unique property) and
     * {@code properties} ({@code contacts.ltv:number,contacts.external_id:string:unique}: extra properties).
     *
     * @throws IllegalArgumentException for an unknown option or a malformed value, naming the fix
     */
    public static HubSpotSandbox fromOptions(int port, Map<String, String> given) {
        SandboxOptions options = SandboxOptions.read("hubspot", SETTINGS, given);
        Builder builder = builder().port(port);
        for (String key : List.of("token", "tokens")) {
            options.list(key).ifPresent(tokens -> builder.tokens(tokens.toArray(String[]::new)));
        }
        options.oneOf("tier", HubSpotTier.class, "HubSpot tier").ifPresent(builder::tier);
        options.positiveInt("per_10s").ifPresent(builder::perTenSeconds);
        options.positiveLong("daily").ifPresent(builder::daily);
        options.positiveLong("portal_id").ifPresent(builder::portalId);
        options.zone("time_zone", "America/New_York").ifPresent(builder::timeZone);
        options.list("custom_objects").ifPresent(specs -> specs.forEach(spec -> {
            String[] parts = spec.split(":");
            if (parts[0].isBlank()) return;
            List<HubSpotProperty> properties = new ArrayList<>();
            properties.add(HubSpotProperty.of("name", "string").labelled("Name"));
            if (parts.length > 1 && !parts[1].isBlank()) {
                properties.add(HubSpotProperty.of(parts[1].trim(), "string").unique());
            }
            builder.customObject(parts[0].trim(), properties);
        }));
        options.list("properties").ifPresent(specs -> specs.forEach(spec -> {
            String[] parts = spec.split(":");
            int dot = parts[0].indexOf('.');
            if (dot < 1 || parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].equals("unique"))) {
                throw new IllegalArgumentException("properties entry '" + spec
                        + "' should read object.name:type or object.name:type:unique, e.g. contacts.ltv:number");
            }
            HubSpotProperty property = HubSpotProperty.of(parts[0].substring(dot + 1), parts[1]);
            builder.property(parts[0].substring(0, dot), parts.length == 3 ? property.unique() : property);
        }));
        return builder.build();
    }

    /** Configures a {@link HubSpotSandbox}; not thread-safe. */
    public static final class Builder extends SandboxServer.Builder<Builder> {
        private Set<String> tokens = Set.of(DEFAULT_TOKEN);
        private HubSpotTier tier = HubSpotTier.STARTER;
        private Integer perTenSeconds;
        private Long daily;
        private long portalId = DEFAULT_PORTAL_ID;
        private ZoneId timeZone = ZoneOffset.UTC;
        private final Map<String, List<HubSpotProperty>> customObjects = new LinkedHashMap<>();
        private final List<Map.Entry<String, HubSpotProperty>> properties = new ArrayList<>();

        private Builder() {
        }

        /** The accepted bearer tokens; each is its own account for rate limiting. */
        public Builder tokens(String... tokens) {
            if (tokens.length == 0) throw new IllegalArgumentException("the sandbox needs at least one token");
            this.tokens = new LinkedHashSet<>(Arrays.asList(tokens));
            return this;
        }

        /** The tier whose limits apply (default starter: 100 per 10 s, 250,000 a day). */
        public Builder tier(HubSpotTier tier) {
            this.tier = Objects.requireNonNull(tier, "tier");
            return this;
        }

        /** Requests per rolling 10 seconds, overriding the tier (small values keep throttling tests fast). */
        public Builder perTenSeconds(int requests) {
            this.perTenSeconds = requests;
            return this;
        }

        /** Requests per day, overriding the tier. */
        public Builder daily(long requests) {
            this.daily = requests;
            return this;
        }

        public Builder portalId(long portalId) {
            this.portalId = portalId;
            return this;
        }

        /** The account's time zone: the daily count resets at its midnight. */
        public Builder timeZone(ZoneId zone) {
            this.timeZone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** A custom object to create at start. */
        public Builder customObject(String name, List<HubSpotProperty> properties) {
            customObjects.put(name, List.copyOf(properties));
            return this;
        }

        /** A property to create at start on an object type (after the custom objects exist). */
        public Builder property(String objectType, HubSpotProperty property) {
            properties.add(Map.entry(objectType, property));
            return this;
        }

        public HubSpotSandbox build() {
            return new HubSpotSandbox(this);
        }
    }

    // ---- the Java API -------------------------------------------------------------------------------------

    /** The identity of an object type. */
    public record ObjectTypeInfo(String objectTypeId, String name, String fullyQualifiedName) {
    }

    /** The portal id in HubSpot's messages and custom objects' fully qualified names. */
    public long portalId() {
        return portalId;
    }

    /** Creates a custom object type with HubSpot's default custom-object properties plus {@code properties}. */
    public ObjectTypeInfo createCustomObject(String name, List<HubSpotProperty> properties) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("custom object name '" + name
                    + "' must be lower case letters, digits and underscores, starting with a letter");
        }
        synchronized (data) {
            if (findType(name).isPresent()) throw new IllegalArgumentException("object '" + name + "' already exists");
            String singular = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            ObjectType type = new ObjectType("2-" + nextCustomTypeId++, name, "p" + portalId + "_" + name, singular,
                    "hs_createdate", "hs_lastmodifieddate",
                    List.of("hs_createdate", "hs_lastmodifieddate", "hs_object_id"));
            type.addProperty(HubSpotProperty.of("hs_object_id", "number").labelled("Record ID").readOnly()
                    .hubspotDefined(name + "_information"));
            type.addProperty(HubSpotProperty.of("hs_createdate", "datetime").labelled("Object create date/time")
                    .readOnly().hubspotDefined(name + "_information"));
            type.addProperty(HubSpotProperty.of("hs_lastmodifieddate", "datetime").labelled("Object last modified date/time")
                    .readOnly().hubspotDefined(name + "_information"));
            properties.forEach(type::addProperty);
            types.add(type);
            return info(type);
        }
    }

    /** Creates a property on an object type, as {@code POST /crm/v3/properties/{objectType}} would. */
    public void createProperty(String objectType, HubSpotProperty property) {
        synchronized (data) {
            ObjectType type = findType(objectType)
                    .orElseThrow(() -> new IllegalArgumentException("no object type '" + objectType + "'"));
            type.addProperty(property);
        }
    }

    /** The object types, standard ones first. */
    public List<ObjectTypeInfo> objectTypes() {
        synchronized (data) {
            return types.stream().map(HubSpotSandbox::info).toList();
        }
    }

    /** The properties of an object type. */
    public List<HubSpotProperty> properties(String objectType) {
        synchronized (data) {
            return type(objectType).properties();
        }
    }

    /** Every record of an object type, by ascending id. */
    public List<HubSpotRecord> records(String objectType) {
        synchronized (data) {
            return type(objectType).records().stream().map(Stored::snapshot).toList();
        }
    }

    /** How many records an object type holds. */
    public int recordCount(String objectType) {
        synchronized (data) {
            return type(objectType).size();
        }
    }

    /** The record with this id. */
    public Optional<HubSpotRecord> record(String objectType, String id) {
        synchronized (data) {
            return type(objectType).byId(id).map(Stored::snapshot);
        }
    }

    /**
     * The first record whose {@code property} holds {@code value} (case-blind for contacts' email, the way HubSpot
     * matches it).
     */
    public Optional<HubSpotRecord> findRecord(String objectType, String property, String value) {
        synchronized (data) {
            ObjectType type = type(objectType);
            if (type.isUnique(property)) return type.byUnique(property, value).map(Stored::snapshot);
            return type.records().stream().filter(r -> value.equals(r.values.get(property)))
                    .findFirst().map(Stored::snapshot);
        }
    }

    /** Creates a record as a person would in HubSpot's UI: values are validated, no call is counted. */
    public HubSpotRecord createRecord(String objectType, Map<String, String> properties) {
        synchronized (data) {
            ObjectType type = type(objectType);
            Map<String, String> changes = new LinkedHashMap<>();
            List<Problem> problems = new ArrayList<>();
            validate(type, properties, changes, problems);
            if (!problems.isEmpty()) throw new IllegalArgumentException(propertyErrorMessage(problems));
            Optional<Map.Entry<String, String>> conflict = type.uniqueConflict(null, changes);
            if (conflict.isPresent()) throw new IllegalArgumentException(conflictMessage(type, conflict.get()));
            return type.create(newRecordId(), changes, clock().instant()).snapshot();
        }
    }

    /** Clears both rate-limit counts, as if a new day had begun. */
    public void resetRateLimits() {
        limiter.reset();
    }

    private ObjectType type(String reference) {
        return findType(reference).orElseThrow(() -> new IllegalArgumentException("no object type '" + reference
                + "'; the sandbox has " + types.stream().map(t -> t.name).toList()));
    }

    private Optional<ObjectType> findType(String reference) {
        return types.stream().filter(t -> t.answersTo(reference)).findFirst();
    }

    private static ObjectTypeInfo info(ObjectType type) {
        return new ObjectTypeInfo(type.objectTypeId, type.name, type.fullyQualifiedName);
    }

    // ---- HTTP: authentication, limits, routing ------------------------------------------------------------

    @Override
    protected SandboxResponse handle(SandboxRequest request) {
        String token = bearerToken(request);
        if (token == null || !tokens.contains(token)) {
            // HubSpot's answer for a missing or unknown token; no account, so no rate-limit headers.
            return SandboxResponse.json(401, error("INVALID_AUTHENTICATION",
                    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can "
                            + "find more details at " + DOCS));
        }
        RateLimiter.Decision decision = limiter.admit(token);
        if (!decision.admitted()) return rateLimited(decision.refusedBy(), decision.headers());
        SandboxResponse response;
        try {
            response = route(request);
        } catch (SandboxReply reply) {
            response = reply.response();
        }
        return response.withHeaders(decision.headers());
    }

    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        String token = bearerToken(request);
        Map<String, String> headers = new LinkedHashMap<>(limiter.peek(token == null ? "" : token));
        headers.put("X-HubSpot-RateLimit-Remaining", "0");
        return rateLimited(RateLimiter.Policy.TEN_SECONDLY_ROLLING, headers);
    }

    // HubSpot's 429 body, e.g. {"status":"error","message":"You have reached your ten_secondly_rolling limit.",
    // "errorType":"RATE_LIMIT","correlationId":…,"policyName":"TEN_SECONDLY_ROLLING","groupName":…}
    // (quoted in HubSpot/hubspot-api-python#117; the daily variant "You have reached your daily limit." in LIMITS §1).
    private SandboxResponse rateLimited(RateLimiter.Policy policy, Map<String, String> headers) {
        ObjectNode body = JSON.createObjectNode()
                .put("status", "error")
                .put("message", "You have reached your " + policy.name().toLowerCase(Locale.ROOT) + " limit.")
                .put("errorType", "RATE_LIMIT")
                .put("correlationId", UUID.randomUUID().toString())
                .put("policyName", policy.name())
                .put("groupName", "publicapi:private-app-api-calls-"
                        + (policy == RateLimiter.Policy.DAILY ? "daily" : "ten-secondly") + ":" + portalId);
        return SandboxResponse.json(429, body).withHeaders(headers);
    }

    private static String bearerToken(SandboxRequest request) {
        String header = request.header("Authorization").orElse("");
        if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private SandboxResponse route(SandboxRequest request) {
        List<String> segments = Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty()).toList();
        if (segments.size() < 4 || !segments.get(0).equals("crm") || !segments.get(1).equals("v3")) {
            throw notFound(request);
        }
        String api = segments.get(2);
        if (!api.equals("objects") && !api.equals("properties")) throw notFound(request);
        ObjectType type;
        synchronized (data) {
            type = findType(segments.get(3)).orElseThrow(() -> new SandboxReply(SandboxResponse.json(400,
                    error("VALIDATION_ERROR", "Unable to infer object type from: " + segments.get(3)))));
        }
        List<String> rest = segments.subList(4, segments.size());
        String method = request.method();
        if (api.equals("objects")) {
            if (rest.isEmpty()) {
                return switch (method) {
                    case "GET" -> list(request, type);
                    case "POST" -> createOne(request, type);
                    default -> throw methodNotAllowed(request);
                };
            }
            if (rest.size() == 2 && rest.get(0).equals("batch")) {
                if (!method.equals("POST")) throw methodNotAllowed(request);
                return switch (rest.get(1)) {
                    case "create", "update", "upsert" -> batches.batchWrite(request, type, rest.get(1));
                    case "read" -> batches.batchRead(request, type);
                    case "archive" -> batches.batchArchive(request, type);
                    default -> throw notFound(request);
                };
            }
            if (rest.size() == 1) {
                return switch (method) {
                    case "GET" -> getOne(request, type, rest.get(0));
                    case "PATCH" -> updateOne(request, type, rest.get(0));
                    case "DELETE" -> {
                        synchronized (data) {
                            type.archive(rest.get(0));
                        }
                        yield SandboxResponse.empty(204);
                    }
                    default -> throw methodNotAllowed(request);
                };
            }
            throw notFound(request);
        }
        if (rest.isEmpty()) {
            return switch (method) {
                case "GET" -> {
                    ArrayNode results = JSON.createArrayNode();
                    synchronized (data) {
                        type.properties().forEach(p -> results.add(propertyJson(p)));
                    }
                    ObjectNode body = JSON.createObjectNode();
                    body.set("results", results);
                    yield SandboxResponse.json(200, body);
                }
                case "POST" -> {
                    HubSpotProperty property = PropertyEndpoints.parseProperty(readJson(request), true);
                    synchronized (data) {
                        PropertyEndpoints.addProperty(type, property);
                    }
                    yield SandboxResponse.json(201, propertyJson(property));
                }
                default -> throw methodNotAllowed(request);
            };
        }
        if (rest.size() == 2 && rest.get(0).equals("batch") && method.equals("POST")) {
            return switch (rest.get(1)) {
                case "create" -> propertyEndpoints.batchCreate(request, type);
                case "read" -> propertyEndpoints.batchRead(request, type);
                default -> throw notFound(request);
            };
        }
        if (rest.size() == 1 && method.equals("GET")) {
            synchronized (data) {
                return type.property(rest.get(0)).map(p -> SandboxResponse.json(200, propertyJson(p)))
                        .orElseGet(() -> SandboxResponse.json(404, error("OBJECT_NOT_FOUND",
                                "Unable to find property " + rest.get(0) + " on object type " + type.objectTypeId)));
            }
        }
        throw notFound(request);
    }

    // ---- objects: list and single-record endpoints ---------------------------------------------------------

    private SandboxResponse list(SandboxRequest request, ObjectType type) {
        int limit = Math.min(100, Math.max(1, intParam(request, "limit", 10)));
        String after = request.queryParam("after").orElse(null);
        List<String> properties = propertiesParam(request);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode results = body.putArray("results");
        synchronized (data) {
            // Archived records are gone from the sandbox, so an archived listing is empty.
            List<Stored> records = request.queryParam("archived").map(Boolean::parseBoolean).orElse(false)
                    ? List.of() : type.records();
            int start = 0;
            if (after != null) {
                while (start < records.size() && compareIds(records.get(start).id, after) < 0) start++;
            }
            int end = Math.min(records.size(), start + limit);
            for (Stored stored : records.subList(start, end)) {
                results.add(recordJson(type, stored, properties.isEmpty() ? type.defaultProperties : properties));
            }
            if (end < records.size()) {
                String next = records.get(end).id;
                ObjectNode nextNode = body.putObject("paging").putObject("next");
                nextNode.put("after", next);
                nextNode.put("link", "/crm/v3/objects/" + type.name + "?after=" + next + "&limit=" + limit);
            }
        }
        return SandboxResponse.json(200, body);
    }

    private SandboxResponse getOne(SandboxRequest request, ObjectType type, String id) {
        List<String> properties = propertiesParam(request);
        synchronized (data) {
            Stored stored = resolveSingle(type, id, request.queryParam("idProperty").orElse(null));
            return SandboxResponse.json(200,
                    recordJson(type, stored, properties.isEmpty() ? type.defaultProperties : properties));
        }
    }

    private SandboxResponse createOne(SandboxRequest request, ObjectType type) {
        JsonNode body = readJson(request);
        Map<String, String> raw = rawProperties(body.path("properties"));
        synchronized (data) {
            Map<String, String> changes = new LinkedHashMap<>();
            List<Problem> problems = new ArrayList<>();
            validate(type, raw, changes, problems);
            if (!problems.isEmpty()) throw new SandboxReply(validationFailure(problems));
            type.uniqueConflict(null, changes).ifPresent(c -> {
                throw new SandboxReply(SandboxResponse.json(409, error("CONFLICT", conflictMessage(type, c))));
            });
            Stored stored = type.create(newRecordId(), changes, clock().instant());
            return SandboxResponse.json(201, recordJson(type, stored, union(type.defaultProperties, changes.keySet())));
        }
    }

    private SandboxResponse updateOne(SandboxRequest request, ObjectType type, String id) {
        JsonNode body = readJson(request);
        Map<String, String> raw = rawProperties(body.path("properties"));
        synchronized (data) {
            Stored stored = resolveSingle(type, id, request.queryParam("idProperty").orElse(null));
            Map<String, String> changes = new LinkedHashMap<>();
            List<Problem> problems = new ArrayList<>();
            validate(type, raw, changes, problems);
            if (!problems.isEmpty()) throw new SandboxReply(validationFailure(problems));
            type.uniqueConflict(stored, changes).ifPresent(c -> {
                throw new SandboxReply(SandboxResponse.json(409, error("CONFLICT", conflictMessage(type, c))));
            });
            type.apply(stored, changes, clock().instant());
            return SandboxResponse.json(200, recordJson(type, stored, union(type.defaultProperties, changes.keySet())));
        }
    }

    private Stored resolveSingle(ObjectType type, String id, String idProperty) {
        Optional<Stored> stored;
        if (idProperty == null || idProperty.equals("hs_object_id")) {
            stored = type.byId(id);
        } else {
            batches.requireUniqueIdProperty(type, idProperty);
            stored = type.byUnique(idProperty, id);
        }
        // HubSpot's single-record 404 (the hint about numeric ids is HubSpot's own).
        return stored.orElseThrow(() -> new SandboxReply(SandboxResponse.json(404,
                error("OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric."))));
    }

    // ---- validation and messages --------------------------------------------------------------------------

    static void validate(ObjectType type, Map<String, String> raw, Map<String, String> changes,
                                 List<Problem> problems) {
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            String name = entry.getKey();
            Optional<HubSpotProperty> property = type.property(name);
            if (property.isEmpty()) {
                problems.add(new Problem(name, entry.getValue(), "PROPERTY_DOESNT_EXIST",
                        "Property \"" + name + "\" does not exist"));
                continue;
            }
            if (property.get().readOnlyValue()) {
                problems.add(new Problem(name, entry.getValue(), "READ_ONLY_VALUE",
                        "\"" + name + "\" is a read only property; its value cannot be set."));
                continue;
            }
            Object normalized = PropertyValues.normalize(property.get(), entry.getValue(), type.isEmail(name));
            if (normalized instanceof Problem problem) problems.add(problem);
            else changes.put(name, (String) normalized);
        }
    }

    // HubSpot's shape: the category VALIDATION_ERROR, a message that embeds the validation results as JSON, and
    // errors[] with code and context.propertyName (quoted in Atlas-Authority/marketing-automation#206).
    String propertyErrorMessage(List<Problem> problems) {
        ArrayNode details = JSON.createArrayNode();
        for (Problem problem : problems) {
            details.addObject()
                    .put("isValid", false)
                    .put("message", problem.message())
                    .put("error", problem.code())
                    .put("name", problem.property())
                    .put("localizedErrorMessage", problem.message())
                    .put("propertyValue", problem.value())
                    .put("portalId", portalId);
        }
        return "Property values were not valid: " + details;
    }

    static ArrayNode problemDetails(List<Problem> problems) {
        ArrayNode errors = JSON.createArrayNode();
        for (Problem problem : problems) {
            ObjectNode error = errors.addObject().put("message", problem.message()).put("code", problem.code());
            error.putObject("context").putArray("propertyName").add(problem.property());
        }
        return errors;
    }

    SandboxResponse validationFailure(List<Problem> problems) {
        ObjectNode body = error("VALIDATION_ERROR", propertyErrorMessage(problems));
        body.set("errors", problemDetails(problems));
        return SandboxResponse.json(400, body);
    }

    // "Contact already exists. Existing ID: 123" is HubSpot's wording for an email taken
    // (HubSpot/hubspot-api-python#51); other unique properties name the property and value.
    static String conflictMessage(ObjectType type, Map.Entry<String, String> conflict) {
        String holder = conflict.getValue();
        if (type.isEmail(conflict.getKey())) return type.singularLabel + " already exists. Existing ID: " + holder;
        return type.singularLabel + " with a unique value of " + conflict.getKey() + " already exists. Existing ID: "
                + holder;
    }

    static ObjectNode notFoundError(ObjectType type, List<String> ids) {
        ObjectNode entry = batchError("OBJECT_NOT_FOUND", "Could not get some " + type.messageName
                + " objects, they may be deleted or not exist. Check that ids are valid.");
        ArrayNode context = entry.putObject("context").putArray("ids");
        ids.forEach(context::add);
        return entry;
    }

    /** One entry of a 207's {@code errors}: status, category, message, context, errors, links. */
    static ObjectNode batchError(String category, String message) {
        ObjectNode entry = JSON.createObjectNode().put("status", "error").put("category", category)
                .put("message", message);
        entry.putObject("context");
        entry.putArray("errors");
        entry.putObject("links");
        return entry;
    }

    /** HubSpot's error body: status, message, correlationId, category. */
    static ObjectNode error(String category, String message) {
        return JSON.createObjectNode()
                .put("status", "error")
                .put("message", message)
                .put("correlationId", UUID.randomUUID().toString())
                .put("category", category);
    }

    static String uniqueKey(ObjectType type, String property, String value) {
        return type.isEmail(property) ? value.toLowerCase(Locale.ROOT) : value;
    }

    // ---- JSON ---------------------------------------------------------------------------------------------

    ObjectNode recordJson(ObjectType type, Stored stored, Collection<String> properties) {
        ObjectNode node = JSON.createObjectNode().put("id", stored.id);
        ObjectNode values = node.putObject("properties");
        for (String property : properties) {
            String value = stored.values.get(property);
            if (value == null) values.putNull(property);
            else values.put(property, value);
        }
        node.put("createdAt", PropertyValues.INSTANT_FORMAT.format(stored.createdAt));
        node.put("updatedAt", PropertyValues.INSTANT_FORMAT.format(stored.updatedAt));
        node.put("archived", false);
        return node;
    }

    static ObjectNode propertyJson(HubSpotProperty property) {
        ObjectNode node = JSON.createObjectNode()
                .put("name", property.name())
                .put("label", property.label())
                .put("type", property.type())
                .put("fieldType", property.fieldType())
                .put("description", "")
                .put("groupName", property.groupName());
        ArrayNode options = node.putArray("options");
        for (int i = 0; i < property.options().size(); i++) {
            HubSpotProperty.Option option = property.options().get(i);
            options.addObject().put("label", option.label()).put("value", option.value())
                    .put("displayOrder", i).put("hidden", false);
        }
        node.put("displayOrder", -1)
                .put("calculated", false)
                .put("externalOptions", false)
                .put("hasUniqueValue", property.hasUniqueValue())
                .put("hidden", false)
                .put("hubspotDefined", property.hubspotDefined())
                .put("formField", !property.readOnlyValue())
                .put("dataSensitivity", "non_sensitive")
                .put("archived", false);
        node.putObject("modificationMetadata")
                .put("archivable", !property.hubspotDefined())
                .put("readOnlyDefinition", property.hubspotDefined())
                .put("readOnlyValue", property.readOnlyValue());
        return node;
    }

    static Map<String, String> rawProperties(JsonNode properties) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (properties.isMissingNode() || properties.isNull()) return raw;
        if (!properties.isObject()) {
            throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR", "properties must be an object")));
        }
        properties.properties().forEach(e -> raw.put(e.getKey(),
                e.getValue().isNull() ? "" : e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        return raw;
    }

    static JsonNode readJson(SandboxRequest request) {
        if (request.bodyText().isBlank()) return JSON.createObjectNode();
        try {
            JsonNode node = JSON.readTree(request.bodyText());
            if (node == null || !node.isObject()) {
                throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR", "Invalid input JSON: expected an object")));
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " on line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR",
                    "Invalid input JSON" + where + ": " + e.getOriginalMessage())));
        }
    }

    static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static List<String> propertiesParam(SandboxRequest request) {
        List<String> properties = new ArrayList<>();
        for (String value : request.queryParams("properties")) {
            Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(properties::add);
        }
        return properties;
    }

    private static int intParam(SandboxRequest request, String name, int fallback) {
        try {
            return request.queryParam(name).map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR", name + " must be a number")));
        }
    }

    static Set<String> union(List<String> first, Collection<String> second) {
        Set<String> union = new LinkedHashSet<>(first);
        union.addAll(second);
        return union;
    }

    private static int compareIds(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private static SandboxReply notFound(SandboxRequest request) {
        return new SandboxReply(SandboxResponse.json(404, error("OBJECT_NOT_FOUND",
                "No endpoint " + request.method() + " " + request.path())));
    }

    private static SandboxReply methodNotAllowed(SandboxRequest request) {
        return new SandboxReply(SandboxResponse.json(405, error("VALIDATION_ERROR",
                "Method " + request.method() + " is not allowed on " + request.path())));
    }

    /** The next record id; with the data lock held. Ids are shared by every object type, as in a portal. */
    private String newRecordId() {
        return String.valueOf(nextRecordId++);
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
                    types.forEach(t -> list.addObject().put("objectTypeId", t.objectTypeId).put("name", t.name)
                            .put("fullyQualifiedName", t.fullyQualifiedName).put("total", t.size()));
                }
                return Optional.of(SandboxResponse.json(200, list));
            }
            if (method.equals("POST")) return Optional.of(createCustomObjectOverHttp(request));
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
        if (segments.size() == 3 && segments.get(1).equals("properties") && method.equals("POST")) {
            HubSpotProperty property = PropertyEndpoints.parseProperty(readJson(request), false);
            synchronized (data) {
                PropertyEndpoints.addProperty(type(segments.get(2)), property);
            }
            return Optional.of(SandboxResponse.json(201, propertyJson(property)));
        }
        if (segments.size() == 2 && segments.get(1).equals("rate-limits")) {
            if (method.equals("GET")) return Optional.of(rateLimitsJson());
            if (method.equals("DELETE")) {
                resetRateLimits();
                return Optional.of(SandboxResponse.empty(204));
            }
        }
        return Optional.empty();
    }

    private SandboxResponse createCustomObjectOverHttp(SandboxRequest request) {
        JsonNode body = readJson(request);
        String name = body.path("name").asText("");
        List<HubSpotProperty> properties = new ArrayList<>();
        body.path("properties").forEach(p -> properties.add(PropertyEndpoints.parseProperty(p, false)));
        ObjectTypeInfo info = createCustomObject(name, properties);
        return SandboxResponse.json(201, JSON.valueToTree(info));
    }

    private SandboxResponse dump(String objectType) {
        ObjectNode body = JSON.createObjectNode();
        synchronized (data) {
            ObjectType type = type(objectType);
            body.put("objectTypeId", type.objectTypeId).put("name", type.name).put("total", type.size());
            ArrayNode results = body.putArray("results");
            for (Stored stored : type.records()) {
                ObjectNode record = results.addObject().put("id", stored.id);
                ObjectNode values = record.putObject("properties");
                stored.values.forEach(values::put);
                record.put("createdAt", PropertyValues.INSTANT_FORMAT.format(stored.createdAt));
                record.put("updatedAt", PropertyValues.INSTANT_FORMAT.format(stored.updatedAt));
            }
        }
        return SandboxResponse.json(200, body);
    }

    private SandboxResponse rateLimitsJson() {
        ObjectNode body = JSON.createObjectNode()
                .put("per10Seconds", limiter.perWindow())
                .put("daily", limiter.daily());
        ArrayNode accounts = body.putArray("tokens");
        // Tokens are sandbox credentials, but the habit holds: never print one whole.
        limiter.snapshot().forEach((token, counts) -> accounts.addObject()
                .put("token", token.length() <= 4 ? "…" : token.substring(0, 4) + "…")
                .put("inWindow", counts[0])
                .put("today", counts[1]));
        return SandboxResponse.json(200, body);
    }
}
