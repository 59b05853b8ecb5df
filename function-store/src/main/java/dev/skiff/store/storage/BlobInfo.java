package dev.skiff.store.storage;

import dev.skiff.store.oci.Digest;

/** A stored blob: its digest and size in bytes. */
public record BlobInfo(Digest digest, long size) {
}
