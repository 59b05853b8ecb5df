package dev.skiff.store.gc;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Runs garbage collection every {@code skiff.store.gc.interval}, first one interval after start-up. */
@ApplicationScoped
public class GcScheduler {
    private static final Logger LOG = Logger.getLogger(GcScheduler.class);
    private final GarbageCollector collector;

    GcScheduler(GarbageCollector collector) {
        this.collector = collector;
    }

    @Scheduled(every = "${skiff.store.gc.interval:1h}", delayed = "${skiff.store.gc.interval:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledCollection() {
        try {
            collector.collect();
        } catch (RuntimeException e) {
            LOG.errorf(e, "garbage collection failed; nothing more was deleted");
        }
    }
}
