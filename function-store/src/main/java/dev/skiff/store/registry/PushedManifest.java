package dev.skiff.store.registry;

import dev.skiff.store.oci.Digest;
import java.util.Optional;

/** A manifest just stored: its digest, and the digest of its subject if it has one. */
public record PushedManifest(Digest digest, Optional<Digest> subject) {
}
