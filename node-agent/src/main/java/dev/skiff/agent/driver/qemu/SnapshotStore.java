package dev.skiff.agent.driver.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Saved VMs, one per function version and VM shape, in {@code data-dir/snapshots/<key>.state}
 * (mode 0600: a saved VM holds the function's env). The key is the version's digest and a
 * fingerprint of everything a restore must match (QEMU, accelerator, memory, vCPUs, kernel and
 * initrd), so a changed setting or image never restores a stale VM. One instance at a time saves a
 * key; a key whose save or restore failed is not tried again in this run.
 *
 * <p>QEMU runs sandboxed (no spawning, no files opened after start), so the agent carries the state
 * over Unix sockets in the VM's control directory: it listens while QEMU migrates to it, and it
 * connects to QEMU's {@code -incoming} socket to stream a saved state back in.
 */
final class SnapshotStore {
    private static final Logger LOG = Logger.getLogger(SnapshotStore.class);
    private static final long POLL_MILLIS = 5;

    private final Path dir;
    private final Set<String> saving = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    SnapshotStore(Path dir) {
        this.dir = dir;
    }

    /** The key of a version's VM: its digest and a fingerprint of its command line and boot files. */
    static String key(String digest, List<String> shape, List<Path> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join("\n", shape).getBytes(StandardCharsets.UTF_8));
            for (Path file : files) {
                sha.update((file + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis())
                        .getBytes(StandardCharsets.UTF_8));
            }
            return digest.replace(':', '-') + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint " + files + ": " + e.getMessage(), e);
        }
    }

    Path file(String key) {
        return dir.resolve(key + ".state");
    }

    /** The saved VM of a key, if there is a good one. */
    Optional<Path> restorable(String key) {
        Path file = file(key);
        return !failed.contains(key) && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Whether the caller should save this key's VM: none saved, none being saved, none failed. */
    boolean claim(String key) {
        return !failed.contains(key) && !Files.exists(file(key)) && saving.add(key);
    }

    /** Ends a claim, saved or not. */
    void release(String key) {
        saving.remove(key);
    }

    /** Forgets a key's saved VM for this run (it failed to save or to restore). */
    void invalidate(String key, String reason) {
        failed.add(key);
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            LOG.debugf("could not delete %s: %s", file(key), e.getMessage());
        }
        LOG.warnf("snapshot %s dropped: %s; its versions boot cold", key, reason);
    }

    /**
     * Saves a running VM: QEMU migrates to a socket the agent listens on, the agent writes the stream
     * to a temporary file, renamed into place once QEMU reports the migration completed; then the VM,
     * paused by the migration, runs on. Returns the size saved.
     */
    long save(String key, Qmp qmp, Path controlDir) throws IOException {
        Files.createDirectories(dir);
        Path socket = controlDir.resolve("save.sock");
        Path tmp = Files.createTempFile(dir, key + "-", ".tmp");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            // QEMU may run as another user; only it and the agent can enter its control directory
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            server.configureBlocking(false);
            qmp.execute("migrate", Qmp.arguments().put("uri", "unix:" + socket));
            try (SocketChannel stream = accept(server, qmp); FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                stream.configureBlocking(true);
                ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
                while (stream.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    buffer.clear();
                }
                out.force(false);
            }
            awaitMigration(qmp);
            long size = Files.size(tmp);
            Files.move(tmp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return size;
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(socket);
            resume(qmp);
        }
    }

    /** Streams a saved VM into a QEMU started with {@code -incoming unix:<controlDir>/in.sock}. */
    static void restore(Path state, Path controlDir, BooleanSupplier vmAlive) throws IOException, InterruptedException {
        Path socket = controlDir.resolve("in.sock");
        SocketChannel channel = null;
        while (channel == null) {
            if (!vmAlive.getAsBoolean()) {
                throw new IOException("QEMU exited before it took the saved VM");
            }
            if (Files.exists(socket)) {
                SocketChannel attempt = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    attempt.connect(UnixDomainSocketAddress.of(socket));
                    channel = attempt;
                } catch (IOException e) {
                    attempt.close();
                }
            }
            if (channel == null) {
                Thread.sleep(POLL_MILLIS);
            }
        }
        try (SocketChannel out = channel; FileChannel in = FileChannel.open(state, StandardOpenOption.READ)) {
            long size = in.size();
            for (long sent = 0; sent < size; ) {
                sent += in.transferTo(sent, size - sent, out);
            }
        }
    }

    private static SocketChannel accept(ServerSocketChannel server, Qmp qmp) throws IOException {
        while (true) {
            SocketChannel stream = server.accept();
            if (stream != null) {
                return stream;
            }
            String status = qmp.execute("query-migrate", null).path("status").asText("");
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new IOException("migration " + status + " before it connected");
            }
            sleep();
        }
    }

    private static void awaitMigration(Qmp qmp) throws IOException {
        while (true) {
            var info = qmp.execute("query-migrate", null);
            String status = info.path("status").asText("");
            if (status.equals("completed")) {
                return;
            }
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new IOException("migration " + status + ": " + info.path("error-desc").asText(""));
            }
            sleep();
        }
    }

    /** A completed migration leaves the VM paused; a failed one leaves it running. Either way it runs on. */
    private static void resume(Qmp qmp) throws IOException {
        if (!qmp.execute("query-status", null).path("running").asBoolean(false)) {
            qmp.execute("cont", null);
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while saving the VM", e);
        }
    }
}
