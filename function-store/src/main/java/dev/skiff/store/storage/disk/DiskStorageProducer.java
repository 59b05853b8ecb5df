package dev.skiff.store.storage.disk;

import dev.skiff.store.StoreConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Sets up the data directory the disk storage works in. */
public class DiskStorageProducer {

    @Produces
    @Singleton
    DiskLayout layout(StoreConfig config) {
        return DiskLayout.create(config.dataDir());
    }
}
