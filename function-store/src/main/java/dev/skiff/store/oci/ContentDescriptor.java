package dev.skiff.store.oci;

/** A descriptor inside a manifest: what it points at, by digest and size. */
public record ContentDescriptor(String mediaType, Digest digest, long size) {
}
