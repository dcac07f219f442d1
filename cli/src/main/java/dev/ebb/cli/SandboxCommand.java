package dev.ebb.cli;

import dev.ebb.sandbox.SandboxProvider;
import dev.ebb.sandbox.SandboxServer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sandbox", description = "Start a local sandbox that speaks a vendor's API (records in memory, "
        + "inspection and fault injection under /_sandbox/). Stops on Ctrl-C.")
final class SandboxCommand extends BaseCommand {
    @Parameters(paramLabel = "VENDOR", description = "The vendor (e.g. hubspot).")
    String vendor;

    @Option(names = "--port", defaultValue = "8089", description = "The port on 127.0.0.1 (default 8089; 0 picks one).")
    int port;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "A sandbox option, e.g. "
            + "tier=professional.")
    Map<String, String> sandboxOptions = new LinkedHashMap<>();

    @Override
    int execute() throws Session.Failure, InterruptedException {
        SandboxProvider provider = SandboxProvider.find(vendor).orElseThrow(() -> new Session.Failure(
                ExitCode.INVALID, "no sandbox for '" + vendor + "'; available: " + String.join(", ",
                SandboxProvider.all().stream().map(SandboxProvider::vendor).toList()), null));
        SandboxServer server;
        try {
            server = provider.start(port, sandboxOptions);
        } catch (IOException | IllegalArgumentException e) {
            throw new Session.Failure(ExitCode.UNAVAILABLE, "cannot start the " + vendor + " sandbox: "
                    + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        if (output.json) output.json(Map.of("vendor", vendor, "url", server.baseUrl()));
        output.line(provider.description());
        output.line("The " + vendor + " sandbox listens on " + server.baseUrl() + " (inspection: " + server.baseUrl()
                + "/_sandbox/requests). Ctrl-C stops it.");
        out.flush();
        stopped.await();
        return ExitCode.OK;
    }
}
