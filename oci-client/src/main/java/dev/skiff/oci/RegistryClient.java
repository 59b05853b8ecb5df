package dev.skiff.oci;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.contracts.ImageManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A blocking client of one OCI Distribution API registry. Every call carries a timeout; callers
 * run it on worker threads. Content read back is verified against its digest.
 */
public final class RegistryClient {
    private static final String ACCEPT_MANIFESTS = String.join(", ", dev.skiff.contracts.MediaTypes.OCI_MANIFEST,
            dev.skiff.contracts.MediaTypes.OCI_INDEX, dev.skiff.contracts.MediaTypes.DOCKER_MANIFEST,
            dev.skiff.contracts.MediaTypes.DOCKER_MANIFEST_LIST);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    private final URI base;
    private final Duration timeout;
    private final String authorization;
    private final HttpClient http;

    /**
     * @param baseUrl the registry, e.g. {@code http://127.0.0.1:5000}
     * @param timeout of every request
     * @param token   sent as {@code Authorization: Bearer <token>}, or null for anonymous access
     */
    public RegistryClient(String baseUrl, Duration timeout, String token) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.timeout = timeout;
        this.authorization = token == null || token.isBlank() ? null : "Bearer " + token.strip();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The JSON mapper used for manifests and configs (no nulls written, unknown fields ignored). */
    public static ObjectMapper json() {
        return JSON;
    }

    /** Uploads a blob in one request (monolithic POST with digest) unless the repository already has it. */
    public String pushBlob(String repository, byte[] content) {
        String digest = Digests.sha256(content);
        if (blobExists(repository, digest)) {
            return digest;
        }
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/blobs/uploads/?digest=" + digest)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)));
        expect(response, 201);
        return digest;
    }

