package dev.skiff.contracts;

import java.util.List;
import java.util.Map;

/** An OCI image manifest, as Skiff writes it for function versions and code artifacts. */
public record ImageManifest(
        int schemaVersion,
        String mediaType,
        String artifactType,
        Descriptor config,
        List<Descriptor> layers,
        Map<String, String> annotations) {
    public ImageManifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
        annotations = annotations == null ? null : Map.copyOf(annotations);
    }
}
