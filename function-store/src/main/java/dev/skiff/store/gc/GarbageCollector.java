package dev.skiff.store.gc;

import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreMetrics;
import dev.skiff.store.oci.ContentDescriptor;
import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.ManifestParser;
import dev.skiff.store.oci.ParsedManifest;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.storage.BlobContent;
import dev.skiff.store.storage.BlobStore;
import dev.skiff.store.storage.ManifestLink;
import dev.skiff.store.storage.RepositoryStore;
import dev.skiff.store.storage.StoredBlob;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Mark and sweep of blobs no manifest references. The rule: a blob is deleted only if, while the
 * collection holds the {@link GcLock} alone, (1) no manifest of any repository references it (as
 * the manifest itself, an image manifest's config or layer, or an index's entry) and (2) it was
 * last used (stored, linked into a repository by an upload or a mount, or checked with HEAD in a
 * repository) longer ago than the grace period. Upload sessions are not blobs: their bytes live
 * in the session until it completes, and abandoned ones are left to the upload expiry. Any doubt
 * while marking (a manifest that cannot be read) stops the collection before it deletes anything.
 */
@ApplicationScoped
public class GarbageCollector {
    private static final Logger LOG = Logger.getLogger(GarbageCollector.class);
    private final BlobStore blobs;
    private final RepositoryStore repositories;
    private final GcLock lock;
    private final StoreConfig config;
    private final StoreMetrics metrics;
    private final Clock clock;

    GarbageCollector(BlobStore blobs, RepositoryStore repositories, GcLock lock, StoreConfig config,
            StoreMetrics metrics, Clock clock) {
        this.blobs = blobs;
        this.repositories = repositories;
        this.lock = lock;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Runs one collection: {@link #mark()}, then {@link #sweep}, then forgets links to what went. */
    public GcReport collect() {
        long started = System.nanoTime();
        GcReport report = lock.exclusive(() -> {
            Set<Digest> referenced = mark();
            return sweep(referenced, clock.instant().minus(config.gc().gracePeriod()), started);
        });
        metrics.gcDeleted(report.deleted().size(), report.deletedBytes());
        LOG.infof("garbage collection deleted %d blobs (%d bytes); kept %d referenced and %d in the grace period",
                report.deleted().size(), report.deletedBytes(), report.referenced(), report.inGracePeriod());
        return report;
    }

    /** Every digest a manifest of any repository is or references. */
    private Set<Digest> mark() {
        Set<Digest> referenced = new HashSet<>();
        for (String name : repositories.repositories()) {
            RepositoryName repository = new RepositoryName(name);
            for (ManifestLink manifest : repositories.manifests(repository)) {
                referenced.add(manifest.digest());
                ParsedManifest parsed = ManifestParser.parse(read(manifest.digest()), manifest.mediaType());
                parsed.blobs().stream().map(ContentDescriptor::digest).forEach(referenced::add);
                parsed.manifests().stream().map(ContentDescriptor::digest).forEach(referenced::add);
            }
        }
        return referenced;
    }

    /** Deletes unreferenced blobs last used before {@code cutoff}, and every repository's link to them. */
    private GcReport sweep(Set<Digest> referenced, Instant cutoff, long started) {
        List<GcReport.DeletedBlob> deleted = new ArrayList<>();
        Set<Digest> gone = new HashSet<>();
        long bytes = 0;
        int kept = 0;
        int recent = 0;
        for (StoredBlob blob : blobs.list()) {
            if (referenced.contains(blob.digest())) {
                kept++;
            } else if (!blob.lastUsed().isBefore(cutoff)) {
                recent++;
            } else if (blobs.delete(blob.digest())) {
                deleted.add(new GcReport.DeletedBlob(blob.digest().toString(), blob.size()));
                gone.add(blob.digest());
                bytes += blob.size();
                LOG.debugf("collected blob %s (%d bytes, last used %s)", blob.digest(), blob.size(), blob.lastUsed());
            }
        }
        if (!gone.isEmpty()) {
            repositories.unlinkEverywhere(gone);
        }
        return new GcReport(deleted, bytes, kept, recent, (System.nanoTime() - started) / 1_000_000);
    }

    private byte[] read(Digest manifest) {
        BlobContent content = blobs.open(manifest).orElseThrow(() -> new IllegalStateException(
                "manifest " + manifest + " is linked but its content is missing; not collecting"));
        try (InputStream in = content.stream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
