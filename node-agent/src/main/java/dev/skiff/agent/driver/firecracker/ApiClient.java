package dev.skiff.agent.driver.firecracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 over Firecracker's API socket, JDK only: one connection per request (Firecracker keeps
 * connections open; the client closes its side once the answer is read), a JSON body out, the
 * answer read by its {@code Content-Length}. A 2xx answer returns its body; any other becomes a
 * {@link FirecrackerApiException} carrying Firecracker's {@code fault_message}. Every request has a
 * deadline: when it passes, the request fails with an IOException and the instance's boot fails
 * (the pool then kills the VM).
 */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_HEAD = 16 * 1024;

    private final Path socket;

    ApiClient(Path socket) {
        this.socket = socket;
    }

    /** The request's bytes on the wire. */
    static byte[] encode(ApiCall call) {
        byte[] body = call.body() == null ? new byte[0] : call.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(call.method()).append(' ').append(call.path()).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n")
                .append("Accept: application/json\r\n");
        if (call.body() != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, bytes, 0, headBytes.length);
        System.arraycopy(body, 0, bytes, headBytes.length, body.length);
        return bytes;
    }

    /** Sends a request and returns the body of its 2xx answer (empty for 204 No Content). */
    String send(ApiCall call, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(encode(call));
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    await(channel, selector, SelectionKey.OP_WRITE, deadline, call);
                }
            }
            Response response = read(channel, selector, deadline, call);
            if (response.status() / 100 == 2) {
                return response.body();
            }
            throw new FirecrackerApiException(call, response.status(), faultMessage(response.body()));
        }
    }

    /** Firecracker's error body is {@code {"fault_message": "..."}}; anything else is passed on as it is. */
    static String faultMessage(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("fault_message")) {
                return node.get("fault_message").asText();
            }
        } catch (IOException e) {
            // not JSON: the raw body says more than nothing
        }
        return body.isBlank() ? "(no error body)" : body.strip();
    }

    private record Response(int status, String body) {
    }

    private static Response read(SocketChannel channel, Selector selector, long deadline, ApiCall call) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        int headEnd = -1;
        int status = 0;
        long length = -1;
        while (true) {
            int n = channel.read(buffer);
            if (n > 0) {
                received.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            byte[] bytes = received.toByteArray();
            if (headEnd < 0) {
                headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (headEnd >= 0) {
                    String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
                    status = status(head, call);
                    length = contentLength(head, status);
                } else if (bytes.length > MAX_HEAD) {
                    throw new IOException(call + ": answer head over " + MAX_HEAD + " bytes");
                }
            }
            if (headEnd >= 0 && length >= 0 && bytes.length - headEnd - 4 >= length) {
                return new Response(status, new String(bytes, headEnd + 4, (int) length, StandardCharsets.UTF_8));
            }
            if (n < 0) {
                if (headEnd >= 0 && length < 0) {
                    return new Response(status, new String(bytes, headEnd + 4, bytes.length - headEnd - 4, StandardCharsets.UTF_8));
                }
                throw new IOException(call + ": Firecracker closed the API connection before it answered");
            }
            if (n == 0) {
                await(channel, selector, SelectionKey.OP_READ, deadline, call);
            }
        }
    }

    private static int status(String head, ApiCall call) throws IOException {
        String statusLine = head.lines().findFirst().orElse("");
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException(call + ": not an HTTP answer: " + statusLine);
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException(call + ": not an HTTP answer: " + statusLine, e);
        }
    }

    /** The body's length: its Content-Length, 0 for answers that have none, -1 (until closed) otherwise. */
    private static long contentLength(String head, int status) {
        for (String line : head.lines().skip(1).toList()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        return status == 204 || status == 304 || status / 100 == 1 ? 0 : -1;
    }

    private static void await(SocketChannel channel, Selector selector, int op, long deadline, ApiCall call) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IOException(call + ": Firecracker did not answer in time");
        }
        SelectionKey key = channel.register(selector, op);
        selector.select(Math.max(1, left / 1_000_000));
        key.interestOps(0);
        selector.selectedKeys().clear();
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
