package dev.ebb.cli;

import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.state.ApiToken;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.TokenRole;
import dev.ebb.server.EbbServer;
import dev.ebb.server.EbbServers;
import dev.ebb.server.ServerOptions;
import dev.ebb.server.auth.StoredTokens;
import dev.ebb.server.ops.LogFormat;
import dev.ebb.server.cluster.ClusteredSchedulers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "serve", description = "Serve the project: run its syncs on their schedules, and the REST API under "
        + "/api (tokens: 'ebb serve token create'). SIGTERM or Ctrl-C stops it gracefully.",
        subcommands = {ServeCommand.TokenCommand.class})
final class ServeCommand extends BaseCommand {
    @Option(names = "--port", defaultValue = "8080", description = "The HTTP port (default 8080; 0 picks one).")
    int port;

    @Option(names = "--queue", defaultValue = "50", description = "How many runs may wait before a trigger is "
            + "refused (default 50).")
    int queue;

    @Option(names = "--concurrency", defaultValue = "2", description = "How many runs of different syncs go at "
            + "once (default 2).")
    int concurrency;

    @Option(names = "--shutdown-wait", defaultValue = "5m", description = "How long a shutdown waits for the runs "
            + "going to finish their batches in flight (default 5m).")
    String shutdownWait;

    @Option(names = "--log-format", defaultValue = "text", description = "The log on stderr: text (a line per "
            + "event) or json (one JSON object per line).")
    String logFormat;

    @Option(names = "--recovery-sweep", defaultValue = "15s", description = "With a PostgreSQL state store (several "
            + "workers): how often one worker looks for runs a dead worker left, to finish them (default 15s).")
    String recoverySweep;

