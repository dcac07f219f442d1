package dev.ebb.sandbox.zendesk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One background job: queued when it is submitted, working from half its duration, completed at its end, when its
 * work is done and its results are known. The work runs at completion, against the account as it is then, in the
 * order jobs complete. Not thread-safe: the sandbox uses it under its lock.
 *
 * <p>The status JSON follows "Job Statuses" (https://developer.zendesk.com/api-reference/ticketing/ticket-management/
 * job_statuses/): {@code id}, {@code job_type}, {@code url}, {@code total}, {@code progress}, {@code status}
 * ({@code queued}, {@code working}, {@code completed}, {@code failed}), {@code message} ("Completed at 2018-03-08
 * 10:07:04 +0000") and {@code results}.
 */
final class SandboxJob {
    private static final DateTimeFormatter MESSAGE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z").withZone(ZoneOffset.UTC);

    private final String id;
    private final String jobType;
    private final int total;
    private final Instant created;
    private final Instant completes;
    private final long sequence;
    private final Supplier<ArrayNode> work;
    private ArrayNode results;
    private Instant completedAt;

    SandboxJob(String id, String jobType, int total, Instant created, Duration duration, long sequence,
               Supplier<ArrayNode> work) {
        this.id = Objects.requireNonNull(id, "id");
        this.jobType = jobType;
        this.total = total;
        this.created = created;
        this.completes = created.plus(duration);
        this.sequence = sequence;
        this.work = work;
    }

    String id() {
        return id;
    }

    Instant created() {
        return created;
    }

    Instant completes() {
        return completes;
    }

    long sequence() {
        return sequence;
    }

    boolean done() {
        return results != null;
    }

    /** Does the job's work and keeps its results. Called once, when it completes (or is completed early). */
    void complete(Instant at) {
        if (results != null) return;
        results = work.get();
        completedAt = at;
    }

    /** {@code queued}, {@code working} or {@code completed} at {@code now}. */
    String status(Instant now) {
        if (results != null) return "completed";
        Duration half = Duration.between(created, completes).dividedBy(2);
        return now.isBefore(created.plus(half)) || now.equals(created) ? "queued" : "working";
    }

    ObjectNode render(Instant now, String baseUrl) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        String status = status(now);
        node.put("id", id);
        node.put("job_type", jobType);
        node.put("url", baseUrl + "/api/v2/job_statuses/" + id + ".json");
        node.put("total", total);
        switch (status) {
            case "queued" -> {
                node.put("progress", 0);
                node.put("status", status);
                node.putNull("message");
                node.putNull("results");
            }
            case "working" -> {
                node.put("progress", total / 2);
                node.put("status", status);
                node.putNull("message");
                node.putNull("results");
            }
            default -> {
                node.put("progress", total);
                node.put("status", status);
                node.put("message", "Completed at " + MESSAGE_TIME.format(completedAt));
                node.set("results", results.deepCopy());
            }
        }
        return node;
    }
}
