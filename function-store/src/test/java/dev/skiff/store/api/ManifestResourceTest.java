package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.bytes;
import static dev.skiff.store.api.Registry.descriptor;
import static dev.skiff.store.api.Registry.imageManifest;
import static dev.skiff.store.api.Registry.pushBlob;
import static dev.skiff.store.api.Registry.pushImage;
import static dev.skiff.store.api.Registry.pushManifest;
import static dev.skiff.store.api.Registry.sha256;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.skiff.contracts.MediaTypes;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ManifestResourceTest {

    @Test
    void manifestPushedByTagIsServedByTagAndByDigestWithItsHeaders() {
        String repository = uniqueRepository("manifests");
        pushBlob(repository, "{\"runtime\":\"java\"}");
        pushBlob(repository, "code");
        String manifest = imageManifest("{\"runtime\":\"java\"}", "code");
        String digest = sha256(manifest);

        asPusher().contentType(MediaTypes.OCI_MANIFEST).body(bytes(manifest))
                .when().put("/v2/" + repository + "/manifests/v1")
                .then().statusCode(201)
                .header("Location", "/v2/" + repository + "/manifests/" + digest)
                .header("Docker-Content-Digest", digest);

        for (String reference : new String[] {"v1", digest}) {
            asPusher().when().get("/v2/" + repository + "/manifests/" + reference)
                    .then().statusCode(200)
                    .contentType(MediaTypes.OCI_MANIFEST)
                    .header("Docker-Content-Digest", digest)
                    .body(equalTo(manifest));
            asPusher().when().head("/v2/" + repository + "/manifests/" + reference)
                    .then().statusCode(200)
                    .contentType(MediaTypes.OCI_MANIFEST)
                    .header("Content-Length", String.valueOf(bytes(manifest).length))
                    .header("Docker-Content-Digest", digest);
        }
    }

    @Test
    void manifestPushedByDigestIsStoredUnderIt() {
        String repository = uniqueRepository("manifests");
        pushBlob(repository, "config");
        String manifest = imageManifest("config");
        String digest = sha256(manifest);

        asPusher().contentType(MediaTypes.OCI_MANIFEST).body(bytes(manifest))
                .when().put("/v2/" + repository + "/manifests/" + digest)
                .then().statusCode(201).header("Docker-Content-Digest", digest);

        asPusher().when().get("/v2/" + repository + "/manifests/" + digest).then().statusCode(200).body(equalTo(manifest));
    }

    @Test
    void manifestReferencingMissingBlobIsRejected() {
        String repository = uniqueRepository("manifests");
        pushBlob(repository, "config");

        asPusher().contentType(MediaTypes.OCI_MANIFEST).body(bytes(imageManifest("config", "layer never pushed")))
                .when().put("/v2/" + repository + "/manifests/v1")
                .then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_BLOB_UNKNOWN"))
                .body("errors[0].detail.digest", equalTo(sha256("layer never pushed")));

        asPusher().when().get("/v2/" + repository + "/manifests/v1").then().statusCode(404);
    }

    @Test
    void manifestWhoseDescriptorSizeDiffersFromTheBlobIsRejected() {
        String repository = uniqueRepository("manifests");
        pushBlob(repository, "config");
        String manifest = imageManifest("config").replace("\"size\":6", "\"size\":7");

        asPusher().contentType(MediaTypes.OCI_MANIFEST).body(bytes(manifest))
                .when().put("/v2/" + repository + "/manifests/v1")
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
    }

    @Test
    void invalidManifestsAreRejectedAsManifestInvalid() {
        String repository = uniqueRepository("manifests");
        String[] invalid = {
            "not json",
            "[]",
            "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{},\"layers\":[]}",
            "{\"schemaVersion\":1,\"config\":{},\"layers\":[]}",
            "{\"schemaVersion\":2,\"layers\":[]}",
            "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:12\",\"size\":1},\"layers\":[]}",
            "{\"schemaVersion\":2,\"schemaVersion\":2}",
        };
        for (String body : invalid) {
            asPusher().contentType(MediaTypes.OCI_MANIFEST).body(bytes(body))
                    .when().put("/v2/" + repository + "/manifests/v1")
                    .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
        }
    }

    @Test
    void contentTypeDisagreeingWithMediaTypeFieldIsRejected() {
        String repository = uniqueRepository("manifests");
        pushBlob(repository, "config");

        asPusher().contentType(MediaTypes.DOCKER_MANIFEST).body(bytes(imageManifest("config")))
                .when().put("/v2/" + repository + "/manifests/v1")
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
    }

    @Test
    void unsupportedManifestMediaTypeIsRejected() {
        String repository = uniqueRepository("manifests");
        asPusher().contentType("application/vnd.docker.distribution.manifest.v1+prettyjws")
                .body(bytes("{\"schemaVersion\":2}"))
                .when().put("/v2/" + repository + "/manifests/v1")
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
    }

    @Test
    void pushByDigestThatDoesNotMatchTheBodyIsDigestInvalid() {
        String repository = uniqueRepository("manifests");
        pushBlob(repository, "config");

        asPusher().contentType(MediaTypes.OCI_MANIFEST).body(bytes(imageManifest("config")))
                .when().put("/v2/" + repository + "/manifests/" + sha256("another manifest"))
                .then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
    }

    @Test
    void indexOfManifestsIsAcceptedWithItsMediaType() {
        String repository = uniqueRepository("manifests");
        String child = pushImage(repository, "amd64", "config", "layer");
        String index = """
                {"schemaVersion":2,"mediaType":"%s","manifests":[{"mediaType":"%s","digest":"%s","size":%d}]}"""
                .formatted(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, child, bytes(imageManifest("config", "layer")).length);

        asPusher().contentType(MediaTypes.OCI_INDEX).body(bytes(index))
                .when().put("/v2/" + repository + "/manifests/multi")
                .then().statusCode(201);

        asPusher().when().get("/v2/" + repository + "/manifests/multi")
                .then().statusCode(200).contentType(MediaTypes.OCI_INDEX).body(equalTo(index));
    }

    @Test
    void subjectOfAPushedManifestIsEchoedInTheOciSubjectHeader() {
        String repository = uniqueRepository("manifests");
        String subject = pushImage(repository, "v1", "config", "layer");
        pushBlob(repository, "{}");
        String referrer = """
                {"schemaVersion":2,"mediaType":"%s","artifactType":"application/vnd.example.sbom",
                 "config":%s,"layers":[],"subject":{"mediaType":"%s","digest":"%s","size":%d}}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor(MediaTypes.OCI_EMPTY, "{}"), MediaTypes.OCI_MANIFEST, subject,
                        bytes(imageManifest("config", "layer")).length);

        asPusher().contentType(MediaTypes.OCI_MANIFEST).body(bytes(referrer))
                .when().put("/v2/" + repository + "/manifests/" + sha256(referrer))
                .then().statusCode(201).header("OCI-Subject", subject);
    }

    @Test
    void deleteByTagRemovesOnlyTheTag() {
        String repository = uniqueRepository("manifests");
        String digest = pushImage(repository, "v1", "config", "layer");

        asPusher().when().delete("/v2/" + repository + "/manifests/v1").then().statusCode(202);

        asPusher().when().get("/v2/" + repository + "/manifests/v1")
                .then().statusCode(404).body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
        asPusher().when().get("/v2/" + repository + "/manifests/" + digest).then().statusCode(200);
    }

    @Test
    void deleteByDigestRemovesTheManifestAndEveryTagPointingAtIt() {
        String repository = uniqueRepository("manifests");
        String digest = pushImage(repository, "v1", "config", "layer");
        pushManifest(repository, "latest", imageManifest("config", "layer"));
        String other = pushImage(repository, "v2", "config", "another layer");

        asPusher().when().delete("/v2/" + repository + "/manifests/" + digest).then().statusCode(202);

        asPusher().when().get("/v2/" + repository + "/manifests/" + digest).then().statusCode(404);
        asPusher().when().get("/v2/" + repository + "/manifests/latest").then().statusCode(404);
        asPusher().when().get("/v2/" + repository + "/tags/list").then().statusCode(200).body("tags", equalTo(java.util.List.of("v2")));
        asPusher().when().get("/v2/" + repository + "/manifests/" + other).then().statusCode(200);
    }

    @Test
    void repositoryWhoseLastManifestIsDeletedDisappears() {
        String repository = uniqueRepository("manifests");
        String digest = pushImage(repository, "v1", "config", "layer");
        asPusher().when().get("/v2/_catalog").then().body("repositories", hasItem(repository));

        asPusher().when().delete("/v2/" + repository + "/manifests/" + digest).then().statusCode(202);

        asPusher().when().get("/v2/" + repository + "/tags/list")
                .then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
        asPusher().when().get("/v2/_catalog").then().body("repositories", not(hasItem(repository)));
    }

    @Test
    void unknownManifestIs404ManifestUnknown() {
        String repository = uniqueRepository("manifests");
        asPusher().when().get("/v2/" + repository + "/manifests/latest")
                .then().statusCode(404).body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
        asPusher().when().head("/v2/" + repository + "/manifests/" + sha256("nothing")).then().statusCode(404);
        asPusher().when().delete("/v2/" + repository + "/manifests/latest")
                .then().statusCode(404).body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
    }

    @Test
    void oversizedManifestIsRefusedWith413() {
        String repository = uniqueRepository("manifests");
        byte[] huge = new byte[4 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');

        asPusher().contentType(MediaTypes.OCI_MANIFEST).body(huge)
                .when().put("/v2/" + repository + "/manifests/v1")
                .then().statusCode(413).body("errors[0].code", equalTo("SIZE_INVALID"));
    }
}
