package dev.skiff.store.oci;

import java.util.List;
import java.util.Optional;

/**
 * What the registry needs to know of a pushed manifest: its media type, the blobs it references
 * (config and layers of an image manifest), the manifests it references (an index's entries)
 * and its {@code subject}, if any.
 */
public record ParsedManifest(String mediaType, List<ContentDescriptor> blobs, List<ContentDescriptor> manifests,
        Optional<ContentDescriptor> subject) {
    public ParsedManifest {
        blobs = List.copyOf(blobs);
        manifests = List.copyOf(manifests);
    }
}
