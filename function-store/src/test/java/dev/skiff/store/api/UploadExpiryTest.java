package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(UploadExpiryTest.ImmediateExpiry.class)
class UploadExpiryTest {

    /** Sessions expire as soon as they are untouched, and the sweep runs every second. */
    public static class ImmediateExpiry implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("skiff.store.upload-expiry", "0s", "skiff.store.upload-sweep-interval", "1s");
        }
    }

    @Test
    void abandonedUploadSessionIsSweptAfterItsExpiry() {
        String location = asPusher().post("/v2/" + uniqueRepository("expiry") + "/blobs/uploads/")
                .then().statusCode(202).extract().header("Location");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asPusher().get(location)
                .then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN")));
    }
}
