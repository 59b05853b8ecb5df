package dev.skiff.store.registry;

import dev.skiff.store.oci.Digest;

/** A manifest as the registry serves it: digest, media type it was pushed with, and its exact bytes. */
public record StoredManifest(Digest digest, String mediaType, byte[] content) {
}
