package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.pushBlob;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesRegex;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RegistryMetricsTest {

    @Test
    void blobBytesAreCountedInBothDirections() {
        String repository = uniqueRepository("metrics");
        String digest = pushBlob(repository, "counted bytes");
        asPusher().get("/v2/" + repository + "/blobs/" + digest).then().statusCode(200);

        asPusher().when().get("/q/metrics")
                .then().statusCode(200)
                .body(matchesRegex("(?s).*skiff_store_blob_bytes_total\\{direction=\"in\"} [1-9].*"))
                .body(matchesRegex("(?s).*skiff_store_blob_bytes_total\\{direction=\"out\"} [1-9].*"))
                .body(containsString("skiff_store_uploads_total{outcome=\"completed\"}"));
    }

    @Test
    void requestsAreCountedByOperationAndStatus() {
        asPusher().get("/v2/" + uniqueRepository("metrics") + "/tags/list").then().statusCode(404);

        asPusher().when().get("/q/metrics")
                .then().body(containsString("skiff_store_requests_total{operation=\"tags\",status=\"404\"}"));
    }
}
