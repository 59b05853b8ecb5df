package dev.skiff.secrets;

import dev.skiff.contracts.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Secrets in a local directory, for a platform on one host: {@code <root>/<namespace>/<name>} is
 * either a file (a secret of one key named like it, as the secrets API writes them) or a directory
 * whose files are the keys (as an operator may lay them out by hand). The tree is private to the
 * user the services run as (directories 0700, files 0600). Every write lands whole: values are
 * written to a hidden temporary entry and renamed into place, so a reader sees the old secret or the
 * new one, never half of one. Writes from this process are serialised; one gateway writes a directory.
 */
public final class DirectorySecretStore implements SecretStore {
    private static final String TMP_PREFIX = ".tmp-";
    private final Path root;

    public DirectorySecretStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String kind() {
        return "directory";
    }

    public Path root() {
        return root;
    }

    @Override
    public Optional<Secret> get(String namespace, String name) {
        SecretChecks.name(namespace, name);
        Path entry = root.resolve(namespace).resolve(name);
        try {
            if (Files.isRegularFile(entry)) {
                return Optional.of(Secret.single(namespace, name, Files.readAllBytes(entry)));
            }
            if (!Files.isDirectory(entry)) {
                return Optional.empty();
            }
            Map<String, byte[]> data = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(entry)) {
                for (Path file : files.sorted().toList()) {
                    String key = file.getFileName().toString();
                    if (Names.isSecretKey(key) && !key.startsWith(".") && Files.isRegularFile(file)) {
                        data.put(key, Files.readAllBytes(file));
                    }
                }
            }
            return Optional.of(new Secret(namespace, name, data));
        } catch (IOException e) {
            throw new SecretStoreException("cannot read secret " + name + " in namespace " + namespace + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> names(String namespace) {
        SecretChecks.namespace(namespace);
        Path dir = root.resolve(namespace);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.matches(Names.SECRET)).sorted().toList();
        } catch (IOException e) {
            throw new SecretStoreException("cannot list the secrets of namespace " + namespace + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean create(Secret secret) {
        SecretChecks.secret(secret);
        Path target = root.resolve(secret.namespace()).resolve(secret.name());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            // rename(2) would replace an entry made meanwhile: writers are serialised (synchronized, one gateway)
            Files.move(write(secret), target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new SecretStoreException("cannot write secret " + secret.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean replace(Secret secret) {
        SecretChecks.secret(secret);
        Path target = root.resolve(secret.namespace()).resolve(secret.name());
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            Path written = write(secret);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(written)) {
                // a directory cannot be renamed over another: move the old one aside first
                Path old = target.resolveSibling(TMP_PREFIX + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
                delete(old);
            } else {
                Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException e) {
            throw new SecretStoreException("cannot write secret " + secret.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean delete(String namespace, String name) {
        SecretChecks.name(namespace, name);
        Path target = root.resolve(namespace).resolve(name);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            // renamed away first, so no reader finds a directory with some keys gone
            Path old = target.resolveSibling(TMP_PREFIX + UUID.randomUUID());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            delete(old);
            return true;
        } catch (IOException e) {
            throw new SecretStoreException("cannot delete secret " + name + ": " + e.getMessage(), e);
        }
    }

    /** Writes a secret under a hidden temporary name in its namespace's directory: a file for one key named like the secret, else a directory. */
    private Path write(Secret secret) throws IOException {
        Path dir = privateDirectory(privateDirectory(root).resolve(secret.namespace()));
        Path tmp = dir.resolve(TMP_PREFIX + UUID.randomUUID());
        try {
            if (secret.data().size() == 1 && secret.data().containsKey(secret.name())) {
                privateFile(tmp, secret.data().get(secret.name()));
            } else {
                Files.createDirectory(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                for (Map.Entry<String, byte[]> entry : secret.data().entrySet()) {
                    privateFile(tmp.resolve(entry.getKey()), entry.getValue());
                }
            }
            return tmp;
        } catch (IOException | RuntimeException e) {
            delete(tmp);
            throw e;
        }
    }

    private static Path privateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }

    private static void privateFile(Path file, byte[] value) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, value);
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
