package dev.ebb.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's OpenAPI 3.1 document at {@code /api/openapi.json}, made from the {@link Routes} themselves (so no route
 * goes undocumented), and Swagger UI at {@code /api/docs} to browse and call it with a token.
 */
final class OpenApiRoutes {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-z_]+)}");
    /** Swagger UI's files, from its webjar; the version is the one the build depends on. */
    private static final String SWAGGER = "/META-INF/resources/webjars/swagger-ui/" + swaggerVersion() + "/";

    private final Routes routes;

    OpenApiRoutes(Routes routes) {
        this.routes = routes;
    }

    void register(Routes into) {
        into.get("/api/openapi.json", Role.READ, "api", "This API's OpenAPI document.",
                ctx -> ctx.json(document()));
        // The page and Swagger UI's files hold no data of the project, so a browser may load them without a token;
        // the page asks for one and sends it with every call, the document's fetch included.
        into.get("/api/docs", Role.PUBLIC, "api", "A page to browse and try this API (Swagger UI).",
                ctx -> ctx.html(page()));
        into.get("/api/docs/{file}", Role.PUBLIC, "api", "Swagger UI's scripts and styles.", ctx -> {
            String file = ctx.pathParam("file");
            var in = file.matches("[a-z0-9-]+\\.(js|css|png)") ? OpenApiRoutes.class.getResourceAsStream(SWAGGER + file)
                    : null;
            if (in == null) throw ApiException.notFound("no such file: " + file);
            ctx.contentType(file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css"
                    : "image/png").result(in);
        });
    }

    Map<String, Object> document() {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Routes.Route r : routes.all()) {
            Map<String, Object> operation = new LinkedHashMap<>();
            operation.put("tags", List.of(r.tag()));
            operation.put("summary", r.summary());
            operation.put("operationId", (r.method().name() + r.path()).toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9]+", "_"));
            List<Map<String, Object>> parameters = new java.util.ArrayList<>();
            Matcher m = PATH_PARAM.matcher(r.path());
            while (m.find()) {
                parameters.add(Map.of("name", m.group(1), "in", "path", "required", true,
                        "schema", Map.of("type", "string")));
            }
            for (Routes.Param p : r.params()) {
                parameters.add(Map.of("name", p.name(), "in", "query", "required", false, "description",
                        p.description(), "schema", Map.of("type", "string")));
            }
            if (!parameters.isEmpty()) operation.put("parameters", parameters);
            operation.put("security", r.role() == Role.PUBLIC ? List.of() : List.of(Map.of("bearer", List.of())));
            if (r.role() != Role.PUBLIC) operation.put("x-ebb-role", r.role().name().toLowerCase(Locale.ROOT));
            operation.put("responses", Map.of("200", Map.of("description", "OK"),
                    "401", Map.of("description", "no token, or one that is unknown, expired or revoked"),
                    "403", Map.of("description", "a read token on a route that needs an operator token")));
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(r.path(),
                    p -> new LinkedHashMap<String, Object>());
            item.put(r.method().name().toLowerCase(Locale.ROOT), operation);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Ebb", "version", "0.1.0",
                "description", "Syncs, runs and their per-row outcomes; trigger, cancel, pause, approve or reject,"
                        + " resolve conflicts, retry failed rows. Every path but /health and /ready needs"
                        + " 'Authorization: Bearer TOKEN'."));
        doc.put("paths", paths);
        doc.put("components", Map.of("securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme",
                "bearer"))));
        return doc;
    }

    private static String page() {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Ebb API</title>
                <link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
                <body><div id="swagger-ui"></div>
                <script src="/api/docs/swagger-ui-bundle.js"></script>
                <script>
                  let token = sessionStorage.getItem("ebb_token");
                  if (!token) {
                    token = window.prompt("An Ebb API token (ebb serve token create --role read):") || "";
                    sessionStorage.setItem("ebb_token", token);
                  }
                  window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui",
                    requestInterceptor: (request) => {
                      request.headers["Authorization"] = "Bearer " + token;
                      return request;
                    } });
                </script></body></html>
                """;
    }

    private static String swaggerVersion() {
        try (var in = OpenApiRoutes.class.getResourceAsStream(
                "/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            var props = new java.util.Properties();
            if (in != null) props.load(in);
            return props.getProperty("version", "5.34.1");
        } catch (java.io.IOException e) {
            return "5.34.1";
        }
    }
}
