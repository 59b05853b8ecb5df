package dev.skiff.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Tells the node agent that the instance listens: POSTs {@code {"instance":"<id>","port":<port>}}
 * (application/json) to the ready URL, retrying briefly (the agent's listener may be a moment
 * late) until it answers 2xx. Only used when {@code SKIFF_READY_URL} is set.
 */
final class ReadyCallback {
    /** Attempts before giving up. */
    static final int ATTEMPTS = 5;

    private final URI url;
    private final Duration firstPause;

    ReadyCallback(URI url) {
        this(url, Duration.ofMillis(100));
    }

    /** @param firstPause pause after the first failed attempt; each further pause doubles */
    ReadyCallback(URI url, Duration firstPause) {
        this.url = url;
        this.firstPause = firstPause;
    }

    /**
     * Reports the instance ready.
     *
     * @throws IOException when no attempt got a 2xx answer; the message says what the last one got
     */
    void report(String instanceId, int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(instanceId, port)))
                .build();
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return;
                }
                last = new IOException("ready callback " + url + " answered " + status);
            } catch (IOException e) {
                last = new IOException("ready callback " + url + " failed: " + e, e);
            }
            if (attempt < ATTEMPTS) {
                Thread.sleep(firstPause.toMillis() << (attempt - 1));
            }
        }
        throw last;
    }

    /** The JSON report, the id escaped as a JSON string. */
    static String body(String instanceId, int port) {
        StringBuilder json = new StringBuilder("{\"instance\":\"");
        for (char c : instanceId.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append("\",\"port\":").append(port).append('}').toString();
    }
}
