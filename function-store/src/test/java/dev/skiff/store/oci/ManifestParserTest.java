package dev.skiff.store.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.contracts.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
    private static final String CONFIG = "sha256:" + "a".repeat(64);
    private static final String LAYER = "sha256:" + "b".repeat(64);
    private static final String IMAGE = """
            {"schemaVersion":2,"mediaType":"%s",
             "config":{"mediaType":"%s","digest":"%s","size":10},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":20}]}"""
            .formatted(MediaTypes.OCI_MANIFEST, MediaTypes.FUNCTION_CONFIG, CONFIG, LAYER);

    @Test
    void imageManifestReferencesItsConfigAndLayers() {
        ParsedManifest manifest = parse(IMAGE, MediaTypes.OCI_MANIFEST + "; charset=utf-8");

        assertEquals(MediaTypes.OCI_MANIFEST, manifest.mediaType());
        assertEquals(List.of(CONFIG, LAYER), manifest.blobs().stream().map(d -> d.digest().toString()).toList());
        assertEquals(List.of(10L, 20L), manifest.blobs().stream().map(ContentDescriptor::size).toList());
        assertTrue(manifest.subject().isEmpty());
    }

    @Test
    void mediaTypeFieldIsUsedWhenThereIsNoContentType() {
        assertEquals(MediaTypes.OCI_MANIFEST, parse(IMAGE, null).mediaType());
    }

    @Test
    void dockerManifestWithoutMediaTypeFieldTakesItFromContentType() {
        String docker = IMAGE.replace("\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",", "");
        assertEquals(MediaTypes.DOCKER_MANIFEST, parse(docker, MediaTypes.DOCKER_MANIFEST).mediaType());
    }

    @Test
    void indexReferencesManifestsNotBlobs() {
        String index = """
                {"schemaVersion":2,"mediaType":"%s","manifests":[{"mediaType":"%s","digest":"%s","size":5}]}"""
                .formatted(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, CONFIG);

        ParsedManifest manifest = parse(index, MediaTypes.OCI_INDEX);

        assertEquals(List.of(), manifest.blobs());
        assertEquals(CONFIG, manifest.manifests().get(0).digest().toString());
    }

    @Test
    void subjectIsRead() {
        String referrer = IMAGE.replace("\"layers\"", """
                "subject":{"mediaType":"%s","digest":"%s","size":3},"layers\"""".formatted(MediaTypes.OCI_MANIFEST, LAYER));
        assertEquals(LAYER, parse(referrer, MediaTypes.OCI_MANIFEST).subject().orElseThrow().digest().toString());
    }

    @Test
    void artifactTypeIsTheManifestsOwnElseItsConfigMediaType() {
        String artifact = IMAGE.replace("\"layers\"", "\"artifactType\":\"application/vnd.example.sbom\",\"layers\"");

        assertEquals("application/vnd.example.sbom", parse(artifact, null).artifactType().orElseThrow());
        assertEquals(MediaTypes.FUNCTION_CONFIG, parse(IMAGE, null).artifactType().orElseThrow());
        assertEquals(MediaTypes.FUNCTION_CONFIG,
                parse(IMAGE.replace("\"layers\"", "\"artifactType\":\"\",\"layers\""), null).artifactType().orElseThrow());
    }

    @Test
    void indexWithoutArtifactTypeHasNone() {
        String index = """
                {"schemaVersion":2,"mediaType":"%s","manifests":[]}""".formatted(MediaTypes.OCI_INDEX);
        assertTrue(parse(index, null).artifactType().isEmpty());
    }

    @Test
    void annotationsAreRead() {
        String annotated = IMAGE.replace("\"layers\"", "\"annotations\":{\"a\":\"1\",\"b\":\"2\"},\"layers\"");
        assertEquals(java.util.Map.of("a", "1", "b", "2"), parse(annotated, null).annotations());
        assertEquals(java.util.Map.of(), parse(IMAGE, null).annotations());
    }

    @Test
    void malformedManifestsAreManifestInvalid() {
        List<String> malformed = List.of(
                "", "null", "\"text\"", "{", IMAGE + "{}",
                IMAGE.replace("\"schemaVersion\":2", "\"schemaVersion\":1"),
                IMAGE.replace("\"schemaVersion\":2", "\"schemaVersion\":\"2\""),
                IMAGE.replace("\"size\":10", "\"size\":-1"),
                IMAGE.replace("\"size\":10", "\"size\":1.5"),
                IMAGE.replace(CONFIG, "sha256:nothex"),
                IMAGE.replace("\"layers\":[", "\"layers\":{\"x\":[").replace("]}", "]}}"),
                IMAGE.replace("\"config\"", "\"configuration\""),
                IMAGE.replace("\"layers\"", "\"artifactType\":7,\"layers\""),
                IMAGE.replace("\"layers\"", "\"annotations\":{\"a\":1},\"layers\""),
                IMAGE.replace("\"layers\"", "\"annotations\":[\"a\"],\"layers\""),
                IMAGE.replace("{\"schemaVersion\":2,", "{\"schemaVersion\":2,\"schemaVersion\":2,"));
        for (String body : malformed) {
            RegistryException e = assertThrows(RegistryException.class, () -> parse(body, MediaTypes.OCI_MANIFEST), body);
            assertEquals(OciErrorCode.MANIFEST_INVALID, e.code(), body);
        }
    }

    @Test
    void contentTypeAndMediaTypeFieldMustAgree() {
        RegistryException e = assertThrows(RegistryException.class, () -> parse(IMAGE, MediaTypes.DOCKER_MANIFEST));
        assertEquals(OciErrorCode.MANIFEST_INVALID, e.code());
    }

    @Test
    void unsupportedMediaTypeIsManifestInvalid() {
        String unknown = IMAGE.replace(MediaTypes.OCI_MANIFEST, "application/vnd.oci.artifact.manifest.v1+json");
        assertThrows(RegistryException.class, () -> parse(unknown, null));
        assertThrows(RegistryException.class, () -> parse(unknown, "application/json"));
    }

    private static ParsedManifest parse(String body, String contentType) {
        return ManifestParser.parse(body.getBytes(StandardCharsets.UTF_8), contentType);
    }
}
