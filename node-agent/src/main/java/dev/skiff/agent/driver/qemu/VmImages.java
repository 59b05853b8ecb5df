package dev.skiff.agent.driver.qemu;

import dev.skiff.agent.artifact.FunctionVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The files a VM boots: the runtime's shared base image (kernel and root archive, never written)
 * and, per function version, an initrd made of the base archive followed by the version's own
 * {@link GuestArchive} (Linux unpacks concatenated archives in order). The per-version initrd is
 * cached beside the version's code and made again when the base image is newer.
 */
final class VmImages {
    static final String KERNEL = "vmlinuz";
    static final String BASE_ROOT = "base.cpio.gz";
    static final String RUNTIME_DRIVE = "runtime.img";

    /** A runtime's base image; {@code drive} is its read-only runtime drive (the JVM for java), or null. */
    record BaseImage(String runtime, Path kernel, Path root, Path drive) {
        /** The files a VM of this image boots from, for snapshot fingerprints. */
        List<Path> files() {
            return drive == null ? List.of(kernel, root) : List.of(kernel, root, drive);
        }
    }

    private final Path imageDir;
    private final Optional<UserPrincipal> vmUser;

    /** @param vmUser the user QEMU runs as, who must read the initrd (it holds the function's env: no one else may) */
    VmImages(Path imageDir, Optional<UserPrincipal> vmUser) {
        this.imageDir = imageDir;
        this.vmUser = vmUser;
    }

    /** The base image of a runtime, or an explanation of what is missing. */
    BaseImage base(String runtime) {
        Path dir = imageDir.resolve(runtime);
        Path kernel = dir.resolve(KERNEL);
        Path root = dir.resolve(BASE_ROOT);
        if (!Files.isReadable(kernel) || !Files.isReadable(root)) {
            throw new IllegalStateException("no base image for runtime '" + runtime + "' in " + imageDir
                    + " (built: " + String.join(", ", runtimes()) + "); run images/build-base-image.sh");
        }
        Path drive = dir.resolve(RUNTIME_DRIVE);
        if ("java".equals(runtime) && !Files.isReadable(drive)) {
            throw new IllegalStateException("the java base image in " + dir + " has no " + RUNTIME_DRIVE
                    + "; run images/build-base-image.sh java");
        }
        return new BaseImage(runtime, kernel, root, Files.isReadable(drive) ? drive : null);
    }

    /** Runtimes that have a base image. */
    List<String> runtimes() {
        if (!Files.isDirectory(imageDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(imageDir)) {
            return dirs.filter(d -> Files.isReadable(d.resolve(KERNEL)) && Files.isReadable(d.resolve(BASE_ROOT)))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The initrd of a version: made once, then reused while the base image is unchanged. Blocking file I/O. */
    Path initrd(FunctionVersion version, BaseImage base, long heapMib) {
        Path target = version.codeDir().resolveSibling("vm-" + base.runtime() + "-" + heapMib + ".initrd");
        try {
            if (Files.exists(target)
                    && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(base.root())) > 0) {
                return target;
            }
            Path tmp = Files.createTempFile(target.getParent(), "vm-", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    Files.copy(base.root(), out);
                    GZIPOutputStream gzip = new GZIPOutputStream(out);
                    Cpio.write(GuestArchive.entries(version.spec(), codeFiles(version.codeDir()), heapMib), gzip);
                    gzip.finish();
                }
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--------"));
                if (vmUser.isPresent()) {
                    Files.setOwner(tmp, vmUser.get());
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the initrd of " + version.name() + ": " + e.getMessage(), e);
        }
    }

    private static List<GuestArchive.CodeFile> codeFiles(Path codeDir) throws IOException {
        List<GuestArchive.CodeFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(codeDir)) {
            for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                files.add(new GuestArchive.CodeFile(path.getFileName().toString(), Files.isExecutable(path),
                        Files.readAllBytes(path)));
            }
        }
        return files;
    }
}
