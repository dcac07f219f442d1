package dev.ebb.sandbox.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.zendesk.Directory.Kind;
import dev.ebb.sandbox.zendesk.Directory.Outcome;
import dev.ebb.sandbox.zendesk.Directory.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

import static dev.ebb.sandbox.zendesk.ZendeskSandbox.body;
import static dev.ebb.sandbox.zendesk.ZendeskSandbox.details;
import static dev.ebb.sandbox.zendesk.ZendeskSandbox.error;
import static dev.ebb.sandbox.zendesk.ZendeskSandbox.items;
import static dev.ebb.sandbox.zendesk.ZendeskSandbox.listParam;
import static dev.ebb.sandbox.zendesk.ZendeskSandbox.missing;
import static dev.ebb.sandbox.zendesk.ZendeskSandbox.notFound;
import static dev.ebb.sandbox.zendesk.ZendeskSandbox.parseLong;
import static dev.ebb.sandbox.zendesk.ZendeskSandbox.withoutId;

/**
 * Zendesk's bulk writes as background jobs (create_or_update_many, create_many, update_many, destroy_many, up to 100
 * records each: https://developer.zendesk.com/api-reference/ticketing/users/users/#create-or-update-many-users),
 * answered with a `job_status` to poll at `/api/v2/job_statuses/{id}`. At most `job_limit` jobs are queued or
 * running (the "Job limit" of https://developer.zendesk.com/api-reference/introduction/rate-limits); only the last
 * `job_retention` statuses are kept, each for `job_ttl` ("Zendesk only logs the last 100 jobs", "jobs also
 * expire within an hour": community post 4408867925914).
 *
 * <p>Guarded by the sandbox's data lock: every method runs with it held.
 */
final class BulkJobs {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final ZendeskSandbox sandbox;
    private final Directory directory;
    private final int jobLimit;
    private final Duration jobDuration;
    private final int jobRetention;
    private final Duration jobTtl;
    private final boolean importsEnabled;
    private final List<SandboxJob> running = new ArrayList<>();
    private final LinkedHashMap<String, SandboxJob> statuses = new LinkedHashMap<>();
    private final Random random = new Random();
    private long jobSequence;

    BulkJobs(ZendeskSandbox sandbox, Directory directory, int jobLimit, Duration jobDuration, int jobRetention, Duration jobTtl, boolean importsEnabled) {
        this.sandbox = sandbox;
        this.directory = directory;
        this.jobLimit = jobLimit;
        this.jobDuration = jobDuration;
        this.jobRetention = jobRetention;
        this.jobTtl = jobTtl;
        this.importsEnabled = importsEnabled;
    }

