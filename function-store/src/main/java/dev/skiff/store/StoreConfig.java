package dev.skiff.store;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

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

    /** Largest manifest accepted on push; a larger one is refused with 413 SIZE_INVALID. */
    @WithDefault("4M")
    MemorySize manifestMaxSize();
}
