package dev.skiff.store.interop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged function store ({@code target/quarkus-app/quarkus-run.jar}) running as its own
 * process on a free loopback port, with its own data directory and a push token; its output goes
 * to a log file. Stopped with SIGTERM, then killed if it lingers.
 */
final class StoreProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final int port;
    final Path log;
    private final Process process;

    private StoreProcess(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts the store and waits until it reports ready. */
    static StoreProcess start(Path work, String pushToken) throws IOException {
        Path jar = Path.of(System.getProperty("store.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            fail(jar + " is missing: package the module first (./mvnw -pl function-store verify does)");
        }
        int port = freePort();
        Path log = work.resolve("store.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port, "-Dskiff.store.data-dir=" + work.resolve("data"), "-jar", jar.toString()))
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SKIFF_STORE_AUTH_PUSH_TOKEN", pushToken);
        StoreProcess store = new StoreProcess(port, log, builder.start());
        store.awaitReady(Duration.ofSeconds(60));
        return store;
    }

    String registry() {
        return "127.0.0.1:" + port;
    }

    /** HEAD of a URL path on the store, anonymous; the response, with its headers. */
    HttpResponse<Void> head(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry() + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", OciImageLayout.MANIFEST_TYPE).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private void awaitReady(Duration limit) {
        await("the store ready on " + registry()).atMost(limit).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                fail("the store exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
