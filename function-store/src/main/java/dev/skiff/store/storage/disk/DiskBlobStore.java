package dev.skiff.store.storage.disk;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.storage.BlobContent;
import dev.skiff.store.storage.BlobInfo;
import dev.skiff.store.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** Blobs as files {@code blobs/<alg>/<hex>} under the data directory. */
@ApplicationScoped
public class DiskBlobStore implements BlobStore {
    private final DiskLayout layout;

    public DiskBlobStore(DiskLayout layout) {
        this.layout = layout;
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
    public Optional<BlobContent> open(Digest digest) {
        try {
            FileChannel channel = FileChannel.open(layout.blob(digest), StandardOpenOption.READ);
            return Optional.of(new BlobContent(channel.size(), Channels.newInputStream(channel)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void put(Digest digest, byte[] content) {
        Path target = layout.blob(digest);
        if (Files.exists(target)) {
            return;
        }
        try {
            DiskFiles.writeAtomically(layout.tmp(), target, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
