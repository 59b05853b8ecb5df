package dev.skiff.store.storage.disk;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.oci.Tag;
import dev.skiff.store.oci.UploadId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where everything lives under the data directory (pure path arithmetic):
 * <pre>
 * blobs/&lt;alg&gt;/&lt;hex&gt;                                  content, by digest
 * uploads/&lt;uuid&gt;/{repository,data}                     upload sessions
 * repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;             blobs linked into a repository
 * repositories/&lt;name&gt;/_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;  manifests (file holds the media type)
 * repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;             tags (file holds the digest)
 * repositories/&lt;name&gt;/_referrers/&lt;alg&gt;/&lt;hex&gt;/&lt;alg&gt;/&lt;hex&gt;  manifests whose subject is the first digest
 *                                                      (file holds the referrer's descriptor, JSON)
 * tmp/                                                 files being written, renamed when complete
 * </pre>
 * Every segment comes from a validated name, tag, digest or upload id, and every path is checked
 * to stay inside the root all the same.
 */
public final class DiskLayout {
    static final String LAYERS = "_layers";
    static final String MANIFESTS = "_manifests";
    static final String REFERRERS = "_referrers";
    private final Path root;

    public DiskLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The layout at {@code root}, with its top-level directories created. */
    public static DiskLayout create(Path root) {
        DiskLayout layout = new DiskLayout(root);
        try {
            for (Path dir : new Path[] {layout.blobs(), layout.uploads(), layout.repositories(), layout.tmp()}) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + layout.root, e);
        }
        return layout;
    }

    public Path root() {
        return root;
    }

    public Path blobs() {
        return root.resolve("blobs");
    }

    public Path blob(Digest digest) {
        return inside(blobs().resolve(digest.algorithm().id()).resolve(digest.hex()));
    }

    public Path uploads() {
        return root.resolve("uploads");
    }

    public Path upload(UploadId id) {
        return inside(uploads().resolve(id.value()));
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    public Path repositories() {
        return root.resolve("repositories");
    }

    public Path repository(RepositoryName name) {
        Path dir = repositories();
        for (String component : name.components()) {
            dir = dir.resolve(component);
        }
        return inside(dir);
    }

    public Path layerLink(RepositoryName name, Digest digest) {
        return inside(repository(name).resolve(LAYERS).resolve(digest.algorithm().id()).resolve(digest.hex()));
    }

    public Path manifests(RepositoryName name) {
        return repository(name).resolve(MANIFESTS);
    }

    public Path revisions(RepositoryName name) {
        return manifests(name).resolve("revisions");
    }

    public Path revision(RepositoryName name, Digest digest) {
        return inside(revisions(name).resolve(digest.algorithm().id()).resolve(digest.hex()));
    }

    public Path tags(RepositoryName name) {
        return manifests(name).resolve("tags");
    }

    public Path tag(RepositoryName name, Tag tag) {
        return inside(tags(name).resolve(tag.value()));
    }

    /** The directory of links to the manifests whose subject is {@code subject}. */
    public Path referrers(RepositoryName name, Digest subject) {
        return inside(repository(name).resolve(REFERRERS).resolve(subject.algorithm().id()).resolve(subject.hex()));
    }

    public Path referrer(RepositoryName name, Digest subject, Digest referrer) {
        return inside(referrers(name, subject).resolve(referrer.algorithm().id()).resolve(referrer.hex()));
    }

    private Path inside(Path path) {
        Path normalized = path.normalize();
        if (!normalized.startsWith(root) || normalized.equals(root)) {
            throw new IllegalArgumentException("path escapes the data directory: " + path);
        }
        return normalized;
    }
}
