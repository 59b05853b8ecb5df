package dev.skiff.agent.driver.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
    @TempDir
    Path dir;

    @Test
    void aSavedVmIsOnlyRestoredIntoTheSameShape() throws IOException {
        Path initrd = Files.writeString(dir.resolve("vm-exec.initrd"), "root");
        String key = SnapshotStore.key("sha256:ab", List.of("-m", "128M"), List.of(initrd));
        assertTrue(key.startsWith("sha256-ab-"), key);
        assertEquals(key, SnapshotStore.key("sha256:ab", List.of("-m", "128M"), List.of(initrd)));
        assertNotEquals(key, SnapshotStore.key("sha256:ab", List.of("-m", "256M"), List.of(initrd)), "other memory");
        assertNotEquals(key, SnapshotStore.key("sha256:cd", List.of("-m", "128M"), List.of(initrd)), "other version");
        Files.writeString(initrd, "a rebuilt root");
        assertNotEquals(key, SnapshotStore.key("sha256:ab", List.of("-m", "128M"), List.of(initrd)), "other image");
    }

    @Test
    void oneInstanceSavesAKeyAndAFailedKeyIsNotTriedAgain() throws IOException {
        SnapshotStore store = new SnapshotStore(dir, ".state");
        assertTrue(store.claim("k"));
        assertFalse(store.claim("k"), "someone is saving it already");
        assertTrue(store.restorable("k").isEmpty());
        store.release("k");
        Files.writeString(store.entry("k"), "state");
        assertFalse(store.claim("k"), "saved already");
        assertEquals(store.entry("k"), store.restorable("k").orElseThrow());

        store.invalidate("k", "restore failed");
        assertTrue(store.restorable("k").isEmpty());
        assertFalse(Files.exists(store.entry("k")));
        assertFalse(store.claim("k"), "not saved again in this run");
    }

    @Test
    void publishingAVersionsSnapshotDeletesItsOlderOnesButNoOtherVersions() throws IOException {
        SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), ".state");
        Path oldInitrd = Files.writeString(dir.resolve("old.initrd"), "old secret");
        Path newInitrd = Files.writeString(dir.resolve("new.initrd"), "new secret");
        String old = SnapshotStore.key("sha256:aa", List.of("qemu"), List.of(oldInitrd));
        String fresh = SnapshotStore.key("sha256:aa", List.of("qemu"), List.of(newInitrd));
        String otherVersion = SnapshotStore.key("sha256:aab", List.of("qemu"), List.of(oldInitrd));
        for (String key : List.of(old, otherVersion)) {
            Path staged = store.stage(key);
            Files.writeString(staged, "saved " + key);
            store.publish(key, staged);
        }
        assertTrue(store.restorable(old).isPresent());

        Path staged = store.stage(fresh);
        Files.writeString(staged, "saved " + fresh);
        store.publish(fresh, staged);

        assertFalse(Files.exists(store.entry(old)), "the guest memory holding the old values is gone");
        assertTrue(store.restorable(fresh).isPresent());
        assertTrue(store.restorable(otherVersion).isPresent(), "another version's snapshot stays");
    }
}
