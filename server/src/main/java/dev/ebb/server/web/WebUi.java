package dev.ebb.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.StateException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The web UI under {@code /ui}: server-rendered pages (Mustache, every value escaped), a little vanilla JavaScript
 * that polls a run's progress, and forms for the operator's actions. Signing in takes an API token (see
 * {@link UiSession}); a read-only token sees every page and no action.
 *
 * <p>Pages: {@code /ui} (every sync), {@code /ui/syncs/{sync}} (its history and charts), {@code /ui/syncs/{sync}/plan}
 * (a dry run), {@code /ui/runs/{run}} (its rows, searchable by key and filterable by status, paged),
 * {@code /ui/conflicts}. JSON for the scripts: {@code /ui/runs/{run}/progress} and {@code /ui/syncs/{sync}/latest}.
 * Thread-safe.
 */
public final class WebUi {
    /** Where the UI lives; the server leaves these paths to the UI's own cookie check. */
    public static final String ROOT = "/ui";
    private static final String NOTICE = "ebb_notice";
    private static final List<String> STATIC = List.of("ebb.css", "ebb.js");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TITLES = Map.of("login", "Sign in", "overview", "Syncs", "sync",
            "History", "plan", "Plan", "run", "Run", "conflicts", "Conflicts", "error", "Error");

    private final UiBackend backend;
    private final Pages pages;
    private final Templates templates = new Templates();
    private final UiSession session = new UiSession();

    public WebUi(UiBackend backend, Clock clock) {
        this.backend = backend;
        this.pages = new Pages(backend, clock);
    }

    @FunctionalInterface
    private interface Page {
        void handle(Context ctx, UiUser user) throws Exception;
    }

    /** Adds the UI's routes. */
    public void routes(RoutesConfig routes) {
        routes.get(ROOT + "/login", ctx -> html(ctx, "login", new LinkedHashMap<>(Map.of(
                "next", safeNext(ctx.queryParam("next")), "error", "")), null));
        routes.post(ROOT + "/login", this::login);
        routes.post(ROOT + "/logout", signedIn(this::logout, true));
        routes.get(ROOT + "/static/{file}", this::staticFile);
        routes.get(ROOT, signedIn((ctx, user) -> html(ctx, "overview", pages.overview(), user), false));
        routes.get(ROOT + "/conflicts", signedIn((ctx, user) -> html(ctx, "conflicts",
                pages.conflicts(blankToNull(ctx.queryParam("sync"))), user), false));
        routes.post(ROOT + "/conflicts/resolve", signedIn(this::resolve, true));
        routes.get(ROOT + "/syncs/{sync}", signedIn((ctx, user) -> html(ctx, "sync", pages.sync(sync(ctx)), user),
                false));
        routes.get(ROOT + "/syncs/{sync}/latest", signedIn(this::latest, false));
        routes.get(ROOT + "/syncs/{sync}/plan", signedIn(this::plan, false));
        routes.post(ROOT + "/syncs/{sync}/run", signedIn(this::trigger, true));
        routes.get(ROOT + "/runs/{run}", signedIn(this::run, false));
        routes.get(ROOT + "/runs/{run}/progress", signedIn(this::progress, false));
        routes.post(ROOT + "/runs/{run}/approve", signedIn((ctx, user) -> decide(ctx, user, true), true));
        routes.post(ROOT + "/runs/{run}/reject", signedIn((ctx, user) -> decide(ctx, user, false), true));
    }

    // ---- signing in ----------------------------------------------------------------------------------------------

    private void login(Context ctx) {
        String token = ctx.formParam("token");
        String next = safeNext(ctx.formParam("next"));
        Optional<UiUser> user = token == null || !UiSession.sameOrigin(ctx) ? Optional.empty()
                : backend.authenticate(token.strip());
        if (user.isEmpty()) {
            ctx.status(401);
            html(ctx, "login", new LinkedHashMap<>(Map.of("next", next,
                    "error", "That token is not valid: check it for typos, or ask for a new one.")), null);
            return;
        }
        session.signIn(ctx, token.strip());
        ctx.redirect(next);
    }

    private void logout(Context ctx, UiUser user) {
        session.signOut(ctx);
        ctx.redirect(ROOT + "/login");
    }

