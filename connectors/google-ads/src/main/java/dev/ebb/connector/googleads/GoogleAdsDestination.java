package dev.ebb.connector.googleads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.connector.googleads.Identifiers.Address;
import dev.ebb.connector.googleads.Identifiers.Email;
import dev.ebb.connector.googleads.Identifiers.Encoding;
import dev.ebb.connector.googleads.Identifiers.Identifier;
import dev.ebb.connector.googleads.Identifiers.Member;
import dev.ebb.connector.googleads.Identifiers.Outcome;
import dev.ebb.connector.googleads.Identifiers.Phone;
import dev.ebb.connector.googleads.RequestStatuses.Sent;
import dev.ebb.connector.support.HttpAnswer;
import dev.ebb.connector.support.HttpCaller;
import dev.ebb.connector.support.JsonAnswers;
import dev.ebb.spi.BatchLimits;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.MatchRule;
import dev.ebb.spi.Mode;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.Quota;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RateWindow;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Google Ads account's Customer Match audiences (user lists), written through the Data Manager API. The object
 * of a sync is a user list id; its rows are audience members.
 *
 * <p>A write is a {@code POST /v1/audienceMembers:ingest} (an {@link Operation#UPSERT} batch: add) or {@code
 * :remove} (a {@link Operation#DELETE} batch), answered with a {@code requestId}; Google processes the request later,
 * so {@link #start} answers a {@link WriteStep.Pending} step, and each {@link #resume} is one {@code GET
 * /v1/requestStatus:retrieve} until the user list's status is final (see {@link RequestStatuses}). The first poll
 * waits the configured time (Google: "Wait for 30 minutes, then send a RetrieveRequestStatus request", then back off
 * exponentially, https://developers.google.com/data-manager/api/devguides/diagnostics); each later wait doubles.
 * A request Google refuses for some members' fields (a 400 whose BadRequest names {@code audience_members[i]})
 * rejects those members, and the next step sends the others again.
 *
 * <p>Thread-safe: the HTTP client, the token cache and the JSON mapper are shared; nothing else changes.
 */
final class GoogleAdsDestination implements Destination {
    /**
     * "10,000 AudienceMember resources in the audience_members list" per IngestAudienceMembersRequest and
     * RemoveAudienceMembersRequest (https://developers.google.com/data-manager/api/devguides/limits, "Request limits").
     */
    static final int MAX_MEMBERS = 10_000;
    // "10 user identifiers in the UserData for an AudienceMember" (same page): a row makes three at most (email,
    // phone, address), so no row can cross it.
    /**
     * Google publishes no request size for these methods; 16 MB is Ebb's own bound, far above 10,000 members of
     * three hashed identifiers each (about 4 MB).
     */
    static final long MAX_BYTES = 16L * 1024 * 1024;
    /** IngestionService: "300 requests per minute" and "100,000 requests per day" per Google Cloud project (same page). */
    static final RateWindow PER_MINUTE = new RateWindow(300, Duration.ofMinutes(1));
    static final long PER_DAY = 100_000;
    /** Google Cloud resets daily quotas at midnight Pacific time (https://cloud.google.com/docs/quotas/overview). */
    static final ZoneId QUOTA_ZONE = ZoneId.of("America/Los_Angeles");
    /** Google documents no concurrency cap; ten calls in flight are Ebb's own bound, well within 300 a minute. */
    static final int MAX_CONCURRENCY = 10;
    /** Give up following a request still processing after this long: its members are sent again next run. */
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern USER_LIST_ID = Pattern.compile("\\d+");

    private final GoogleAdsSettings settings;
    private final Identifiers identifiers;
    private final HttpCaller caller;
    private final AccessTokens tokens;
    private final Clock clock;

    /** Where a write stands between steps. Immutable: a step is repeated as it is after a transient failure. */
    sealed interface Phase permits Poll, Resend {
    }

    /** Waiting for Google to process {@code requestId}. */
    record Poll(String requestId, List<Sent> sent, List<RecordResult> settled, Duration lastWait, Duration waited)
            implements Phase {
    }

    /** Sending {@code records} again, without the members a 400 rejected ({@code settled}). */
    record Resend(List<OutboundRecord> records, List<RecordResult> settled) implements Phase {
    }

    GoogleAdsDestination(GoogleAdsSettings settings, Duration timeout, Clock clock) {
        this.settings = settings;
        this.identifiers = new Identifiers(settings.defaultPhoneRegion());
        this.caller = new HttpCaller("Google Ads", settings.baseUrl(), timeout);
        this.tokens = new AccessTokens(settings.grant(), caller, clock);
        this.clock = clock;
    }

    // ---- declarations -------------------------------------------------------------------------------------

    /** The quotas are per Google Cloud project, which the OAuth client identifies (see {@link GoogleAdsSettings}). */
    @Override
    public String accountId() {
        return settings.accountId();
    }

    @Override
    public RateLimits rateLimits() {
        return new RateLimits(List.of(PER_MINUTE), MAX_CONCURRENCY, Optional.of(new Quota(PER_DAY, QUOTA_ZONE)));
    }

    /**
     * A user list (its numeric id): members added by {@code mode: add_remove} (or upsert, which only adds), matched
     * by their {@code email} or {@code phone}; Google compares the digests of normalised values, so case never
     * matters for emails.
     */
    @Override
    public Optional<ObjectCapabilities> object(String object) {
        if (!USER_LIST_ID.matcher(object).matches()) return Optional.empty();
        return Optional.of(new ObjectCapabilities(object, Set.of(Mode.ADD_REMOVE, Mode.UPSERT),
                Set.of(RemovalBehaviour.IGNORE, RemovalBehaviour.DELETE),
                new MatchRule(Set.of(Identifiers.EMAIL, Identifiers.PHONE), false, Set.of(Identifiers.EMAIL)),
                new BatchLimits(MAX_MEMBERS, MAX_BYTES), false));
    }

    /** One {@code GetUserList} call, so that a wrong list or account is found before a write; the fields are fixed. */
    @Override
    public ObjectSchema describe(String object) throws DestinationException {
        requireUserList(object);
        String path = "/v1/accountTypes/GOOGLE_ADS/accounts/" + settings.operatingAccount() + "/userLists/" + object;
        Answer answer = send("GET", path, null);
        if (!answer.http().ok()) throw answer.status().exception("reading user list " + object, answer.http(), clock,
                tokens.renewable());
        return new ObjectSchema(object, Identifiers.FIELDS.stream().map(f -> FieldSpec.of(f, FieldType.STRING)).toList());
    }

    @Override
    public Optional<String> problem(String object, Map<String, Object> fields) {
        return identifiers.member(null, null, fields).problem();
    }

    // ---- write --------------------------------------------------------------------------------------------

    @Override
    public WriteStep start(WriteBatch batch) throws DestinationException {
        requireUserList(batch.object());
        if (batch.operation() != Operation.UPSERT && batch.operation() != Operation.DELETE) {
            throw new PermanentException("a Google Ads audience adds members (upsert, add_remove) and removes them; it "
                    + "cannot " + batch.operation().name().toLowerCase(java.util.Locale.ROOT) + " them", null);
        }
        return send(batch, batch.records(), List.of());
    }

    @Override
    public WriteStep resume(WriteStep.Pending pending) throws DestinationException {
        return switch ((Phase) pending.state()) {
            case Resend resend -> send(pending.batch(), resend.records(), resend.settled());
            case Poll poll -> poll(pending.batch(), poll);
        };
    }

    /** One ingest or remove request for {@code records}; the members that cannot be sent are rejected unsent. */
    private WriteStep send(WriteBatch batch, List<OutboundRecord> records, List<RecordResult> settled)
            throws DestinationException {
        boolean removal = batch.operation() == Operation.DELETE;
        List<RecordResult> results = new ArrayList<>(settled);
        List<OutboundRecord> sentRecords = new ArrayList<>();
        List<Sent> sent = new ArrayList<>();
        ArrayNode members = JSON.createArrayNode();
        for (OutboundRecord record : records) {
            Outcome outcome = identifiers.member(batch.matchField(), record.matchValue(), record.fields());
            if (outcome.problem().isPresent()) {
                results.add(RecordResult.rejected(record.key(), "not sent: " + outcome.problem().get()));
                continue;
            }
            Member member = outcome.member().orElseThrow();
            members.add(memberJson(member));
            sentRecords.add(record);
            String adUserData = member.consent().getOrDefault("adUserData", settings.adUserData().orElse(""));
            sent.add(new Sent(record.key(), member.id(), !removal && adUserData.equals("CONSENT_DENIED")));
        }
        if (sent.isEmpty()) return new WriteStep.Done(new WriteResult(results, RateUsage.UNKNOWN));

        String path = removal ? "/v1/audienceMembers:remove" : "/v1/audienceMembers:ingest";
        Answer answer = send("POST", path, requestBody(batch.object(), members, removal));
        String what = (removal ? "removing " : "adding ") + sent.size() + " members of user list " + batch.object();
        if (!answer.http().ok()) {
            Map<Integer, String> violated = answer.status().memberViolations();
            boolean namesSentMembers = violated.keySet().stream().anyMatch(i -> i < sentRecords.size());
            if (!answer.status().onlyMembersViolated() || !namesSentMembers) {
                throw answer.status().exception(what, answer.http(), clock, tokens.renewable());
            }
            // Google refused the request for some members' fields: reject them, send the others again.
            List<OutboundRecord> again = new ArrayList<>();
            for (int i = 0; i < sentRecords.size(); i++) {
                String problem = violated.get(i);
                if (problem == null) again.add(sentRecords.get(i));
                else results.add(RecordResult.rejected(sentRecords.get(i).key(), "Google refused " + problem));
            }
            if (again.isEmpty()) return new WriteStep.Done(new WriteResult(results, RateUsage.UNKNOWN));
            return new WriteStep.Pending(batch, new Resend(List.copyOf(again), List.copyOf(results)), Duration.ZERO,
                    "sending " + again.size() + " members again without the " + violated.size() + " Google refused");
        }
        String requestId = answer.body().path("requestId").asText("");
        if (requestId.isEmpty()) {
            throw new DestinationException.TransientException("Google answered " + what + " without a requestId",
                    null, false);
        }
        Duration wait = settings.statusWait();
        return new WriteStep.Pending(batch, new Poll(requestId, List.copyOf(sent), List.copyOf(results), wait, wait),
                wait, "Data Manager request " + requestId + " sent (" + what + "); status in " + wait.toSeconds() + " s");
    }

    /** One status request; the results once Google's status is final, else another wait, twice as long. */
    private WriteStep poll(WriteBatch batch, Poll poll) throws DestinationException {
        Answer answer = send("GET", "/v1/requestStatus:retrieve?requestId="
                + URLEncoder.encode(poll.requestId(), StandardCharsets.UTF_8), null);
        if (!answer.http().ok()) {
            throw answer.status().exception("reading the status of request " + poll.requestId(), answer.http(), clock,
                    tokens.renewable());
        }
        Optional<List<RecordResult>> results = RequestStatuses.results(answer.body(), poll.requestId(), poll.sent());
        List<RecordResult> all = new ArrayList<>(poll.settled());
        if (results.isPresent()) {
            all.addAll(results.get());
            return new WriteStep.Done(new WriteResult(all, RateUsage.UNKNOWN));
        }
        if (poll.waited().compareTo(GIVE_UP_AFTER) >= 0) {
            String reason = "Google still processes request " + poll.requestId() + " after " + poll.waited().toHours()
                    + " h; sent again next run";
            poll.sent().forEach(s -> all.add(RecordResult.failed(s.key(), reason)));
            return new WriteStep.Done(new WriteResult(all, RateUsage.UNKNOWN));
        }
        Duration next = poll.lastWait().multipliedBy(2);
        return new WriteStep.Pending(batch, new Poll(poll.requestId(), poll.sent(), poll.settled(), next,
                poll.waited().plus(next)), next, "Data Manager request " + poll.requestId() + " "
                + RequestStatuses.state(answer.body()) + "; asking again in " + next.toSeconds() + " s");
    }

    // ---- request bodies -----------------------------------------------------------------------------------

    private ObjectNode requestBody(String userList, ArrayNode members, boolean removal) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode destination = body.putArray("destinations").addObject();
        if (settings.loginAccount() != null) {
            destination.putObject("loginAccount").put("accountType", "GOOGLE_ADS")
                    .put("accountId", settings.loginAccount());
        }
        destination.putObject("operatingAccount").put("accountType", "GOOGLE_ADS")
                .put("accountId", settings.operatingAccount());
        destination.put("productDestinationId", userList);
        body.set("audienceMembers", members);
        body.put("encoding", settings.encoding().name());
        if (!removal) {
            ObjectNode consent = JSON.createObjectNode();
            settings.adUserData().ifPresent(v -> consent.put("adUserData", v));
            settings.adPersonalization().ifPresent(v -> consent.put("adPersonalization", v));
            if (!consent.isEmpty()) body.set("consent", consent);
            if (settings.acceptTerms()) {
                body.putObject("termsOfService").put("customerMatchTermsOfServiceStatus", "ACCEPTED");
            }
        }
        return body;
    }

    private ObjectNode memberJson(Member member) {
        Encoding encoding = settings.encoding();
        ObjectNode json = JSON.createObjectNode();
        if (!member.consent().isEmpty()) {
            ObjectNode consent = json.putObject("consent");
            member.consent().forEach(consent::put);
        }
        ArrayNode ids = json.putObject("userData").putArray("userIdentifiers");
        for (Identifier identifier : member.identifiers()) {
            ObjectNode id = ids.addObject();
            switch (identifier) {
                case Email email -> id.put("emailAddress", encoding.encode(email.sha256()));
                case Phone phone -> id.put("phoneNumber", encoding.encode(phone.sha256()));
                case Address address -> id.putObject("address")
                        .put("givenName", encoding.encode(address.givenName()))
                        .put("familyName", encoding.encode(address.familyName()))
                        .put("regionCode", address.regionCode())
                        .put("postalCode", address.postalCode());
            }
        }
        return json;
    }

    private static void requireUserList(String object) throws PermanentException {
        if (!USER_LIST_ID.matcher(object).matches()) {
            throw new PermanentException("'" + object + "' is not a Google Ads user list id; the object of a "
                    + "google_ads sync is the audience's numeric id (Audience manager, or the Data Manager API)", null);
        }
    }

    @Override
    public void close() {
        caller.close();
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    /** An answer: the raw one, its body as JSON, and the google.rpc.Status it carries when it is an error. */
    private record Answer(HttpAnswer http, JsonNode body, RpcStatus status) {
    }

    private Answer send(String method, String pathAndQuery, JsonNode body) throws DestinationException {
        String token = tokens.current();
        HttpRequest.Builder request = caller.request(URI.create(settings.baseUrl() + pathAndQuery), "application/json")
                .header("Authorization", "Bearer " + token);
        if (settings.loginAccount() != null) {
            // GetUserList reads its login account from a header (user_list_service.proto).
            request.header("login-account", "accountTypes/GOOGLE_ADS/accounts/" + settings.loginAccount());
        }
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        HttpAnswer answer = caller.send(HttpCaller.withBody(request, method, "application/json",
                body == null ? null : body.toString()), method + " " + path);
        JsonNode json = JsonAnswers.object(JSON, answer.body(), "message");
        RpcStatus status = RpcStatus.of(answer.status(), json);
        if (status.tokenExpired()) tokens.invalidate(token);
        return new Answer(answer, json, status);
    }
}
