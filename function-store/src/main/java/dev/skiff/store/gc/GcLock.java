package dev.skiff.store.gc;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps garbage collection and the steps that make a blob used apart. Those steps (linking a
 * blob into a repository, checking it with HEAD, storing a manifest that references blobs) are
 * short and share the lock; a collection takes it alone. Bytes streaming into upload sessions
 * hold no lock, so a collection never waits for a slow upload, and an upload waits for a
 * collection only at its last step. Fair, so that a stream of pushes cannot starve collection.
 */
@ApplicationScoped
public class GcLock {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

    /** Runs a step that makes blobs used, never while a collection runs. */
    public <T> T shared(Supplier<T> step) {
        lock.readLock().lock();
        try {
            return step.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs a collection, alone. */
    <T> T exclusive(Supplier<T> collection) {
        lock.writeLock().lock();
        try {
            return collection.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
