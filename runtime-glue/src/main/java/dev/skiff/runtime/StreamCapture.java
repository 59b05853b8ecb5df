package dev.skiff.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads one stream of a child process to its end (run it on its own thread), keeping a bounded
 * part: the head, up to a limit past which reading stops and {@code onOverflow} runs; or the tail,
 * the last {@code limit} bytes. Reading every pipe of a child concurrently is what keeps a child
 * that writes much to both stdout and stderr from blocking forever on a full pipe.
 */
final class StreamCapture implements Runnable {
    private final InputStream in;
    private final int limit;
    private final boolean keepTail;
    private final Runnable onOverflow;
    private final CountDownLatch done = new CountDownLatch(1);
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean overflowed;

    private StreamCapture(InputStream in, int limit, boolean keepTail, Runnable onOverflow) {
        this.in = in;
        this.limit = limit;
        this.keepTail = keepTail;
        this.onOverflow = onOverflow;
    }

    /** Keeps the first {@code limit} bytes; one more byte makes it stop reading and run {@code onOverflow}. */
    static StreamCapture head(InputStream in, int limit, Runnable onOverflow) {
        return new StreamCapture(in, limit, false, onOverflow);
    }

    /** Keeps the last {@code limit} bytes of the whole stream. */
    static StreamCapture tail(InputStream in, int limit) {
        return new StreamCapture(in, limit, true, () -> { });
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!append(buffer, n)) {
                    onOverflow.run();
                    return;
                }
            }
        } catch (IOException e) {
            // the child went away; what was read is what there is
        } finally {
            done.countDown();
        }
    }

    /** Adds what was read; false once the head is over its limit. */
    private synchronized boolean append(byte[] buffer, int n) {
        if (keepTail) {
            kept.write(buffer, 0, n);
            if (kept.size() > 2 * limit) {
                byte[] all = kept.toByteArray();
                kept.reset();
                kept.write(all, all.length - limit, limit);
            }
            return true;
        }
        if (kept.size() + n > limit) {
            kept.write(buffer, 0, limit - kept.size());
            overflowed = true;
            return false;
        }
        kept.write(buffer, 0, n);
        return true;
    }

    /** Waits until the stream ended (or reading stopped); false if it did not within {@code timeout}. */
    boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True when the head went past its limit. */
    synchronized boolean overflowed() {
        return overflowed;
    }

    /** What was kept so far. */
    synchronized byte[] bytes() {
        byte[] all = kept.toByteArray();
        return keepTail && all.length > limit ? Arrays.copyOfRange(all, all.length - limit, all.length) : all;
    }
}