    /** True when the repository holds the blob. */
    public boolean blobExists(String repository, String digest) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() == 404) {
            return false;
        }
        expect(response, 200);
        return true;
    }

    /**
     * Makes a blob of one repository available in another: a cross-repository mount, or a copy
     * through this client when the registry declines to mount.
     */
    public void mountBlob(String repository, String digest, String fromRepository) {
        if (blobExists(repository, digest)) {
            return;
        }
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/blobs/uploads/?mount="
                + encode(digest) + "&from=" + encode(fromRepository)).POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() == 201) {
            return;
        }
        expect(response, 202);
        byte[] content = blob(fromRepository, digest);
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new RegistryException(502, null, "registry gave no upload location"));
        String separator = location.contains("?") ? "&" : "?";
        HttpResponse<byte[]> put = send(authorized(HttpRequest.newBuilder(base.resolve(location + separator + "digest=" + encode(digest))))
                .timeout(timeout).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        expect(put, 201);
    }

    /** Stores a manifest under a tag (or its digest) and returns its digest. */
    public String putManifest(String repository, String reference, ImageManifest manifest) {
        return putManifest(repository, reference, writeJson(manifest), manifest.mediaType());
    }

    /** Stores manifest bytes as they are (so its digest stays the same) under a tag, and returns the digest. */
    public String putManifest(String repository, String reference, byte[] content, String mediaType) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        expect(response, 201);
        String digest = Digests.sha256(content);
        String answered = response.headers().firstValue("Docker-Content-Digest").orElse(digest);
        if (!answered.equals(digest)) {
            throw new RegistryException(502, "DIGEST_INVALID", "registry stored manifest as " + answered + ", expected " + digest);
        }
        return digest;
    }

    /** Fetches a manifest by tag or digest, verifying its digest. */
    public FetchedManifest manifest(String repository, String reference) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Accept", ACCEPT_MANIFESTS).GET());
        expect(response, 200);
        String digest = Digests.sha256(response.body());
        if (reference.contains(":") && !reference.equals(digest)) {
            throw new RegistryException(502, "DIGEST_INVALID", "manifest " + reference + " hashes to " + digest);
        }
        String mediaType = response.headers().firstValue("Content-Type").orElse(dev.skiff.contracts.MediaTypes.OCI_MANIFEST);
        return new FetchedManifest(response.body(), mediaType, digest);
    }

    /** Parses fetched manifest bytes as an image manifest. */
    public static ImageManifest parseManifest(FetchedManifest fetched) {
        try {
            return JSON.readValue(fetched.content(), ImageManifest.class);
        } catch (IOException e) {
            throw new RegistryException(502, "MANIFEST_INVALID", "manifest " + fetched.digest() + " is not an image manifest: " + e.getMessage());
        }
    }

    /** Fetches a small blob into memory, verifying its digest. */
    public byte[] blob(String repository, String digest) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/blobs/" + digest).GET());
        expect(response, 200);
        MessageDigest md = Digests.newDigest(Digests.algorithm(digest));
        String actual = Digests.algorithm(digest) + ":" + HexFormat.of().formatHex(md.digest(response.body()));
        if (!actual.equals(digest)) {
            throw new RegistryException(502, "DIGEST_INVALID", "blob " + digest + " hashes to " + actual);
        }
        return response.body();
    }

    /**
     * Streams a blob to a file, verifying its digest on the way; the file appears (atomic move)
     * only when complete and verified.
     */
    public void downloadBlob(String repository, String digest, Path target) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request("/v2/" + repository + "/blobs/" + digest).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RegistryException("registry unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted", e);
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw error(response.statusCode(), in.readAllBytes());
            }
            MessageDigest md = Digests.newDigest(Digests.algorithm(digest));
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), md)) {
                in.transferTo(out);
            }
            String actual = Digests.algorithm(digest) + ":" + HexFormat.of().formatHex(md.digest());
            if (!actual.equals(digest)) {
                throw new RegistryException(502, "DIGEST_INVALID", "blob " + digest + " hashes to " + actual);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RegistryException("download of " + digest + " failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: a leftover .part file is never read
            }
        }
    }

    /** Tags of a repository; empty when the repository does not exist. */
    public List<String> tags(String repository) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/tags/list").GET());
        if (response.statusCode() == 404) {
            return List.of();
        }
        expect(response, 200);
        List<String> tags = new ArrayList<>();
        readTree(response.body()).path("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    /** Every repository of the registry (the catalog extension), following pagination. */
    public List<String> catalog() {
        List<String> repositories = new ArrayList<>();
        String last = null;
        while (true) {
            String query = "/v2/_catalog?n=1000" + (last == null ? "" : "&last=" + encode(last));
            HttpResponse<byte[]> response = send(request(query).GET());
            expect(response, 200);
            List<String> page = new ArrayList<>();
            readTree(response.body()).path("repositories").forEach(r -> page.add(r.asText()));
            repositories.addAll(page);
            if (page.isEmpty() || response.headers().firstValue("Link").isEmpty()) {
                return repositories;
            }
            last = page.get(page.size() - 1);
        }
    }

    /** Deletes a manifest (by digest: with its tags; by tag: the tag only). Absent is not an error. */
    public void deleteManifest(String repository, String reference) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/manifests/" + reference).DELETE());
        if (response.statusCode() != 404) {
            expect(response, 202);
        }
    }

    /** Serialises a value as compact JSON. */
    public static byte[] writeJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException(502, null, "registry answered invalid JSON: " + e.getMessage());
        }
    }

    private HttpRequest.Builder request(String path) {
        return authorized(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder builder) {
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryException("registry " + base + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<byte[]> response, int status) {
        if (response.statusCode() != status) {
            throw error(response.statusCode(), response.body());
        }
    }

    private static RegistryException error(int status, byte[] body) {
        String code = null;
        String message = "registry answered " + status;
        try {
            JsonNode first = JSON.readTree(body).path("errors").path(0);
            if (!first.isMissingNode()) {
                code = first.path("code").asText(null);
                message = message + " " + code + ": " + first.path("message").asText("");
            }
        } catch (IOException | RuntimeException ignored) {
            // not an OCI error body; the status says enough
        }
        return new RegistryException(status, code, message);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
