package dev.skiff.store.registry;

import dev.skiff.store.oci.Digest;

/** What a HEAD of a manifest tells: digest, media type it was pushed with, and size. */
public record ManifestInfo(Digest digest, String mediaType, long size) {
}
