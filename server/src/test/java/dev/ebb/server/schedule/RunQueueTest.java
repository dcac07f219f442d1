package dev.ebb.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.plan.SyncException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RunQueueTest {
    @Test
    void aRunThatFailsBeforeItStartsIsLoggedAndEndsItsTicketFailed() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(RunQueue.class.getName());
        log.addHandler(handler);
        RunQueue queue = new RunQueue(ticket -> {
            throw new SyncException(SyncException.Kind.INVALID, "the sync names no model");
        }, 4, 1, Clock.systemUTC());
        try {
            queue.start();
            RunTicket ticket = queue.submit(RunTicket.Request.changes("churn", "schedule"));
            Instant deadline = Instant.now().plusSeconds(30);
            while (ticket.state() != RunTicket.State.FAILED && Instant.now().isBefore(deadline)) Thread.sleep(10);
            assertThat(ticket.state()).isEqualTo(RunTicket.State.FAILED);
            assertThat(ticket.error()).isEqualTo("the sync names no model");
            assertThat(logged).contains("WARNING sync churn: its run failed: the sync names no model");
        } finally {
            log.removeHandler(handler);
            queue.shutdown("test over", Duration.ofSeconds(10));
        }
    }
}
