package dev.ebb.sandbox.zendesk;

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
import dev.ebb.sandbox.zendesk.Directory.Kind;
import dev.ebb.sandbox.zendesk.Directory.Outcome;
import dev.ebb.sandbox.zendesk.Directory.Problem;
import dev.ebb.spi.ConnectorOption;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A local Zendesk Support account: the users, organizations, custom field and job status APIs as Zendesk documents
 * them, records in memory, bulk writes as background jobs.
 *
 * <p>What it models (see {@code docs/sandboxes/zendesk.md} for the full list and the gaps):
 * <ul>
 *   <li>API token authentication, HTTP Basic {@code {email}/token:{api_token}}, and OAuth bearer tokens; anything
 *       else is Zendesk's 401 {@code {"error":"Couldn't authenticate you"}}.</li>
 *   <li>Users and organizations: single show, create, update, delete, {@code create_or_update}; {@code show_many}
 *       by ids or external ids; the bulk {@code create_many}, {@code create_or_update_many} (users),
 *       {@code update_many} and {@code destroy_many}, each at most 100 records ({@code TooManyValues} above) and
 *       answered with a {@code job_status}.</li>
 *   <li>Jobs: queued, then working, then completed after {@code job_seconds}; the work is done when the job
 *       completes, and its {@code results} carry each record's outcome, failures with Zendesk's error and details.
 *       At most {@code job_limit} (30) jobs queued or running, else 429 with {@code Retry-After}; only the last
 *       {@code job_retention} (100) statuses are kept, each for {@code job_ttl_seconds}; an unknown job is a 404.</li>
 *   <li>Custom user and organization fields: list and create, values validated by type.</li>
 *   <li>The account-wide rate limit per minute by plan, {@code X-Rate-Limit} and {@code X-Rate-Limit-Remaining} on
 *       every answer, and Zendesk's 429 {@code APIRateLimitExceeded} with {@code Retry-After}.</li>
 *   <li>Optionally, bulk imports not enabled: 403 on the create endpoints.</li>
 * </ul>
 *
 * <p>Thread-safe: one lock guards the account, so each request and each job is applied atomically.
 */
public final class ZendeskSandbox extends SandboxServer {
    /** The agent whose API token is accepted when none is configured. */
    public static final String DEFAULT_EMAIL = "admin@sandbox.example.com";
    public static final String DEFAULT_API_TOKEN = "sandbox-api-token";
    /**
     * "Accepts an array of up to 100 user objects" (create-or-update-many-users and the other bulk endpoints);
     * show_many and destroy_many take up to 100 ids.
     */
    public static final int MAX_BULK = 100;
    /** "Job limit" of the rate-limits page: queued or running jobs per account (value per LIMITS §3). */
    public static final int DEFAULT_JOB_LIMIT = 30;
    /** "Zendesk only logs the last 100 jobs" (community post 4408867925914). */
    public static final int DEFAULT_JOB_RETENTION = 100;
    /** "Jobs also expire within an hour" (same post). */
    public static final Duration DEFAULT_JOB_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_JOB_DURATION = Duration.ofSeconds(1);

    /** The options {@link #fromOptions} accepts, described as {@code ebb sandbox zendesk --help} lists them. */
    public static final List<ConnectorOption> SETTINGS = List.of(
            ConnectorOption.optional("email", "the agent whose API token is accepted (default " + DEFAULT_EMAIL + ")"),
            ConnectorOption.optional("api_token", "that agent's API token (default " + DEFAULT_API_TOKEN + ")"),
            ConnectorOption.optional("oauth_tokens", "accepted OAuth bearer tokens, comma-separated"),
            ConnectorOption.optional("plan", "team | growth | professional | enterprise | enterprise_plus | "
                    + "high_volume: the requests per minute (default team: 200)"),
            ConnectorOption.optional("per_minute", "requests per minute, overriding the plan"),
            ConnectorOption.optional("job_limit", "jobs queued or running at once (default 30)"),
            ConnectorOption.optional("job_seconds", "how long a job takes from queued to completed (default 1)"),
            ConnectorOption.optional("job_retention", "how many job statuses are kept (default 100)"),
            ConnectorOption.optional("job_ttl_seconds", "how long a job status can be read (default 3600)"),
            ConnectorOption.optional("imports", "enabled | disabled: whether bulk imports (create_many, "
                    + "create_or_update_many) are allowed (default enabled)"),
            ConnectorOption.optional("user_fields", "custom user fields, e.g. churn_risk:decimal,"
                    + "plan:dropdown=free|pro (types: text, textarea, checkbox, date, integer, decimal, "
                    + "regexp=PATTERN, dropdown=a|b)"),
            ConnectorOption.optional("organization_fields", "custom organization fields, same form"));
    /** The option keys {@link #fromOptions} accepts. */
    public static final Set<String> OPTIONS = SandboxOptions.names(SETTINGS);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> apiTokens;
    private final Set<String> oauthTokens;
    private final MinuteLimiter limiter;
    private final Object data = new Object();
    private final Directory directory;
    private final RecordLists lists;
    private final BulkJobs jobs;
    /** The agents' emails in the order they were configured. */
    private final List<String> agents;

