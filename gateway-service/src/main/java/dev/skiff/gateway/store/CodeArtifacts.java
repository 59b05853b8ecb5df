package dev.skiff.gateway.store;

import dev.skiff.contracts.Descriptor;
import dev.skiff.contracts.ImageManifest;
import dev.skiff.contracts.MediaTypes;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.api.CodeUpload;
import dev.skiff.oci.RegistryClient;
import dev.skiff.oci.RegistryException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Packs uploaded code as an OCI artifact in the function store, the way ORAS pushes files: one
 * layer per file, named by its {@code org.opencontainers.image.title} annotation, with the empty
 * config. So {@code oras push <store>/code/hello:latest handler.sh} makes the same artefact.
 */
@ApplicationScoped
public class CodeArtifacts {
    /** The OCI empty config, {@code {}}. */
    static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

    private final RegistryClient store;

    CodeArtifacts(RegistryClient store) {
        this.store = store;
    }

    /** Repository holding the code artefacts of a function. */
    public static String repository(String function) {
        return "code/" + function;
    }

    /** Pushes one file as the latest code of a function. Blocking. */
    public CodeUpload push(String function, String fileName, byte[] content) {
        String repository = repository(function);
        try {
            String configDigest = store.pushBlob(repository, EMPTY_CONFIG);
            String layerDigest = store.pushBlob(repository, content);
            ImageManifest manifest = new ImageManifest(2, MediaTypes.OCI_MANIFEST, MediaTypes.CODE_ARTIFACT,
                    new Descriptor(MediaTypes.OCI_EMPTY, configDigest, EMPTY_CONFIG.length, null),
                    List.of(new Descriptor(MediaTypes.CODE_FILE, layerDigest, content.length,
                            Map.of(MediaTypes.ANNOTATION_TITLE, fileName))),
                    Map.of("org.opencontainers.image.created", Instant.now().toString()));
            String digest = store.putManifest(repository, "latest", manifest);
            return new CodeUpload(repository + ":latest", repository + "@" + digest, digest, content.length);
        } catch (RegistryException e) {
            throw GatewayException.unavailable("function store", e.getMessage());
        }
    }
}
