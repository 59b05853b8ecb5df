package dev.skiff.store.storage;

import dev.skiff.store.oci.Digest;

/** A manifest linked into a repository: its digest and the media type it was pushed with. */
public record ManifestLink(Digest digest, String mediaType) {
}
