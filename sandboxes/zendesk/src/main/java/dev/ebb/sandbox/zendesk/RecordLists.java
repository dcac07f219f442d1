package dev.ebb.sandbox.zendesk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.zendesk.Directory.Kind;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Zendesk's reads of many records: the lists of users and organizations with cursor or offset pagination, search
 * by external id, and the signed-in agent ({@code users/me}). Called with the sandbox's data lock held; not
 * thread-safe on its own.
 *
 * <p>Pagination, as "Pagination" (https://developer.zendesk.com/api-reference/introduction/pagination/) describes
 * it: a request with {@code page[size]} (at most 100) is answered a page at a time with
 * {@code meta.has_more}, {@code meta.after_cursor}, {@code meta.before_cursor}, {@code links.next} and
 * {@code links.prev}, and the next page is asked for with {@code page[after]} (the previous with
 * {@code page[before]}); without {@code page[size]}, offset pagination is used ({@code page}, {@code per_page},
 * answered with {@code next_page}, {@code previous_page} and {@code count}). Records come in id order.
 */
final class RecordLists {
    /** "Most endpoints limit this to a maximum of 100" (pagination page); the users list's page is 100 too. */
    static final int MAX_PAGE = 100;
    /** The signed-in agents are numbered below the directory's first user id, so the two never meet. */
    private static final long FIRST_AGENT_ID = 360_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Directory directory;
    private final Supplier<String> baseUrl;
    private final List<String> agents;
    private final Instant agentsSince;

    /**
     * @param agents      the agents' emails, in the order the sandbox was configured with them
     * @param agentsSince when the agents' accounts were made (the sandbox's start)
     */
    RecordLists(Directory directory, Supplier<String> baseUrl, List<String> agents, Instant agentsSince) {
        this.directory = directory;
        this.baseUrl = baseUrl;
        this.agents = List.copyOf(agents);
        this.agentsSince = agentsSince;
    }

    /** {@code GET /api/v2/users} or {@code /organizations}: a page of records, by cursor or by offset. */
    SandboxResponse list(SandboxRequest request, Kind kind) {
        List<ObjectNode> all = directory.records(kind).entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey()).map(java.util.Map.Entry::getValue).toList();
        Optional<String> size = request.queryParam("page[size]");
        Optional<String> after = request.queryParam("page[after]");
        Optional<String> before = request.queryParam("page[before]");
        if (size.isPresent() || after.isPresent() || before.isPresent()) {
            return cursorPage(kind, all, size.map(s -> pageSize("page[size]", s)).orElse(MAX_PAGE), after, before);
        }
        return offsetPage(request, kind, all);
    }

    private SandboxResponse cursorPage(Kind kind, List<ObjectNode> all, int size, Optional<String> after,
                                       Optional<String> before) {
        List<ObjectNode> page;
        boolean hasMore;
        if (before.isPresent()) {
            long bound = cursorId(before.get());
            List<ObjectNode> earlier = all.stream().filter(r -> id(r) < bound).toList();
            page = earlier.subList(Math.max(0, earlier.size() - size), earlier.size());
            hasMore = earlier.size() > size;
        } else {
            long bound = after.map(RecordLists::cursorId).orElse(Long.MIN_VALUE);
            List<ObjectNode> later = all.stream().filter(r -> id(r) > bound).toList();
            page = later.subList(0, Math.min(size, later.size()));
            hasMore = later.size() > size;
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode records = body.putArray(kind.plural);
        page.forEach(r -> records.add(directory.render(kind, r, baseUrl.get())));
        String afterCursor = page.isEmpty() ? null : cursor(id(page.getLast()));
        String beforeCursor = page.isEmpty() ? null : cursor(id(page.getFirst()));
        ObjectNode meta = body.putObject("meta");
        meta.put("has_more", hasMore);
        meta.put("after_cursor", afterCursor);
        meta.put("before_cursor", beforeCursor);
        ObjectNode links = body.putObject("links");
        String path = baseUrl.get() + "/api/v2/" + kind.plural + ".json?page[size]=" + size;
        links.put("next", afterCursor == null ? null : path + "&page[after]=" + afterCursor);
        links.put("prev", beforeCursor == null ? null : path + "&page[before]=" + beforeCursor);
        return SandboxResponse.json(200, body);
    }

    private SandboxResponse offsetPage(SandboxRequest request, Kind kind, List<ObjectNode> all) {
        int perPage = request.queryParam("per_page").map(s -> pageSize("per_page", s)).orElse(MAX_PAGE);
        int number = request.queryParam("page").map(s -> positive("page", s)).orElse(1);
        int from = (int) Math.min((long) (number - 1) * perPage, all.size());
        List<ObjectNode> page = all.subList(from, Math.min(from + perPage, all.size()));
        ObjectNode body = JSON.createObjectNode();
        ArrayNode records = body.putArray(kind.plural);
        page.forEach(r -> records.add(directory.render(kind, r, baseUrl.get())));
        String path = baseUrl.get() + "/api/v2/" + kind.plural + ".json?per_page=" + perPage + "&page=";
        body.put("next_page", from + perPage < all.size() ? path + (number + 1) : null);
        body.put("previous_page", number > 1 ? path + (number - 1) : null);
        body.put("count", all.size());
        return SandboxResponse.json(200, body);
    }

    /**
     * {@code GET /api/v2/users/search?external_id=…} (or {@code organizations/search}): the records with that
     * external id, matched case-insensitively as Zendesk matches external ids, in the shape of a list.
     */
    SandboxResponse searchByExternalId(SandboxRequest request, Kind kind) {
        String externalId = request.queryParam("external_id").filter(s -> !s.isBlank())
                .orElseThrow(() -> new SandboxReply(SandboxResponse.json(400, error("ParameterMissing",
                        "Parameter external_id is required"))));
        ObjectNode body = JSON.createObjectNode();
        ArrayNode records = body.putArray(kind.plural);
        directory.idByExternalId(kind, externalId).flatMap(id -> directory.byId(kind, id))
                .ifPresent(r -> records.add(directory.render(kind, r, baseUrl.get())));
        body.putNull("next_page");
        body.putNull("previous_page");
        body.put("count", records.size());
        return SandboxResponse.json(200, body);
    }

    /**
     * {@code GET /api/v2/users/me}: the agent the request signed in as. An agent who is also a user of the
     * directory (same email) is shown as that user; otherwise as an admin that is not one of the directory's
     * users, so that lists and counts show only the users a test or a sync wrote.
     */
    SandboxResponse me(String agentEmail) {
        ObjectNode body = JSON.createObjectNode();
        Optional<ObjectNode> user = directory.userIdByEmail(agentEmail).flatMap(id -> directory.byId(Kind.USERS, id));
        if (user.isPresent()) {
            body.set("user", directory.render(Kind.USERS, user.get(), baseUrl.get()));
            return SandboxResponse.json(200, body);
        }
        int index = Math.max(0, agents.indexOf(agentEmail));
        long id = FIRST_AGENT_ID - index;
        ObjectNode agent = directory.blankUser(id, agentsSince);
        agent.put("name", "Sandbox Agent");
        agent.put("role", "admin");
        agent.put("verified", true);
        ObjectNode shown = directory.render(Kind.USERS, agent, baseUrl.get());
        shown.put("email", agentEmail); // an agent's identity, which the directory does not hold
        body.set("user", shown);
        return SandboxResponse.json(200, body);
    }

    private static long id(ObjectNode record) {
        return record.get("id").asLong();
    }

    /** An opaque cursor naming a record; clients pass it back as it is. */
    private static String cursor(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("id:" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static long cursorId(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith("id:")) return Long.parseLong(decoded.substring(3));
        } catch (IllegalArgumentException e) {
            // refused below (NumberFormatException is one)
        }
        throw invalidPagination("the cursor '" + cursor + "' is not one this account gave out");
    }

    private static int pageSize(String parameter, String text) {
        int size = positive(parameter, text);
        if (size > MAX_PAGE) throw invalidPagination(parameter + " is limited to " + MAX_PAGE);
        return size;
    }

    private static int positive(String parameter, String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1) return value;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalidPagination(parameter + " must be a positive integer");
    }

    private static SandboxReply invalidPagination(String description) {
        return new SandboxReply(SandboxResponse.json(400, error("InvalidPaginationParameter", description)));
    }

    private static ObjectNode error(String code, String description) {
        return JSON.createObjectNode().put("error", code).put("description", description);
    }
}
