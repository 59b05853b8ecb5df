package dev.skiff.store.registry;

import dev.skiff.store.storage.BlobInfo;
import dev.skiff.store.storage.UploadStatus;

/** What starting an upload led to: a blob already complete (monolithic or mounted), or an open session. */
public sealed interface UploadOutcome {

    /** The blob is stored and linked; nothing more to upload. */
    record Completed(BlobInfo blob) implements UploadOutcome {
    }

    /** A session is open for the client to send the bytes to. */
    record Started(UploadStatus session) implements UploadOutcome {
    }
}
