package dev.skiff.store.registry;

import dev.skiff.store.StoreMetrics;
import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.RegistryException;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.storage.BlobContent;
import dev.skiff.store.storage.BlobInfo;
import dev.skiff.store.storage.BlobStore;
import dev.skiff.store.storage.RepositoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/** Blobs as a repository sees them: only those pushed into (or mounted into) it. */
@ApplicationScoped
public class BlobService {
    private final BlobStore blobs;
    private final RepositoryStore repositories;
    private final StoreMetrics metrics;

    BlobService(BlobStore blobs, RepositoryStore repositories, StoreMetrics metrics) {
        this.blobs = blobs;
        this.repositories = repositories;
        this.metrics = metrics;
    }

    /** The blob's digest and size; BLOB_UNKNOWN unless the repository holds it. */
    public BlobInfo stat(RepositoryName repository, Digest digest) {
        requireLinked(repository, digest);
        return blobs.stat(digest).orElseThrow(() -> unknown(digest));
    }

    /** The blob's bytes, streamed and counted as served; BLOB_UNKNOWN unless the repository holds it. */
    public BlobContent open(RepositoryName repository, Digest digest) {
        requireLinked(repository, digest);
        BlobContent content = blobs.open(digest).orElseThrow(() -> unknown(digest));
        return new BlobContent(content.size(), metrics.countingOut(content.stream()));
    }

    /** Removes the blob from the repository (its content stays for other repositories). */
    public void delete(RepositoryName repository, Digest digest) {
        if (!repositories.unlinkBlob(repository, digest)) {
            throw unknown(digest);
        }
    }

    /** Links a blob that repository {@code from} holds into {@code repository}; empty when {@code from} lacks it. */
    public Optional<BlobInfo> mount(RepositoryName repository, Digest digest, RepositoryName from) {
        if (!repositories.hasBlob(from, digest)) {
            return Optional.empty();
        }
        Optional<BlobInfo> blob = blobs.stat(digest);
        blob.ifPresent(info -> repositories.linkBlob(repository, digest));
        return blob;
    }

    private void requireLinked(RepositoryName repository, Digest digest) {
        if (!repositories.hasBlob(repository, digest)) {
            throw unknown(digest);
        }
    }

    private static RegistryException unknown(Digest digest) {
        return new RegistryException(OciErrorCode.BLOB_UNKNOWN, "blob unknown to registry",
                Map.of("digest", digest.toString()));
    }
}
