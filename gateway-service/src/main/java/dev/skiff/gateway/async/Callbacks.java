package dev.skiff.gateway.async;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Posts an async call's result to the caller's {@code X-Callback-Url}, with OpenFaaS' headers
 * ({@code X-Call-Id}, {@code X-Function-Name}, {@code X-Function-Status}). A callback that cannot be
 * reached or answers 5xx is tried three times in all.
 */
final class Callbacks {
    static final int ATTEMPTS = 3;
    private static final int MAX_URL_LENGTH = 2048;

    private final HttpClient client;
    private final Duration timeout;

    Callbacks(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The reason a callback URL is refused, or null when it is acceptable: absolute http(s), with a host. */
    static String invalid(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            return "must be at most " + MAX_URL_LENGTH + " characters";
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return "must be an absolute http or https URL";
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return "must name a host";
            }
            if (uri.getUserInfo() != null) {
                return "must not carry credentials";
            }
            if (uri.getPort() > 65535) {
                return "must have a port between 1 and 65535";
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "is not a URL: " + e.getReason();
        }
    }

    /** The outcome of delivering: the status the callback answered, or 0 and why it was not reached. */
    record Delivery(int status, String error) {
    }

    Delivery post(String url, String callId, String function, int functionStatus, String contentType, byte[] body) {
        String error = null;
        int status = 0;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("X-Call-Id", callId)
                    .header("X-Function-Name", function)
                    .header("X-Function-Status", Integer.toString(functionStatus))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            try {
                status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status < 500) {
                    return new Delivery(status, null);
                }
                error = "callback answered " + status;
            } catch (java.io.IOException e) {
                error = "callback unreachable: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery(0, "interrupted");
            }
            if (attempt < ATTEMPTS) {
                sleep(250L << attempt);
            }
        }
        return new Delivery(status, error);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
