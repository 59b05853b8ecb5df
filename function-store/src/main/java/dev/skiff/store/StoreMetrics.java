package dev.skiff.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Metric names and tag keys of the function store, and the meters behind them. */
@ApplicationScoped
public class StoreMetrics {
    /** Counter {@code skiff_store_blob_bytes_total{direction}}: blob bytes received and served. */
    public static final String BLOB_BYTES = "skiff.store.blob.bytes";
    /** Counter {@code skiff_store_requests_total{operation,status}}: registry API requests. */
    public static final String REQUESTS = "skiff.store.requests";
    /** Counter {@code skiff_store_uploads_total{outcome}}: upload sessions by how they ended. */
    public static final String UPLOADS = "skiff.store.uploads";
    /** Counter {@code skiff_store_manifests_total{operation}}: manifests pushed and deleted. */
    public static final String MANIFESTS = "skiff.store.manifests";
    /** Counter {@code skiff_store_gc_deleted_blobs_total}: blobs garbage collection deleted. */
    public static final String GC_DELETED_BLOBS = "skiff.store.gc.deleted.blobs";
    /** Counter {@code skiff_store_gc_deleted_bytes_total}: bytes those blobs held. */
    public static final String GC_DELETED_BYTES = "skiff.store.gc.deleted.bytes";

    public static final String TAG_DIRECTION = "direction";
    public static final String TAG_OPERATION = "operation";
    public static final String TAG_STATUS = "status";
    public static final String TAG_OUTCOME = "outcome";

    public static final String DIRECTION_IN = "in";
    public static final String DIRECTION_OUT = "out";
    public static final String OUTCOME_COMPLETED = "completed";
    public static final String OUTCOME_REJECTED = "rejected";
    public static final String OUTCOME_CANCELLED = "cancelled";
    public static final String OUTCOME_EXPIRED = "expired";
    public static final String OPERATION_PUSH = "push";
    public static final String OPERATION_DELETE = "delete";

    private final MeterRegistry meters;
    private final Counter bytesIn;
    private final Counter bytesOut;

    StoreMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.bytesIn = Counter.builder(BLOB_BYTES).description("Blob bytes received and served")
                .tag(TAG_DIRECTION, DIRECTION_IN).register(meters);
        this.bytesOut = Counter.builder(BLOB_BYTES).description("Blob bytes received and served")
                .tag(TAG_DIRECTION, DIRECTION_OUT).register(meters);
    }

    /** {@code body} counting every byte read from it as received. */
    public InputStream countingIn(InputStream body) {
        return new Counting(body, bytesIn);
    }

    /** {@code content} counting every byte read from it as served. */
    public InputStream countingOut(InputStream content) {
        return new Counting(content, bytesOut);
    }

    /** Counts {@code bytes} as served without passing through a counted stream (sent straight from a file). */
    public void served(long bytes) {
        bytesOut.increment(bytes);
    }

    public void request(String operation, int status) {
        Counter.builder(REQUESTS).description("Registry API requests by operation and status")
                .tag(TAG_OPERATION, operation).tag(TAG_STATUS, Integer.toString(status))
                .register(meters).increment();
    }

    public void upload(String outcome, int count) {
        Counter.builder(UPLOADS).description("Upload sessions by how they ended")
                .tag(TAG_OUTCOME, outcome).register(meters).increment(count);
    }

    public void manifest(String operation) {
        Counter.builder(MANIFESTS).description("Manifests pushed and deleted")
                .tag(TAG_OPERATION, operation).register(meters).increment();
    }

    public void gcDeleted(int blobs, long bytes) {
        Counter.builder(GC_DELETED_BLOBS).description("Blobs garbage collection deleted").register(meters).increment(blobs);
        Counter.builder(GC_DELETED_BYTES).description("Bytes of the blobs garbage collection deleted")
                .register(meters).increment(bytes);
    }

    private static final class Counting extends FilterInputStream {
        private final Counter counter;

        Counting(InputStream in, Counter counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counter.increment(n);
            }
            return n;
        }
    }
}
