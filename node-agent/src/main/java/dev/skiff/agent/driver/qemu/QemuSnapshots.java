package dev.skiff.agent.driver.qemu;

import dev.skiff.agent.driver.vm.SnapshotStore;
import dev.skiff.agent.driver.vm.Trees;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * QEMU's saved VMs: one migration stream per key ({@code <key>.state} in the {@link SnapshotStore}).
 * QEMU runs sandboxed (no spawning, no files opened after start), so the agent carries the state
 * over Unix sockets in the VM's control directory: it listens while QEMU migrates to it, and it
 * connects to QEMU's {@code -incoming} socket to stream a saved state back in.
 */
final class QemuSnapshots {
    static final String SUFFIX = ".state";
    private static final long POLL_MILLIS = 5;

    private QemuSnapshots() {
    }

    /**
     * Saves a running VM: QEMU migrates to a socket the agent listens on, the agent writes the stream
     * to a staged file, published once QEMU reports the migration completed; then the VM, paused by
     * the migration, runs on. Returns the size saved.
     */
    static long save(SnapshotStore store, String key, Qmp qmp, Path controlDir) throws IOException {
        Path socket = controlDir.resolve("save.sock");
        Path staged = store.stage(key);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            // QEMU may run as another user; only it and the agent can enter its control directory
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            server.configureBlocking(false);
            Files.createFile(staged, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            qmp.execute("migrate", Qmp.arguments().put("uri", "unix:" + socket));
            try (SocketChannel stream = accept(server, qmp); FileChannel out = FileChannel.open(staged, StandardOpenOption.WRITE)) {
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
            return store.publish(key, staged);
        } finally {
            Trees.delete(staged);
            Files.deleteIfExists(socket);
            resume(qmp);
        }
    }

    /** Streams a saved VM into a QEMU started with {@code -incoming unix:<controlDir>/in.sock}, connected as {@code in}. */
    static void restore(Path state, SocketChannel in) throws IOException {
        try (SocketChannel out = in; FileChannel file = FileChannel.open(state, StandardOpenOption.READ)) {
            long size = file.size();
            for (long sent = 0; sent < size; ) {
                sent += file.transferTo(sent, size - sent, out);
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
