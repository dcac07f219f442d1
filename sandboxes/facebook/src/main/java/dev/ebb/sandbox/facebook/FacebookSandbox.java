package dev.ebb.sandbox.facebook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxOptions;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.SlidingWindow;
import dev.ebb.spi.ConnectorOption;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Meta Marketing API for customer-file Custom Audiences, as Meta documents it and as Meta's official SDKs
 * (facebook-python-business-sdk, facebook-nodejs-business-sdk) call it. Paths may carry a version
 * ({@code /v25.0/…}) or not.
 *
 * <ul>
 *   <li>Access tokens as {@code Authorization: Bearer|OAuth …} or the {@code access_token} parameter; anything else
 *       is Graph error 190 (HTTP 400), none at all error 104.</li>
 *   <li>{@code GET|POST /act_{id}/customaudiences} (list, create), {@code GET|DELETE /{audience_id}} (read the
 *       requested {@code fields}, delete).</li>
 *   <li>{@code POST|DELETE /{audience_id}/users}, {@code POST /{audience_id}/usersreplace},
 *       {@code GET /{audience_id}/sessions}: see {@link UserEndpoints} and {@link UserPayload} (10,000 users a
 *       request, invalid entries counted and sampled).</li>
 *   <li>Parameters from the query, a form body ({@code payload=…&session=…}, as the SDKs send them) or a JSON body.</li>
 *   <li>The {@code custom_audience} Business Use Case limit per ad account and hour: "190000 (Standard tier) or 5000
 *       (Dev tier) + 40 × number of active custom audiences"
 *       (https://developers.facebook.com/docs/marketing-apis/rate-limiting). Every answer carries
 *       {@code X-Business-Use-Case-Usage} (percentages of the allowance, and {@code estimated_time_to_regain_access}
 *       in minutes) and {@code X-App-Usage}; a call over the limit is Graph error 80003 with HTTP 400
 *       (https://developers.facebook.com/docs/graph-api/overview/rate-limiting, "Business Use Case Rate Limits").</li>
 *   <li>Errors as Graph error objects with {@code fbtrace_id}; a 5xx fault answers Graph's code 2 "Service
 *       temporarily unavailable" with {@code is_transient}.</li>
 *   <li>{@code /_sandbox/audiences}: the audiences with their member counts; {@code POST} creates one;
 *       {@code GET /_sandbox/audiences/{id}/members} lists members, {@code …/members/{KEY}/{value}} finds one by a
 *       hash (or plain MADID / EXTERN_ID); {@code POST /_sandbox/audiences/{id}/flag} flags it (operation_status
 *       471: membership edits refused with error 100, subcode 1713230).</li>
 * </ul>
 *
 * <p>Thread-safe: one lock guards the audiences, so each request is applied atomically.
 */
public final class FacebookSandbox extends SandboxServer {
    /** The token accepted when none is configured. */
    public static final String DEFAULT_TOKEN = "sandbox-token";
    /** The ad account the sandbox holds. */
    public static final String DEFAULT_AD_ACCOUNT = "act_1234567890";
    /** The id of the first audience the sandbox creates (Meta's ids are long numbers). */
    public static final long FIRST_AUDIENCE_ID = 23_850_000_000_000_001L;
    /** Dev tier: "5000 … + 40 × number of active custom audiences" per hour (rate-limiting page above). */
    public static final int DEV_TIER_PER_HOUR = 5_000;
    /** Standard tier: 190,000 + 40 × audiences per hour (same page). */
    public static final int STANDARD_TIER_PER_HOUR = 190_000;
    /** "No more than 700000" per hour (same page). */
    public static final int MAX_PER_HOUR = 700_000;
    /** The window the custom_audience BUC limit counts over. */
    public static final Duration WINDOW = Duration.ofHours(1);

    /** The options {@link #fromOptions} accepts. */
    public static final List<ConnectorOption> SETTINGS = List.of(
            ConnectorOption.optional("tokens", "accepted access tokens, comma-separated (default " + DEFAULT_TOKEN + ")"),
            ConnectorOption.optional("ad_account", "the ad account id (default " + DEFAULT_AD_ACCOUNT + ")"),
            ConnectorOption.optional("tier", "dev | standard: the custom_audience limit per hour (default dev: 5,000 "
                    + "+ 40 per audience)"),
            ConnectorOption.optional("per_hour", "calls per hour before the 40-per-audience allowance, overriding the tier"),
            ConnectorOption.optional("audiences", "audience names to create at start, comma-separated (default one, "
                    + "'Ebb sandbox audience', id " + FIRST_AUDIENCE_ID + "; ids count up from there)"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("^/v\\d+\\.\\d+(/.*)$");
    private static final Pattern ACCOUNT = Pattern.compile("act_\\d+");
    private static final Set<String> DEFAULT_FIELDS = Set.of("id");

    private final Set<String> tokens;
    private final String adAccountId;
    private final SlidingWindow window;
    private final UserEndpoints users;
    private final Object data = new Object();
    private final Map<String, Audience> audiences = new LinkedHashMap<>();
    private long nextAudienceId = FIRST_AUDIENCE_ID;

    private FacebookSandbox(Builder builder) {
        super(builder);
        this.tokens = Set.copyOf(builder.tokens);
        this.adAccountId = builder.adAccountId;
        this.users = new UserEndpoints(adAccountId);
        builder.audiences.forEach(name -> createAudience(name));
        long limit = Math.min(MAX_PER_HOUR, builder.perHour + 40L * audiences.size());
        this.window = new SlidingWindow(limit, WINDOW, clock());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A sandbox from {@code ebb sandbox facebook -o key=value} options ({@link #SETTINGS}). */
    public static FacebookSandbox fromOptions(int port, Map<String, String> given) {
        SandboxOptions options = SandboxOptions.read("facebook", SETTINGS, given);
        Builder builder = builder().port(port);
        options.list("tokens").ifPresent(list -> builder.tokens(list.toArray(String[]::new)));
        options.text("ad_account").ifPresent(builder::adAccount);
        options.text("tier").ifPresent(tier -> builder.perHour(switch (tier.toLowerCase(Locale.ROOT)) {
            case "dev", "development", "limited" -> DEV_TIER_PER_HOUR;
            case "standard", "full" -> STANDARD_TIER_PER_HOUR;
            default -> throw new IllegalArgumentException("unknown Meta access tier '" + tier + "'; use dev or standard");
        }));
        options.positiveInt("per_hour").ifPresent(builder::perHour);
        options.list("audiences").ifPresent(names -> builder.audiences(names.toArray(String[]::new)));
        return builder.build();
    }

    /** Configures a {@link FacebookSandbox}; not thread-safe. */
    public static final class Builder extends SandboxServer.Builder<Builder> {
        private Set<String> tokens = Set.of(DEFAULT_TOKEN);
        private String adAccountId = DEFAULT_AD_ACCOUNT;
        private int perHour = DEV_TIER_PER_HOUR;
        private List<String> audiences = List.of("Ebb sandbox audience");

        private Builder() {
        }

        public Builder tokens(String... tokens) {
            if (tokens.length == 0) throw new IllegalArgumentException("the sandbox needs at least one token");
            this.tokens = new LinkedHashSet<>(Arrays.asList(tokens));
            return this;
        }

        /** The ad account, {@code act_} and digits. */
        public Builder adAccount(String id) {
            if (!ACCOUNT.matcher(id).matches()) {
                throw new IllegalArgumentException("ad_account '" + id + "' must read act_ followed by digits");
            }
            this.adAccountId = id;
            return this;
        }

        /** Calls per hour before the allowance of 40 per audience (small values keep throttling tests fast). */
        public Builder perHour(int calls) {
            if (calls < 1) throw new IllegalArgumentException("per_hour must be at least 1");
            this.perHour = calls;
            return this;
        }

        /** The audiences to create at start, in order. */
        public Builder audiences(String... names) {
            this.audiences = List.of(names);
            return this;
        }

        public FacebookSandbox build() {
            return new FacebookSandbox(this);
        }
    }

    // ---- the Java API -------------------------------------------------------------------------------------

    public String adAccountId() {
        return adAccountId;
    }

    /** Creates a customer-file audience as Ads Manager would; no call is counted. Returns its id. */
    public String createAudience(String name) {
        synchronized (data) {
            String id = String.valueOf(nextAudienceId++);
            audiences.put(id, new Audience(id, name, "", "CUSTOM", clock().instant().getEpochSecond()));
            return id;
        }
    }

    /** The ids of the audiences, oldest first. */
    public List<String> audienceIds() {
        synchronized (data) {
            return List.copyOf(audiences.keySet());
        }
    }

    /** The members of an audience. */
    public List<Member> members(String audienceId) {
        synchronized (data) {
            return audience(audienceId).members();
        }
    }

    public int memberCount(String audienceId) {
        synchronized (data) {
            return audience(audienceId).size();
        }
    }

    /** The member whose {@code key} was sent as {@code value} (a lowercase hex digest, or a plain MADID/EXTERN_ID). */
    public Optional<Member> member(String audienceId, String key, String value) {
        synchronized (data) {
            return audience(audienceId).find(key, value);
        }
    }

    /** Flags the audience (operation_status 471): Meta refuses membership edits until it is resolved. */
    public void flag(String audienceId) {
        synchronized (data) {
            audience(audienceId).flagged = true;
        }
    }

    private Audience audience(String audienceId) {
        Audience audience = audiences.get(audienceId);
        if (audience == null) throw new IllegalArgumentException("no audience " + audienceId + "; have " + audiences.keySet());
        return audience;
    }

    // ---- the API ------------------------------------------------------------------------------------------

    @Override
    protected SandboxResponse handle(SandboxRequest request) {
        SandboxResponse response;
        try {
            response = route(request);
        } catch (SandboxReply reply) {
            response = reply.response();
        }
        return withUsage(response, 0);
    }

    private SandboxResponse route(SandboxRequest request) {
        Map<String, String> params = params(request);
        authenticate(request, params);
        // The window's length is the longest wait there can be; the log does not say when its oldest call leaves.
        if (!window.tryTake(1)) throw new SandboxReply(withUsage(tooManyCalls(), (int) WINDOW.toMinutes()));
        String path = request.path();
        Matcher versioned = VERSION.matcher(path);
        if (versioned.matches()) path = versioned.group(1);
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        String method = request.method();
        long now = clock().instant().getEpochSecond();
        synchronized (data) {
            if (segments.size() == 2 && segments.get(1).equals("customaudiences")) {
                if (!segments.get(0).equals(adAccountId)) throw GraphError.unknownObject(method, segments.get(0));
                return switch (method) {
                    case "GET" -> list(params);
                    case "POST" -> create(params);
                    default -> throw GraphError.unknownObject(method, segments.get(0));
                };
            }
            Audience audience = segments.isEmpty() ? null : audiences.get(segments.get(0));
            if (audience == null) throw GraphError.unknownObject(method, segments.isEmpty() ? "" : segments.get(0));
            String edge = segments.size() == 2 ? segments.get(1) : segments.size() == 1 ? "" : null;
            String route = method + " " + edge;
            return switch (route) {
                case "GET " -> SandboxResponse.json(200, fields(audience, params.get("fields")));
                case "DELETE " -> {
                    audiences.remove(audience.id);
                    yield SandboxResponse.json(200, JSON.createObjectNode().put("success", true));
                }
                case "POST users" -> users.users(audience, true, params, now);
                case "DELETE users" -> users.users(audience, false, params, now);
                case "POST usersreplace" -> users.replace(audience, params, now);
                case "GET sessions" -> users.sessions(audience, params);
                default -> throw GraphError.unknownObject(method, audience.id);
            };
        }
    }

    private SandboxResponse list(Map<String, String> params) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("data");
        audiences.values().forEach(a -> list.add(fields(a, params.get("fields"))));
        body.putObject("paging").putObject("cursors").put("before", "MAZDZD").put("after", "MAZDZD");
        return SandboxResponse.json(200, body);
    }

    private SandboxResponse create(Map<String, String> params) {
        String name = params.get("name");
        if (name == null || name.isBlank()) throw GraphError.invalidParameter("The parameter name is required");
        String subtype = params.getOrDefault("subtype", "CUSTOM");
        if (!subtype.equals("CUSTOM")) {
            throw GraphError.invalidParameter("the sandbox creates customer-file audiences only (subtype CUSTOM)");
        }
        String id = String.valueOf(nextAudienceId++);
        long now = clock().instant().getEpochSecond();
        audiences.put(id, new Audience(id, name, params.getOrDefault("description", ""), subtype, now));
        return SandboxResponse.json(200, JSON.createObjectNode().put("id", id));
    }

    /** The requested fields of an audience; Graph answers only {@code id} when none are asked for. */
    private ObjectNode fields(Audience audience, String requested) {
        Set<String> wanted = requested == null || requested.isBlank() ? DEFAULT_FIELDS
                : new LinkedHashSet<>(Arrays.stream(requested.split(",")).map(String::trim).toList());
        ObjectNode node = JSON.createObjectNode();
        for (String field : wanted) {
            switch (field) {
                case "id" -> node.put("id", audience.id);
                case "account_id" -> node.put("account_id", adAccountId.substring("act_".length()));
                case "name" -> node.put("name", audience.name);
                case "description" -> node.put("description", audience.description);
                case "subtype" -> node.put("subtype", audience.subtype);
                case "customer_file_source" -> node.put("customer_file_source", "USER_PROVIDED_ONLY");
                // Meta reports sizes as a range, never an exact count below its threshold.
                case "approximate_count_lower_bound" -> node.put(field, audience.size() < 1000 ? -1 : audience.size() * 9 / 10);
                case "approximate_count_upper_bound" -> node.put(field, audience.size() < 1000 ? -1 : audience.size() * 11 / 10);
                case "operation_status" -> node.putObject(field).put("code", audience.flagged ? 471 : 200)
                        .put("description", audience.flagged ? "This audience has been restricted" : "Normal");
                case "delivery_status" -> node.putObject(field).put("code", audience.size() < 1000 ? 300 : 200)
                        .put("description", audience.size() < 1000 ? "This audience is too small" : "This audience is ready");
                case "time_created" -> node.put(field, audience.created);
                case "time_updated", "time_content_updated" -> node.put(field, audience.updated);
                default -> throw GraphError.invalidParameter("Tried accessing nonexisting field (" + field
                        + ") on node type (CustomAudience)");
            }
        }
        return node;
    }

    private void authenticate(SandboxRequest request, Map<String, String> params) {
        String token = request.header("Authorization").map(value -> value.replaceFirst("^(?i)(bearer|oauth)\\s+", ""))
                .orElse(params.get("access_token"));
        if (token == null || token.isBlank()) {
            throw new SandboxReply(GraphError.response(400, 104, 0, "OAuthException",
                    "An access token is required to request this resource.", false));
        }
        if (!tokens.contains(token)) {
            throw new SandboxReply(GraphError.response(400, 190, 0, "OAuthException",
                    "Invalid OAuth access token - Cannot parse access token", false));
        }
    }

    /** The query, then a form or JSON body (as text values), merged; the body wins. */
    private static Map<String, String> params(SandboxRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        request.query().forEach((k, v) -> params.put(k, v.getFirst()));
        String body = request.bodyText();
        if (body.isBlank()) return params;
        String type = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            try {
                JSON.readTree(body).properties().forEach(e -> params.put(e.getKey(),
                        e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw GraphError.invalidParameter("the request body is not JSON");
            }
        } else {
            SandboxRequest.parseQuery(body).forEach((k, v) -> params.put(k, v.getFirst()));
        }
        return params;
    }

    // ---- limits -------------------------------------------------------------------------------------------

    private SandboxResponse tooManyCalls() {
        return GraphError.response(400, 80003, 2446079, "OAuthException", "(#80003) There have been too many calls "
                + "to this ad-account. Wait a bit and try again. For more info, please refer to "
                + "https://developers.facebook.com/docs/graph-api/overview/rate-limiting#custom-audience.", true);
    }

    /** Adds the usage headers: percentages of the hour's allowance, and minutes until calls are allowed again. */
    private SandboxResponse withUsage(SandboxResponse response, int regainMinutes) {
        if (response.headers().containsKey("X-Business-Use-Case-Usage")) return response;
        long percent = Math.min(100, window.used() * 100 / window.limit());
        ObjectNode usage = JSON.createObjectNode();
        usage.putArray(adAccountId.substring("act_".length())).addObject()
                .put("type", "custom_audience").put("call_count", percent).put("total_cputime", percent / 2)
                .put("total_time", percent / 2).put("estimated_time_to_regain_access", regainMinutes)
                .put("ads_api_access_tier", window.limit() >= STANDARD_TIER_PER_HOUR ? "standard_access"
                        : "development_access");
        ObjectNode app = JSON.createObjectNode().put("call_count", 0).put("total_cputime", 0).put("total_time", 0);
        return response.withHeader("X-Business-Use-Case-Usage", usage.toString()).withHeader("X-App-Usage", app.toString());
    }

    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        return withUsage(tooManyCalls(), 5);
    }

    @Override
    protected SandboxResponse statusFault(SandboxRequest request, dev.ebb.sandbox.Fault fault) {
        if (fault.body() != null) return super.statusFault(request, fault);
        return GraphError.response(fault.status(), 2, 0, "OAuthException", "An unexpected error has occurred. "
                + "Please retry your request later.", true);
    }

    /** For the {@code /_sandbox/} routes. */
    @Override
    protected Optional<SandboxResponse> handleSandbox(SandboxRequest request) {
        return SandboxRoutes.answer(this, request);
    }

    /** Empties every audience (tests and {@code DELETE /_sandbox/audiences}). */
    void clearMembers() {
        synchronized (data) {
            List<Audience> all = new ArrayList<>(audiences.values());
            audiences.clear();
            all.forEach(a -> audiences.put(a.id, new Audience(a.id, a.name, a.description, a.subtype, a.created)));
        }
    }
}