    private ZendeskSandbox(Builder builder) {
        super(builder);
        this.apiTokens = Map.copyOf(builder.apiTokens);
        this.oauthTokens = Set.copyOf(builder.oauthTokens);
        int perMinute = builder.perMinute != null ? builder.perMinute : builder.plan.perMinute();
        this.limiter = new MinuteLimiter(perMinute, clock());
        this.directory = new Directory(clock());
        this.agents = List.copyOf(builder.apiTokens.keySet());
        this.jobs = new BulkJobs(this, directory, builder.jobLimit, builder.jobDuration, builder.jobRetention,
                builder.jobTtl, builder.importsEnabled);
        this.lists = new RecordLists(directory, this::baseUrl, agents, clock().instant());
        builder.userFields.forEach(f -> check(directory.createField(Kind.USERS, f)));
        builder.organizationFields.forEach(f -> check(directory.createField(Kind.ORGANIZATIONS, f)));
    }

    /** A builder with Zendesk's defaults: agent {@value #DEFAULT_EMAIL}, the Team plan, a random port. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A sandbox configured from {@code ebb sandbox zendesk} options: {@code email} and {@code api_token} (the agent
     * whose token is accepted), {@code oauth_tokens} (comma-separated), {@code plan} or {@code per_minute} (the rate
     * limit), {@code job_limit}, {@code job_seconds}, {@code job_retention}, {@code job_ttl_seconds},
     * {@code imports} ({@code enabled} or {@code disabled}), {@code user_fields} and {@code organization_fields}
     * ({@code churn_risk:decimal,plan:dropdown=free|pro}).
     *
     * @throws IllegalArgumentException for an unknown option or a malformed value, naming the fix
     */
    public static ZendeskSandbox fromOptions(int port, Map<String, String> given) {
        SandboxOptions options = SandboxOptions.read("zendesk", SETTINGS, given);
        Builder builder = builder().port(port);
        options.list("oauth_tokens").ifPresent(tokens -> builder.oauthTokens(tokens.toArray(String[]::new)));
        options.oneOf("plan", ZendeskPlan.class, "Zendesk plan").ifPresent(builder::plan);
        options.positiveInt("per_minute").ifPresent(builder::perMinute);
        options.positiveInt("job_limit").ifPresent(builder::jobLimit);
        options.seconds("job_seconds").ifPresent(s -> builder.jobDuration(Duration.ofMillis(Math.round(s * 1000))));
        options.positiveInt("job_retention").ifPresent(builder::jobRetention);
        options.positiveInt("job_ttl_seconds").ifPresent(s -> builder.jobTtl(Duration.ofSeconds(s)));
        options.flag("imports", "enabled", "disabled").ifPresent(builder::importsEnabled);
        options.list("user_fields").ifPresent(fields -> fields.forEach(f -> builder.userField(CustomField.parse(f))));
        options.list("organization_fields").ifPresent(fields ->
                fields.forEach(f -> builder.organizationField(CustomField.parse(f))));
        String email = options.text("email").orElse(DEFAULT_EMAIL);
        String token = options.text("api_token").orElse(DEFAULT_API_TOKEN);
        return builder.agents(Map.of(email, token)).build();
    }

    /** Configures a {@link ZendeskSandbox}; not thread-safe. */
    public static final class Builder extends SandboxServer.Builder<Builder> {
        private Map<String, String> apiTokens = Map.of(DEFAULT_EMAIL, DEFAULT_API_TOKEN);
        private Set<String> oauthTokens = Set.of();
        private ZendeskPlan plan = ZendeskPlan.TEAM;
        private Integer perMinute;
        private int jobLimit = DEFAULT_JOB_LIMIT;
        private Duration jobDuration = DEFAULT_JOB_DURATION;
        private int jobRetention = DEFAULT_JOB_RETENTION;
        private Duration jobTtl = DEFAULT_JOB_TTL;
        private boolean importsEnabled = true;
        private final List<CustomField> userFields = new ArrayList<>();
        private final List<CustomField> organizationFields = new ArrayList<>();

