package dev.skiff.store.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the registry needs to know of a pushed manifest: its media type, the blobs it references
 * (config and layers of an image manifest), the manifests it references (an index's entries),
 * its {@code subject} if any, and what the referrers API lists for it: the artifact type (the
 * manifest's own; for an image manifest without one, its config's media type) and annotations.
 */
public record ParsedManifest(String mediaType, List<ContentDescriptor> blobs, List<ContentDescriptor> manifests,
        Optional<ContentDescriptor> subject, Optional<String> artifactType, Map<String, String> annotations) {
    public ParsedManifest {
        blobs = List.copyOf(blobs);
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }
}
