package dev.skiff.store.api;

import dev.skiff.contracts.MediaTypes;
import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.DigestAlgorithm;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/** Test helpers speaking the registry API the way a client does. */
final class Registry {
    /** The push token of the test profile ({@code %test.skiff.store.auth.push-token}). */
    static final String PUSH_TOKEN = "test-push-token";

    private Registry() {
    }

    /** A request with the push token, sent the way Skiff's own services send it. */
    static RequestSpecification asPusher() {
        return RestAssured.given().header("Authorization", "Bearer " + PUSH_TOKEN);
    }

    /** A repository name no other test uses. */
    static String uniqueRepository(String prefix) {
        return prefix + "/r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static String sha256(byte[] content) {
        return Digest.of(DigestAlgorithm.SHA256, content).toString();
    }

    static String sha256(String content) {
        return sha256(bytes(content));
    }

    static byte[] bytes(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }

    /** Pushes a blob monolithically and returns its digest. */
    static String pushBlob(String repository, String content) {
        String digest = sha256(content);
        asPusher().contentType("application/octet-stream").body(bytes(content))
                .queryParam("digest", digest)
                .when().post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(201);
        return digest;
    }

    /** An OCI image manifest with the given config and layer blobs (as pushed by {@link #pushBlob}). */
    static String imageManifest(String config, String... layers) {
        String layerJson = Arrays.stream(layers).map(layer -> descriptor("application/vnd.oci.image.layer.v1.tar", layer))
                .collect(Collectors.joining(","));
        return """
                {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[%s]}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor(MediaTypes.FUNCTION_CONFIG, config), layerJson);
    }

    /** A descriptor of {@code content} (a blob's text). */
    static String descriptor(String mediaType, String content) {
        return """
                {"mediaType":"%s","digest":"%s","size":%d}""".formatted(mediaType, sha256(content), bytes(content).length);
    }

    /** Pushes config and layers, then an image manifest referencing them, under {@code reference}; returns its digest. */
    static String pushImage(String repository, String reference, String config, String... layers) {
        pushBlob(repository, config);
        for (String layer : layers) {
            pushBlob(repository, layer);
        }
        return pushManifest(repository, reference, imageManifest(config, layers));
    }

    /** Pushes an OCI image manifest and returns the digest the registry answered with. */
    static String pushManifest(String repository, String reference, String manifest) {
        return asPusher().contentType(MediaTypes.OCI_MANIFEST).body(bytes(manifest))
                .when().put("/v2/" + repository + "/manifests/" + reference)
                .then().statusCode(201)
                .extract().header("Docker-Content-Digest");
    }
}
