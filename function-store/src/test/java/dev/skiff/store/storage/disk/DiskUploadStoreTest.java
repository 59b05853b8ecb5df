package dev.skiff.store.storage.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.DigestAlgorithm;
import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.RegistryException;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.storage.BlobInfo;
import dev.skiff.store.storage.Chunk;
import dev.skiff.store.storage.UploadStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskUploadStoreTest {
    private static final RepositoryName REPOSITORY = new RepositoryName("functions/hello");
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    @TempDir
    Path dataDir;
    private DiskLayout layout;
    private DiskUploadStore uploads;
    private DiskBlobStore blobs;

    @BeforeEach
    void setUp() {
        layout = DiskLayout.create(dataDir);
        uploads = new DiskUploadStore(layout, Clock.fixed(NOW, ZoneOffset.UTC));
        blobs = new DiskBlobStore(layout, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void completedUploadBecomesABlobAtItsContentAddress() {
        UploadStatus session = uploads.start(REPOSITORY);
        uploads.append(REPOSITORY, session.id(), chunk("hello "));

        BlobInfo blob = uploads.complete(REPOSITORY, session.id(), sha256("hello world"), chunk("world"));

        assertEquals(11, blob.size());
        assertEquals("hello world", read(layout.blob(blob.digest())));
        assertTrue(layout.blob(blob.digest()).endsWith(Path.of("blobs", "sha256", blob.digest().hex())));
        assertTrue(uploads.find(REPOSITORY, session.id()).isEmpty());
    }

    @Test
    void abortedUploadLeavesNoVisibleBlob() {
        UploadStatus session = uploads.start(REPOSITORY);
        Digest digest = sha256("the whole content");

        RegistryException failure = assertThrows(RegistryException.class, () -> uploads.complete(REPOSITORY,
                session.id(), digest, new Chunk(failingAfter("the whole"), null, null)));

        assertEquals(OciErrorCode.BLOB_UPLOAD_INVALID, failure.code());
        assertTrue(blobs.stat(digest).isEmpty());
        assertEquals(List.of(), filesUnder(layout.blobs()));
        assertEquals(0L, uploads.find(REPOSITORY, session.id()).orElseThrow().size());
    }

    @Test
    void uploadWithWrongDigestLeavesNothingBehind() {
        UploadStatus session = uploads.start(REPOSITORY);

        RegistryException failure = assertThrows(RegistryException.class,
                () -> uploads.complete(REPOSITORY, session.id(), sha256("expected"), chunk("actual")));

        assertEquals(OciErrorCode.DIGEST_INVALID, failure.code());
        assertEquals(List.of(), filesUnder(layout.blobs()));
        assertEquals(List.of(), filesUnder(layout.uploads()));
    }

    @Test
    void sessionIsUnknownToOtherRepositories() {
        UploadStatus session = uploads.start(REPOSITORY);
        RepositoryName other = new RepositoryName("functions/other");

        assertTrue(uploads.find(other, session.id()).isEmpty());
        RegistryException failure = assertThrows(RegistryException.class,
                () -> uploads.append(other, session.id(), chunk("x")));
        assertEquals(OciErrorCode.BLOB_UPLOAD_UNKNOWN, failure.code());
    }

    @Test
    void sessionsUntouchedPastTheCutoffAreExpired() {
        UploadStatus stale = uploads.start(REPOSITORY);
        DiskUploadStore later = new DiskUploadStore(layout, Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC));
        UploadStatus fresh = later.start(REPOSITORY);

        int expired = later.expire(NOW.plus(Duration.ofHours(1)));

        assertEquals(1, expired);
        assertTrue(later.find(REPOSITORY, stale.id()).isEmpty());
        assertTrue(later.find(REPOSITORY, fresh.id()).isPresent());
    }

    @Test
    void sha512UploadsAreVerifiedWithSha512() {
        UploadStatus session = uploads.start(REPOSITORY);
        Digest digest = Digest.of(DigestAlgorithm.SHA512, bytes("content"));

        BlobInfo blob = uploads.complete(REPOSITORY, session.id(), digest, chunk("content"));

        assertTrue(layout.blob(blob.digest()).startsWith(layout.blobs().resolve("sha512")));
        assertTrue(blobs.stat(digest).isPresent());
    }

    private static Chunk chunk(String content) {
        return new Chunk(new ByteArrayInputStream(bytes(content)), null, null);
    }

    /** A request body whose client goes away after sending {@code sent}. */
    private static InputStream failingAfter(String sent) {
        return new InputStream() {
            private final InputStream first = new ByteArrayInputStream(bytes(sent));

            @Override
            public int read() throws IOException {
                int b = first.read();
                if (b < 0) {
                    throw new IOException("connection reset");
                }
                return b;
            }
        };
    }

    private static Digest sha256(String content) {
        return Digest.of(DigestAlgorithm.SHA256, bytes(content));
    }

    private static byte[] bytes(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> filesUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
