package dev.skiff.store.registry;

import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreMetrics;
import dev.skiff.store.gc.GcLock;
import dev.skiff.store.oci.ContentDescriptor;
import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.DigestAlgorithm;
import dev.skiff.store.oci.ManifestParser;
import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.ParsedManifest;
import dev.skiff.store.oci.Reference;
import dev.skiff.store.oci.RegistryException;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.oci.Tag;
import dev.skiff.store.storage.BlobContent;
import dev.skiff.store.storage.BlobInfo;
import dev.skiff.store.storage.BlobStore;
import dev.skiff.store.storage.ManifestLink;
import dev.skiff.store.storage.Referrer;
import dev.skiff.store.storage.ReferrerStore;
import dev.skiff.store.storage.RepositoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Pushing, pulling and deleting manifests. A manifest is stored as the exact bytes pushed, under
 * its digest, linked into the repository, tagged when pushed by tag, and recorded as a referrer
 * of its subject when it has one.
 */
@ApplicationScoped
public class ManifestService {
    private static final Logger LOG = Logger.getLogger(ManifestService.class);
    private final BlobStore blobs;
    private final RepositoryStore repositories;
    private final ReferrerStore referrers;
    private final GcLock gcLock;
    private final StoreConfig config;
    private final StoreMetrics metrics;

    ManifestService(BlobStore blobs, RepositoryStore repositories, ReferrerStore referrers, GcLock gcLock,
            StoreConfig config, StoreMetrics metrics) {
        this.blobs = blobs;
        this.repositories = repositories;
        this.referrers = referrers;
        this.gcLock = gcLock;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Validates and stores a manifest: well-formed, of a supported media type, hashing to the
     * reference when pushed by digest, and (for an image manifest) referencing only blobs the
     * repository holds, with their sizes.
     */
    public PushedManifest put(RepositoryName repository, Reference reference, String contentType, InputStream body) {
        byte[] content = readBounded(body);
        ParsedManifest manifest = ManifestParser.parse(content, contentType);
        Digest digest = digestOf(reference, content);
        gcLock.shared(() -> {
            for (ContentDescriptor blob : manifest.blobs()) {
                requireBlob(repository, blob);
            }
            blobs.put(digest, content);
            repositories.linkManifest(repository, new ManifestLink(digest, manifest.mediaType()),
                    reference instanceof Tag tag ? tag : null);
            return null;
        });
        manifest.subject().ifPresent(subject -> referrers.link(repository, subject.digest(), new Referrer(digest,
                manifest.mediaType(), content.length, manifest.artifactType(), manifest.annotations())));
        metrics.manifest(StoreMetrics.OPERATION_PUSH);
        LOG.debugf("manifest %s pushed to %s as %s", digest, repository, reference);
        return new PushedManifest(digest, manifest.subject().map(ContentDescriptor::digest));
    }

    /** The manifest's digest, media type and size, without its bytes (for HEAD). */
    public ManifestInfo head(RepositoryName repository, Reference reference) {
        ManifestLink link = resolve(repository, reference);
        long size = blobs.stat(link.digest()).map(BlobInfo::size).orElseThrow(() -> unknown(reference));
        return new ManifestInfo(link.digest(), link.mediaType(), size);
    }

    /** The manifest with its exact bytes. */
    public StoredManifest get(RepositoryName repository, Reference reference) {
        ManifestLink link = resolve(repository, reference);
        BlobContent blob = blobs.open(link.digest()).orElseThrow(() -> unknown(link.digest()));
        try (InputStream stream = blob.stream()) {
            return new StoredManifest(link.digest(), link.mediaType(), stream.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * By digest: removes the manifest, every tag pointing at it and its entry in its subject's
     * referrers. By tag: removes only the tag.
     */
    public void delete(RepositoryName repository, Reference reference) {
        boolean removed;
        if (reference instanceof Tag tag) {
            removed = repositories.untag(repository, tag);
        } else {
            Digest digest = (Digest) reference;
            Optional<Digest> subject = subjectOf(repository, digest);
            removed = repositories.unlinkManifest(repository, digest);
            subject.ifPresent(s -> referrers.unlink(repository, s, digest));
        }
        if (!removed) {
            throw unknown(reference);
        }
        metrics.manifest(StoreMetrics.OPERATION_DELETE);
        LOG.debugf("manifest %s deleted from %s", reference, repository);
    }

    /** The subject of a stored manifest, if it has one (read back from its bytes). */
    private Optional<Digest> subjectOf(RepositoryName repository, Digest digest) {
        Optional<ManifestLink> link = repositories.manifest(repository, digest);
        if (link.isEmpty()) {
            return Optional.empty();
        }
        try {
            StoredManifest stored = get(repository, digest);
            return ManifestParser.parse(stored.content(), stored.mediaType()).subject().map(ContentDescriptor::digest);
        } catch (RegistryException e) {
            LOG.debugf("manifest %s in %s could not be read back for its subject: %s", digest, repository, e.getMessage());
            return Optional.empty();
        }
    }

    private ManifestLink resolve(RepositoryName repository, Reference reference) {
        Digest digest = reference instanceof Tag tag
                ? repositories.resolve(repository, tag).orElseThrow(() -> unknown(reference))
                : (Digest) reference;
        return repositories.manifest(repository, digest).orElseThrow(() -> unknown(reference));
    }

    private static Digest digestOf(Reference reference, byte[] content) {
        if (reference instanceof Digest expected) {
            Digest actual = Digest.of(expected.algorithm(), content);
            if (!actual.equals(expected)) {
                throw new RegistryException(OciErrorCode.DIGEST_INVALID, "manifest does not hash to the digest it was pushed by",
                        Map.of("expected", expected.toString(), "actual", actual.toString()));
            }
            return expected;
        }
        return Digest.of(DigestAlgorithm.SHA256, content);
    }

    private void requireBlob(RepositoryName repository, ContentDescriptor descriptor) {
        Digest digest = descriptor.digest();
        BlobInfo blob = repositories.hasBlob(repository, digest) ? blobs.stat(digest).orElse(null) : null;
        if (blob == null) {
            throw new RegistryException(OciErrorCode.MANIFEST_BLOB_UNKNOWN, "manifest references a blob unknown to the repository",
                    Map.of("digest", digest.toString()));
        }
        if (blob.size() != descriptor.size()) {
            throw new RegistryException(OciErrorCode.MANIFEST_INVALID, "descriptor size does not match the blob",
                    Map.of("digest", digest.toString(), "size", descriptor.size(), "stored", blob.size()));
        }
    }

    private byte[] readBounded(InputStream body) {
        long max = config.manifestMaxSize().asLongValue();
        try {
            byte[] content = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (content.length > max) {
                throw new RegistryException(413, OciErrorCode.SIZE_INVALID, "manifest larger than " + max + " bytes",
                        Map.of("max", max), Map.of());
            }
            return content;
        } catch (IOException e) {
            throw new RegistryException(OciErrorCode.MANIFEST_INVALID, "manifest body could not be read", null);
        }
    }

    private static RegistryException unknown(Object reference) {
        return new RegistryException(OciErrorCode.MANIFEST_UNKNOWN, "manifest unknown to registry",
                Map.of("reference", reference.toString()));
    }
}
