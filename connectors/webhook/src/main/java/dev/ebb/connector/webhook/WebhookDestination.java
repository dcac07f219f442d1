package dev.ebb.connector.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.connector.support.HttpAnswer;
import dev.ebb.connector.support.HttpCaller;
import dev.ebb.connector.support.JsonAnswers;
import dev.ebb.connector.support.RateHeaders;
import dev.ebb.connector.support.RetryAfter;
import dev.ebb.spi.BatchLimits;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.MatchRule;
import dev.ebb.spi.Mode;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One webhook endpoint. Each {@link #start} is one request: the batch rendered through the body template, to the
 * configured URL, after checking every address its host resolves to (see {@link AddressGuard}). {@link #describe}
 * makes no call: the fields are what the entry declares. It never waits, retries or counts.
 *
 * <p>Thread-safe: the HTTP client is shared and the template renders concurrently; nothing else changes.
 */
final class WebhookDestination implements Destination {
    /** The body Ebb allows one request, its own bound: receivers commonly refuse more than a few MB. */
    static final long MAX_BYTES = 5L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookSettings settings;
    private final Clock clock;
    private final AddressGuard.Resolver resolver;
    private final HttpCaller caller;
    private final String accountId;

    WebhookDestination(WebhookSettings settings, Clock clock, AddressGuard.Resolver resolver) {
        this.settings = settings;
        this.clock = clock;
        this.resolver = resolver;
        this.caller = new HttpCaller("the webhook", settings.url(), settings.timeout());
        // The query may carry a credential: the account is the origin and the path.
        this.accountId = "webhook:" + settings.url().getScheme() + "://" + settings.url().getRawAuthority()
                + (settings.url().getRawPath() == null ? "" : settings.url().getRawPath());
    }

    @Override
    public String accountId() {
        return accountId;
    }

    /** The entry's own {@code rate_limit} and {@code max_concurrency}: a receiver publishes no limits to read. */
    @Override
    public RateLimits rateLimits() {
        return new RateLimits(List.of(settings.rate()), settings.maxConcurrency(), Optional.empty());
    }

    @Override
    public Optional<ObjectCapabilities> object(String object) {
        if (!object.equals(settings.object())) return Optional.empty();
        Set<String> matchable = settings.fields().stream().map(FieldSpec::name).collect(Collectors.toSet());
        return Optional.of(new ObjectCapabilities(object, Set.of(Mode.UPSERT, Mode.UPDATE, Mode.INSERT, Mode.MIRROR),
                Set.of(RemovalBehaviour.IGNORE, RemovalBehaviour.CLEAR_FIELDS, RemovalBehaviour.DELETE),
                new MatchRule(matchable, false), new BatchLimits(settings.batchSize(), MAX_BYTES), false));
    }

    /** The declared fields; no call, as a receiver has nothing to describe. */
    @Override
    public ObjectSchema describe(String object) throws DestinationException {
        if (object(object).isEmpty()) {
            throw new PermanentException(settings.entry() + " has no object '" + object + "'; its object is '"
                    + settings.object() + "' (setting object)", null);
        }
        return new ObjectSchema(object, settings.fields());
    }

    // ---- write --------------------------------------------------------------------------------------------

    @Override
    public WriteStep start(WriteBatch batch) throws DestinationException {
        if (object(batch.object()).isEmpty()) describe(batch.object());
        if (batch.operation() == Operation.REPLACE) {
            throw new PermanentException("a webhook cannot replace an object's records as a whole", null);
        }
        if (settings.perRow() && batch.records().size() > 1) {
            // Rows are sent one per request (per: row); the runtime splits a larger batch until each row is alone.
            throw new PermanentException("per: row sends one row per request, and this batch holds "
                    + batch.records().size(), null);
        }
        checkAddresses();
        String body = settings.template().render(batch, batch.records(), settings.perRow());
        if (settings.contentType().toLowerCase(Locale.ROOT).contains("json") && !isJson(body)) {
            String reason = "the body template rendered invalid JSON for this row; put {{name}} inside quotes, or "
                    + "write {{{json.name}}} for a number, boolean or null";
            if (batch.records().size() == 1) {
                return done(List.of(RecordResult.rejected(batch.records().getFirst().key(), reason)), RateUsage.UNKNOWN);
            }
            // The runtime splits the batch until the row that breaks the template is alone.
            throw new PermanentException("the body template rendered invalid JSON for a batch", null);
        }
        HttpAnswer answer = caller.send(request(body), settings.method() + " " + settings.url().getRawPath());
        return new WriteStep.Done(read(answer, batch.records()));
    }

    private HttpRequest request(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = caller.request(settings.url(), "application/json, */*;q=0.5");
        settings.headers().forEach(request::header);
        if (settings.authorization() != null) request.header("Authorization", settings.authorization());
        if (settings.signature() != null) {
            request.header(settings.signatureHeader(), settings.signature().header(clock.instant(), bytes));
        }
        return HttpCaller.withBody(request, settings.method(), settings.contentType(), bytes);
    }

    /** Refuses a host that is, or resolves to, an address a webhook must not reach (unless allowed). */
    private void checkAddresses() throws DestinationException {
        if (settings.allowPrivateNetwork()) return;
        String host = settings.url().getHost();
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        if (AddressGuard.isLocalName(host)) {
            throw new PermanentException(AddressGuard.refusal(settings.entry(), host, null, "this machine's own name"), null);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new TransientException("cannot resolve the webhook's host " + host, e, true);
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = AddressGuard.forbidden(address);
            if (kind.isPresent()) {
                throw new PermanentException(AddressGuard.refusal(settings.entry(), host, address.getHostAddress(),
                        kind.get()), null);
            }
        }
    }

    private WriteResult read(HttpAnswer answer, List<OutboundRecord> records) throws DestinationException {
        JsonNode body = JsonAnswers.objectOrArray(JSON, answer.body(), "message");
        String what = "the webhook answered " + answer.status();
        RateUsage usage = usage(answer.headers());
        switch (settings.rules().read(answer.status())) {
            case THROTTLED -> throw new ThrottledException(what, RetryAfter.of(answer.headers(), clock).orElse(null), false);
            case RETRY -> throw new TransientException(what + ": " + reason(body), null, false);
            case UNEXPECTED -> throw new PermanentException(what + switch (answer.status()) {
                case 401, 403, 407 -> ": the receiver refused the credentials; check authorization and headers";
                default -> answer.status() >= 300 && answer.status() < 400
                        ? ", a redirect, which Ebb does not follow; set url to the final address"
                        : ", a status none of accept_status, reject_status or retry_status lists";
            }, null);
            case ACCEPTED, REJECTED -> { }
        }
        Optional<JsonNode> rows = settings.rules().rowStatuses(body);
        if (rows.isPresent()) return new WriteResult(perRow(rows.get(), records), usage);
        boolean accepted = settings.rules().read(answer.status()) == ResponseRules.Reading.ACCEPTED;
        if (accepted) return new WriteResult(records.stream().map(WebhookDestination::accepted).toList(), usage);
        if (records.size() == 1) {
            return new WriteResult(List.of(RecordResult.rejected(records.getFirst().key(),
                    "HTTP " + answer.status() + ": " + reason(body))), usage);
        }
        // A refused batch without per-row answers: the runtime splits it until each refused row is alone.
        throw new PermanentException(what + " for a batch of " + records.size() + ": " + reason(body), null);
    }

    /** Each row's answer from the per-row array, in the rows' order; a row it does not reach gets none. */
    private List<RecordResult> perRow(JsonNode rows, List<OutboundRecord> records) {
        List<RecordResult> results = new ArrayList<>();
        for (int i = 0; i < Math.min(rows.size(), records.size()); i++) {
            JsonNode element = rows.get(i);
            OutboundRecord record = records.get(i);
            Optional<Integer> status = ResponseRules.status(element);
            if (status.isEmpty()) continue;
            String reason = "HTTP " + status.get() + ResponseRules.reason(element).map(r -> ": " + r).orElse("");
            switch (settings.rules().read(status.get())) {
                case ACCEPTED -> results.add(accepted(record));
                case REJECTED -> results.add(RecordResult.rejected(record.key(), reason));
                case RETRY, THROTTLED, UNEXPECTED -> results.add(RecordResult.failed(record.key(), reason));
            }
        }
        return results;
    }

    /** The receiver returns no id; the match value identifies the row there. */
    private static RecordResult accepted(OutboundRecord record) {
        return RecordResult.accepted(record.key(), record.matchValue());
    }

    private static WriteStep done(List<RecordResult> results, RateUsage usage) {
        return new WriteStep.Done(new WriteResult(results, usage));
    }

    private static String reason(JsonNode body) {
        Optional<String> stated = ResponseRules.reason(body);
        if (stated.isPresent()) return stated.get();
        String text = body.toString();
        return text.equals("{}") ? "no body" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static boolean isJson(String body) {
        try {
            JSON.readTree(body);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The common {@code X-RateLimit-*} or IETF {@code RateLimit-*} headers, when a receiver sends them. */
    static RateUsage usage(HttpHeaders headers) {
        return RateHeaders.usage(RateHeaders.number(headers, "X-RateLimit-Limit", "RateLimit-Limit").orElse(null),
                RateHeaders.number(headers, "X-RateLimit-Remaining", "RateLimit-Remaining").orElse(null), null, null);
    }

    @Override
    public void close() {
        caller.close();
    }
}
