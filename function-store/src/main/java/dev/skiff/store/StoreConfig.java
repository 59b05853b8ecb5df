package dev.skiff.store;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Configuration of the function store. */
@ConfigMapping(prefix = "skiff.store")
public interface StoreConfig {

    /** Directory holding blobs, repositories and upload sessions; created at start-up if missing. */
    @WithDefault("data/function-store")
    Path dataDir();

    /** An upload session untouched for this long is discarded by the sweep (a client must start over). */
    @WithDefault("1h")
    Duration uploadExpiry();

    /** How often the sweep of expired upload sessions runs. */
    @WithDefault("5m")
    Duration uploadSweepInterval();

    /** Most upload sessions open at once; a push that would open one more is refused with 429 TOO_MANY_REQUESTS. */
    @WithDefault("1000")
    int uploadMaxSessions();

    /** Largest manifest accepted on push; a larger one is refused with 413 SIZE_INVALID. */
    @WithDefault("4M")
    MemorySize manifestMaxSize();

    /** Who may push and pull. */
    Auth auth();

    /** Garbage collection of blobs no manifest references. */
    Gc gc();

    /** Credentials, sent as {@code Authorization: Bearer <token>} or as the password of HTTP Basic. */
    interface Auth {
        /** The token that allows pushing and deleting (and pulling); when absent, every push and delete is refused. */
        Optional<String> pushToken();

        /** When set, pulling needs this token or the push token; when absent, pulling is anonymous. */
        Optional<String> pullToken();
    }

    /** When and what the garbage collector deletes. */
    interface Gc {
        /** How often the collection runs (the first run is one interval after start-up). */
        @WithDefault("1h")
        Duration interval();

        /**
         * A blob used (stored, linked into a repository, or checked with HEAD) more recently than
         * this is never collected: it gives a client time to push the manifest that references it.
         */
        @WithDefault("1h")
        Duration gracePeriod();
    }
}
