package dev.skiff.store.storage;

import dev.skiff.store.oci.Digest;
import java.time.Instant;

/** A blob as garbage collection sees it: digest, size, and when it was last stored, linked or checked. */
public record StoredBlob(Digest digest, long size, Instant lastUsed) {
}
