package dev.skiff.store.storage;

import dev.skiff.store.oci.Digest;
import java.util.Optional;

/**
 * Content-addressed blob storage shared by all repositories. A blob is visible only once its
 * bytes are complete and verified, and never changes afterwards.
 */
public interface BlobStore {

    /** The blob's size, if it is stored. */
    Optional<BlobInfo> stat(Digest digest);

    /** Opens the blob for streaming, if it is stored; the caller closes the stream. */
    Optional<BlobContent> open(Digest digest);

    /** Stores small content held in memory (a manifest) under its already verified digest. */
    void put(Digest digest, byte[] content);
}
