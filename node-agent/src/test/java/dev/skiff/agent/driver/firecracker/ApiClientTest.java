package dev.skiff.agent.driver.firecracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/1.1 over a Unix socket, against a server that answers with canned bytes. */
class ApiClientTest {
    private static final ApiCall BOOT_SOURCE = new ApiCall("PUT", "/boot-source", "{\"kernel_image_path\":\"/k\"}");

    @TempDir
    Path dir;

    @Test
    void sendsAJsonBodyWithItsLengthAndReadsA204() throws Exception {
        CompletableFuture<String> request = serveOnce("HTTP/1.1 204 \r\nServer: Firecracker API\r\nConnection: keep-alive\r\n\r\n");

        assertEquals("", new ApiClient(dir.resolve("api.sock")).send(BOOT_SOURCE, Duration.ofSeconds(5)));
        assertEquals("PUT /boot-source HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                + "Content-Type: application/json\r\nContent-Length: 26\r\n\r\n{\"kernel_image_path\":\"/k\"}",
                request.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aRefusalCarriesFirecrackersFaultMessage() throws Exception {
        String body = "{\"fault_message\":\"The kernel file cannot be opened: No such file or directory (os error 2)\"}";
        serveOnce("HTTP/1.1 400 \r\nServer: Firecracker API\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);

        FirecrackerApiException e = assertThrows(FirecrackerApiException.class,
                () -> new ApiClient(dir.resolve("api.sock")).send(BOOT_SOURCE, Duration.ofSeconds(5)));
        assertEquals(400, e.status());
        assertEquals("The kernel file cannot be opened: No such file or directory (os error 2)", e.faultMessage());
        assertEquals("Firecracker refused PUT /boot-source (400): The kernel file cannot be opened: No such file or directory (os error 2)",
                e.getMessage());
        assertEquals("oops", ApiClient.faultMessage("oops\n"), "a body that is not Firecracker's error is passed on");
    }

    @Test
    void aSilentFirecrackerFailsTheRequestAtItsDeadline() throws Exception {
        serveOnce(null);
        IOException e = assertThrows(IOException.class,
                () -> new ApiClient(dir.resolve("api.sock")).send(BOOT_SOURCE, Duration.ofMillis(200)));
        assertTrue(e.getMessage().contains("did not answer in time"), e.getMessage());
    }

    /** Accepts one connection, reads one request, answers {@code answer} (null: never) and returns the request. */
    private CompletableFuture<String> serveOnce(String answer) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("api.sock")));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel connection = server.accept(); InputStream in = Channels.newInputStream(connection)) {
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                while (!request.toString(StandardCharsets.UTF_8).endsWith("}")) {
                    request.write(in.read());
                }
                if (answer == null) {
                    in.read(); // until the client gives up
                } else {
                    Channels.newOutputStream(connection).write(answer.getBytes(StandardCharsets.UTF_8));
                }
                return request.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