        private Builder() {
        }

        /** The agents whose API tokens are accepted: email to token. All are one account for the rate limit. */
        public Builder agents(Map<String, String> emailToToken) {
            if (emailToToken.isEmpty()) throw new IllegalArgumentException("the sandbox needs at least one agent");
            Map<String, String> lower = new LinkedHashMap<>();
            emailToToken.forEach((email, token) -> lower.put(email.toLowerCase(Locale.ROOT), token));
            this.apiTokens = lower;
            return this;
        }

        /** OAuth access tokens accepted as {@code Authorization: Bearer}. */
        public Builder oauthTokens(String... tokens) {
            this.oauthTokens = new LinkedHashSet<>(Arrays.asList(tokens));
            return this;
        }

        /** The plan whose per-minute limit applies (default Team: 200). */
        public Builder plan(ZendeskPlan plan) {
            this.plan = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /** Requests per minute, overriding the plan (small values keep throttling tests fast). */
        public Builder perMinute(int requests) {
            this.perMinute = requests;
            return this;
        }

        /** Jobs queued or running at once (default 30). */
        public Builder jobLimit(int jobs) {
            if (jobs < 1) throw new IllegalArgumentException("job_limit must be at least 1");
            this.jobLimit = jobs;
            return this;
        }

        /** How long a job takes from queued to completed (default 1 s); zero completes it by the next request. */
        public Builder jobDuration(Duration duration) {
            if (duration.isNegative()) throw new IllegalArgumentException("a job cannot take negative time");
            this.jobDuration = duration;
            return this;
        }

        /** How many job statuses are kept (default 100); older ones are forgotten even if still running. */
        public Builder jobRetention(int jobs) {
            if (jobs < 1) throw new IllegalArgumentException("job_retention must be at least 1");
            this.jobRetention = jobs;
            return this;
        }

        /** How long a job status can be read after the job is queued (default an hour). */
        public Builder jobTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("job_ttl must be positive");
            this.jobTtl = ttl;
            return this;
        }

        /** Whether bulk imports are enabled; when not, create_many and create_or_update_many answer 403. */
        public Builder importsEnabled(boolean enabled) {
            this.importsEnabled = enabled;
            return this;
        }

        /** A custom user field the account has from the start. */
        public Builder userField(CustomField field) {
            userFields.add(field);
            return this;
        }

        /** A custom organization field the account has from the start. */
        public Builder organizationField(CustomField field) {
            organizationFields.add(field);
            return this;
        }

        public ZendeskSandbox build() {
            return new ZendeskSandbox(this);
        }
    }

    // ---- the Java API -------------------------------------------------------------------------------------

    /** A job as the sandbox sees it. */
    public record JobView(String id, String status, Instant created) {
    }

    /** Every user, by ascending id. */
    public List<ZendeskRecord> users() {
        return all(Kind.USERS);
    }

    /** Every organization, by ascending id. */
    public List<ZendeskRecord> organizations() {
        return all(Kind.ORGANIZATIONS);
    }

    public int userCount() {
        return count(Kind.USERS);
    }

    public int organizationCount() {
        return count(Kind.ORGANIZATIONS);
    }

    public Optional<ZendeskRecord> user(String id) {
        return byId(Kind.USERS, id);
    }

    public Optional<ZendeskRecord> organization(String id) {
        return byId(Kind.ORGANIZATIONS, id);
    }

    /** The user with this email among its identities (case-blind, as Zendesk matches it). */
    public Optional<ZendeskRecord> findUserByEmail(String email) {
        synchronized (data) {
            jobs.settle();
            return directory.userIdByEmail(email).flatMap(id -> directory.byId(Kind.USERS, id))
                    .map(u -> directory.flatten(Kind.USERS, u));
        }
    }

    public Optional<ZendeskRecord> findUserByExternalId(String externalId) {
        return byExternalId(Kind.USERS, externalId);
    }

    public Optional<ZendeskRecord> findOrganizationByExternalId(String externalId) {
        return byExternalId(Kind.ORGANIZATIONS, externalId);
    }