    /** create_many and create_or_update_many: {@code {"users":[…]}}, each item answered by index. */
    SandboxResponse bulk(SandboxRequest request, Kind kind, String verb, boolean isImport) {
        ArrayNode items = items(body(request), kind.plural);
        if (isImport && !importsEnabled) {
            // "A 403 Forbidden error is returned if data imports are not enabled" (create-many-users).
            throw new SandboxReply(SandboxResponse.json(403, error("Forbidden", "Data imports are not enabled")));
        }
        boolean upsert = verb.equals("create_or_update");
        return queue("bulk_" + verb + "_" + kind.plural, items.size(), () -> {
            ArrayNode results = JSON.createArrayNode();
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                Outcome outcome = upsert ? directory.upsertUser(item)
                        : kind == Kind.USERS ? directory.createUser(item) : directory.createOrganization(item);
                ObjectNode result = results.addObject().put("index", i);
                if (outcome.ok()) {
                    result.put("id", outcome.id());
                    if (upsert) {
                        // create_or_update_many: "Created", "Updated" or "Failed" (community post 4408861015066)
                        result.put("action", outcome.created() ? "create" : "update").put("success", true)
                                .put("status", outcome.created() ? "Created" : "Updated");
                        ObjectNode user = directory.render(Kind.USERS, directory.byId(Kind.USERS, outcome.id())
                                .orElseThrow(), "");
                        if (user.hasNonNull("email")) result.put("email", user.get("email").asText());
                        if (user.hasNonNull("external_id")) result.put("external_id", user.get("external_id").asText());
                    }
                } else {
                    // The failure seen in Zendesk's answer: {"error":"UserUpdateError","details":"… Email: x is not
                    // properly formatted","status":"Failed"} (community post 4408861015066).
                    result.put("status", "Failed").put("success", false)
                            .put("error", upsert ? "UserUpdateError" : outcome.problems().getFirst().error())
                            .put("details", details(outcome));
                }
            }
            return results;
        });
    }

    /**
     * update_many: a batch ({@code {"users":[{"id":1,…},…]}}) or one change for many ({@code ?ids=1,2} or
     * {@code ?external_ids=a,b} with {@code {"user":{…}}}); each result names the record's {@code id}.
     */
    SandboxResponse updateMany(SandboxRequest request, Kind kind) {
        JsonNode body = body(request);
        List<JsonNode> targets = new ArrayList<>();
        List<JsonNode> changes = new ArrayList<>();
        Optional<String> ids = request.queryParam("ids").or(() -> request.queryParam("external_ids"));
        if (ids.isPresent()) {
            boolean external = request.queryParam("ids").isEmpty();
            JsonNode change = body.path(kind.singular);
            if (!change.isObject()) throw missing(kind.singular);
            for (String id : listParam(external ? "external_ids" : "ids", ids.get())) {
                targets.add(external ? JSON.getNodeFactory().objectNode().put("external_id", id)
                        : JSON.getNodeFactory().textNode(id));
                changes.add(change);
            }
        } else {
            for (JsonNode item : items(body, kind.plural)) {
                targets.add(item.path("id"));
                changes.add(item);
            }
        }
        return queue("bulk_update_" + kind.plural, targets.size(), () -> {
            ArrayNode results = JSON.createArrayNode();
            for (int i = 0; i < targets.size(); i++) {
                JsonNode target = targets.get(i);
                Optional<Long> id = target.isObject()
                        ? directory.idByExternalId(kind, target.path("external_id").asText())
                        : parseLong(target.asText());
                ObjectNode result = results.addObject();
                if (target.isObject() && id.isEmpty()) result.put("external_id", target.path("external_id").asText());
                else result.put("id", id.orElse(null));
                result.put("action", "update");
                Outcome outcome = id.isEmpty() ? Outcome.refused(new Problem("id", "RecordNotFound", "Not found"))
                        : kind == Kind.USERS ? directory.updateUser(id.get(), withoutId(changes.get(i)))
                        : directory.updateOrganization(id.get(), withoutId(changes.get(i)));
                if (outcome.ok()) {
                    result.put("success", true).put("status", "Updated");
                } else {
                    result.put("success", false).put("status", "Failed")
                            .put("error", outcome.problems().getFirst().error()).put("details", details(outcome));
                }
            }
            return results;
        });
    }

    /** destroy_many: {@code ?ids=1,2} or {@code ?external_ids=a,b}; each result names the record. */
    SandboxResponse destroyMany(SandboxRequest request, Kind kind) {
        Optional<String> ids = request.queryParam("ids");
        Optional<String> externalIds = request.queryParam("external_ids");
        if (ids.isEmpty() && externalIds.isEmpty()) throw missing("ids");
        boolean external = ids.isEmpty();
        List<String> values = listParam(external ? "external_ids" : "ids", ids.orElseGet(externalIds::get));
        return queue("bulk_delete_" + kind.plural, values.size(), () -> {
            ArrayNode results = JSON.createArrayNode();
            for (String value : values) {
                Optional<Long> id = external ? directory.idByExternalId(kind, value) : parseLong(value);
                boolean deleted = id.isPresent() && (kind == Kind.USERS ? directory.deleteUser(id.get())
                        : directory.deleteOrganization(id.get()));
                ObjectNode result = results.addObject();
                if (id.isPresent()) result.put("id", id.get());
                else if (external) result.put("external_id", value);
                else result.put("id", value);
                result.put("action", "delete");
                if (deleted) {
                    result.put("success", true).put("status", "Deleted");
                } else {
                    result.put("success", false).put("status", "Failed").put("error", "RecordNotFound")
                            .put("details", "Not found");
                }
            }
            return results;
        });
    }

    /** Queues a job, or answers 429 when {@link #jobLimit} jobs are queued or running already. */
    SandboxResponse queue(String jobType, int total, Supplier<ArrayNode> work) {
        Instant now = sandbox.clock().instant();
        if (running.size() >= jobLimit) {
            Instant first = running.stream().map(SandboxJob::completes).min(Comparator.naturalOrder()).orElse(now);
            long seconds = Math.max(1, (Duration.between(now, first).toMillis() + 999) / 1000);
            throw new SandboxReply(SandboxResponse.json(429, error("TooManyJobs", "Number of allowed queued or running "
                    + "jobs (" + jobLimit + ") exceeded")).withHeader("Retry-After", String.valueOf(seconds)));
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        SandboxJob job = new SandboxJob(HexFormat.of().formatHex(bytes), jobType, total, now, jobDuration,
                jobSequence++, work);
        running.add(job);
        statuses.put(job.id(), job);
        while (statuses.size() > jobRetention) statuses.remove(statuses.keySet().iterator().next());
        ObjectNode body = JSON.createObjectNode();
        body.set("job_status", job.render(now, sandbox.baseUrl()));
        return SandboxResponse.json(200, body);
    }

    /** Completes, in order, every job whose time has come. Called under the lock before anything reads. */
    void settle() {
        Instant now = sandbox.clock().instant();
        running.sort(Comparator.comparing(SandboxJob::completes).thenComparingLong(SandboxJob::sequence));
        while (!running.isEmpty() && !running.getFirst().completes().isAfter(now)) {
            SandboxJob job = running.removeFirst();
            job.complete(job.completes());
        }
    }

    SandboxResponse jobStatuses(SandboxRequest request, String method, List<String> rest) {
        if (!method.equals("GET")) throw notFound();
        Instant now = sandbox.clock().instant();
        statuses.values().removeIf(j -> !now.isBefore(j.created().plus(jobTtl)));
        if (rest.isEmpty()) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("job_statuses");
            List<SandboxJob> newestFirst = new ArrayList<>(statuses.values());
            java.util.Collections.reverse(newestFirst);
            newestFirst.forEach(j -> list.add(j.render(now, sandbox.baseUrl())));
            return SandboxResponse.json(200, body);
        }
        if (rest.size() != 1) throw notFound();
        if (rest.getFirst().equals("show_many")) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("job_statuses");
            for (String id : listParam("ids", request.queryParam("ids").orElseThrow(() -> missing("ids")))) {
                SandboxJob job = statuses.get(id);
                if (job != null) list.add(job.render(now, sandbox.baseUrl()));
            }
            return SandboxResponse.json(200, body);
        }
        SandboxJob job = statuses.get(rest.getFirst());
        if (job == null) throw notFound();
        ObjectNode body = JSON.createObjectNode();
        body.set("job_status", job.render(now, sandbox.baseUrl()));
        return SandboxResponse.json(200, body);
    }

    /** The jobs whose status can still be read, and those still running, oldest first. */
    List<SandboxJob> all() {
        Map<String, SandboxJob> all = new LinkedHashMap<>(statuses);
        running.forEach(j -> all.putIfAbsent(j.id(), j));
        return all.values().stream().sorted(Comparator.comparingLong(SandboxJob::sequence)).toList();
    }

    /** Completes every running job now, in order, as if their time had come. */
    void completeAll() {
        Instant now = sandbox.clock().instant();
        running.sort(Comparator.comparingLong(SandboxJob::sequence));
        running.forEach(j -> j.complete(now));
        running.clear();
    }

    int runningCount() {
        return running.size();
    }

    int limit() {
        return jobLimit;
    }
}
