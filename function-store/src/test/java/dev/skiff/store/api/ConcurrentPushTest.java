package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.PUSH_TOKEN;
import static dev.skiff.store.api.Registry.sha256;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.store.StoreConfig;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Several clients pushing the same content at once: all succeed, and the store keeps one copy. */
@QuarkusTest
class ConcurrentPushTest {
    private static final int CLIENTS = 8;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TestHTTPResource("/")
    URL base;
    @Inject
    StoreConfig config;

    @Test
    void identicalMonolithicPushesAllSucceedWithOneBlobOnDisk() throws Exception {
        byte[] content = randomBytes(1 << 20);
        String digest = sha256(content);
        String shared = uniqueRepository("concurrent");
        List<String> repositories = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            repositories.add(i % 2 == 0 ? shared : uniqueRepository("concurrent"));
        }

        long sessionsBefore = openSessions();
        List<Integer> statuses = all(repositories, repository -> HttpRequest.newBuilder(
                URI.create(base + "v2/" + repository + "/blobs/uploads/?digest=" + digest))
                .header("Authorization", "Bearer " + PUSH_TOKEN).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build());

        assertEquals(List.of(201, 201, 201, 201, 201, 201, 201, 201), statuses);
        for (String repository : repositories) {
            assertArrayEquals(content, given().get("/v2/" + repository + "/blobs/" + digest).asByteArray());
        }
        assertOneBlobAndNoLeftovers(digest, sessionsBefore);
    }

    @Test
    void identicalChunkedPushesAllSucceed() throws Exception {
        byte[] content = randomBytes(256 * 1024);
        String digest = sha256(content);
        String repository = uniqueRepository("concurrent");
        long sessionsBefore = openSessions();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            sessions.add(given().header("Authorization", "Bearer " + PUSH_TOKEN)
                    .post("/v2/" + repository + "/blobs/uploads/").header("Location"));
        }

        List<Integer> statuses = all(sessions, session -> HttpRequest.newBuilder(
                URI.create(base + session.substring(1) + "?digest=" + digest))
                .header("Authorization", "Bearer " + PUSH_TOKEN).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());

        assertEquals(List.of(201, 201, 201, 201, 201, 201, 201, 201), statuses);
        assertArrayEquals(content, given().get("/v2/" + repository + "/blobs/" + digest).asByteArray());
        assertOneBlobAndNoLeftovers(digest, sessionsBefore);
    }

    private interface RequestFor {
        HttpRequest build(String target);
    }

    /** Sends one request per target, all released at the same moment; answers their statuses in order. */
    private static List<Integer> all(List<String> targets, RequestFor request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(targets.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (String target : targets) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return HTTP.send(request.build(target), HttpResponse.BodyHandlers.discarding()).statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Exactly one file holds the blob, no temporary file is left, and every session opened here is gone. */
    private void assertOneBlobAndNoLeftovers(String digest, long sessionsBefore) throws IOException {
        String hex = digest.substring("sha256:".length());
        try (Stream<Path> files = Files.list(config.dataDir().resolve("blobs/sha256"))) {
            assertEquals(1, files.filter(file -> file.getFileName().toString().equals(hex)).count());
        }
        try (Stream<Path> tmp = Files.list(config.dataDir().resolve("tmp"))) {
            assertTrue(tmp.findAny().isEmpty(), "temporary files left behind");
        }
        assertEquals(sessionsBefore, openSessions(), "upload sessions left behind");
    }

    private long openSessions() throws IOException {
        try (Stream<Path> sessions = Files.list(config.dataDir().resolve("uploads"))) {
            return sessions.count();
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