    public Optional<ZendeskRecord> findOrganizationByName(String name) {
        synchronized (data) {
            jobs.settle();
            return directory.organizationIdByName(name).flatMap(id -> directory.byId(Kind.ORGANIZATIONS, id))
                    .map(o -> directory.flatten(Kind.ORGANIZATIONS, o));
        }
    }

    /**
     * Creates a user as an agent would in Zendesk: validated like the API, no request counted. Values are JSON-like
     * ({@code "user_fields"} a map).
     *
     * @throws IllegalArgumentException with Zendesk's messages when the values are invalid
     */
    public ZendeskRecord createUser(Map<String, ?> values) {
        return write(Kind.USERS, () -> directory.createUser(Directory.toJson(values)));
    }

    /** Changes a user as an agent would (a "person edit"): validated, no request counted. */
    public ZendeskRecord updateUser(String id, Map<String, ?> changes) {
        return write(Kind.USERS, () -> directory.updateUser(Long.parseLong(id), Directory.toJson(changes)));
    }

    public ZendeskRecord createOrganization(Map<String, ?> values) {
        return write(Kind.ORGANIZATIONS, () -> directory.createOrganization(Directory.toJson(values)));
    }

    public ZendeskRecord updateOrganization(String id, Map<String, ?> changes) {
        return write(Kind.ORGANIZATIONS, () -> directory.updateOrganization(Long.parseLong(id),
                Directory.toJson(changes)));
    }

    /** Adds a custom user field, as {@code POST /api/v2/user_fields} would. */
    public void createUserField(CustomField field) {
        synchronized (data) {
            check(directory.createField(Kind.USERS, field));
        }
    }

    public void createOrganizationField(CustomField field) {
        synchronized (data) {
            check(directory.createField(Kind.ORGANIZATIONS, field));
        }
    }

    /** The jobs whose status can still be read, and those still running, oldest first. */
    public List<JobView> jobs() {
        synchronized (data) {
            jobs.settle();
            Instant now = clock().instant();
            return jobs.all().stream().map(j -> new JobView(j.id(), j.status(now), j.created())).toList();
        }
    }

    /** Completes every running job now, in order, as if their time had come. */
    public void completeJobs() {
        synchronized (data) {
            jobs.completeAll();
        }
    }

    /** Forgets the requests counted in the current minute. */
    public void resetRateLimits() {
        limiter.reset();
    }

    private List<ZendeskRecord> all(Kind kind) {
        synchronized (data) {
            jobs.settle();
            return directory.records(kind).values().stream().map(r -> directory.flatten(kind, r)).toList();
        }
    }

    private int count(Kind kind) {
        synchronized (data) {
            jobs.settle();
            return directory.records(kind).size();
        }
    }

