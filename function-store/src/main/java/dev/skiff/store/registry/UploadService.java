package dev.skiff.store.registry;

import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreMetrics;
import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.RegistryException;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.oci.UploadId;
import dev.skiff.store.storage.BlobInfo;
import dev.skiff.store.storage.Chunk;
import dev.skiff.store.storage.UploadStatus;
import dev.skiff.store.storage.UploadStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Pushing blobs: monolithic (one POST), in a session (POST, PATCH..., PUT), or by mounting a
 * blob another repository holds. A blob joins the repository only once complete and verified.
 */
@ApplicationScoped
public class UploadService {
    private static final Logger LOG = Logger.getLogger(UploadService.class);
    private final UploadStore uploads;
    private final BlobService blobs;
    private final StoreConfig config;
    private final StoreMetrics metrics;

    UploadService(UploadStore uploads, BlobService blobs, StoreConfig config, StoreMetrics metrics) {
        this.uploads = uploads;
        this.blobs = blobs;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Starts a push: mounts {@code mount} from repository {@code from} when asked and possible,
     * else stores {@code body} at once when a {@code digest} is given, else opens a session.
     */
    public UploadOutcome begin(RepositoryName repository, String digest, String mount, String from, Chunk body) {
        if (mount != null) {
            Optional<BlobInfo> mounted = from == null ? Optional.empty()
                    : blobs.mount(repository, Digest.parse(mount), new RepositoryName(from));
            if (mounted.isPresent()) {
                return new UploadOutcome.Completed(mounted.get());
            }
        } else if (digest != null) {
            return new UploadOutcome.Completed(uploadWhole(repository, Digest.parse(digest), body));
        }
        UploadStatus session = openSession(repository);
        LOG.debugf("upload %s started for %s", session.id(), repository);
        return new UploadOutcome.Started(session);
    }

    /** Adds a chunk to the session. */
    public UploadStatus append(RepositoryName repository, UploadId id, Chunk chunk) {
        return uploads.append(repository, id, counted(chunk));
    }

    /** Adds the last chunk, verifies the digest and links the new blob into the repository. */
    public BlobInfo complete(RepositoryName repository, UploadId id, String digest, Chunk chunk) {
        if (digest == null) {
            throw new RegistryException(OciErrorCode.DIGEST_INVALID, "digest query parameter is required", null);
        }
        Digest expected = Digest.parse(digest);
        BlobInfo blob;
        try {
            blob = uploads.complete(repository, id, expected, counted(chunk));
        } catch (RegistryException e) {
            if (e.code() == OciErrorCode.DIGEST_INVALID) {
                metrics.upload(StoreMetrics.OUTCOME_REJECTED, 1);
            }
            throw e;
        }
        blobs.linkUploaded(repository, blob.digest());
        metrics.upload(StoreMetrics.OUTCOME_COMPLETED, 1);
        LOG.debugf("upload %s completed as %s in %s (%d bytes)", id, blob.digest(), repository, blob.size());
        return blob;
    }

    public UploadStatus status(RepositoryName repository, UploadId id) {
        return uploads.find(repository, id).orElseThrow(() -> unknown(id));
    }

    public void cancel(RepositoryName repository, UploadId id) {
        if (!uploads.cancel(repository, id)) {
            throw unknown(id);
        }
        metrics.upload(StoreMetrics.OUTCOME_CANCELLED, 1);
    }

    /** A monolithic upload: a session opened and completed in one request, discarded if it fails. */
    private BlobInfo uploadWhole(RepositoryName repository, Digest digest, Chunk body) {
        UploadStatus session = openSession(repository);
        try {
            return complete(repository, session.id(), digest.toString(), body);
        } catch (RuntimeException e) {
            uploads.cancel(repository, session.id());
            throw e;
        }
    }

    /** A new session, unless the most the store keeps open are open already (TOO_MANY_REQUESTS). */
    private UploadStatus openSession(RepositoryName repository) {
        int max = config.uploadMaxSessions();
        if (uploads.openSessions() >= max) {
            throw new RegistryException(OciErrorCode.TOO_MANY_REQUESTS,
                    "too many upload sessions are open; complete or cancel some, or retry later",
                    Map.of("maxSessions", max));
        }
        return uploads.start(repository);
    }

    private Chunk counted(Chunk chunk) {
        return new Chunk(metrics.countingIn(chunk.body()), chunk.range(), chunk.declaredLength());
    }

    private static RegistryException unknown(UploadId id) {
        return new RegistryException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry",
                Map.of("uuid", id.value()));
    }
}
