package dev.skiff.store.storage;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.oci.UploadId;
import java.time.Instant;
import java.util.Optional;

/**
 * Upload sessions: bytes for one repository arriving in one or more requests, which become a
 * blob of the {@link BlobStore} only when the client completes them with a matching digest.
 * Operations on a session that does not exist, or belongs to another repository, fail with
 * BLOB_UPLOAD_UNKNOWN.
 */
public interface UploadStore {

    /** Opens an empty session. */
    UploadStatus start(RepositoryName repository);

    /** The session, if it exists for this repository. */
    Optional<UploadStatus> find(RepositoryName repository, UploadId id);

    /**
     * Appends a chunk. A chunk whose range does not start at the current size is refused with
     * 416; one whose length differs from the declared one leaves the session as it was.
     */
    UploadStatus append(RepositoryName repository, UploadId id, Chunk chunk);

    /**
     * Appends the last chunk (possibly empty), verifies the whole content against
     * {@code expected} and moves it, atomically, into the blob store. On a digest mismatch the
     * session is discarded and nothing becomes visible (DIGEST_INVALID).
     */
    BlobInfo complete(RepositoryName repository, UploadId id, Digest expected, Chunk chunk);

    /** Discards the session; false if there was none. */
    boolean cancel(RepositoryName repository, UploadId id);

    /** How many sessions are open. */
    int openSessions();

    /** Discards every session (and stray temporary file) untouched since {@code cutoff}; returns how many. */
    int expire(Instant cutoff);
}
