package dev.skiff.store.gc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.skiff.contracts.MediaTypes;
import dev.skiff.store.MutableClock;
import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.DigestAlgorithm;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Garbage collection with a one-hour grace period and a clock the test moves. */
@QuarkusTest
@TestProfile(GarbageCollectionTest.MovableTime.class)
class GarbageCollectionTest {
    private static final Duration LATER = Duration.ofHours(2);
    @Inject
    MutableClock clock;
    private String repository;

    /** The test's clock, and a grace period the test steps over. */
    public static class MovableTime implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MutableClock.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("skiff.store.gc.grace-period", "1h");
        }
    }

    @BeforeEach
    void freshRepository() {
        repository = "gc/r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static RequestSpecification asPusher() {
        return given().header("Authorization", "Bearer test-push-token");
    }

    private static String sha256(String content) {
        return Digest.of(DigestAlgorithm.SHA256, content.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private String pushBlob(String content) {
        asPusher().contentType("application/octet-stream").body(content.getBytes(StandardCharsets.UTF_8))
                .queryParam("digest", sha256(content)).post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(201);
        return sha256(content);
    }

    /** Pushes config and layer blobs and a manifest of them; returns the manifest's digest. */
    private String pushImage(String tag, String config, String layer) {
        pushBlob(config);
        pushBlob(layer);
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"%s","digest":"%s","size":%d},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}"""
                .formatted(MediaTypes.OCI_MANIFEST, MediaTypes.FUNCTION_CONFIG, sha256(config), config.length(),
                        sha256(layer), layer.length());
        return asPusher().contentType(MediaTypes.OCI_MANIFEST).body(manifest).put("/v2/" + repository + "/manifests/" + tag)
                .then().statusCode(201).extract().header("Docker-Content-Digest");
    }

    private String blob(String digest) {
        return "/v2/" + repository + "/blobs/" + digest;
    }

    @Test
    void unreferencedBlobOlderThanTheGracePeriodIsCollected() {
        String orphan = pushBlob("pushed, never referenced " + repository);
        clock.advance(LATER);

        asPusher().post("/admin/gc")
                .then().statusCode(200)
                .body("deleted.digest", hasItem(orphan))
                .body("deleted.find { it.digest == '" + orphan + "' }.size", equalTo(("pushed, never referenced " + repository).length()));

        given().head(blob(orphan)).then().statusCode(404);
        given().get(blob(orphan)).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UNKNOWN"));
    }

    @Test
    void blobsAManifestReferencesAreKept() {
        String manifest = pushImage("v1", "config " + repository, "layer " + repository);
        clock.advance(LATER);

        asPusher().post("/admin/gc").then().statusCode(200)
                .body("deleted.digest", not(hasItem(manifest)))
                .body("deleted.digest", not(hasItem(sha256("config " + repository))))
                .body("deleted.digest", not(hasItem(sha256("layer " + repository))));

        given().get(blob(sha256("layer " + repository))).then().statusCode(200);
        given().get("/v2/" + repository + "/manifests/v1").then().statusCode(200);
    }

    @Test
    void freshUnreferencedBlobIsKept() {
        clock.advance(LATER);
        String fresh = pushBlob("fresh " + repository);

        asPusher().post("/admin/gc").then().statusCode(200).body("deleted.digest", not(hasItem(fresh)));

        given().get(blob(fresh)).then().statusCode(200);
    }

    @Test
    void blobsOfADeletedManifestAreCollectedWithItsBytes() {
        String manifest = pushImage("v1", "old config " + repository, "old layer " + repository);
        asPusher().delete("/v2/" + repository + "/manifests/" + manifest).then().statusCode(202);
        clock.advance(LATER);

        asPusher().post("/admin/gc").then().statusCode(200)
                .body("deleted.digest", hasItems(manifest, sha256("old config " + repository), sha256("old layer " + repository)));
    }

    @Test
    void blobCheckedWithHeadWithinTheGracePeriodIsKeptForTheManifestThatFollows() {
        String layer = pushBlob("checked " + repository);
        clock.advance(LATER);
        given().head(blob(layer)).then().statusCode(200);

        asPusher().post("/admin/gc").then().statusCode(200).body("deleted.digest", not(hasItem(layer)));

        given().get(blob(layer)).then().statusCode(200);
    }

    @Test
    void secondCollectionFindsNothingMore() {
        pushBlob("once " + repository);
        clock.advance(LATER);
        asPusher().post("/admin/gc").then().statusCode(200);

        asPusher().post("/admin/gc").then().statusCode(200).body("deleted", empty());
    }

    @Test
    void collectedBlobCanBePushedAgain() {
        String orphan = pushBlob("again " + repository);
        clock.advance(LATER);
        asPusher().post("/admin/gc").then().statusCode(200).body("deleted.digest", hasItem(orphan));

        pushBlob("again " + repository);

        given().get(blob(orphan)).then().statusCode(200).body(equalTo("again " + repository));
    }

    @Test
    void deletionsAreCounted() {
        pushBlob("counted " + repository);
        clock.advance(LATER);
        asPusher().post("/admin/gc").then().statusCode(200);

        given().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.matchesRegex("(?s).*skiff_store_gc_deleted_blobs_total [1-9].*"));
    }
}
