package dev.ebb.connector.support;

import com.sun.net.httpserver.HttpServer;
import dev.ebb.spi.DestinationException.TransientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpCallerTest {
    private HttpServer server;
    private HttpCaller caller;
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (caller != null) caller.close();
        if (server != null) server.stop(0);
    }

    private URI serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", exchange -> {
            requests.incrementAndGet();
            byte[] body = ("{\"agent\":\"" + exchange.getRequestHeaders().getFirst("User-Agent") + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            requests.incrementAndGet();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void anyStatusIsAnAnswerForTheConnectorToRead() throws Exception {
        URI base = serve();
        caller = new HttpCaller("HubSpot", base, Duration.ofSeconds(5));
        HttpAnswer answer = caller.send(caller.request(base.resolve("/ok"), "application/json").GET().build(),
                "GET /ok");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.ok()).isFalse();
        assertThat(answer.body()).isEqualTo("{\"agent\":\"ebb-hubspot\"}");
        assertThat(requests).hasValue(1);
    }

    @Test
    void anAnswerNotGivenInTimeIsTransientFromAReachedServer() throws Exception {
        URI base = serve();
        caller = new HttpCaller("Zendesk", base, Duration.ofMillis(300));
        assertThatThrownBy(() -> caller.send(caller.request(base.resolve("/slow"), "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), "POST /slow"))
                .isInstanceOfSatisfying(TransientException.class, e -> assertThat(e.unreachable()).isFalse())
                .hasMessage("Zendesk did not answer POST /slow within PT0.3S");
        assertThat(requests).as("one request, never a retry").hasValue(1);
    }

    @Test
    void aRefusedConnectionIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        caller = new HttpCaller("Marketo", base, Duration.ofSeconds(2));
        assertThatThrownBy(() -> caller.send(caller.request(base.resolve("/rest"), "application/json").GET().build(),
                "GET /rest")).isInstanceOfSatisfying(TransientException.class, e -> assertThat(e.unreachable()).isTrue())
                .hasMessageStartingWith("cannot reach Marketo at " + base);
    }

    @Test
    void aDroppedConnectionIsTransientAndAQueryKeepsItsSecretOutOfTheMessage() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread dropper = Thread.ofVirtual().start(() -> {
                try (Socket accepted = socket.accept()) {
                    accepted.getInputStream().read();
                } catch (IOException e) {
                    // the test sees the drop
                }
            });
            URI base = URI.create("http://127.0.0.1:" + socket.getLocalPort());
            caller = new HttpCaller("Marketo", base, Duration.ofSeconds(2));
            assertThatThrownBy(() -> caller.send(caller.request(URI.create(base + "/identity/oauth/token?client_secret=s3cr3t"),
                    "application/json").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    "POST /identity/oauth/token"))
                    .isInstanceOfSatisfying(TransientException.class, e -> assertThat(e.unreachable()).isFalse())
                    .hasMessageStartingWith("the connection to Marketo failed during POST /identity/oauth/token: ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
            dropper.join(2_000);
        }
    }
}