    @Override
    int execute() throws Session.Failure, InterruptedException {
        ProjectConfig project = Session.load(options.project);
        ServerOptions serverOptions;
        ClusteredSchedulers.Timing cluster;
        try {
            LogFormat.of(logFormat).apply();
            serverOptions = new ServerOptions(port, queue, concurrency, duration(shutdownWait, "--shutdown-wait"));
            cluster = new ClusteredSchedulers.Timing(ClusteredSchedulers.Timing.DEFAULT.checkin(),
                    duration(recoverySweep, "--recovery-sweep"));
        } catch (IllegalArgumentException e) {
            throw new Session.Failure(ExitCode.INVALID, e.getMessage(), e);
        }
        EbbServer server;
        try {
            server = EbbServers.create(project, env, serverOptions, Clock.systemUTC(), cluster);
        } catch (StateException e) {
            throw new Session.Failure(ExitCode.UNAVAILABLE, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new Session.Failure(ExitCode.INVALID, e.getMessage(), e);
        }
        server.start(serverOptions.port());
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C run the shutdown hooks: stop taking runs, let the batches in flight finish and commit,
        // close the store; then end with 0, as a clean stop is (the JVM would otherwise exit 143 on SIGTERM).
        Thread hook = new Thread(() -> {
            try {
                err.println("ebb serve: stopping: no new runs; the runs going finish their batches in flight");
                boolean ended = server.stop(serverOptions.patience());
                err.println(ended ? "ebb serve: stopped" : "ebb serve: stopped with runs still going; the next run"
                        + " of their syncs sends again what they had not committed");
                err.flush();
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
                Runtime.getRuntime().halt(0);
            }
        }, "ebb-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String url = "http://localhost:" + server.port();
        if (output.json) output.json(Map.of("project", project.name(), "url", url));
        output.line("Ebb serves project " + project.name() + " on " + url + ": the API under " + url + "/api (browse"
                + " it at " + url + "/api/docs), the web UI at " + url + "/ui, metrics at " + url + "/metrics, "
                + project.syncs().size() + " syncs on their schedules.");
        out.flush();
        stopped.await();
        return ExitCode.OK;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    /** {@code 30s}, {@code 5m}, {@code 12h} or {@code 90d}. */
    static Duration duration(String text, String option) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a duration; write a number and a"
                    + " unit, like 30s, 5m, 12h or 90d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    @Command(name = "token", description = "Create, list or revoke the API's tokens (kept hashed in the state store; "
            + "with the embedded store, while the server is stopped).",
            subcommands = {TokenCreate.class, TokenList.class, TokenRevoke.class})
    static final class TokenCommand implements Runnable {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Override
        public void run() {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "name what to do: ebb serve token create|list|revoke");
        }
    }

    /** What the token commands share: the project's state store, opened for writing. */
    abstract static class TokenBase extends BaseCommand {
        StateStore open() throws Session.Failure {
            LogFormat.TEXT.apply(); // the store's libraries log through SLF4J: to stderr, never into the output
            ProjectConfig project = Session.load(options.project);
            try {
                return EbbServers.openState(project, env);
            } catch (StateException e) {
                throw new Session.Failure(ExitCode.UNAVAILABLE, e.getMessage() + (e.kind() == StateException.Kind.IN_USE
                        ? " (the embedded store is held by 'ebb serve' while it runs: stop it, manage tokens, start"
                        + " it again)" : ""), e);
            }
        }
    }

    @Command(name = "create", description = "Create a token and print it once (only its SHA-256 is kept).")
    static final class TokenCreate extends TokenBase {
        @Option(names = "--role", required = true, description = "read (look) or operator (also act).")
        String role;

        @Option(names = "--name", description = "Its name, shown in the audit log (default: the role and the time).")
        String name;

        @Option(names = "--expires", defaultValue = "90d", description = "How long it is valid (default 90d).")
        String expires;

        @Override
        int execute() throws Session.Failure {
            TokenRole tokenRole;
            try {
                tokenRole = TokenRole.of(role);
            } catch (IllegalArgumentException e) {
                throw new Session.Failure(ExitCode.INVALID, "--role is read or operator, not '" + role + "'", e);
            }
            try (StateStore state = open()) {
                String tokenName = name != null ? name : tokenRole.label() + "-" + Instant.now().getEpochSecond();
                Duration validity = duration(expires, "--expires");
                String token = new StoredTokens(state, Clock.systemUTC()).create(tokenName, tokenRole, validity);
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("name", tokenName);
                doc.put("role", tokenRole.label());
                doc.put("token", token);
                if (output.json) {
                    output.json(doc);
                } else {
                    output.line("Token '" + tokenName + "' (" + tokenRole.label() + ", valid for " + expires + "):");
                    output.line(token);
                    output.line("It is shown only now; send it as 'Authorization: Bearer TOKEN'.");
                }
                return ExitCode.OK;
            } catch (IllegalArgumentException e) {
                throw new Session.Failure(ExitCode.INVALID, e.getMessage(), e);
            } catch (StateException e) {
                throw new Session.Failure(ExitCode.UNAVAILABLE, e.getMessage(), e);
            }
        }
    }

    @Command(name = "list", description = "The tokens: name, role, expiry, revocation (never the tokens).")
    static final class TokenList extends TokenBase {
        @Override
        int execute() throws Session.Failure {
            try (StateStore state = open()) {
                List<ApiToken> tokens = state.tokens();
                if (output.json) {
                    output.json(Map.of("tokens", tokens.stream().map(t -> {
                        Map<String, Object> doc = new LinkedHashMap<>();
                        doc.put("name", t.name());
                        doc.put("role", t.role().label());
                        doc.put("created_at", t.createdAt().toString());
                        doc.put("expires_at", t.expiresAt().toString());
                        doc.put("revoked_at", t.revokedAt() == null ? null : t.revokedAt().toString());
                        return doc;
                    }).toList()));
                } else {
                    for (ApiToken t : tokens) {
                        output.line(String.format("%-24s %-9s expires %s%s", t.name(), t.role().label(),
                                t.expiresAt(), t.revokedAt() == null ? "" : ", revoked " + t.revokedAt()));
                    }
                }
                return ExitCode.OK;
            } catch (StateException e) {
                throw new Session.Failure(ExitCode.UNAVAILABLE, e.getMessage(), e);
            }
        }
    }

    @Command(name = "revoke", description = "Revoke a token: it is refused from now on.")
    static final class TokenRevoke extends TokenBase {
        @Parameters(paramLabel = "NAME", description = "The token's name.")
        String tokenName;

        @Override
        int execute() throws Session.Failure {
            try (StateStore state = open()) {
                if (!state.revokeToken(tokenName, Instant.now())) {
                    throw new Session.Failure(ExitCode.INVALID, "there is no token named '" + tokenName
                            + "' that is not revoked already ('ebb serve token list' shows them)", null);
                }
                output.line("Token '" + tokenName + "' is revoked.");
                if (output.json) output.json(Map.of("name", tokenName, "revoked", true));
                return ExitCode.OK;
            } catch (StateException e) {
                throw new Session.Failure(ExitCode.UNAVAILABLE, e.getMessage(), e);
            }
        }
    }
}
