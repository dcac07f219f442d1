package dev.ebb.server;

import java.time.Duration;

/**
 * How {@code ebb serve} runs.
 *
 * @param port        the HTTP port (0: any free one)
 * @param queue       how many runs may wait in the queue before a trigger is refused
 * @param concurrency how many runs (of different syncs) go at once
 * @param patience    how long a shutdown waits for the runs going to reach a batch boundary and commit
 */
public record ServerOptions(int port, int queue, int concurrency, Duration patience) {
    public static final ServerOptions DEFAULT = new ServerOptions(8080, 50, 2, Duration.ofMinutes(5));

    public ServerOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be from 0 to 65535");
        if (queue < 1) throw new IllegalArgumentException("--queue must be at least 1");
        if (concurrency < 1) throw new IllegalArgumentException("--concurrency must be at least 1");
    }
}
