package dev.ebb.connector.support;

import dev.ebb.spi.DestinationException.TransientException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Sends one request to a vendor and turns what can go wrong on the way into the SPI's exceptions: a refused
 * connection, an unknown host or a connection not accepted in time is a {@link TransientException} that says the
 * destination is unreachable; a request not answered in time, or a connection dropped during it, is a
 * {@link TransientException} of a reached server. What the vendor answered (any status) is returned as an
 * {@link HttpAnswer} for the connector to read, or to classify with {@link Failures}.
 *
 * <p>One {@link #send} is one request: it never retries or waits. (The JDK's client itself sends an idempotent
 * request once more when a kept-alive connection closes before any byte of the answer; a POST never is.)
 *
 * <p>Thread-safe: the HTTP client is shared, nothing else changes after construction.
 */
public final class HttpCaller implements AutoCloseable {
    private final String vendor;
    private final Duration timeout;
    private final String userAgent;
    private final HttpClient httpClient;

    /**
     * @param vendor  the vendor's name as messages spell it ({@code HubSpot}); the User-Agent is {@code ebb-hubspot}
     * @param baseUrl where the calls go; over plain http (a sandbox) the client speaks HTTP/1.1 only, over https it
     *                negotiates HTTP/2
     * @param timeout how long connecting, and then one call, may take
     */
    public HttpCaller(String vendor, URI baseUrl, Duration timeout) {
        this.vendor = Objects.requireNonNull(vendor, "vendor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.userAgent = "ebb-" + vendor.toLowerCase(Locale.ROOT);
        this.httpClient = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version("https".equals(baseUrl.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** How long one call may take. */
    public Duration timeout() {
        return timeout;
    }

    /** A request to {@code uri} with the call's timeout, {@code Accept: accept} and Ebb's User-Agent. */
    public HttpRequest.Builder request(URI uri, String accept) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).header("User-Agent", userAgent);
    }

    /**
     * {@code request} with {@code method} and {@code body} as {@code contentType}, or with no body when
     * {@code body} is null.
     */
    public static HttpRequest withBody(HttpRequest.Builder request, String method, String contentType, byte[] body) {
        if (body == null) return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        return request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** {@link #withBody(HttpRequest.Builder, String, String, byte[])} with a text body sent as UTF-8. */
    public static HttpRequest withBody(HttpRequest.Builder request, String method, String contentType, String body) {
        return withBody(request, method, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends one request.
     *
     * @param what the call in a few words for messages ({@code POST /crm/v3/…}); it must not hold a secret
     * @throws TransientException when no answer came (see the class comment)
     */
    public HttpAnswer send(HttpRequest request, String what) throws TransientException {
        HttpResponse<String> response;
        try {
            response = httpClient.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new TransientException(vendor + " at " + origin(request.uri()) + " did not accept a connection within "
                    + timeout, e, true);
        } catch (HttpTimeoutException e) {
            throw new TransientException(vendor + " did not answer " + what + " within " + timeout, e, false);
        } catch (IOException e) {
            boolean unreachable = causedBy(e, ConnectException.class) || causedBy(e, UnknownHostException.class);
            throw new TransientException((unreachable ? "cannot reach " + vendor + " at " + origin(request.uri())
                    : "the connection to " + vendor + " failed during " + what) + ": " + describe(e, request.uri()),
                    e, unreachable);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted during " + what, e, false);
        }
        return new HttpAnswer(response.statusCode(), response.headers(), response.body());
    }

    /**
     * The exception for a message. A request whose URI has a query names only the exception's type: a query may
     * carry a credential (Marketo's Identity call does), and a message must never show one.
     */
    private static String describe(IOException e, URI uri) {
        return uri.getRawQuery() == null ? e.toString() : e.getClass().getSimpleName();
    }

    /** {@code https://host:port}: no path, no query. */
    static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }

    @Override
    public void close() {
        httpClient.close();
    }
}
