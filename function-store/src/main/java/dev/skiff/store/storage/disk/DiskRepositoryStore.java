package dev.skiff.store.storage.disk;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.DigestAlgorithm;
import dev.skiff.store.oci.RegistryException;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.oci.Tag;
import dev.skiff.store.storage.ManifestLink;
import dev.skiff.store.storage.RepositoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Repository contents as link files under {@code repositories/<name>/} (see {@link DiskLayout}).
 * Changes to one repository are serialised by its lock; link files with content are written
 * atomically, so readers never see half a file.
 */
@ApplicationScoped
public class DiskRepositoryStore implements RepositoryStore {
    private final DiskLayout layout;
    private final Map<RepositoryName, Object> locks = new ConcurrentHashMap<>();

    public DiskRepositoryStore(DiskLayout layout) {
        this.layout = layout;
    }

    @Override
    public void linkBlob(RepositoryName repository, Digest digest) {
        Path link = layout.layerLink(repository, digest);
        inLock(repository, () -> {
            Files.createDirectories(link.getParent());
            try {
                Files.createFile(link);
            } catch (FileAlreadyExistsException e) {
                // already linked
            }
            return null;
        });
    }

    @Override
    public boolean hasBlob(RepositoryName repository, Digest digest) {
        return Files.exists(layout.layerLink(repository, digest));
    }

    @Override
    public boolean unlinkBlob(RepositoryName repository, Digest digest) {
        return inLock(repository, () -> Files.deleteIfExists(layout.layerLink(repository, digest)));
    }

    @Override
    public void linkManifest(RepositoryName repository, ManifestLink manifest, Tag tag) {
        inLock(repository, () -> {
            DiskFiles.writeAtomically(layout.tmp(), layout.revision(repository, manifest.digest()),
                    manifest.mediaType().getBytes(StandardCharsets.UTF_8));
            if (tag != null) {
                DiskFiles.writeAtomically(layout.tmp(), layout.tag(repository, tag),
                        manifest.digest().toString().getBytes(StandardCharsets.UTF_8));
            }
            return null;
        });
    }

    @Override
    public Optional<ManifestLink> manifest(RepositoryName repository, Digest digest) {
        return read(layout.revision(repository, digest)).map(mediaType -> new ManifestLink(digest, mediaType));
    }

    @Override
    public List<ManifestLink> manifests(RepositoryName repository) {
        List<ManifestLink> manifests = new ArrayList<>();
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            for (String hex : list(layout.revisions(repository).resolve(algorithm.id()))) {
                if (algorithm.isValidEncoded(hex)) {
                    manifest(repository, new Digest(algorithm, hex)).ifPresent(manifests::add);
                }
            }
        }
        return manifests;
    }

    @Override
    public Optional<Digest> resolve(RepositoryName repository, Tag tag) {
        return read(layout.tag(repository, tag)).map(Digest::parse);
    }

    @Override
    public boolean unlinkManifest(RepositoryName repository, Digest digest) {
        return inLock(repository, () -> {
            if (!Files.deleteIfExists(layout.revision(repository, digest))) {
                return false;
            }
            for (String tag : list(layout.tags(repository))) {
                Path tagFile = layout.tags(repository).resolve(tag);
                if (read(tagFile).filter(digest.toString()::equals).isPresent()) {
                    Files.deleteIfExists(tagFile);
                }
            }
            if (!hasManifests(repository)) {
                DiskFiles.deleteRecursively(layout.manifests(repository));
            }
            return true;
        });
    }

    @Override
    public boolean untag(RepositoryName repository, Tag tag) {
        return inLock(repository, () -> Files.deleteIfExists(layout.tag(repository, tag)));
    }

    @Override
    public Optional<List<String>> tags(RepositoryName repository) {
        if (!hasManifests(repository)) {
            return Optional.empty();
        }
        return Optional.of(list(layout.tags(repository)).stream().sorted().toList());
    }

    @Override
    public List<String> repositories() {
        Path root = layout.repositories();
        List<String> names = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.equals(root) ? "" : dir.getFileName().toString();
                    if (name.equals(DiskLayout.MANIFESTS)) {
                        repositoryAt(root.relativize(dir.getParent())).ifPresent(names::add);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return name.startsWith("_") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names.stream().sorted().toList();
    }

    @Override
    public int unlinkEverywhere(Set<Digest> digests) {
        int[] removed = {0};
        try {
            Files.walkFileTree(layout.repositories(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    String name = dir.getFileName().toString();
                    if (name.equals(DiskLayout.LAYERS)) {
                        for (Digest digest : digests) {
                            if (Files.deleteIfExists(dir.resolve(digest.algorithm().id()).resolve(digest.hex()))) {
                                removed[0]++;
                            }
                        }
                    }
                    return name.startsWith("_") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return removed[0];
    }

    /** The name of the repository in {@code relative} if it holds a manifest; foreign directories are skipped. */
    private Optional<String> repositoryAt(Path relative) {
        try {
            RepositoryName name = new RepositoryName(relative.toString().replace(File.separatorChar, '/'));
            return hasManifests(name) ? Optional.of(name.value()) : Optional.empty();
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    /** Whether any manifest revision exists, under any digest algorithm. */
    private boolean hasManifests(RepositoryName repository) {
        for (String algorithm : list(layout.revisions(repository))) {
            if (!list(layout.revisions(repository).resolve(algorithm)).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(entry -> entry.getFileName().toString()).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Change<T> {
        T apply() throws IOException;
    }

    private <T> T inLock(RepositoryName repository, Change<T> change) {
        synchronized (locks.computeIfAbsent(repository, key -> new Object())) {
            try {
                return change.apply();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
