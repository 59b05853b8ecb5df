package dev.skiff.contracts;

import java.util.Map;

/** An OCI content descriptor. */
public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {
    public Descriptor {
        annotations = annotations == null ? null : Map.copyOf(annotations);
    }
}
