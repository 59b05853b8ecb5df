package dev.skiff.agent.api;

import com.sun.net.httpserver.HttpServer;
import dev.skiff.contracts.Descriptor;
import dev.skiff.contracts.FunctionSpec;
import dev.skiff.contracts.ImageManifest;
import dev.skiff.contracts.MediaTypes;
import dev.skiff.oci.Digests;
import dev.skiff.oci.RegistryClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A registry holding one exec function version, {@value #FUNCTION}, for agent tests that run
 * calls: it serves the version's manifest and blobs as the function store would. The function
 * appends its request body to {@code runs/<body>} (one line per run), waits until the file
 * {@code gates/<body>} exists, then answers {@code ran <body>}.
 */
public class FakeRegistry implements QuarkusTestResourceLifecycleManager {
    static final String FUNCTION = "counted";
    static final Path DIR = tempDir();
    static final Path RUNS = DIR.resolve("runs");
    static final Path GATES = DIR.resolve("gates");
    private static final Map<String, byte[]> BLOBS = new HashMap<>();
    private static final byte[] MANIFEST;
    static final String DIGEST;

    static {
        byte[] script = """
                #!/bin/sh
                body=$(cat)
                echo "$body" >> "$RUNS/$body"
                while [ ! -e "$GATES/$body" ]; do sleep 0.05; done
                printf 'ran %s' "$body"
                """.getBytes(StandardCharsets.UTF_8);
        FunctionSpec spec = new FunctionSpec(FUNCTION, FunctionSpec.RUNTIME_EXEC, "counted.sh",
                Map.of("RUNS", RUNS.toString(), "GATES", GATES.toString()), Map.of(), Map.of(),
                128L * 1024 * 1024, 250, 4, 0, 2, 300, 30);
        byte[] config = RegistryClient.writeJson(spec);
        Descriptor configDescriptor = new Descriptor(MediaTypes.FUNCTION_CONFIG, blob(config), config.length, null);
        Descriptor layer = new Descriptor(MediaTypes.CODE_FILE, blob(script), script.length,
                Map.of(MediaTypes.ANNOTATION_TITLE, "counted.sh"));
        MANIFEST = RegistryClient.writeJson(new ImageManifest(2, MediaTypes.OCI_MANIFEST, null, configDescriptor, List.of(layer), null));
        DIGEST = Digests.sha256(MANIFEST);
    }

    private HttpServer server;

    private static String blob(byte[] content) {
        String digest = Digests.sha256(content);
        BLOBS.put(digest, content);
        return digest;
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("skiff-agent-calls-");
            Files.createDirectories(dir.resolve("runs"));
            Files.createDirectories(dir.resolve("gates"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prefix = "/v2/functions/" + FUNCTION + "/";
        server.createContext("/v2/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = null;
            String type = "application/octet-stream";
            if (path.equals(prefix + "manifests/" + DIGEST)) {
                body = MANIFEST;
                type = MediaTypes.OCI_MANIFEST;
            } else if (path.startsWith(prefix + "blobs/")) {
                body = BLOBS.get(path.substring((prefix + "blobs/").length()));
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.getResponseHeaders().add("Content-Type", type);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return Map.of("skiff.node-agent.store-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
