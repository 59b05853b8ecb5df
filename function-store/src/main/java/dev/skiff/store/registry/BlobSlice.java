package dev.skiff.store.registry;

import dev.skiff.store.oci.ByteRange;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bytes of a blob a pull asked for: the whole blob, or the one range it asked for; as a
 * local file to send as it lies (zero-copy) or as a stream the reader closes.
 */
public record BlobSlice(long blobSize, Optional<ByteRange> range, Body body) {

    /** Where the bytes come from. */
    public sealed interface Body permits LocalFile, Streamed {
    }

    /** The whole blob is this file; the slice is {@link #offset()} and {@link #length()} bytes of it. */
    public record LocalFile(Path path) implements Body {
    }

    /** A stream of exactly the slice's bytes. */
    public record Streamed(InputStream stream) implements Body {
    }

    /** Where the slice starts in the blob. */
    public long offset() {
        return range.map(ByteRange::start).orElse(0L);
    }

    /** How many bytes the slice holds. */
    public long length() {
        return range.map(ByteRange::length).orElse(blobSize);
    }
}