    private Optional<ZendeskRecord> byId(Kind kind, String id) {
        synchronized (data) {
            jobs.settle();
            try {
                return directory.byId(kind, Long.parseLong(id)).map(r -> directory.flatten(kind, r));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    private Optional<ZendeskRecord> byExternalId(Kind kind, String externalId) {
        synchronized (data) {
            jobs.settle();
            return directory.idByExternalId(kind, externalId).flatMap(id -> directory.byId(kind, id))
                    .map(r -> directory.flatten(kind, r));
        }
    }

    private ZendeskRecord write(Kind kind, Supplier<Outcome> change) {
        synchronized (data) {
            jobs.settle();
            Outcome outcome = change.get();
            check(outcome);
            return directory.flatten(kind, directory.byId(kind, outcome.id()).orElseThrow());
        }
    }

    private static void check(Outcome outcome) {
        if (!outcome.ok()) {
            throw new IllegalArgumentException(String.join("; ",
                    outcome.problems().stream().map(Problem::description).toList()));
        }
    }

    // ---- HTTP: authentication, limits, routing ------------------------------------------------------------

    @Override
    protected SandboxResponse handle(SandboxRequest request) {
        Optional<SandboxResponse> refused = authenticate(request);
        if (refused.isPresent()) return refused.get();
        MinuteLimiter.Decision decision = limiter.admit();
        if (!decision.admitted()) return rateLimited(decision);
        SandboxResponse response;
        try {
            synchronized (data) {
                jobs.settle();
                response = route(request);
            }
        } catch (SandboxReply reply) {
            response = reply.response();
        }
        return response.withHeaders(decision.headers());
    }

    /**
     * Zendesk's 429: {@code {"error":"APIRateLimitExceeded","description":"Number of allowed API requests per minute
     * exceeded"}} (as quoted in airbytehq/airbyte#11899) with {@code Retry-After} in seconds (rate-limits page).
     */
    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        return rateLimited(limiter.peek());
    }

    private SandboxResponse rateLimited(MinuteLimiter.Decision decision) {
        Map<String, String> headers = new LinkedHashMap<>(decision.headers());
        headers.put("X-Rate-Limit-Remaining", "0");
        headers.put("ratelimit-remaining", "0");
        return SandboxResponse.json(429, error("APIRateLimitExceeded",
                        "Number of allowed API requests per minute exceeded"))
                .withHeader("Retry-After", String.valueOf(decision.retryAfterSeconds()))
                .withHeaders(headers);
    }

    /**
     * API tokens go as Basic {@code {email}/token:{api_token}}; a password ({@code {email}:{password}}) is refused,
     * as on accounts where password access is off (Zendesk's default). The 401 bodies are Zendesk's:
     * {@code {"error":"Couldn't authenticate you"}} with {@code WWW-Authenticate: Basic realm="Web Password"}
     * (Speedygeek/ZendeskApi_v2#505), and for OAuth {@code invalid_token} (Speedygeek/ZendeskApi_v2#225).
     */
    private Optional<SandboxResponse> authenticate(SandboxRequest request) {
        String header = request.header("Authorization").orElse("").trim();
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (oauthTokens.contains(header.substring(7).trim())) return Optional.empty();
            ObjectNode body = JSON.createObjectNode().put("error", "invalid_token").put("error_description",
                    "The access token provided is expired, revoked, malformed or invalid for other reasons.");
            return Optional.of(SandboxResponse.json(401, body));
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    String user = decoded.substring(0, colon);
                    String secret = decoded.substring(colon + 1);
                    if (user.toLowerCase(Locale.ROOT).endsWith("/token")) {
                        String email = user.substring(0, user.length() - "/token".length()).toLowerCase(Locale.ROOT);
                        if (secret.equals(apiTokens.get(email))) return Optional.empty();
                    }
                }
            } catch (IllegalArgumentException e) {
                // not base64: refused below
            }
        }
        return Optional.of(SandboxResponse.json(401, JSON.createObjectNode().put("error", "Couldn't authenticate you"))
                .withHeader("WWW-Authenticate", "Basic realm=\"Web Password\""));
    }

    /** The agent a request signed in as: the email of its API token, or for an OAuth token the first agent. */
    private String agentEmail(SandboxRequest request) {
        String header = request.header("Authorization").orElse("").trim();
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            String user = decoded.substring(0, decoded.indexOf(':'));
            return user.substring(0, user.length() - "/token".length()).toLowerCase(Locale.ROOT);
        }
        return agents.getFirst();
    }

    private SandboxResponse route(SandboxRequest request) {
        List<String> segments = new ArrayList<>(Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty())
                .toList());
        if (!segments.isEmpty()) {
            String last = segments.getLast();
            if (last.endsWith(".json")) segments.set(segments.size() - 1, last.substring(0, last.length() - 5));
        }
        if (segments.size() < 3 || !segments.get(0).equals("api") || !segments.get(1).equals("v2")) {
            throw notFound();
        }
        String resource = segments.get(2);
        List<String> rest = segments.subList(3, segments.size());
        String method = request.method();
        return switch (resource) {
            case "users" -> records(request, Kind.USERS, method, rest);
            case "organizations" -> records(request, Kind.ORGANIZATIONS, method, rest);
            case "user_fields" -> fields(request, Kind.USERS, method, rest);
            case "organization_fields" -> fields(request, Kind.ORGANIZATIONS, method, rest);
            case "job_statuses" -> jobs.jobStatuses(request, method, rest);
            default -> throw notFound();
        };
    }

    private SandboxResponse records(SandboxRequest request, Kind kind, String method, List<String> rest) {
        if (rest.isEmpty()) {
            return switch (method) {
                case "POST" -> createOne(request, kind);
                case "GET" -> lists.list(request, kind);
                default -> throw notFound();
            };
        }
        String action = rest.getFirst();
        if (rest.size() > 1) throw notFound();
        return switch (method + " " + action) {
            case "GET show_many" -> showMany(request, kind);
            case "GET search" -> lists.searchByExternalId(request, kind);
            case "GET me" -> {
                if (kind != Kind.USERS) throw notFound();
                yield lists.me(agentEmail(request));
            }
            case "POST create_or_update" -> createOrUpdateOne(request, kind);
            case "POST create_or_update_many" -> {
                if (kind != Kind.USERS) throw notFound();
                yield jobs.bulk(request, kind, "create_or_update", true);
            }
            case "POST create_many" -> jobs.bulk(request, kind, "create", true);
            case "PUT update_many" -> jobs.updateMany(request, kind);
            case "DELETE destroy_many" -> jobs.destroyMany(request, kind);
            default -> {
                long id = parseId(action);
                yield switch (method) {
                    case "GET" -> SandboxResponse.json(200, one(kind, record(kind, id)));
                    case "PUT" -> updateOne(request, kind, id);
                    case "DELETE" -> deleteOne(kind, id);
                    default -> throw notFound();
                };
            }
        };
    }

    // ---- single records -----------------------------------------------------------------------------------

    private SandboxResponse createOne(SandboxRequest request, Kind kind) {
        JsonNode item = body(request).path(kind.singular);
        if (!item.isObject()) throw missing(kind.singular);
        Outcome outcome = kind == Kind.USERS ? directory.createUser(item) : directory.createOrganization(item);
        return written(kind, outcome, 201);
    }

    private SandboxResponse createOrUpdateOne(SandboxRequest request, Kind kind) {
        JsonNode item = body(request).path(kind.singular);
        if (!item.isObject()) throw missing(kind.singular);
        Outcome outcome = kind == Kind.USERS ? directory.upsertUser(item) : directory.upsertOrganization(item);
        return written(kind, outcome, outcome.created() ? 201 : 200);
    }

    private SandboxResponse updateOne(SandboxRequest request, Kind kind, long id) {
        record(kind, id);
        JsonNode item = body(request).path(kind.singular);
        if (!item.isObject()) throw missing(kind.singular);
        Outcome outcome = kind == Kind.USERS ? directory.updateUser(id, item) : directory.updateOrganization(id, item);
        return written(kind, outcome, 200);
    }

    /** Deleting a user answers it with {@code active: false}; an organization answers 204. */
    private SandboxResponse deleteOne(Kind kind, long id) {
        ObjectNode shown = directory.render(kind, record(kind, id), baseUrl());
        if (kind == Kind.USERS) {
            directory.deleteUser(id);
            shown.put("active", false);
            return SandboxResponse.json(200, JSON.createObjectNode().set("user", shown));
        }
        directory.deleteOrganization(id);
        return SandboxResponse.empty(204);
    }

    /**
     * The record, or 422 {@code RecordInvalid} with Zendesk's {@code details}:
     * {@code {"error":"RecordInvalid","description":"Record validation errors","details":{"name":[{"description":
     * "Name: is too short (minimum is 1 characters)","error":"InvalidValue"}]}}}.
     */
    private SandboxResponse written(Kind kind, Outcome outcome, int status) {
        if (!outcome.ok()) {
            if (outcome.problems().getFirst().error().equals("RecordNotFound")) throw notFound();
            ObjectNode body = error("RecordInvalid", "Record validation errors");
            ObjectNode details = body.putObject("details");
            for (Problem problem : outcome.problems()) {
                String attribute = problem.attribute().contains(".") ? "base" : problem.attribute();
                ArrayNode list = details.has(attribute) ? (ArrayNode) details.get(attribute)
                        : details.putArray(attribute);
                list.addObject().put("description", problem.description()).put("error", problem.error());
            }
            return SandboxResponse.json(422, body);
        }
        return SandboxResponse.json(status, one(kind, directory.byId(kind, outcome.id()).orElseThrow()));
    }

    private ObjectNode one(Kind kind, ObjectNode record) {
        ObjectNode body = JSON.createObjectNode();
        body.set(kind.singular, directory.render(kind, record, baseUrl()));
        return body;
    }

    private ObjectNode record(Kind kind, long id) {
        return directory.byId(kind, id).orElseThrow(ZendeskSandbox::notFound);
    }

    /** {@code show_many?ids=1,2} or {@code ?external_ids=a,b}: the records that exist, at most 100 asked for. */
    private SandboxResponse showMany(SandboxRequest request, Kind kind) {
        ArrayNode found = JSON.createArrayNode();
        Optional<String> ids = request.queryParam("ids");
        Optional<String> externalIds = request.queryParam("external_ids");
        if (ids.isPresent()) {
            List<String> values = listParam("ids", ids.get());
            for (String id : values) {
                try {
                    directory.byId(kind, Long.parseLong(id)).ifPresent(r -> found.add(directory.render(kind, r, baseUrl())));
                } catch (NumberFormatException e) {
                    // not an id: nothing found
                }
            }
        } else if (externalIds.isPresent()) {
            for (String externalId : listParam("external_ids", externalIds.get())) {
                directory.idByExternalId(kind, externalId).flatMap(id -> directory.byId(kind, id))
                        .ifPresent(r -> found.add(directory.render(kind, r, baseUrl())));
            }
        } else {
            throw missing("ids");
        }
        ObjectNode body = JSON.createObjectNode();
        body.set(kind.plural, found);
        body.putNull("next_page");
        body.putNull("previous_page");
        body.put("count", found.size());
        return SandboxResponse.json(200, body);
    }

    // ---- custom fields ------------------------------------------------------------------------------------

    private SandboxResponse fields(SandboxRequest request, Kind kind, String method, List<String> rest) {
        String singular = kind.customFields.substring(0, kind.customFields.length() - 1);
        if (!rest.isEmpty()) {
            long id = parseId(rest.getFirst());
            if (rest.size() != 1 || !method.equals("GET")) throw notFound();
            List<Directory.StoredField> all = directory.fields(kind);
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id() == id) {
                    ObjectNode body = JSON.createObjectNode();
                    body.set(singular, directory.renderField(kind, all.get(i), baseUrl(), i));
                    return SandboxResponse.json(200, body);
                }
            }
            throw notFound();
        }
        return switch (method) {
            case "GET" -> {
                ObjectNode body = JSON.createObjectNode();
                ArrayNode list = body.putArray(kind.customFields);
                List<Directory.StoredField> all = directory.fields(kind);
                for (int i = 0; i < all.size(); i++) list.add(directory.renderField(kind, all.get(i), baseUrl(), i));
                body.putNull("next_page");
                body.putNull("previous_page");
                body.put("count", all.size());
                yield SandboxResponse.json(200, body);
            }
            case "POST" -> {
                JsonNode node = body(request).path(singular);
                if (!node.isObject()) throw missing(singular);
                CustomField field;
                try {
                    field = Directory.fieldFromJson(node);
                } catch (IllegalArgumentException e) {
                    yield written(kind, Outcome.refused(new Problem("base", "InvalidValue", e.getMessage())), 201);
                }
                Outcome outcome = directory.createField(kind, field);
                if (!outcome.ok()) yield written(kind, outcome, 201);
                List<Directory.StoredField> all = directory.fields(kind);
                ObjectNode body = JSON.createObjectNode();
                body.set(singular, directory.renderField(kind, all.getLast(), baseUrl(), all.size() - 1));
                yield SandboxResponse.json(201, body);
            }
            default -> throw notFound();
        };
    }

    // ---- request helpers ----------------------------------------------------------------------------------

    static JsonNode body(SandboxRequest request) {
        if (request.body().length == 0) return JSON.createObjectNode();
        try {
            JsonNode node = JSON.readTree(request.bodyText());
            return node == null ? JSON.createObjectNode() : node;
        } catch (JsonProcessingException e) {
            throw new SandboxReply(SandboxResponse.json(400, error("InvalidJSON", "The request body is not valid JSON: "
                    + e.getOriginalMessage())));
        }
    }

    /**
     * The list under {@code key}, at most {@value #MAX_BULK} items; more is Zendesk's 400
     * {@code {"error":"TooManyValues","description":"Parameter users cannot specify more than 100 values",
     * "max_count":100}} (the shape quoted in facetoe/zenpy#624).
     */
    static ArrayNode items(JsonNode body, String key) {
        JsonNode items = body.path(key);
        if (!items.isArray()) throw missing(key);
        if (items.size() > MAX_BULK) throw tooMany(key);
        return (ArrayNode) items;
    }

    static List<String> listParam(String name, String value) {
        List<String> values = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (values.size() > MAX_BULK) throw tooMany(name);
        return values;
    }

    private static SandboxReply tooMany(String parameter) {
        ObjectNode body = error("TooManyValues", "Parameter " + parameter + " cannot specify more than " + MAX_BULK
                + " values");
        body.put("max_count", MAX_BULK);
        return new SandboxReply(SandboxResponse.json(400, body));
    }

    static SandboxReply missing(String parameter) {
        return new SandboxReply(SandboxResponse.json(400, error("ParameterMissing", "Parameter " + parameter
                + " is required")));
    }

    /** Zendesk's 404: {@code {"error":"RecordNotFound","description":"Not found"}}. */
    static SandboxReply notFound() {
        return new SandboxReply(SandboxResponse.json(404, error("RecordNotFound", "Not found")));
    }

    private static long parseId(String text) {
        return parseLong(text).orElseThrow(ZendeskSandbox::notFound);
    }

    static Optional<Long> parseLong(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static JsonNode withoutId(JsonNode item) {
        if (!item.isObject()) return item;
        ObjectNode copy = item.deepCopy();
        copy.remove("id");
        return copy;
    }

    static String details(Outcome outcome) {
        return String.join("; ", outcome.problems().stream().map(Problem::description).toList());
    }

    static ObjectNode error(String code, String description) {
        return JSON.createObjectNode().put("error", code).put("description", description);
    }

    // ---- /_sandbox/ ---------------------------------------------------------------------------------------

    @Override
    protected Optional<SandboxResponse> handleSandbox(SandboxRequest request) {
        List<String> segments = Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty()).skip(1).toList();
        if (segments.isEmpty()) return Optional.empty();
        String route = request.method() + " " + String.join("/", segments);
        synchronized (data) {
            jobs.settle();
            return Optional.ofNullable(sandboxRoute(request, route, segments));
        }
    }

    private SandboxResponse sandboxRoute(SandboxRequest request, String route, List<String> segments) {
        switch (route) {
            case "GET users", "GET organizations" -> {
                Kind kind = segments.getFirst().equals("users") ? Kind.USERS : Kind.ORGANIZATIONS;
                ObjectNode body = JSON.createObjectNode();
                ArrayNode list = body.putArray(kind.plural);
                directory.records(kind).values().forEach(r -> list.add(directory.render(kind, r, baseUrl())));
                body.put("count", list.size());
                return SandboxResponse.json(200, body);
            }
            case "DELETE users", "DELETE organizations" -> {
                Kind kind = segments.getFirst().equals("users") ? Kind.USERS : Kind.ORGANIZATIONS;
                for (Long id : List.copyOf(directory.records(kind).keySet())) {
                    if (kind == Kind.USERS) directory.deleteUser(id);
                    else directory.deleteOrganization(id);
                }
                return SandboxResponse.empty(204);
            }
            case "POST users", "POST organizations" -> {
                Kind kind = segments.getFirst().equals("users") ? Kind.USERS : Kind.ORGANIZATIONS;
                JsonNode item = body(request);
                return written(kind, kind == Kind.USERS ? directory.createUser(item)
                        : directory.createOrganization(item), 201);
            }
            case "POST user_fields", "POST organization_fields" -> {
                Kind kind = segments.getFirst().equals("user_fields") ? Kind.USERS : Kind.ORGANIZATIONS;
                try {
                    Outcome outcome = directory.createField(kind, Directory.fieldFromJson(body(request)));
                    if (!outcome.ok()) return SandboxServer.sandboxError(409, outcome.problems().getFirst().description());
                } catch (IllegalArgumentException e) {
                    return SandboxServer.sandboxError(400, e.getMessage());
                }
                return SandboxResponse.empty(201);
            }
            case "GET jobs" -> {
                ObjectNode body = JSON.createObjectNode();
                ArrayNode list = body.putArray("jobs");
                Instant now = clock().instant();
                jobs.all().forEach(j -> list.add(j.render(now, baseUrl())));
                body.put("running", jobs.runningCount());
                body.put("job_limit", jobs.limit());
                return SandboxResponse.json(200, body);
            }
            case "POST jobs/complete" -> {
                jobs.completeAll();
                return SandboxResponse.empty(204);
            }
            case "GET rate-limits" -> {
                ObjectNode body = JSON.createObjectNode().put("per_minute", limiter.perMinute())
                        .put("used", limiter.used());
                return SandboxResponse.json(200, body);
            }
            case "DELETE rate-limits" -> {
                limiter.reset();
                return SandboxResponse.empty(204);
            }
            default -> {
                if (segments.size() == 2 && segments.getFirst().equals("users") && request.method().equals("PUT")) {
                    long id = parseId(segments.get(1));
                    return written(Kind.USERS, directory.updateUser(id, body(request)), 200);
                }
                if (segments.size() == 2 && segments.getFirst().equals("organizations")
                        && request.method().equals("PUT")) {
                    long id = parseId(segments.get(1));
                    return written(Kind.ORGANIZATIONS, directory.updateOrganization(id, body(request)), 200);
                }
                return null;
            }
        }
    }
}
