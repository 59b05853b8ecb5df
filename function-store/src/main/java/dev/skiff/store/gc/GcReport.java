package dev.skiff.store.gc;

import java.util.List;

/**
 * What one garbage collection did: the blobs it deleted, the bytes they held, and how many
 * blobs it kept because a manifest references them or because they were used within the grace
 * period.
 */
public record GcReport(List<DeletedBlob> deleted, long deletedBytes, int referenced, int inGracePeriod,
        long durationMillis) {
    public GcReport {
        deleted = List.copyOf(deleted);
    }

    /** A blob the collection deleted. */
    public record DeletedBlob(String digest, long size) {
    }
}
