package dev.skiff.agent.driver.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Saved VMs, one per function version and VM shape, in {@code data-dir/snapshots/<key><suffix>}:
 * a file or a directory, as the driver that saves it lays it out (mode 0600 files: a saved VM holds
 * the function's env). The key is the version's digest and a fingerprint of everything a restore
 * must match (VMM, accelerator, memory, vCPUs, kernel and initrd), so a changed setting or image
 * never restores a stale VM. One instance at a time saves a key; a key whose save or restore failed
 * is not tried again in this run. A save is staged beside the entries and published by a rename,
 * so an entry that exists is complete; publishing a version's snapshot deletes its older ones.
 */
public final class SnapshotStore {
    private static final Logger LOG = Logger.getLogger(SnapshotStore.class);

    private final Path dir;
    private final String suffix;
    private final Set<String> saving = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    /** @param suffix ends every entry's name: {@code .state} (a QEMU migration stream), {@code .fc} (Firecracker's files) */
    public SnapshotStore(Path dir, String suffix) {
        this.dir = dir;
        this.suffix = suffix;
    }

    /** The key of a version's VM: its digest and a fingerprint of its shape and boot files. */
    public static String key(String digest, List<String> shape, List<Path> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join("\n", shape).getBytes(StandardCharsets.UTF_8));
            for (Path file : files) {
                sha.update((file + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis())
                        .getBytes(StandardCharsets.UTF_8));
            }
            return digest.replace(':', '-') + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint " + files + ": " + e.getMessage(), e);
        }
    }

    /** How a new VM of this key starts: restored from a good snapshot, else cold, and saved if no one else saves it. */
    public VmBoot boot(String key) {
        return restorable(key).isPresent() ? VmBoot.RESTORE : claim(key) ? VmBoot.COLD_AND_SAVE : VmBoot.COLD;
    }

    /** Where a key's saved VM lives. */
    public Path entry(String key) {
        return dir.resolve(key + suffix);
    }

    /** The saved VM of a key, if there is a good one. */
    public Optional<Path> restorable(String key) {
        Path entry = entry(key);
        return !failed.contains(key) && Files.exists(entry) ? Optional.of(entry) : Optional.empty();
    }

    /** Whether the caller should save this key's VM: none saved, none being saved, none failed. */
    public boolean claim(String key) {
        return !failed.contains(key) && !Files.exists(entry(key)) && saving.add(key);
    }

    /** Ends a claim, saved or not. */
    public void release(String key) {
        saving.remove(key);
    }

    /** Forgets a key's saved VM for this run (it failed to save or to restore). */
    public void invalidate(String key, String reason) {
        failed.add(key);
        Trees.delete(entry(key));
        LOG.warnf("snapshot %s dropped: %s; its versions boot cold", key, reason);
    }

    /**
     * A fresh path to stage a save at, beside the entries (so that publishing is a rename); nothing
     * is created there. The caller deletes it ({@link Trees#delete}) if it does not publish it.
     */
    public Path stage(String key) throws IOException {
        Files.createDirectories(dir);
        Path staged = Files.createTempFile(dir, key + "-", ".tmp");
        Files.delete(staged);
        return staged;
    }

    /** Makes a staged file or directory the key's entry, atomically; returns its size in bytes. */
    public long publish(String key, Path staged) throws IOException {
        long size;
        try (Stream<Path> files = Files.walk(staged)) {
            size = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        Files.move(staged, entry(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        pruneOthers(key);
        return size;
    }

    /**
     * Deletes the version's other saved VMs. A version has one shape per run, so another key of its
     * digest was made from other boot files: an older base image or, above all, older secret values,
     * which a saved guest's memory holds and which must not outlive their replacement.
     */
    private void pruneOthers(String key) throws IOException {
        String version = key.substring(0, key.lastIndexOf('-') + 1);
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path other : entries.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(version) && name.endsWith(suffix) && !name.equals(key + suffix);
            }).toList()) {
                Trees.delete(other);
                LOG.infof("snapshot %s deleted: %s replaces it", other.getFileName(), key);
            }
        }
    }
}
