package dev.ebb.connector.zendesk;

import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RemoteRecord;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;
import dev.ebb.testkit.ManualClock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The Zendesk connector with a synchronous {@link Destination#write}, for the shared contract suite, which writes
 * through {@code write()}: it starts the write and resumes it until it is done, moving the test's {@link ManualClock}
 * forward by each step's wait instead of sleeping (the sandbox's jobs progress on the same clock). It keeps the
 * steps it saw, so tests can check what a write took.
 */
final class TestingJobDriver implements DestinationConnector {
    /** More steps than any write of a contract test needs; reaching it means a job never ended. */
    static final int MAX_STEPS = 200;

    private final ZendeskConnector connector = new ZendeskConnector();
    private final ManualClock clock;
    private final List<WriteStep.Pending> steps = new ArrayList<>();

    TestingJobDriver(ManualClock clock) {
        this.clock = clock;
    }

    /** The pending steps of every write so far, in order. */
    synchronized List<WriteStep.Pending> steps() {
        return List.copyOf(steps);
    }

    @Override
    public String type() {
        return connector.type();
    }

    @Override
    public List<ConnectorOption> options() {
        return connector.options();
    }

    @Override
    public Destination open(ConnectorContext context) {
        Destination zendesk = connector.open(context);
        return new Destination() {
            @Override
            public String accountId() {
                return zendesk.accountId();
            }

            @Override
            public RateLimits rateLimits() {
                return zendesk.rateLimits();
            }

            @Override
            public Optional<ObjectCapabilities> object(String object) {
                return zendesk.object(object);
            }

            @Override
            public ObjectSchema describe(String object) throws DestinationException {
                return zendesk.describe(object);
            }

            @Override
            public WriteResult write(WriteBatch batch) throws DestinationException {
                WriteStep step = zendesk.start(batch);
                for (int i = 0; i < MAX_STEPS; i++) {
                    switch (step) {
                        case WriteStep.Done done -> {
                            return done.result();
                        }
                        case WriteStep.Pending pending -> {
                            synchronized (TestingJobDriver.this) {
                                steps.add(pending);
                            }
                            clock.advance(pending.after());
                            step = zendesk.resume(pending);
                        }
                    }
                }
                throw new AssertionError("the write did not finish in " + MAX_STEPS + " steps");
            }

            @Override
            public List<RemoteRecord> read(String object, String matchField, Collection<String> matchValues,
                                           Collection<String> fields) throws DestinationException {
                return zendesk.read(object, matchField, matchValues, fields);
            }

            @Override
            public void close() {
                zendesk.close();
            }
        };
    }
}
