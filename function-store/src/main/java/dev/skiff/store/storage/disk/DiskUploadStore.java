package dev.skiff.store.storage.disk;

import dev.skiff.store.oci.ContentRange;
import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.RegistryException;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.oci.UploadId;
import dev.skiff.store.storage.BlobInfo;
import dev.skiff.store.storage.Chunk;
import dev.skiff.store.storage.UploadStatus;
import dev.skiff.store.storage.UploadStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Upload sessions as directories {@code uploads/<uuid>} holding the repository name and the data
 * received so far, on the same file system as the blobs so that completing is a rename. One lock
 * per session serialises its requests; its data file's modification time (from the injected
 * clock) is when it was last touched.
 */
@ApplicationScoped
public class DiskUploadStore implements UploadStore {
    private static final String REPOSITORY = "repository";
    private static final String DATA = "data";
    private final DiskLayout layout;
    private final Clock clock;
    private final Map<UploadId, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final AtomicInteger open;

    public DiskUploadStore(DiskLayout layout, Clock clock) {
        this.layout = layout;
        this.clock = clock;
        this.open = new AtomicInteger(countSessions(layout.uploads()));
    }

    @Override
    public UploadStatus start(RepositoryName repository) {
        UploadId id = UploadId.random();
        Path dir = layout.upload(id);
        ReentrantLock lock = locks.computeIfAbsent(id, key -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(dir);
            open.incrementAndGet();
            Files.writeString(dir.resolve(REPOSITORY), repository.value());
            Files.createFile(dir.resolve(DATA));
            touch(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
        return new UploadStatus(id, repository, 0);
    }

    @Override
    public Optional<UploadStatus> find(RepositoryName repository, UploadId id) {
        Path dir = layout.upload(id);
        try {
            if (!belongsTo(dir, repository)) {
                return Optional.empty();
            }
            return Optional.of(new UploadStatus(id, repository, Files.size(dir.resolve(DATA))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public UploadStatus append(RepositoryName repository, UploadId id, Chunk chunk) {
        return locked(repository, id, dir -> {
            try (FileChannel channel = FileChannel.open(dir.resolve(DATA), StandardOpenOption.WRITE)) {
                long size = receive(channel, chunk, null);
                touch(dir);
                return new UploadStatus(id, repository, size);
            }
        });
    }

    @Override
    public BlobInfo complete(RepositoryName repository, UploadId id, Digest expected, Chunk chunk) {
        return locked(repository, id, dir -> {
            Path data = dir.resolve(DATA);
            long size;
            Digest actual;
            try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MessageDigest hasher = expected.algorithm().newHasher();
                DiskFiles.hashPrefix(channel, channel.size(), hasher);
                size = receive(channel, chunk, hasher);
                channel.force(true);
                actual = Digest.of(expected.algorithm(), hasher);
            }
            if (!actual.equals(expected)) {
                discard(id, dir);
                throw new RegistryException(OciErrorCode.DIGEST_INVALID,
                        "provided digest did not match uploaded content",
                        Map.of("expected", expected.toString(), "actual", actual.toString()));
            }
            touch(dir);
            DiskFiles.publish(data, layout.blob(expected));
            discard(id, dir);
            return new BlobInfo(expected, size);
        });
    }

    @Override
    public boolean cancel(RepositoryName repository, UploadId id) {
        try {
            return locked(repository, id, dir -> {
                discard(id, dir);
                return true;
            });
        } catch (RegistryException e) {
            return false;
        }
    }

    @Override
    public int openSessions() {
        return open.get();
    }

    @Override
    public int expire(Instant cutoff) {
        int expired = 0;
        try (DirectoryStream<Path> sessions = Files.newDirectoryStream(layout.uploads())) {
            for (Path dir : sessions) {
                if (expireSession(dir, cutoff)) {
                    expired++;
                }
            }
            try (DirectoryStream<Path> stray = Files.newDirectoryStream(layout.tmp())) {
                for (Path file : stray) {
                    if (lastTouched(file).isBefore(cutoff)) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return expired;
    }

    /** Discards the session in {@code dir} if untouched since {@code cutoff} and not in use right now. */
    private boolean expireSession(Path dir, Instant cutoff) throws IOException {
        UploadId id;
        try {
            id = new UploadId(dir.getFileName().toString());
        } catch (RegistryException e) {
            return false;
        }
        ReentrantLock lock = locks.computeIfAbsent(id, key -> new ReentrantLock());
        if (!lock.tryLock()) {
            return false;
        }
        try {
            if (!Files.isDirectory(dir) || !lastTouched(dir).isBefore(cutoff)) {
                return false;
            }
            discard(id, dir);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Writes the chunk at the end of the data, or leaves the data as it was and fails. */
    private long receive(FileChannel channel, Chunk chunk, MessageDigest hasher) throws IOException {
        long before = channel.size();
        ContentRange range = chunk.range();
        if (range != null && range.start() != before) {
            throw new RegistryException(416, OciErrorCode.BLOB_UPLOAD_INVALID,
                    "chunk starts at " + range.start() + " but the upload holds " + before + " bytes",
                    Map.of("size", before), Map.of("Range", "0-" + Math.max(0, before - 1)));
        }
        channel.position(before);
        try {
            long received = DiskFiles.copy(chunk.body(), channel, hasher);
            chunk.checkReceived(received);
            return before + received;
        } catch (RuntimeException | IOException e) {
            channel.truncate(before);
            throw e;
        }
    }

    private interface SessionWork<T> {
        T run(Path dir) throws IOException;
    }

    /** Runs {@code work} on the session while holding its lock; unknown sessions fail. */
    private <T> T locked(RepositoryName repository, UploadId id, SessionWork<T> work) {
        Path dir = layout.upload(id);
        if (!Files.isDirectory(dir)) {
            throw unknown(id);
        }
        ReentrantLock lock = locks.computeIfAbsent(id, key -> new ReentrantLock());
        lock.lock();
        try {
            if (!belongsTo(dir, repository)) {
                if (!Files.isDirectory(dir)) {
                    locks.remove(id, lock);
                }
                throw unknown(id);
            }
            return work.run(dir);
        } catch (NoSuchFileException e) {
            throw unknown(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    private static boolean belongsTo(Path dir, RepositoryName repository) throws IOException {
        Path file = dir.resolve(REPOSITORY);
        return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(repository.value());
    }

    private void discard(UploadId id, Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            DiskFiles.deleteRecursively(dir);
            open.decrementAndGet();
        }
        locks.remove(id);
    }

    private static int countSessions(Path uploads) {
        try (DirectoryStream<Path> sessions = Files.newDirectoryStream(uploads)) {
            int count = 0;
            for (Path ignored : sessions) {
                count++;
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void touch(Path dir) throws IOException {
        Files.setLastModifiedTime(dir.resolve(DATA), FileTime.from(clock.instant()));
    }

    /** When a session (its data file, else its directory) or a temporary file was last written. */
    private static Instant lastTouched(Path path) throws IOException {
        Path data = path.resolve(DATA);
        try {
            return Files.getLastModifiedTime(Files.exists(data) ? data : path).toInstant();
        } catch (NoSuchFileException e) {
            return Instant.MAX;
        }
    }

    private static RegistryException unknown(UploadId id) {
        return new RegistryException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry",
                Map.of("uuid", id.value()));
    }
}
