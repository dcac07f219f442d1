package dev.ebb.sandbox.facebook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;

import java.util.List;
import java.util.Optional;

/**
 * The sandbox's own inspection routes under {@code /_sandbox/audiences} (see {@link FacebookSandbox}): what Meta
 * never shows (which hashes an audience holds), for tests and rehearsals. Stateless.
 */
final class SandboxRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SandboxRoutes() {
    }

    static Optional<SandboxResponse> answer(FacebookSandbox sandbox, SandboxRequest request) {
        List<String> parts = List.of(request.path().substring("/_sandbox/".length()).split("/"));
        if (parts.isEmpty() || !parts.getFirst().equals("audiences")) return Optional.empty();
        try {
            return Optional.ofNullable(route(sandbox, request.method(), parts, request));
        } catch (IllegalArgumentException e) {
            return Optional.of(SandboxResponse.json(404, JSON.createObjectNode().put("error", e.getMessage())));
        }
    }

    private static SandboxResponse route(FacebookSandbox sandbox, String method, List<String> parts,
                                         SandboxRequest request) {
        if (parts.size() == 1) {
            return switch (method) {
                case "GET" -> {
                    ArrayNode list = JSON.createArrayNode();
                    sandbox.audienceIds().forEach(id -> list.addObject().put("id", id)
                            .put("members", sandbox.memberCount(id)));
                    yield SandboxResponse.json(200, JSON.createObjectNode().set("audiences", list));
                }
                case "POST" -> {
                    String name = request.queryParam("name").orElse("Ebb sandbox audience");
                    yield SandboxResponse.json(201, JSON.createObjectNode().put("id", sandbox.createAudience(name)));
                }
                case "DELETE" -> {
                    sandbox.clearMembers();
                    yield SandboxResponse.empty(204);
                }
                default -> null;
            };
        }
        String id = parts.get(1);
        if (parts.size() == 3 && parts.get(2).equals("flag") && method.equals("POST")) {
            sandbox.flag(id);
            return SandboxResponse.empty(204);
        }
        if (parts.size() == 3 && parts.get(2).equals("members") && method.equals("GET")) {
            ArrayNode list = JSON.createArrayNode();
            sandbox.members(id).forEach(m -> list.add(member(m)));
            return SandboxResponse.json(200, JSON.createObjectNode().put("count", list.size()).set("members", list));
        }
        if (parts.size() == 5 && parts.get(2).equals("members") && method.equals("GET")) {
            return sandbox.member(id, parts.get(3), parts.get(4)).map(m -> SandboxResponse.json(200, member(m)))
                    .orElseGet(() -> SandboxResponse.json(404, JSON.createObjectNode()
                            .put("error", "no member of " + id + " with " + parts.get(3) + " " + parts.get(4))));
        }
        return null;
    }

    private static ObjectNode member(Member member) {
        ObjectNode node = JSON.createObjectNode().put("id", member.id());
        ObjectNode keys = node.putObject("keys");
        member.keys().forEach(keys::put);
        return node;
    }
}
