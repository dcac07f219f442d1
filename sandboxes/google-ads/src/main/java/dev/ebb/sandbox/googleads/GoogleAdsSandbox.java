package dev.ebb.sandbox.googleads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.PeriodCount;
import dev.ebb.sandbox.SandboxOptions;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.SlidingWindow;
import dev.ebb.sandbox.googleads.Audiences.Member;
import dev.ebb.sandbox.googleads.Audiences.Request;
import dev.ebb.sandbox.googleads.Audiences.UserList;
import dev.ebb.sandbox.googleads.AudienceEndpoints.Checked;
import dev.ebb.spi.ConnectorOption;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Google Data Manager API for Customer Match: the OAuth 2.0 token endpoint, the IngestionService's audience
 * methods and the UserListService's {@code GetUserList}, as Google's REST reference and the protos document them,
 * members in memory.
 *
 * <ul>
 *   <li>{@code POST /token} (Google's {@code https://oauth2.googleapis.com/token}): the refresh-token grant, answering
 *       an access token that lives 3599 s; {@code invalid_client} (401) and {@code invalid_grant} (400) as Google
 *       answers them (https://developers.google.com/identity/protocols/oauth2/web-server#offline).</li>
 *   <li>{@code POST /v1/audienceMembers:ingest}, {@code POST /v1/audienceMembers:remove}, {@code GET
 *       /v1/requestStatus:retrieve?requestId=} (ingestion_service.proto) and {@code GET
 *       /v1/accountTypes/GOOGLE_ADS/accounts/{account}/userLists/{id}} (user_list_service.proto), each with
 *       {@code Authorization: Bearer}; see {@link AudienceEndpoints} for what a request must hold.</li>
 *   <li>Limits per Google Cloud project: IngestionService mutate and read requests, 300 a minute and 100,000 a day
 *       each; every other service together, 300 a minute and 50,000 a day. Over them, 429 RESOURCE_EXHAUSTED with the
 *       quota's name in the ErrorInfo (https://developers.google.com/data-manager/api/devguides/limits). Google
 *       resets daily quotas at midnight Pacific time (https://cloud.google.com/docs/quotas/overview).</li>
 *   <li>Processing after the answer: a request is {@code PROCESSING} for {@link Builder#processing} and then applied;
 *       a member whose {@code ad_user_data} consent is denied fails with
 *       {@code PROCESSING_ERROR_REASON_DENIED_CONSENT}.</li>
 * </ul>
 *
 * <p>Under {@code /_sandbox/}: {@code GET /_sandbox/audiences} (every user list with its member count), {@code POST
 * /_sandbox/audiences} ({@code {"account":"…","userList":"…","displayName":"…"}}), {@code GET
 * /_sandbox/audiences/{account}/{userList}/members} and {@code …/members/{sha256}} (the member holding that hash),
 * {@code GET /_sandbox/ingestions/{requestId}}, and {@code POST /_sandbox/processing-failures}
 * ({@code {"reason":"PROCESSING_ERROR_REASON_INTERNAL_ERROR","count":1}}: the next accepted requests fail in
 * processing).
 *
 * <p>Thread-safe: one lock guards the audiences and requests, so each call is applied atomically; tokens and limits
 * have their own.
 */
public final class GoogleAdsSandbox extends SandboxServer {
    public static final String DEFAULT_CLIENT_ID = "sandbox-client.apps.googleusercontent.com";
    public static final String DEFAULT_CLIENT_SECRET = "sandbox-client-secret";
    public static final String DEFAULT_REFRESH_TOKEN = "sandbox-refresh-token";
    /** The Google Ads customer id whose user list the sandbox holds unless told otherwise. */
    public static final String DEFAULT_ACCOUNT = "1234567890";
    /** The user list (audience) id it holds. */
    public static final String DEFAULT_USER_LIST = "9000000001";
    /** "expires_in": Google's access tokens last an hour, answered as 3599 seconds (web-server OAuth page). */
    public static final Duration TOKEN_LIFESPAN = Duration.ofSeconds(3599);
    /** IngestionService: "Requests per minute 300" for mutate and for read (limits page). */
    public static final int INGESTION_PER_MINUTE = 300;
    /** IngestionService: "Requests per day 100,000" for mutate and for read (limits page). */
    public static final long INGESTION_PER_DAY = 100_000;
    /** "All other services combined": 300 a minute, 50,000 a day (limits page). */
    public static final int OTHER_PER_MINUTE = 300;
    public static final long OTHER_PER_DAY = 50_000;
    static final ZoneId QUOTA_ZONE = ZoneId.of("America/Los_Angeles");

    /** The options {@link #fromOptions} accepts, as {@code ebb sandbox google-ads --help} lists them. */
    public static final List<ConnectorOption> SETTINGS = List.of(
            ConnectorOption.optional("client_id", "the OAuth client id (default " + DEFAULT_CLIENT_ID + ")"),
            ConnectorOption.optional("client_secret", "its client secret (default " + DEFAULT_CLIENT_SECRET + ")"),
            ConnectorOption.optional("refresh_token", "the refresh token it accepts (default "
                    + DEFAULT_REFRESH_TOKEN + ")"),
            ConnectorOption.optional("user_lists", "user lists as account/id, comma-separated (default "
                    + DEFAULT_ACCOUNT + "/" + DEFAULT_USER_LIST + ")"),
            ConnectorOption.optional("terms_signed", "whether the accounts accepted the Customer Match terms "
                    + "already, so requests need not (default true)"),
            ConnectorOption.optional("processing_s", "seconds a request stays PROCESSING (default 2)"),
            ConnectorOption.optional("per_minute", "requests per minute per quota (default 300)"),
            ConnectorOption.optional("daily", "IngestionService requests per day per quota (default 100000)"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern USER_LIST = Pattern.compile("/v1/accountTypes/([^/]+)/accounts/([^/]+)/userLists/([^/]+)");
    private static final Pattern MEMBERS = Pattern.compile("/_sandbox/audiences/([^/]+)/([^/]+)/members(?:/([^/]+))?");
    private static final Pattern INGESTION = Pattern.compile("/_sandbox/ingestions/([^/]+)");

    private final OAuthTokens tokens;
    private final boolean termsSigned;
    private final Duration processing;
    private final AudienceEndpoints endpoints = new AudienceEndpoints(this);
    private final Map<String, Quota> quotas = new LinkedHashMap<>();

    private final Object data = new Object();
    private final Audiences audiences = new Audiences();

    /** One quota of the limits page: its name in the ErrorInfo, a sliding minute and a Pacific day. */
    private record Quota(String minuteName, SlidingWindow minute, String dayName, PeriodCount day) {
    }

    private GoogleAdsSandbox(Builder builder) {
        super(builder);
        this.tokens = new OAuthTokens(builder.clientId, builder.clientSecret, builder.refreshToken, clock());
        this.termsSigned = builder.termsSigned;
        this.processing = builder.processing;
        quota("IngestionMutate", builder.perMinute, builder.daily);
        quota("IngestionRead", builder.perMinute, builder.daily);
        quota("ManagementRead", Math.min(builder.perMinute, OTHER_PER_MINUTE), Math.min(builder.daily, OTHER_PER_DAY));
        builder.lists.forEach(list -> audiences.createList(list[0], list[1], list[2]));
    }

    private void quota(String prefix, int perMinute, long perDay) {
        quotas.put(prefix, new Quota(prefix + "RequestsPerMinutePerProject",
                new SlidingWindow(perMinute, Duration.ofMinutes(1), clock()),
                prefix + "RequestsPerDayPerProject", PeriodCount.daily(perDay, QUOTA_ZONE, clock())));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A sandbox from {@code ebb sandbox google-ads} options (see {@link #SETTINGS}).
     *
     * @throws IllegalArgumentException for an unknown option or a malformed value, naming the fix
     */
    public static GoogleAdsSandbox fromOptions(int port, Map<String, String> given) {
        SandboxOptions options = SandboxOptions.read("google-ads", SETTINGS, given);
        Builder builder = builder().port(port);
        options.text("client_id").ifPresent(v -> builder.clientId = v);
        options.text("client_secret").ifPresent(v -> builder.clientSecret = v);
        options.text("refresh_token").ifPresent(v -> builder.refreshToken = v);
        options.flag("terms_signed", "true", "false").ifPresent(builder::termsSigned);
        options.seconds("processing_s").ifPresent(s -> builder.processing(Duration.ofMillis(Math.round(s * 1000))));
        options.positiveInt("per_minute").ifPresent(builder::perMinute);
        options.positiveLong("daily").ifPresent(builder::daily);
        options.list("user_lists").ifPresent(lists -> {
            builder.lists.clear();
            for (String spec : lists) {
                String[] parts = spec.split("/");
                if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")) {
                    throw new IllegalArgumentException("google-ads: user_lists entry '" + spec + "' is not account/id "
                            + "in digits; use e.g. " + DEFAULT_ACCOUNT + "/" + DEFAULT_USER_LIST);
                }
                builder.userList(parts[0], parts[1], "Sandbox list " + parts[1]);
            }
        });
        return builder.build();
    }

    /** Settings for a sandbox; defaults are Google's limits and one user list. Not thread-safe. */
    public static final class Builder extends SandboxServer.Builder<Builder> {
        private String clientId = DEFAULT_CLIENT_ID;
        private String clientSecret = DEFAULT_CLIENT_SECRET;
        private String refreshToken = DEFAULT_REFRESH_TOKEN;
        private boolean termsSigned = true;
        private Duration processing = Duration.ofSeconds(2);
        private int perMinute = INGESTION_PER_MINUTE;
        private long daily = INGESTION_PER_DAY;
        private final List<String[]> lists = new ArrayList<>(List.<String[]>of(
                new String[] {DEFAULT_ACCOUNT, DEFAULT_USER_LIST, "Sandbox Customer Match list"}));

        private Builder() {
        }

        /** A user list of {@code account} (added to the default one). */
        public Builder userList(String account, String id, String displayName) {
            lists.add(new String[] {account, id, displayName});
            return this;
        }

        /** Whether the accounts accepted the Customer Match terms already (default true). */
        public Builder termsSigned(boolean signed) {
            this.termsSigned = signed;
            return this;
        }

        /** How long an accepted request stays {@code PROCESSING}, on the sandbox's clock (default 2 s). */
        public Builder processing(Duration processing) {
            this.processing = processing;
            return this;
        }

        public Builder perMinute(int perMinute) {
            this.perMinute = perMinute;
            return this;
        }

        public Builder daily(long daily) {
            this.daily = daily;
            return this;
        }

        public GoogleAdsSandbox build() {
            return new GoogleAdsSandbox(this);
        }
    }

    // ---- the Java API for tests ---------------------------------------------------------------------------

    /**
     * A member of a user list as stored: identifiers as SHA-256 hex (addresses with their region and postal code as
     * sent), oldest first.
     */
    public record StoredMember(long id, List<String> emails, List<String> phones, List<StoredAddress> addresses) {
    }

    /** An address identifier: names as SHA-256 hex, region and postal code as sent. */
    public record StoredAddress(String givenName, String familyName, String regionCode, String postalCode) {
    }

    /** Adds a user list. */
    public void createUserList(String account, String id, String displayName) {
        synchronized (data) {
            audiences.createList(account, id, displayName);
        }
    }

    /** The member of the list holding {@code sha256Hex} (an email, phone or name hash), after due processing. */
    public Optional<StoredMember> member(String account, String userList, String sha256Hex) {
        String wanted = sha256Hex.toLowerCase(Locale.ROOT);
        synchronized (data) {
            audiences.settle(clock().instant());
            return audiences.list(account, userList).flatMap(list -> list.members.stream()
                    .filter(m -> m.identifiers.stream().anyMatch(id -> id.value().equals(wanted))
                            || m.addresses.values().stream().anyMatch(a -> a.givenName().equals(wanted)
                            || a.familyName().equals(wanted)))
                    .findFirst().map(GoogleAdsSandbox::stored));
        }
    }

    /** How many members the list holds, after due processing. */
    public int memberCount(String account, String userList) {
        synchronized (data) {
            audiences.settle(clock().instant());
            return audiences.list(account, userList).map(list -> list.members.size()).orElse(0);
        }
    }

    /** Makes the next {@code count} accepted requests fail in processing with a ProcessingErrorReason. */
    public void failNextProcessing(String reason, int count) {
        synchronized (data) {
            audiences.failNext(reason, count);
        }
    }

    private static StoredMember stored(Member member) {
        List<String> emails = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        member.identifiers.forEach(id -> {
            switch (id.kind()) {
                case EMAIL -> emails.add(id.value());
                case PHONE -> phones.add(id.value());
                case ADDRESS -> { }
            }
        });
        List<StoredAddress> addresses = member.addresses.values().stream()
                .map(a -> new StoredAddress(a.givenName(), a.familyName(), a.regionCode(), a.postalCode())).toList();
        return new StoredMember(member.id, emails, phones, addresses);
    }

    Optional<UserList> list(String account, String id) {
        return audiences.list(account, id);
    }

    // ---- the API ------------------------------------------------------------------------------------------

    @Override
    protected SandboxResponse handle(SandboxRequest request) {
        if (request.path().equals("/token")) return tokens.token(request);
        String route = request.method() + " " + request.path();
        Matcher userList = USER_LIST.matcher(request.path());
        String quota = switch (route) {
            case "POST /v1/audienceMembers:ingest", "POST /v1/audienceMembers:remove" -> "IngestionMutate";
            case "GET /v1/requestStatus:retrieve" -> "IngestionRead";
            default -> userList.matches() && request.method().equals("GET") ? "ManagementRead" : null;
        };
        if (quota == null) {
            if (request.path().startsWith("/v1/audienceMembers") || request.path().startsWith("/v1/requestStatus")) {
                throw RpcErrors.methodNotAllowed(request.method(), request.path());
            }
            throw RpcErrors.notFound("The requested URL " + request.path() + " was not found on this server.");
        }
        tokens.authenticate(request);
        Optional<SandboxResponse> refused = take(quotas.get(quota));
        if (refused.isPresent()) return refused.get();
        return switch (quota) {
            case "IngestionMutate" -> write(request, route.endsWith(":remove"));
            case "IngestionRead" -> retrieve(request);
            default -> getUserList(userList);
        };
    }

    private SandboxResponse write(SandboxRequest request, boolean removal) {
        JsonNode body = parse(request);
        synchronized (data) {
            Checked checked = endpoints.check(body, removal, termsSigned);
            if (AudienceEndpoints.text(body, "validateOnly", "validate_only").equals("true")) {
                return SandboxResponse.json(200, JSON.createObjectNode());
            }
            String id = UUID.randomUUID().toString();
            Instant now = clock().instant();
            audiences.accept(audiences.newRequest(id, removal, checked.destinations(), checked.members(),
                    now.plus(processing)));
            return SandboxResponse.json(200, JSON.createObjectNode().put("requestId", id));
        }
    }

    private SandboxResponse retrieve(SandboxRequest request) {
        String id = request.queryParam("requestId").or(() -> request.queryParam("request_id")).orElse("");
        if (id.isBlank()) throw RpcErrors.invalid("request_id", "REQUIRED_FIELD_MISSING", "request_id is required.");
        synchronized (data) {
            Instant now = clock().instant();
            audiences.settle(now);
            Request found = audiences.request(id).orElseThrow(() -> RpcErrors.invalid("request_id",
                    "INVALID_REQUEST_ID", "The request ID used to retrieve the status of a request is not valid."));
            return SandboxResponse.json(200, AudienceEndpoints.status(found, now));
        }
    }

    private SandboxResponse getUserList(Matcher path) {
        synchronized (data) {
            if (!path.group(1).equals("GOOGLE_ADS")) {
                throw RpcErrors.invalid("name", "INVALID_RESOURCE_NAME", "The sandbox holds Google Ads accounts only.");
            }
            UserList list = audiences.list(path.group(2), path.group(3)).orElseThrow(() -> RpcErrors.reply(404,
                    RpcErrors.status(404, "NOT_FOUND", "Resource not found: user list " + path.group(3)
                            + " of account " + path.group(2) + ".")));
            return SandboxResponse.json(200, AudienceEndpoints.listJson(list));
        }
    }

    private static JsonNode parse(SandboxRequest request) {
        try {
            JsonNode body = JSON.readTree(request.bodyText());
            if (body != null && body.isObject()) return body;
        } catch (JsonProcessingException e) {
            // answered below
        }
        throw RpcErrors.reply(400, RpcErrors.status(400, "INVALID_ARGUMENT",
                "Invalid JSON payload received. The body must be a JSON object."));
    }

    /** Counts the call against its quota; the 429 when the minute or the day is spent. */
    private Optional<SandboxResponse> take(Quota quota) {
        synchronized (quota) {
            if (!quota.day().fits(1)) {
                return Optional.of(RpcErrors.exhausted(quota.dayName(), quota.day().limit(),
                        Duration.ofSeconds(quota.day().secondsToNextPeriod())));
            }
            if (!quota.minute().tryTake(1)) {
                return Optional.of(RpcErrors.exhausted(quota.minuteName(), quota.minute().limit(),
                        Duration.ofSeconds(1)));
            }
            quota.day().take(1);
            return Optional.empty();
        }
    }

    /** The answer to a throttle fault: the per-minute quota of the call's service, spent. */
    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        String name = request.path().startsWith("/v1/requestStatus") ? "IngestionReadRequestsPerMinutePerProject"
                : request.path().startsWith("/v1/accountTypes") ? "ManagementReadRequestsPerMinutePerProject"
                : "IngestionMutateRequestsPerMinutePerProject";
        return RpcErrors.exhausted(name, INGESTION_PER_MINUTE, Duration.ofSeconds(1));
    }

    // ---- /_sandbox/ ---------------------------------------------------------------------------------------

    @Override
    protected Optional<SandboxResponse> handleSandbox(SandboxRequest request) {
        String route = request.method() + " " + request.path();
        Matcher members = MEMBERS.matcher(request.path());
        Matcher ingestion = INGESTION.matcher(request.path());
        synchronized (data) {
            audiences.settle(clock().instant());
            if (route.equals("GET /_sandbox/audiences")) {
                ArrayNode lists = JSON.createArrayNode();
                audiences.lists().forEach(list -> lists.addObject().put("account", list.account)
                        .put("userList", list.id).put("displayName", list.displayName)
                        .put("memberCount", list.members.size()));
                return Optional.of(SandboxResponse.json(200, JSON.createObjectNode().set("audiences", lists)));
            }
            if (route.equals("POST /_sandbox/audiences")) {
                JsonNode body = parse(request);
                String account = body.path("account").asText("");
                String id = body.path("userList").asText("");
                if (!account.matches("\\d+") || !id.matches("\\d+")) {
                    throw new IllegalArgumentException("account and userList are digits, e.g. {\"account\":\""
                            + DEFAULT_ACCOUNT + "\",\"userList\":\"9000000002\"}");
                }
                audiences.createList(account, id, body.path("displayName").asText("Sandbox list " + id));
                return Optional.of(SandboxResponse.empty(201));
            }
            if (route.equals("POST /_sandbox/processing-failures")) {
                JsonNode body = parse(request);
                audiences.failNext(body.path("reason").asText("PROCESSING_ERROR_REASON_INTERNAL_ERROR"),
                        Math.max(1, body.path("count").asInt(1)));
                return Optional.of(SandboxResponse.empty(204));
            }
            if (request.method().equals("GET") && members.matches()) return Optional.of(members(members));
            if (request.method().equals("GET") && ingestion.matches()) {
                return Optional.of(audiences.request(ingestion.group(1))
                        .map(r -> SandboxResponse.json(200, AudienceEndpoints.status(r, clock().instant())))
                        .orElseGet(() -> sandboxError(404, "no request " + ingestion.group(1))));
            }
        }
        return Optional.empty();
    }

    private SandboxResponse members(Matcher path) {
        UserList list = audiences.list(path.group(1), path.group(2))
                .orElseThrow(() -> new SandboxReply(sandboxError(404, "no user list " + path.group(2)
                        + " in account " + path.group(1))));
        if (path.group(3) != null) {
            return member(list.account, list.id, path.group(3))
                    .map(m -> SandboxResponse.json(200, m))
                    .orElseGet(() -> sandboxError(404, "no member holds " + path.group(3)));
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("members", JSON.valueToTree(list.members.stream().map(GoogleAdsSandbox::stored)
                .sorted(java.util.Comparator.comparingLong(StoredMember::id)).toList()));
        return SandboxResponse.json(200, body);
    }
}
