package dev.skiff.store.registry;

import dev.skiff.store.StoreMetrics;
import dev.skiff.store.gc.GcLock;
import dev.skiff.store.oci.ByteRange;
import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.RegistryException;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.storage.BlobContent;
import dev.skiff.store.storage.BlobInfo;
import dev.skiff.store.storage.BlobStore;
import dev.skiff.store.storage.RepositoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Blobs as a repository sees them: only those pushed into (or mounted into) it. */
@ApplicationScoped
public class BlobService {
    private final BlobStore blobs;
    private final RepositoryStore repositories;
    private final GcLock gcLock;
    private final StoreMetrics metrics;

    BlobService(BlobStore blobs, RepositoryStore repositories, GcLock gcLock, StoreMetrics metrics) {
        this.blobs = blobs;
        this.repositories = repositories;
        this.gcLock = gcLock;
        this.metrics = metrics;
    }

    /**
     * The blob's digest and size; BLOB_UNKNOWN unless the repository holds it. A client checks
     * a blob this way before skipping its upload, so the check counts as a use: garbage
     * collection then leaves the blob alone for its grace period, long enough for the manifest.
     */
    public BlobInfo check(RepositoryName repository, Digest digest) {
        return gcLock.shared(() -> {
            requireLinked(repository, digest);
            if (!blobs.touch(digest)) {
                throw unknown(digest);
            }
            return blobs.stat(digest).orElseThrow(() -> unknown(digest));
        });
    }

    /**
     * The bytes of the blob {@code rangeHeader} asks for (all of them when it asks for no single
     * range), counted as served: the local file when the store has one, else a stream;
     * BLOB_UNKNOWN unless the repository holds it, RANGE_INVALID when the range is beyond its end.
     */
    public BlobSlice read(RepositoryName repository, Digest digest, String rangeHeader) {
        requireLinked(repository, digest);
        BlobInfo blob = blobs.stat(digest).orElseThrow(() -> unknown(digest));
        Optional<ByteRange> range = ByteRange.resolve(rangeHeader, blob.size());
        Optional<Path> file = blobs.localFile(digest);
        if (file.isPresent()) {
            BlobSlice slice = new BlobSlice(blob.size(), range, new BlobSlice.LocalFile(file.get()));
            metrics.served(slice.length());
            return slice;
        }
        long offset = range.map(ByteRange::start).orElse(0L);
        BlobContent content = blobs.open(digest, offset, range.map(ByteRange::length).orElse(blob.size()))
                .orElseThrow(() -> unknown(digest));
        return new BlobSlice(content.size(), range, new BlobSlice.Streamed(metrics.countingOut(content.stream())));
    }

    /** Removes the blob from the repository (its content stays for other repositories). */
    public void delete(RepositoryName repository, Digest digest) {
        if (!repositories.unlinkBlob(repository, digest)) {
            throw unknown(digest);
        }
    }

    /** Links a blob that repository {@code from} holds into {@code repository}; empty when {@code from} lacks it. */
    public Optional<BlobInfo> mount(RepositoryName repository, Digest digest, RepositoryName from) {
        return gcLock.shared(() -> {
            if (!repositories.hasBlob(from, digest) || !blobs.touch(digest)) {
                return Optional.empty();
            }
            Optional<BlobInfo> blob = blobs.stat(digest);
            blob.ifPresent(info -> repositories.linkBlob(repository, digest));
            return blob;
        });
    }

    /** Links a blob an upload just stored into the repository, and marks it used. */
    void linkUploaded(RepositoryName repository, Digest digest) {
        gcLock.shared(() -> {
            if (!blobs.touch(digest)) {
                throw new RegistryException(OciErrorCode.BLOB_UPLOAD_INVALID,
                        "the blob was garbage-collected before it could be linked; push it again",
                        Map.of("digest", digest.toString()));
            }
            repositories.linkBlob(repository, digest);
            return null;
        });
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
