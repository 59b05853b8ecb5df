package dev.skiff.agent.driver.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A minimal client of the QEMU Machine Protocol over a Unix socket: one JSON command per line,
 * answered by a {@code return} or an {@code error} (asynchronous events in between are skipped).
 * Blocking; a VM that is killed closes the socket, which ends any wait here.
 */
final class Qmp implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private Qmp(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
        String greeting = in.readLine();
        if (greeting == null || !greeting.contains("\"QMP\"")) {
            throw new IOException("no QMP greeting on the monitor socket");
        }
        execute("qmp_capabilities", null);
    }

    /** Connects to a QMP socket QEMU listens on and leaves capabilities negotiation done. */
    static Qmp connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new Qmp(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Runs a command and returns its {@code return} value; an {@code error} answer is an IOException. */
    synchronized JsonNode execute(String command, ObjectNode arguments) throws IOException {
        ObjectNode request = JSON.createObjectNode().put("execute", command);
        if (arguments != null) {
            request.set("arguments", arguments);
        }
        out.write((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode answer = JSON.readTree(line);
            if (answer.has("return")) {
                return answer.get("return");
            }
            if (answer.has("error")) {
                throw new IOException(command + ": " + answer.get("error").path("desc").asText("error"));
            }
        }
        throw new IOException("QEMU closed its monitor during " + command);
    }

    static ObjectNode arguments() {
        return JSON.createObjectNode();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
