package dev.skiff.store.storage.disk;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.DigestAlgorithm;
import dev.skiff.store.oci.RegistryException;
import dev.skiff.store.storage.BlobContent;
import dev.skiff.store.storage.BlobInfo;
import dev.skiff.store.storage.BlobStore;
import dev.skiff.store.storage.StoredBlob;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Blobs as files {@code blobs/<alg>/<hex>} under the data directory; a blob's modification time
 * (set from the injected clock) is when it was last used.
 */
@ApplicationScoped
public class DiskBlobStore implements BlobStore {
    private final DiskLayout layout;
    private final Clock clock;

    public DiskBlobStore(DiskLayout layout, Clock clock) {
        this.layout = layout;
        this.clock = clock;
    }

    @Override
    public Optional<BlobInfo> stat(Digest digest) {
        try {
            return Optional.of(new BlobInfo(digest, Files.size(layout.blob(digest))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<BlobContent> open(Digest digest, long offset, long length) {
        FileChannel channel;
        try {
            channel = FileChannel.open(layout.blob(digest), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            long size = channel.size();
            channel.position(Math.min(offset, size));
            return Optional.of(new BlobContent(size, new SliceInputStream(channel, length)));
        } catch (IOException e) {
            DiskFiles.closeQuietly(channel);
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<Path> localFile(Digest digest) {
        Path file = layout.blob(digest);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public void put(Digest digest, byte[] content) {
        if (touch(digest)) {
            return;
        }
        try {
            DiskFiles.writeAtomically(layout.tmp(), layout.blob(digest), content, clock.instant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean touch(Digest digest) {
        try {
            Files.setLastModifiedTime(layout.blob(digest), FileTime.from(clock.instant()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<StoredBlob> list() {
        List<StoredBlob> blobs = new ArrayList<>();
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            Path dir = layout.blobs().resolve(algorithm.id());
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    stored(algorithm, file).ifPresent(blobs::add);
                }
            } catch (NoSuchFileException e) {
                // no blob of this algorithm yet
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return blobs;
    }

    @Override
    public boolean delete(Digest digest) {
        try {
            return Files.deleteIfExists(layout.blob(digest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blob in {@code file}; empty for a foreign file or one deleted meanwhile. */
    private static Optional<StoredBlob> stored(DigestAlgorithm algorithm, Path file) throws IOException {
        Digest digest;
        try {
            digest = new Digest(algorithm, file.getFileName().toString());
        } catch (RegistryException e) {
            return Optional.empty();
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new StoredBlob(digest, attributes.size(), attributes.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
