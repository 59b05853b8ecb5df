package dev.skiff.agent.driver.qemu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * A running QEMU process and what it says: the guest's serial console on stdout (where the guest's
 * init prints {@code SKIFF_BOOTED} and {@code SKIFF_READY}) and QEMU's own complaints on stderr,
 * the last of which explain an early exit.
 */
final class VmProcess {
    private static final Logger LOG = Logger.getLogger(VmProcess.class);
    static final String BOOTED = "SKIFF_BOOTED";
    static final String READY = "SKIFF_READY";

    private final String id;
    private final Process process;
    private final CompletableFuture<Void> booted = new CompletableFuture<>();
    private final CompletableFuture<Void> consoleReady = new CompletableFuture<>();
    private final Deque<String> lastErrors = new ArrayDeque<>();
    private final CompletableFuture<Void> errorsRead = new CompletableFuture<>();

    VmProcess(String id, Process process) {
        this.id = id;
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

    Process process() {
        return process;
    }

    /** Completes when the guest's init runs. */
    CompletableFuture<Void> booted() {
        return booted;
    }

    /** Completes when the guest's watchdog listens. */
    CompletableFuture<Void> consoleReady() {
        return consoleReady;
    }

    /** Why QEMU exited: its status and its last words on stderr. */
    String exitMessage() {
        String status = process.isAlive() ? "running" : "exited with status " + process.exitValue();
        synchronized (lastErrors) {
            return "QEMU " + status + (lastErrors.isEmpty() ? "" : ": " + String.join(" / ", lastErrors));
        }
    }

    /** One GET of the watchdog's health path through the host forward; true on a 200. */
    static boolean healthy(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /_/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
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
            LOG.infof("instance %s qemu: %s", id, line);
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

    static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
