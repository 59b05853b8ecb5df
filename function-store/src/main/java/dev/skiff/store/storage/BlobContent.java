package dev.skiff.store.storage;

import java.io.InputStream;

/** An open blob: its size and a stream of its bytes, which the reader must close. */
public record BlobContent(long size, InputStream stream) {
}
