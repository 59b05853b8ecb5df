package dev.skiff.store.storage.disk;

import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.RegistryException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;

/** File operations that keep the data directory consistent: durable writes and atomic renames. */
final class DiskFiles {
    private static final int BUFFER = 64 * 1024;

    private DiskFiles() {
    }

    /** Writes {@code content} to a temporary file in {@code tmp}, syncs it and renames it to {@code target}. */
    static void writeAtomically(Path tmp, Path target, byte[] content) throws IOException {
        writeAtomically(tmp, target, content, null);
    }

    /** As {@link #writeAtomically(Path, Path, byte[])}, the file modified at {@code modified} (when not null). */
    static void writeAtomically(Path tmp, Path target, byte[] content, Instant modified) throws IOException {
        Path temp = Files.createTempFile(tmp, "write-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (modified != null) {
                Files.setLastModifiedTime(temp, FileTime.from(modified));
            }
            publish(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Renames a complete, synced file to {@code target} in one step, replacing any file there. */
    static void publish(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.getParent());
    }

    /**
     * Copies a request body into {@code out} at its position, feeding {@code hasher} when given.
     * A failure reading the body (the client went away) is BLOB_UPLOAD_INVALID; a failure
     * writing stays an IOException.
     */
    static long copy(InputStream in, FileChannel out, MessageDigest hasher) throws IOException {
        byte[] bytes = new byte[BUFFER];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long total = 0;
        while (true) {
            int read;
            try {
                read = in.read(bytes);
            } catch (IOException e) {
                throw new RegistryException(OciErrorCode.BLOB_UPLOAD_INVALID, "upload body could not be read: "
                        + e.getMessage(), null);
            }
            if (read < 0) {
                return total;
            }
            if (hasher != null) {
                hasher.update(bytes, 0, read);
            }
            buffer.clear().limit(read);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            total += read;
        }
    }

    /** Feeds the first {@code length} bytes of {@code channel} to {@code hasher}. */
    static void hashPrefix(FileChannel channel, long length, MessageDigest hasher) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(BUFFER, length - position));
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new IOException("file shorter than expected");
            }
            hasher.update(buffer.flip());
            position += read;
        }
    }

    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // nothing more to do: it was being given up anyway
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Makes a rename durable; best effort where the file system cannot sync directories. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported here (e.g. some network file systems): the rename itself is still atomic
        }
    }
}
