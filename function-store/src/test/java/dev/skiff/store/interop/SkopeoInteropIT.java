package dev.skiff.store.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo, a standard OCI client, against the packaged store: it pushes with {@code --dest-creds}
 * (HTTP Basic, after the challenge of {@code GET /v2/}), pulls anonymously, and copies within the
 * store. {@code --preserve-digests} makes skopeo fail rather than rewrite anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SkopeoInteropIT {
    private static final String TOKEN = UUID.randomUUID().toString();
    @TempDir
    static Path work;
    private StoreProcess store;
    private Skopeo skopeo;
    private OciImageLayout image;

    @BeforeAll
    void startStoreAndWriteImage() throws Exception {
        Skopeo.requireInstalled();
        Files.createDirectories(work.resolve("home"));
        skopeo = new Skopeo(work.resolve("home"));
        image = OciImageLayout.write(work.resolve("layout"), "v1");
        store = StoreProcess.start(work, TOKEN);
    }

    @AfterAll
    void stopStore() throws InterruptedException {
        if (store != null) {
            store.close();
        }
    }

    private String remote(String repositoryAndTag) {
        return "docker://" + store.registry() + "/" + repositoryAndTag;
    }

    private void push(String repositoryAndTag) throws Exception {
        skopeo.succeed("copy", "--preserve-digests", "--dest-tls-verify=false", "--dest-creds", "skiff:" + TOKEN,
                "oci:" + image.dir + ":v1", remote(repositoryAndTag));
    }

    private String digestOf(String repository, String reference) throws Exception {
        var response = store.head("/v2/" + repository + "/manifests/" + reference);
        assertEquals(200, response.statusCode(), "HEAD of " + repository + ":" + reference);
        return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    @Test
    void imageCopiedIntoTheStoreAndBackOutIsByteIdentical() throws Exception {
        push("interop/test:v1");
        assertEquals(image.manifestDigest, digestOf("interop/test", "v1"));

        Path copy = work.resolve("copy");
        skopeo.succeed("copy", "--preserve-digests", "--src-tls-verify=false", "--src-no-creds",
                remote("interop/test:v1"), "oci:" + copy + ":v1");

        for (Map.Entry<String, byte[]> blob : image.blobs.entrySet()) {
            assertArrayEquals(blob.getValue(), OciImageLayout.blob(copy, blob.getKey()), blob.getKey());
        }
        String index = Files.readString(copy.resolve("index.json"));
        assertTrue(index.contains(image.manifestDigest), "index.json of the copy names the manifest: " + index);
    }

    @Test
    void copyWithinTheStoreUnderANewTagKeepsTheDigest() throws Exception {
        push("interop/self:v1");

        skopeo.succeed("copy", "--preserve-digests", "--src-tls-verify=false", "--src-no-creds",
                "--dest-tls-verify=false", "--dest-creds", "skiff:" + TOKEN,
                remote("interop/self:v1"), remote("interop/self:v2"));

        assertEquals(image.manifestDigest, digestOf("interop/self", "v2"));
        assertEquals(digestOf("interop/self", "v1"), digestOf("interop/self", "v2"));
    }

    @Test
    void pushWithWrongOrNoCredentialsIsRefused() throws Exception {
        Skopeo.Result wrong = skopeo.run("copy", "--dest-tls-verify=false", "--dest-creds", "skiff:not-the-token",
                "oci:" + image.dir + ":v1", remote("interop/refused:v1"));
        Skopeo.Result none = skopeo.run("copy", "--dest-tls-verify=false", "--dest-no-creds",
                "oci:" + image.dir + ":v1", remote("interop/refused:v1"));

        for (Skopeo.Result refused : new Skopeo.Result[] {wrong, none}) {
            assertNotEquals(0, refused.exitCode(), refused.output());
            assertTrue(refused.output().toLowerCase(Locale.ROOT).contains("unauthorized"), refused.output());
        }
        assertEquals(404, store.head("/v2/interop/refused/manifests/v1").statusCode());
    }
}
