package dev.ebb.sandbox.braze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxOptions;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.SlidingWindow;
import dev.ebb.spi.ConnectorOption;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A local Braze workspace: the REST endpoints Ebb writes through, as Braze documents them, user profiles in memory.
 *
 * <ul>
 *   <li>{@code Authorization: Bearer <REST API key>} on every call; another key is a 401
 *       (https://www.braze.com/docs/api/basics/#rest-api-key).</li>
 *   <li>{@code POST /users/track}: see {@link UserTrack}.</li>
 *   <li>{@code GET /custom_attributes}: the custom attributes recorded so far, "returned in groups of 50, sorted
 *       alphabetically", the next page behind a {@code Link: <…?cursor=…>; rel="next"} header
 *       (https://www.braze.com/docs/api/endpoints/export/custom_attributes/get_custom_attributes/). Braze records an
 *       attribute the first time {@code /users/track} carries it, with the type of that value.</li>
 *   <li>The {@code /users/track} rate limit, "3,000 requests every three seconds" per workspace
 *       (https://www.braze.com/docs/api/api_limits/), as a sliding window; every answer carries
 *       {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (UTC epoch seconds),
 *       and a call over the limit is a 429 (same page, "Rate limit headers").</li>
 *   <li>{@code POST /users/delete}: "up to 50 external_ids, user_aliases, braze_ids, email_addresses, or
 *       phone_numbers" per request, "only one of" those kinds in a request; answers
 *       {@code 202 {"deleted":n,"message":"success"}}; 20,000 requests a minute, shared with the alias, identify and
 *       merge endpoints (https://www.braze.com/docs/api/endpoints/user_data/post_user_delete/). The sandbox deletes
 *       by external id and user alias.</li>
 *   <li>{@code GET /_sandbox/users} lists the profiles; {@code DELETE /_sandbox/users} forgets them.</li>
 * </ul>
 * Not modelled: braze_id, email and phone identifiers, /users/track/bulk, the other endpoints' limits.
 *
 * <p>Thread-safe: one lock guards the profiles and the attribute catalogue, so each call is applied atomically.
 */
public final class BrazeSandbox extends SandboxServer {
    /** The REST API key accepted when none is configured. */
    public static final String DEFAULT_API_KEY = "sandbox-rest-api-key";
    /**
     * "Each request can include up to 75 objects in total across the attributes, events, and purchases arrays"
     * (https://www.braze.com/docs/api/endpoints/user_data/post_user_track/; older pages allowed 75 per array).
     */
    public static final int MAX_OBJECTS = 75;
    /** "/users/track: 3,000 requests every three seconds" (https://www.braze.com/docs/api/api_limits/). */
    public static final int DEFAULT_PER_WINDOW = 3_000;
    /** The window of {@link #DEFAULT_PER_WINDOW}. */
    public static final Duration WINDOW = Duration.ofSeconds(3);
    /** "Up to 50 external_ids, user_aliases, … can be included in a single request" (post_user_delete page). */
    public static final int MAX_DELETES = 50;
    /** "a shared rate limit of 20,000 requests per minute" for /users/delete (post_user_delete page). */
    public static final int DELETES_PER_MINUTE = 20_000;
    /** "The attributes are returned in groups of 50" (get_custom_attributes page). */
    public static final int ATTRIBUTES_PER_PAGE = 50;

    /** The options {@link #fromOptions} accepts, as {@code ebb sandbox braze --help} lists them. */
    public static final List<ConnectorOption> SETTINGS = List.of(
            ConnectorOption.optional("api_key", "the REST API key to accept (default " + DEFAULT_API_KEY + ")"),
            ConnectorOption.optional("per_3s", "/users/track requests per sliding 3 seconds (default 3000)"),
            ConnectorOption.optional("attributes", "custom attributes recorded at start, e.g. churn_score:Number,"
                    + "plan:String (Braze data types: String, Number, Boolean, Time)"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> apiKeys;
    private final SlidingWindow trackWindow;
    private final SlidingWindow deleteWindow;
    private final UserTrack userTrack = new UserTrack(this);
    private final Object data = new Object();
    private final List<Profile> profiles = new ArrayList<>();
    private final Map<String, Profile> byExternalId = new LinkedHashMap<>();
    private final Map<String, Profile> byAlias = new LinkedHashMap<>();
    private final TreeMap<String, String> attributeTypes = new TreeMap<>();

    /** A stored profile; mutated only under the data lock. */
    static final class Profile {
        String externalId;
        String aliasLabel;
        String aliasName;
        final Map<String, JsonNode> attributes = new LinkedHashMap<>();
        final List<ObjectNode> events = new ArrayList<>();
        final List<ObjectNode> purchases = new ArrayList<>();
    }

    private BrazeSandbox(Builder builder) {
        super(builder);
        this.apiKeys = Set.copyOf(builder.apiKeys.isEmpty() ? Set.of(DEFAULT_API_KEY) : builder.apiKeys);
        this.trackWindow = new SlidingWindow(builder.perWindow, WINDOW, clock());
        this.deleteWindow = new SlidingWindow(DELETES_PER_MINUTE, Duration.ofMinutes(1), clock());
        attributeTypes.putAll(builder.attributes);
    }

    /** A builder with Braze's defaults: key {@value #DEFAULT_API_KEY}, Braze's limit, a random port. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A sandbox configured from {@code ebb sandbox braze} options: {@code api_key}, {@code per_3s} and
     * {@code attributes} ({@code churn_score:Number,plan:String}).
     *
     * @throws IllegalArgumentException for an unknown option or a malformed value, naming the fix
     */
    public static BrazeSandbox fromOptions(int port, Map<String, String> given) {
        SandboxOptions options = SandboxOptions.read("braze", SETTINGS, given);
        Builder builder = builder().port(port);
        options.text("api_key").ifPresent(builder::apiKey);
        options.positiveInt("per_3s").ifPresent(builder::perThreeSeconds);
        options.list("attributes").ifPresent(specs -> specs.forEach(spec -> {
            String[] parts = spec.split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("attributes entry '" + spec
                        + "' should read name:Type, e.g. churn_score:Number");
            }
            builder.customAttribute(parts[0].trim(), parts[1].trim());
        }));
        return builder.build();
    }

    /** Configures a {@link BrazeSandbox}; not thread-safe. */
    public static final class Builder extends SandboxServer.Builder<Builder> {
        private static final Set<String> TYPES = Set.of("String", "Number", "Boolean", "Time", "Array", "Object");
        private final Set<String> apiKeys = new LinkedHashSet<>();
        private int perWindow = DEFAULT_PER_WINDOW;
        private final Map<String, String> attributes = new LinkedHashMap<>();

        private Builder() {
        }

        /** A REST API key to accept; the first call replaces the default key. */
        public Builder apiKey(String key) {
            if (key.isBlank()) throw new IllegalArgumentException("an API key must not be blank");
            apiKeys.add(key);
            return this;
        }

        /** /users/track requests per sliding 3 seconds (default 3,000; small values make throttling tests fast). */
        public Builder perThreeSeconds(int requests) {
            if (requests < 1) throw new IllegalArgumentException("per_3s must be at least 1");
            this.perWindow = requests;
            return this;
        }

        /** A custom attribute recorded before any call, of a Braze data type ({@code Number}, {@code String}, …). */
        public Builder customAttribute(String name, String dataType) {
            if (!TYPES.contains(dataType)) {
                throw new IllegalArgumentException("custom attribute " + name + ": unknown Braze data type '"
                        + dataType + "'; use one of " + new java.util.TreeSet<>(TYPES));
            }
            attributes.put(Objects.requireNonNull(name, "name"), dataType);
            return this;
        }

        public BrazeSandbox build() {
            return new BrazeSandbox(this);
        }
    }

    // ---- the Java API -------------------------------------------------------------------------------------

    /** How many profiles the workspace holds. */
    public int userCount() {
        synchronized (data) {
            return profiles.size();
        }
    }

    /** The profile with this external id. */
    public Optional<BrazeUser> user(String externalId) {
        synchronized (data) {
            return Optional.ofNullable(byExternalId.get(externalId)).map(BrazeSandbox::snapshot);
        }
    }

    /** The profile with this user alias. */
    public Optional<BrazeUser> userByAlias(String aliasLabel, String aliasName) {
        synchronized (data) {
            return Optional.ofNullable(byAlias.get(aliasKey(aliasLabel, aliasName))).map(BrazeSandbox::snapshot);
        }
    }

    /** Every profile, in the order they were created. */
    public List<BrazeUser> users() {
        synchronized (data) {
            return profiles.stream().map(BrazeSandbox::snapshot).toList();
        }
    }

    /** Custom attribute name to its Braze data type, as {@code GET /custom_attributes} lists them. */
    public Map<String, String> customAttributes() {
        synchronized (data) {
            return Map.copyOf(attributeTypes);
        }
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    @Override
    protected SandboxResponse handle(SandboxRequest request) {
        String key = bearer(request);
        if (key == null || !apiKeys.contains(key)) {
            return message(401, "Invalid API key: " + (key == null ? "(none)" : "the key is not valid for this workspace"));
        }
        String route = request.method() + " " + request.path();
        return switch (route) {
            case "POST /users/track" -> track(request);
            case "POST /users/delete" -> delete(request);
            case "GET /custom_attributes" -> customAttributes(request);
            default -> message(404, "No route for " + route + " in the Braze sandbox");
        };
    }

    private SandboxResponse track(SandboxRequest request) {
        boolean admitted = trackWindow.tryTake(1);
        Map<String, String> headers = rateHeaders();
        if (!admitted) return throttledAnswer(headers);
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return message(400, "Request body is not valid JSON").withHeaders(headers);
        }
        synchronized (data) {
            return userTrack.handle(body).withHeaders(headers);
        }
    }

    private SandboxResponse delete(SandboxRequest request) {
        if (!deleteWindow.tryTake(1)) return throttledAnswer(Map.of());
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return message(400, "Request body is not valid JSON");
        }
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("external_ids", "user_aliases", "braze_ids", "email_addresses", "phone_numbers")) {
            if (body != null && body.has(kind)) kinds.add(kind);
        }
        if (kinds.size() != 1) {
            return message(400, "Exactly one of external_ids, user_aliases, braze_ids, email_addresses or "
                    + "phone_numbers must be given");
        }
        JsonNode ids = body.path(kinds.getFirst());
        if (!ids.isArray() || ids.size() > MAX_DELETES) {
            return message(400, kinds.getFirst() + " must be an array of at most " + MAX_DELETES + " identifiers");
        }
        int deleted = 0;
        synchronized (data) {
            for (JsonNode id : ids) {
                Profile profile = switch (kinds.getFirst()) {
                    case "external_ids" -> byExternalId.remove(id.asText());
                    case "user_aliases" -> byAlias.remove(aliasKey(id.path("alias_label").asText(),
                            id.path("alias_name").asText()));
                    default -> null;
                };
                if (profile == null) continue;
                profiles.remove(profile);
                if (profile.externalId != null) byExternalId.remove(profile.externalId);
                if (profile.aliasLabel != null) byAlias.remove(aliasKey(profile.aliasLabel, profile.aliasName));
                deleted++;
            }
        }
        ObjectNode answer = JSON.createObjectNode().put("deleted", deleted).put("message", "success");
        return SandboxResponse.json(202, answer);
    }

    private SandboxResponse customAttributes(SandboxRequest request) {
        int from = request.queryParam("cursor").map(BrazeSandbox::page).orElse(0);
        ObjectNode answer = JSON.createObjectNode().put("message", "success");
        ArrayNode list = answer.putArray("attributes");
        boolean more;
        synchronized (data) {
            List<Map.Entry<String, String>> all = new ArrayList<>(attributeTypes.entrySet());
            for (int i = from; i < Math.min(all.size(), from + ATTRIBUTES_PER_PAGE); i++) {
                list.addObject().putNull("array_length").put("data_type", all.get(i).getValue())
                        .put("description", "").put("name", all.get(i).getKey()).put("status", "Active")
                        .putArray("tag_names");
            }
            more = all.size() > from + ATTRIBUTES_PER_PAGE;
        }
        SandboxResponse response = SandboxResponse.json(200, answer);
        if (!more) return response;
        return response.withHeader("Link", "<" + baseUrl() + "/custom_attributes?cursor="
                + (from + ATTRIBUTES_PER_PAGE) + ">; rel=\"next\"");
    }

    private static int page(String cursor) {
        try {
            return Math.max(0, Integer.parseInt(cursor));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code X-RateLimit-*} of the /users/track window: its limit, what is left, and when it frees (epoch s). */
    private Map<String, String> rateHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-RateLimit-Limit", String.valueOf(trackWindow.limit()));
        headers.put("X-RateLimit-Remaining", String.valueOf(trackWindow.remaining()));
        headers.put("X-RateLimit-Reset", String.valueOf(clock().instant().plus(WINDOW).getEpochSecond()));
        return headers;
    }

    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        Map<String, String> headers = rateHeaders();
        headers.put("X-RateLimit-Remaining", "0");
        return throttledAnswer(headers);
    }

    // Braze documents the status and the headers of a throttled call; the body's wording is the sandbox's.
    private static SandboxResponse throttledAnswer(Map<String, String> headers) {
        return message(429, "API rate limit exceeded").withHeaders(headers);
    }

    @Override
    protected Optional<SandboxResponse> handleSandbox(SandboxRequest request) {
        if (!request.path().equals(SANDBOX_PREFIX + "users")) return Optional.empty();
        return switch (request.method()) {
            case "GET" -> Optional.of(SandboxResponse.json(200, Map.of("users", users())));
            case "DELETE" -> {
                synchronized (data) {
                    profiles.clear();
                    byExternalId.clear();
                    byAlias.clear();
                }
                yield Optional.of(SandboxResponse.empty(204));
            }
            default -> Optional.of(sandboxError(405, "use GET or DELETE on " + request.path()));
        };
    }

    static SandboxResponse message(int status, String message) {
        return SandboxResponse.json(status, Map.of("message", message));
    }

    private static String bearer(SandboxRequest request) {
        String header = request.header("Authorization").orElse("");
        if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String key = header.substring(7).trim();
        return key.isEmpty() ? null : key;
    }

    // ---- profiles (under the data lock, from UserTrack) ---------------------------------------------------

    Optional<Profile> find(JsonNode item) {
        if (item.path("external_id").isTextual()) {
            return Optional.ofNullable(byExternalId.get(item.path("external_id").asText()));
        }
        JsonNode alias = item.path("user_alias");
        return Optional.ofNullable(byAlias.get(aliasKey(alias.path("alias_label").asText(),
                alias.path("alias_name").asText())));
    }

    Profile create(JsonNode item) {
        Profile profile = new Profile();
        if (item.path("external_id").isTextual()) {
            profile.externalId = item.path("external_id").asText();
            byExternalId.put(profile.externalId, profile);
        } else {
            profile.aliasLabel = item.path("user_alias").path("alias_label").asText();
            profile.aliasName = item.path("user_alias").path("alias_name").asText();
            byAlias.put(aliasKey(profile.aliasLabel, profile.aliasName), profile);
        }
        profiles.add(profile);
        return profile;
    }

    /** Records a custom attribute the first time a value of it arrives, with that value's type. */
    void noteAttribute(String name, JsonNode value) {
        if (Standard.ATTRIBUTES.contains(name) || attributeTypes.containsKey(name)) return;
        attributeTypes.put(name, value.isNumber() ? "Number" : value.isBoolean() ? "Boolean"
                : value.isArray() ? "Array" : value.isObject() ? "Object" : "String");
    }

    private static String aliasKey(String label, String name) {
        return label + "\u001f" + name;
    }

    private static BrazeUser snapshot(Profile profile) {
        Map<String, String> attributes = new LinkedHashMap<>();
        profile.attributes.forEach((name, value) -> attributes.put(name, text(value)));
        return new BrazeUser(profile.externalId, profile.aliasLabel, profile.aliasName, attributes,
                profile.events.stream().map(BrazeSandbox::texts).toList(),
                profile.purchases.stream().map(BrazeSandbox::texts).toList());
    }

    private static Map<String, String> texts(ObjectNode item) {
        Map<String, String> values = new LinkedHashMap<>();
        item.fields().forEachRemaining(field -> {
            if (field.getKey().equals("properties")) {
                field.getValue().fields().forEachRemaining(p -> values.put("properties." + p.getKey(), text(p.getValue())));
            } else {
                values.put(field.getKey(), text(field.getValue()));
            }
        });
        return values;
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** Braze's standard profile attributes, which {@code GET /custom_attributes} never lists. */
    static final class Standard {
        /** The user profile fields of the post_user_track page's "User attributes object". */
        static final Set<String> ATTRIBUTES = Set.of("first_name", "last_name", "email", "phone", "country",
                "language", "home_city", "gender", "dob", "time_zone", "email_subscribe", "push_subscribe");

        private Standard() {
        }
    }
}
