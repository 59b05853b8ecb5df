package dev.skiff.store.registry;

import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreMetrics;
import dev.skiff.store.storage.UploadStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Discards upload sessions that clients abandoned, so that half-pushed blobs do not pile up. */
@ApplicationScoped
public class UploadSweeper {
    private static final Logger LOG = Logger.getLogger(UploadSweeper.class);
    private final UploadStore uploads;
    private final StoreConfig config;
    private final StoreMetrics metrics;
    private final Clock clock;

    UploadSweeper(UploadStore uploads, StoreConfig config, StoreMetrics metrics, Clock clock) {
        this.uploads = uploads;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Scheduled(every = "${skiff.store.upload-sweep-interval:5m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSweep() {
        sweep();
    }

    /** Discards sessions untouched for longer than the configured expiry; returns how many. */
    public int sweep() {
        int expired = uploads.expire(clock.instant().minus(config.uploadExpiry()));
        if (expired > 0) {
            metrics.upload(StoreMetrics.OUTCOME_EXPIRED, expired);
            LOG.infof("discarded %d expired upload sessions", expired);
        }
        return expired;
    }
}
