package dev.skiff.store.storage;

import dev.skiff.store.oci.Digest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Content-addressed blob storage shared by all repositories. A blob is visible only once its
 * bytes are complete and verified, and never changes afterwards. Each blob also carries when it
 * was last used (stored, linked, checked), which garbage collection's grace period reads.
 */
public interface BlobStore {

    /** The blob's size, if it is stored. */
    Optional<BlobInfo> stat(Digest digest);

    /**
     * Opens {@code length} bytes of the blob from {@code offset} (fewer if it ends first) for
     * streaming, if it is stored; {@link BlobContent#size()} is the whole blob's size. The caller
     * closes the stream.
     */
    Optional<BlobContent> open(Digest digest, long offset, long length);

    /** Opens the whole blob. */
    default Optional<BlobContent> open(Digest digest) {
        return open(digest, 0, Long.MAX_VALUE);
    }

    /**
     * Where the blob lies on the local file system, for stores that keep it there: the edge then
     * sends it without copying it through the JVM (sendfile). Empty for a blob not stored, and
     * for stores that keep blobs elsewhere.
     */
    default Optional<Path> localFile(Digest digest) {
        return Optional.empty();
    }

    /** Stores small content held in memory (a manifest) under its already verified digest, or marks it used if stored. */
    void put(Digest digest, byte[] content);

    /** Marks the blob used now; false if it is not stored. */
    boolean touch(Digest digest);

    /** Every stored blob. */
    List<StoredBlob> list();

    /** Removes the blob's content; false if it was not stored. */
    boolean delete(Digest digest);
}
