package dev.skiff.store.storage;

import dev.skiff.store.oci.Digest;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest whose {@code subject} is another manifest, as the referrers API lists it: its
 * descriptor with the artifact type (the manifest's own, else its config's media type) and the
 * manifest's annotations.
 */
public record Referrer(Digest digest, String mediaType, long size, Optional<String> artifactType,
        Map<String, String> annotations) {
    public Referrer {
        annotations = Map.copyOf(annotations);
    }
}
