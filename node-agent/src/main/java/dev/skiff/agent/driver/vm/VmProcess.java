package dev.skiff.agent.driver.vm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * A running VMM process (QEMU, Firecracker) and what it says: the guest's serial console on stdout
 * (where the guest's init prints {@code SKIFF_BOOTED} and {@code SKIFF_READY}) and the VMM's own
 * complaints on stderr, the last of which explain an early exit.
 */
public final class VmProcess {
    private static final Logger LOG = Logger.getLogger(VmProcess.class);
    public static final String BOOTED = "SKIFF_BOOTED";
    public static final String READY = "SKIFF_READY";
    private static final long POLL_MILLIS = 5;

    private final String id;
    private final String vmm;
    private final Process process;
    private final CompletableFuture<Void> booted = new CompletableFuture<>();
    private final CompletableFuture<Void> consoleReady = new CompletableFuture<>();
    private final Deque<String> lastErrors = new ArrayDeque<>();
    private final CompletableFuture<Void> errorsRead = new CompletableFuture<>();

    /** @param vmm the VMM's name in messages ({@code QEMU}, {@code Firecracker}) */
    public VmProcess(String id, String vmm, Process process) {
        this.id = id;
        this.vmm = vmm;
        this.process = process;
        // stderr is read to its end first, so that the reason of an early exit is complete
        CompletableFuture.allOf(process.onExit(), errorsRead).thenRun(() -> {
            IllegalStateException gone = new IllegalStateException(exitMessage());
            booted.completeExceptionally(gone);
            consoleReady.completeExceptionally(gone);
        });
        daemon("vm-out-" + id, this::readConsole);
        daemon("vm-err-" + id, this::readErrors);
    }

    public Process process() {
        return process;
    }

    /** Completes when the guest's init runs. */
    public CompletableFuture<Void> booted() {
        return booted;
    }

    /** Completes when the guest's watchdog listens. */
    public CompletableFuture<Void> consoleReady() {
        return consoleReady;
    }

    /** Why the VMM exited: its status and its last words on stderr. */
    public String exitMessage() {
        String status = process.isAlive() ? "running" : "exited with status " + process.exitValue();
        synchronized (lastErrors) {
            return vmm + " " + status + (lastErrors.isEmpty() ? "" : ": " + String.join(" / ", lastErrors));
        }
    }

    /**
     * Connects to a Unix socket the VMM listens on once it has started (a QMP, migration or API
     * socket), waiting while the VMM lives and the socket is not there yet.
     */
    public SocketChannel awaitSocket(Path socket) throws IOException, InterruptedException {
        while (true) {
            if (!process.isAlive()) {
                throw new IOException(vmm + " exited before it listened on " + socket.getFileName() + ": " + exitMessage());
            }
            if (Files.exists(socket)) {
                SocketChannel attempt = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    attempt.connect(UnixDomainSocketAddress.of(socket));
                    return attempt;
                } catch (IOException e) {
                    attempt.close();
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** One GET of the guest watchdog's health path at {@code host:port}; true on a 200. */
    public static boolean healthy(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /_/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return status != null && status.matches("HTTP/1\\.[01] 200 .*");
        } catch (IOException e) {
            return false;
        }
    }

    private void readConsole() {
        read(process.getInputStream(), line -> {
            if (line.contains(BOOTED)) {
                booted.complete(null);
            } else if (line.contains(READY)) {
                consoleReady.complete(null);
            }
            LOG.debugf("instance %s console: %s", id, line);
        });
    }

    private void readErrors() {
        read(process.getErrorStream(), line -> {
            LOG.infof("instance %s %s: %s", id, vmm, line);
            synchronized (lastErrors) {
                lastErrors.addLast(line);
                if (lastErrors.size() > 3) {
                    lastErrors.removeFirst();
                }
            }
        });
        errorsRead.complete(null);
    }

    private void read(InputStream stream, java.util.function.Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line.replace("\r", ""));
            }
        } catch (IOException e) {
            LOG.debugf("instance %s output closed: %s", id, e.getMessage());
        }
    }

    /** Runs a task on a new daemon thread. */
    public static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