    /**
     * A handler for a signed-in browser: without a valid token, a page sends it to the login form and an action is
     * refused; an action also needs the form's CSRF value and, unless {@code readOnly} may do it, an operator token.
     */
    private io.javalin.http.Handler signedIn(Page page, boolean action) {
        return ctx -> {
            Optional<String> token = session.token(ctx);
            Optional<UiUser> user = token.flatMap(backend::authenticate);
            if (user.isEmpty()) {
                if (action) {
                    error(ctx, 401, "You are not signed in (or your token expired): sign in again.", null);
                } else {
                    if (token.isPresent()) session.signOut(ctx);
                    ctx.redirect(ROOT + "/login?next=" + URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8));
                }
                return;
            }
            if (action && !session.formIsOurs(ctx, token.get())) {
                error(ctx, 403, "This form did not come from this page (its security value is missing or stale): "
                        + "reload the page and try again.", user.get());
                return;
            }
            boolean signingOut = ctx.path().equals(ROOT + "/logout");
            if (action && !signingOut && !user.get().operator()) {
                error(ctx, 403, "Your token is read-only: ask for an operator token to run, approve, reject or "
                        + "resolve.", user.get());
                return;
            }
            try {
                page.handle(ctx, user.get());
            } catch (NotFound e) {
                error(ctx, 404, e.getMessage(), user.get());
            } catch (IllegalArgumentException e) {
                error(ctx, 400, e.getMessage(), user.get());
            } catch (StateException e) {
                error(ctx, 503, "The state store cannot be read now: " + e.getMessage(), user.get());
            }
        };
    }

    // ---- pages ---------------------------------------------------------------------------------------------------

    private void run(Context ctx, UiUser user) throws StateException {
        long runId = runId(ctx);
        Map<String, Object> scope = pages.run(runId, ctx.queryParam("status"), ctx.queryParam("key"),
                page(ctx.queryParam("page"))).orElseThrow(() -> new NotFound("There is no run " + runId + "."));
        html(ctx, "run", scope, user);
    }

    private void plan(Context ctx, UiUser user) {
        SyncConfig sync = sync(ctx);
        try {
            html(ctx, "plan", pages.plan(backend.plan(sync.name(), 5)), user);
        } catch (UiBackend.Refused e) {
            notice(ctx, "The plan could not be made: " + e.getMessage());
            ctx.redirect(ROOT + "/syncs/" + path(sync.name()));
        }
    }

    /** The run's counts now, for the run page's script while the run goes. */
    private void progress(Context ctx, UiUser user) throws StateException {
        long runId = runId(ctx);
        RunRecord run = backend.runs().run(runId).orElseThrow(() -> new NotFound("There is no run " + runId + "."));
        json(ctx, Views.run(run, java.time.Instant.now()));
    }

    /** The newest run of the sync, for the sync page's script that waits for a queued run to start. */
    private void latest(Context ctx, UiUser user) throws StateException {
        SyncConfig sync = sync(ctx);
        List<RunRecord> newest = backend.runs().runs(sync.name(), 1);
        json(ctx, newest.isEmpty() ? Map.of() : Map.of("runId", newest.getFirst().runId(),
                "status", newest.getFirst().status().label()));
    }

    // ---- actions -------------------------------------------------------------------------------------------------

    private void trigger(Context ctx, UiUser user) throws StateException {
        SyncConfig sync = sync(ctx);
        List<RunRecord> before = backend.runs().runs(sync.name(), 1);
        long newest = before.isEmpty() ? 0 : before.getFirst().runId();
        try {
            Optional<Long> started = backend.trigger(sync.name(), user);
            if (started.isPresent()) {
                ctx.redirect(ROOT + "/runs/" + started.get());
                return;
            }
            notice(ctx, "Run of " + sync.name() + " queued: this page opens it when it starts.");
            ctx.redirect(ROOT + "/syncs/" + path(sync.name()) + "?after=" + newest);
        } catch (UiBackend.Refused e) {
            notice(ctx, "Not queued: " + e.getMessage());
            ctx.redirect(ROOT + "/syncs/" + path(sync.name()));
        }
    }

    private void decide(Context ctx, UiUser user, boolean approve) {
        long runId = runId(ctx);
        try {
            if (approve) {
                backend.approve(runId, user);
                notice(ctx, "Run " + runId + " approved: a new run delivers its plan.");
            } else {
                backend.reject(runId, user);
                notice(ctx, "Run " + runId + " rejected: nothing of its plan was sent.");
            }
        } catch (UiBackend.Refused e) {
            notice(ctx, e.getMessage());
        }
        ctx.redirect(ROOT + "/runs/" + runId);
    }

    private void resolve(Context ctx, UiUser user) {
        String sync = required(ctx, "sync");
        String key = required(ctx, "key");
        String field = required(ctx, "field");
        String take = required(ctx, "take");
        Resolution resolution = switch (take) {
            case "warehouse" -> Resolution.WAREHOUSE;
            case "destination" -> Resolution.DESTINATION;
            default -> throw new IllegalArgumentException("take must be 'warehouse' or 'destination', not '" + take
                    + "'");
        };
        if (backend.project().sync(sync).isEmpty()) throw new NotFound("There is no sync named '" + sync + "'.");
        try {
            backend.resolve(sync, key, field, resolution, user);
            notice(ctx, "Conflict on " + field + " settled: the " + resolution.label() + " value stays.");
        } catch (UiBackend.Refused e) {
            notice(ctx, "Not settled: " + e.getMessage());
        }
        ctx.redirect(ROOT + "/conflicts");
    }

    // ---- rendering -----------------------------------------------------------------------------------------------

    private void html(Context ctx, String template, Map<String, Object> scope, UiUser user) {
        Map<String, Object> page = new LinkedHashMap<>(scope);
        page.put("root", ROOT);
        page.putIfAbsent("title", TITLES.getOrDefault(template, "Ebb"));
        page.put("signedIn", user != null);
        if (user != null) {
            page.put("user", user.name());
            page.put("operator", user.operator());
            page.put("csrf", session.token(ctx).map(session::csrf).orElse(""));
        }
        String notice = ctx.cookie(NOTICE);
        if (notice != null && !notice.isBlank()) {
            page.put("notice", URLDecoder.decode(notice, StandardCharsets.UTF_8));
            ctx.cookie(new Cookie(NOTICE, "", ROOT, 0, false, true, null, SameSite.STRICT));
        }
        ctx.header("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; "
                + "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-store");
        ctx.html(backend.redaction().apply(templates.render(template, page)));
    }

    private void error(Context ctx, int status, String message, UiUser user) {
        ctx.status(status);
        html(ctx, "error", new LinkedHashMap<>(Map.of("status", status, "message", message)), user);
    }

    private void json(Context ctx, Object document) {
        try {
            ctx.header("Cache-Control", "no-store");
            ctx.contentType("application/json");
            ctx.result(backend.redaction().apply(JSON.writeValueAsString(document)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a page's data is plain strings and numbers", e);
        }
    }

    /** A message for the next page, kept in a short-lived cookie rather than the address (which anyone can forge). */
    private static void notice(Context ctx, String message) {
        ctx.cookie(new Cookie(NOTICE, URLEncoder.encode(message, StandardCharsets.UTF_8), ROOT, 60, false, true,
                null, SameSite.STRICT));
    }

    private void staticFile(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        if (!STATIC.contains(file)) throw new io.javalin.http.NotFoundResponse();
        try (InputStream in = WebUi.class.getResourceAsStream("/web/static/" + file)) {
            if (in == null) throw new io.javalin.http.NotFoundResponse();
            ctx.contentType(file.endsWith(".css") ? "text/css" : "text/javascript");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.result(in.readAllBytes());
        }
    }

    // ---- parameters ----------------------------------------------------------------------------------------------

    private SyncConfig sync(Context ctx) {
        String name = ctx.pathParam("sync");
        return backend.project().sync(name).orElseThrow(() -> new NotFound("There is no sync named '" + name
                + "'."));
    }

    private static long runId(Context ctx) {
        String raw = ctx.pathParam("run");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new NotFound("There is no run '" + raw + "': a run is named by its number.");
        }
    }

    private static int page(String raw) {
        if (raw == null || raw.isBlank()) return 1;
        try {
            return Math.max(1, Integer.parseInt(raw.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("page must be a number, not '" + raw.strip() + "'");
        }
    }

    private static String required(Context ctx, String field) {
        String value = ctx.formParam(field);
        if (value == null || value.isEmpty()) throw new IllegalArgumentException("the form lacks '" + field + "'");
        return value;
    }

    /** Only a path of the UI itself: a login link cannot send the browser to another site. */
    private static String safeNext(String next) {
        if (next == null || !next.startsWith(ROOT) || next.startsWith("//") || next.contains("\\")) return ROOT;
        return next;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A sync or run that does not exist: a 404 page. */
    private static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }
}
