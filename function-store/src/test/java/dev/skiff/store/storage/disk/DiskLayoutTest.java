package dev.skiff.store.storage.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.oci.Tag;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DiskLayoutTest {
    private static final Path ROOT = Path.of("/data/store");
    private static final Digest DIGEST = Digest.parse("sha256:" + "ab".repeat(32));
    private final DiskLayout layout = new DiskLayout(ROOT);

    @Test
    void blobsAreContentAddressed() {
        assertEquals(ROOT.resolve("blobs/sha256/" + DIGEST.hex()), layout.blob(DIGEST));
    }

    @Test
    void repositoryNamesBecomeNestedDirectories() {
        RepositoryName name = new RepositoryName("functions/hello");
        assertEquals(ROOT.resolve("repositories/functions/hello/_manifests/tags/v1"), layout.tag(name, new Tag("v1")));
        assertEquals(ROOT.resolve("repositories/functions/hello/_layers/sha256/" + DIGEST.hex()), layout.layerLink(name, DIGEST));
    }

    @Test
    void everyPathStaysInsideTheRoot() {
        RepositoryName name = new RepositoryName("a/b");
        for (Path path : new Path[] {layout.blob(DIGEST), layout.revision(name, DIGEST), layout.tag(name, new Tag("_x.y-z"))}) {
            assertTrue(path.normalize().startsWith(ROOT), path.toString());
        }
    }
}
