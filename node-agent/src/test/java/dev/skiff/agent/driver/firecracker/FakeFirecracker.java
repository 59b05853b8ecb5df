package dev.skiff.agent.driver.firecracker;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the {@code firecracker} binary, for tests only: Firecracker cannot run where
 * Skiff is built and tested (no usable KVM, not packaged), so this small JDK-only program plays
 * its part of the contract the driver relies on, as Firecracker's API definition and snapshot
 * documentation describe it. It takes {@code --api-sock} and {@code --id}, listens for HTTP/1.1 on
 * the API socket, answers 204 No Content or 400 with {@code {"fault_message": ...}}, and records
 * every request, one line each ({@code METHOD PATH BODY}), in {@code <record-dir>/<id>.log}.
 * Its "guest" is a health endpoint at the address the boot arguments (or, after a snapshot load,
 * the serial console) give it, announced with SKIFF_BOOTED and SKIFF_READY on stdout.
 *
 * <p>Options before Firecracker's own: {@code --record DIR}, {@code --guest-port N} and
 * {@code --fault "METHOD PATH" MESSAGE} (that request is answered 400 with MESSAGE).
 */
public final class FakeFirecracker {
    private static final Pattern GUEST_IP = Pattern.compile("skiff\\.ip=([0-9.]+)/");
    private static final Pattern CONSOLE_NET = Pattern.compile("SKIFF_NET ([0-9.]+)/30 [0-9.]+");

    private Path record;
    private int guestPort;
    private String fault = "";
    private String faultMessage = "";
    private String apiSocket;
    private String id;
    private String bootArgs = "";
    private boolean configured;
    private boolean paused;
    private HttpServer guest;

    public static void main(String[] args) throws IOException {
        FakeFirecracker fake = new FakeFirecracker();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--record" -> fake.record = Path.of(args[++i]);
                case "--guest-port" -> fake.guestPort = Integer.parseInt(args[++i]);
                case "--fault" -> {
                    fake.fault = args[++i];
                    fake.faultMessage = args[++i];
                }
                case "--api-sock" -> fake.apiSocket = args[++i];
                case "--id" -> fake.id = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        fake.run();
    }

    private void run() throws IOException {
        Thread console = new Thread(this::readConsole, "console");
        console.setDaemon(true);
        console.start();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(apiSocket));
            while (true) {
                SocketChannel connection = server.accept();
                Thread thread = new Thread(() -> serve(connection), "api");
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    /** Serves requests on one connection, kept alive as Firecracker keeps it, until the client closes it. */
    private void serve(SocketChannel connection) {
        try (connection; InputStream in = Channels.newInputStream(connection); OutputStream out = Channels.newOutputStream(connection)) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] requestLine = head.lines().findFirst().orElse("").split(" ");
                int length = 0;
                for (String line : head.lines().toList()) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                String error = handle(requestLine[0], requestLine[1], body);
                if (error == null) {
                    out.write("HTTP/1.1 204 \r\nServer: Firecracker API\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    byte[] json = ("{\"fault_message\":\"" + error.replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 400 \r\nServer: Firecracker API\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(json);
                }
                out.flush();
                if (error != null && requestLine[1].equals("/snapshot/load")) {
                    System.exit(1); // Firecracker ends itself after a failed load
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Records a request and acts on it as Firecracker would; returns the fault message of a refusal, or null. */
    private synchronized String handle(String method, String path, String body) throws IOException {
        Files.writeString(record.resolve(id + ".log"), (method + " " + path + " " + body).strip() + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (fault.equals(method + " " + path)) {
            return faultMessage;
        }
        switch (method + " " + path) {
            case "PUT /boot-source" -> bootArgs = field(body, "boot_args");
            case "PUT /actions" -> {
                Matcher ip = GUEST_IP.matcher(bootArgs);
                if (!ip.find()) {
                    return "no guest address in the boot arguments";
                }
                startGuest(ip.group(1));
                System.out.println("SKIFF_BOOTED");
                System.out.println("SKIFF_READY");
                System.out.flush();
            }
            case "PATCH /vm" -> paused = body.contains("\"Paused\"");
            case "PUT /snapshot/create" -> {
                if (!paused) {
                    return "Operation not allowed: the microVM must be paused";
                }
                Files.writeString(Path.of(field(body, "snapshot_path")), "fake vmstate");
                Files.writeString(Path.of(field(body, "mem_file_path")), "fake memory");
            }
            case "PUT /snapshot/load" -> {
                if (configured) {
                    return "Loading a microVM snapshot not allowed after configuring boot-specific resources.";
                }
                if (!Files.exists(Path.of(field(body, "snapshot_path"))) || !Files.exists(Path.of(field(body, "backend_path")))) {
                    return "Cannot open the snapshot files";
                }
            }
            default -> {
            }
        }
        configured = true;
        return null;
    }

    /** The serial console: a restored guest's init takes its address from it. */
    private void readConsole() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                handle("CONSOLE", line, "");
                Matcher net = CONSOLE_NET.matcher(line);
                if (net.matches()) {
                    startGuest(net.group(1));
                }
            }
        } catch (IOException e) {
            // stdin closed
        }
    }

    private synchronized void startGuest(String address) throws IOException {
        if (guest != null) {
            guest.stop(0);
        }
        guest = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), guestPort), 8);
        guest.createContext("/_/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        guest.start();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String text = head.toString(StandardCharsets.US_ASCII);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return null;
    }
}
