package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.bytes;
import static dev.skiff.store.api.Registry.descriptor;
import static dev.skiff.store.api.Registry.imageManifest;
import static dev.skiff.store.api.Registry.pushBlob;
import static dev.skiff.store.api.Registry.pushImage;
import static dev.skiff.store.api.Registry.sha256;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.skiff.contracts.MediaTypes;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReferrerResourceTest {
    private static final String SBOM = "application/vnd.example.sbom.v1";

    /** A subject image in a fresh repository, and its digest and manifest size. */
    private record Subject(String repository, String digest, int size) {
        static Subject push() {
            String repository = uniqueRepository("referrers");
            String digest = pushImage(repository, "v1", "config", "layer");
            return new Subject(repository, digest, bytes(imageManifest("config", "layer")).length);
        }

        String descriptor() {
            return """
                    {"mediaType":"%s","digest":"%s","size":%d}""".formatted(MediaTypes.OCI_MANIFEST, digest, size);
        }

        String referrers() {
            return "/v2/" + repository + "/referrers/" + digest;
        }
    }

    /** Pushes an artifact manifest (empty config) with the subject, by digest; returns its digest. */
    private static String pushArtifact(Subject subject, String artifactTypeJson, String annotationsJson) {
        pushBlob(subject.repository(), "{}");
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s",%s"config":%s,"layers":[],"subject":%s%s}"""
                .formatted(MediaTypes.OCI_MANIFEST, artifactTypeJson, descriptor(MediaTypes.OCI_EMPTY, "{}"),
                        subject.descriptor(), annotationsJson);
        return put(subject, manifest, MediaTypes.OCI_MANIFEST);
    }

    private static String put(Subject subject, String manifest, String mediaType) {
        asPusher().contentType(mediaType).body(bytes(manifest))
                .put("/v2/" + subject.repository() + "/manifests/" + sha256(manifest))
                .then().statusCode(201).header("OCI-Subject", subject.digest());
        return sha256(manifest);
    }

    @Test
    void referrersAreListedAsAnImageIndexOfTheirDescriptors() {
        Subject subject = Subject.push();
        String sbom = pushArtifact(subject, "\"artifactType\":\"" + SBOM + "\",", ",\"annotations\":{\"org.example.format\":\"json\"}");

        given().get(subject.referrers())
                .then().statusCode(200)
                .contentType(MediaTypes.OCI_INDEX)
                .header("OCI-Filters-Applied", nullValue())
                .body("schemaVersion", equalTo(2))
                .body("mediaType", equalTo(MediaTypes.OCI_INDEX))
                .body("manifests.digest", contains(sbom))
                .body("manifests[0].mediaType", equalTo(MediaTypes.OCI_MANIFEST))
                .body("manifests[0].size", equalTo(asPusher().get("/v2/" + subject.repository() + "/manifests/" + sbom)
                        .body().asByteArray().length))
                .body("manifests[0].artifactType", equalTo(SBOM))
                .body("manifests[0].annotations.'org.example.format'", equalTo("json"));
    }

    @Test
    void imageManifestWithoutArtifactTypeIsListedUnderItsConfigMediaType() {
        Subject subject = Subject.push();
        pushArtifact(subject, "", "");

        given().get(subject.referrers())
                .then().statusCode(200)
                .body("manifests[0].artifactType", equalTo(MediaTypes.OCI_EMPTY))
                .body("manifests[0]", not(hasKey("annotations")));
    }

    @Test
    void indexWithoutArtifactTypeIsListedWithoutOne() {
        Subject subject = Subject.push();
        String index = """
                {"schemaVersion":2,"mediaType":"%s","manifests":[],"subject":%s}"""
                .formatted(MediaTypes.OCI_INDEX, subject.descriptor());
        String digest = put(subject, index, MediaTypes.OCI_INDEX);

        given().get(subject.referrers())
                .then().statusCode(200)
                .body("manifests.digest", contains(digest))
                .body("manifests[0].mediaType", equalTo(MediaTypes.OCI_INDEX))
                .body("manifests[0]", not(hasKey("artifactType")));
    }

    @Test
    void artifactTypeFilterKeepsMatchingReferrersAndSaysItWasApplied() {
        Subject subject = Subject.push();
        String sbom = pushArtifact(subject, "\"artifactType\":\"" + SBOM + "\",", "");
        String signature = pushArtifact(subject, "\"artifactType\":\"application/vnd.example.signature\",", "");

        given().queryParam("artifactType", SBOM).get(subject.referrers())
                .then().statusCode(200)
                .header("OCI-Filters-Applied", "artifactType")
                .body("manifests.digest", contains(sbom));
        given().get(subject.referrers()).then().body("manifests.digest", containsInAnyOrder(sbom, signature));
    }

    @Test
    void subjectWithoutReferrersHasAnEmptyList() {
        Subject subject = Subject.push();

        given().get(subject.referrers()).then().statusCode(200).body("manifests", empty());
        given().get("/v2/" + subject.repository() + "/referrers/" + sha256("no such manifest"))
                .then().statusCode(200).body("manifests", empty());
    }

    @Test
    void deletedReferrerIsNoLongerListed() {
        Subject subject = Subject.push();
        String sbom = pushArtifact(subject, "\"artifactType\":\"" + SBOM + "\",", "");

        asPusher().delete("/v2/" + subject.repository() + "/manifests/" + sbom).then().statusCode(202);

        given().get(subject.referrers()).then().statusCode(200).body("manifests", empty());
    }

    @Test
    void referrersAreListedPerRepository() {
        Subject subject = Subject.push();
        pushArtifact(subject, "", "");

        given().get("/v2/" + uniqueRepository("referrers") + "/referrers/" + subject.digest())
                .then().statusCode(200).body("manifests", empty());
    }

    @Test
    void referrersOfAMalformedDigestAreDigestInvalid() {
        given().get("/v2/" + uniqueRepository("referrers") + "/referrers/sha256:nothex")
                .then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
    }
}
