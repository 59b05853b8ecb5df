package dev.skiff.oci;

/** A manifest as the registry stored it: its exact bytes, media type and digest. */
public record FetchedManifest(byte[] content, String mediaType, String digest) {
}
